"""The sandbox's own certificate authority and a server certificate signed by it.

Both are made once, on first start, and kept in the data dir, so clients verify the
sandbox with `ca.pem` instead of turning verification off.
"""

import datetime
import ipaddress
import os
from pathlib import Path

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def ensure_certificates(data_dir: Path) -> tuple[Path, Path]:
    """(server certificate chain, server key) in data_dir, made if missing."""
    cert, key = data_dir / CERT_FILE, data_dir / KEY_FILE
    if not (cert.exists() and key.exists() and (data_dir / CA_FILE).exists()):
        _make(data_dir)
    return cert, key


def _make(data_dir: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    start = now - datetime.timedelta(days=1)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "re sandbox"),
        x509.NameAttribute(NameOID.COMMON_NAME, "re sandbox CA"),
    ])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True,
            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost")]
    names += [x509.IPAddress(ipaddress.ip_address(f"127.0.0.{n}")) for n in (1, 2, 3)]
    names.append(x509.IPAddress(ipaddress.ip_address("::1")))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(now + datetime.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    plain = serialization.NoEncryption()
    pkcs8 = serialization.PrivateFormat.PKCS8
    _write_private(data_dir / CA_KEY_FILE, ca_key.private_bytes(pem, pkcs8, plain))
    _write_private(data_dir / KEY_FILE, key.private_bytes(pem, pkcs8, plain))
    (data_dir / CERT_FILE).write_bytes(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    (data_dir / CA_FILE).write_bytes(ca_cert.public_bytes(pem))


def certificate_summary(data_dir: Path) -> dict:
    """{name: {"certificate": PEM}} for the certificates the sandbox serves."""
    server = (data_dir / CERT_FILE).read_text()
    first = server.split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    return {"api": {"certificate": first}, "cm": {"certificate": first},
            "proxy": {"certificate": first}, "syncer": {"certificate": first}}
