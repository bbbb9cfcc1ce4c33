"""The curl command that sends the same request as `re`, for runbooks and bug reports.

The password never appears: curl reads it from `$RE_PASSWORD` when the command runs.
curl cannot check a certificate's SHA-256 fingerprint, only a public key's
(`--pinnedpubkey`); for a pinned profile the key comes from the server's certificate
when the caller has it (see `server_certificate`), else the command falls back to
`-k` and says so in a comment above it.
"""

import shlex

# Headers that requests adds for its own transport; curl sets its own.
_TRANSPORT_HEADERS = {"authorization", "content-length", "host", "connection",
                      "accept-encoding"}


def to_curl(settings, method: str, url: str, headers: dict, body: bytes | None,
            certificate: bytes | None = None) -> str:
    """A shell command equivalent to the request; `certificate` is the server's DER
    certificate, used for `--pinnedpubkey` when it matches the profile's pin."""
    notes, tls_args = _tls_args(settings, certificate)
    words = ["curl"]
    method = method.upper()
    if method == "HEAD":
        words.append("-I")
    elif method != "GET" or body is not None:
        words += ["-X", method]
    words.append(shlex.quote(url))

    lines = [" ".join(words)]
    if tls_args:
        lines.append(" ".join(tls_args))
    lines.append(f'-u {shlex.quote(settings.user + ":")}"$RE_PASSWORD"')
    for name, value in headers.items():
        if name.lower() not in _TRANSPORT_HEADERS:
            lines.append("-H " + shlex.quote(f"{name}: {value}"))
    if body is not None:
        lines.append(_body_arg(body))
    return "".join(f"# {note}\n" for note in notes) + " \\\n  ".join(lines)


def _tls_args(settings, certificate: bytes | None) -> tuple[list[str], list[str]]:
    if settings.tls == "ca" and settings.ca_cert:
        return [], ["--cacert", shlex.quote(settings.ca_cert)]
    if settings.tls == "insecure":
        return ["TLS verification is off for this profile (insecure)"], ["-k"]
    if settings.tls == "pinned":
        pin = public_key_pin(certificate) if _matches_pin(settings, certificate) else None
        if pin:
            # -k: a pinned server's certificate is usually self-signed; the key pin is
            # the check, and curl applies it with or without -k.
            return [], ["-k", "--pinnedpubkey", shlex.quote(pin)]
        return [
            f"the profile pins certificate SHA256 {settings.fingerprint}; curl can only pin "
            "a public key, which could not be read, so this command does not verify the "
            "server (-k)",
        ], ["-k"]
    return [], []


def _body_arg(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        escaped = "".join(f"\\x{b:02x}" for b in body)
        return f"--data-binary $'{escaped}'"
    # -d treats a leading @ as a file name; --data-raw never does.
    flag = "--data-raw" if text.startswith("@") else "-d"
    return f"{flag} {shlex.quote(text)}"


def _matches_pin(settings, certificate: bytes | None) -> bool:
    if not certificate or not settings.fingerprint:
        return False
    from re_cli import tls

    try:
        return tls.fingerprint_of(certificate) == tls.normalize_fingerprint(settings.fingerprint)
    except Exception:  # noqa: BLE001 - a bad pin only means no --pinnedpubkey
        return False


def public_key_pin(certificate: bytes | None) -> str | None:
    """`sha256//BASE64` of the certificate's public key, as curl's --pinnedpubkey wants."""
    if not certificate:
        return None
    import base64
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        key = x509.load_der_x509_certificate(certificate).public_key()
    except ValueError:
        return None
    spki = key.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256//" + base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def server_certificate(settings, timeout: float = 3.0) -> bytes | None:
    """The server's certificate when the profile is pinned and the server still sends the
    pinned one (a TLS handshake, no request); None otherwise or on any failure."""
    if settings.tls != "pinned":
        return None
    from re_cli import tls

    try:
        der = tls.fetch_certificate(settings.host, settings.port, timeout=timeout).der
    except Exception:  # noqa: BLE001 - without it the command falls back to -k, noted
        return None
    return der if _matches_pin(settings, der) else None
