"""How `re` trusts a server: the system's CAs, a CA file, a pinned certificate
fingerprint, or nothing at all (insecure); and reading a certificate for trust on
first use, as ssh does.

requests, urllib3 and cryptography are imported inside the functions that use them:
the root command must start without them.
"""

import functools
import hashlib
import os
import socket
import ssl
import sys
from dataclasses import dataclass
from datetime import datetime

from re_cli.errors import ConfigError, ConnectionFailed, UsageError

MODES = ("system", "ca", "pinned", "insecure")

_insecure_warned = False


class FingerprintMismatch(ConnectionFailed):
    """The server's certificate is not the one the profile pinned."""

    def __init__(self, host: str, port: int, expected: str, actual: str):
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"the certificate of {host}:{port} changed: pinned SHA256 {expected}, "
            f"server sent SHA256 {actual}; if the change is expected, pin the new one "
            f"with `re profile add NAME ... --pin-fingerprint {actual}`"
        )


@dataclass
class CertInfo:
    fingerprint: str  # SHA-256, colon-separated upper-case hex
    subject: str
    issuer: str
    not_after: datetime
    der: bytes

    @property
    def expired(self) -> bool:
        from datetime import timezone

        return self.not_after < datetime.now(timezone.utc)


def fingerprint_of(der: bytes) -> str:
    """The SHA-256 fingerprint of a DER certificate, as openssl prints it."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def normalize_fingerprint(text: str) -> str:
    """Accept `AB:CD:..`, `abcd..`, `sha256:..` or `SHA256 Fingerprint=..`; give the colon form."""
    value = text.strip()
    if "=" in value:
        value = value.split("=", 1)[1]
    if value.lower().startswith("sha256:"):
        value = value[len("sha256:"):]
    hex_digits = value.replace(":", "").replace(" ", "").upper()
    if len(hex_digits) != 64 or any(c not in "0123456789ABCDEF" for c in hex_digits):
        raise UsageError(
            f"`{text}` is not a SHA-256 fingerprint: expected 64 hex digits, "
            f"optionally separated by colons"
        )
    return ":".join(hex_digits[i:i + 2] for i in range(0, 64, 2))


def _open_tls(host: str, port: int, timeout: float, context: ssl.SSLContext) -> ssl.SSLSocket:
    raw = socket.create_connection((host, port), timeout=timeout)
    try:
        return context.wrap_socket(raw, server_hostname=host)
    except BaseException:
        raw.close()
        raise


def fetch_certificate(host: str, port: int, timeout: float = 10.0) -> CertInfo:
    """The server's certificate, read without verifying it (for trust on first use)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with _open_tls(host, port, timeout, context) as sock:
            der = sock.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError) as exc:
        raise ConnectionFailed(f"cannot read the certificate of {host}:{port}: {exc}") from None
    if not der:
        raise ConnectionFailed(f"{host}:{port} sent no certificate")
    return describe_certificate(der)


def describe_certificate(der: bytes) -> CertInfo:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    return CertInfo(
        fingerprint=fingerprint_of(der),
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
        der=der,
    )


def verification_problem(host: str, port: int, cafile: str | None,
                         timeout: float = 10.0) -> str | None:
    """Why the server's certificate does not verify (against `cafile` or the system's
    CAs), or None when it does. Failures to connect at all raise ConnectionFailed."""
    context = ssl.create_default_context(cafile=cafile) if cafile else \
        ssl.create_default_context()
    try:
        with _open_tls(host, port, timeout, context):
            return None
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_message or str(exc)
    except ssl.CertificateError as exc:
        return str(exc)
    except (OSError, ssl.SSLError) as exc:
        raise ConnectionFailed(f"cannot connect to {host}:{port}: {exc}") from None


def warn_insecure_once() -> None:
    global _insecure_warned
    if _insecure_warned:
        return
    _insecure_warned = True
    sys.stderr.write("re: warning: TLS verification is off (insecure): "
                     "the server's identity is not checked\n")
    sys.stderr.flush()


def configure(session, settings) -> None:
    """Make `session` trust the server the way `settings.tls` says."""
    mode = settings.tls
    if mode not in MODES:
        raise ConfigError(f"unknown TLS mode `{mode}`: use one of {', '.join(MODES)}")

    if mode == "system":
        verify = True
    elif mode == "ca":
        if not settings.ca_cert or not os.path.isfile(settings.ca_cert):
            raise ConfigError(f"CA file `{settings.ca_cert}` does not exist or is not a file")
        verify = settings.ca_cert
    else:
        verify = False

    if mode == "insecure":
        _silence_urllib3_warning()
        warn_insecure_once()

    expected = None
    if mode == "pinned":
        try:
            expected = normalize_fingerprint(settings.fingerprint or "")
        except UsageError as exc:
            raise ConfigError(f"profile `{settings.profile}`: {exc}") from None
    adapter = _adapter_class()(verify=verify, expected_fingerprint=expected)
    session.verify = verify
    session.mount("https://", adapter)


def _silence_urllib3_warning() -> None:
    import warnings

    from urllib3.exceptions import InsecureRequestWarning

    warnings.simplefilter("ignore", InsecureRequestWarning)


@functools.cache
def _adapter_class():
    """A requests adapter that always uses our `verify` (REQUESTS_CA_BUNDLE cannot
    override it) and, when pinned, checks the fingerprint of every new connection."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class PinnedConnection(HTTPSConnection):
        expected_fingerprint = ""

        def connect(self) -> None:
            super().connect()
            der = self.sock.getpeercert(binary_form=True) or b""
            actual = fingerprint_of(der)
            if actual != self.expected_fingerprint:
                self.close()
                raise FingerprintMismatch(self.host, self.port, self.expected_fingerprint,
                                          actual)
            # The pin is a stronger check than a CA: no InsecureRequestWarning.
            self.is_verified = True

    class TrustAdapter(HTTPAdapter):
        def __init__(self, verify, expected_fingerprint: str | None):
            self._verify = verify
            self._expected = expected_fingerprint
            super().__init__()

        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            if self._expected:
                connection = type("Pinned", (PinnedConnection,),
                                  {"expected_fingerprint": self._expected})
                pool = type("PinnedPool", (HTTPSConnectionPool,), {"ConnectionCls": connection})
                self.poolmanager.pool_classes_by_scheme = {
                    "http": HTTPConnectionPool, "https": pool,
                }

        def send(self, request, stream=False, timeout=None, verify=True, cert=None,
                 proxies=None):
            return super().send(request, stream=stream, timeout=timeout, verify=self._verify,
                                cert=cert, proxies=proxies)

    return TrustAdapter
