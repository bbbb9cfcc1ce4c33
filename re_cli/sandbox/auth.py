"""Who is asking, and may they: Basic Auth (and JWT) against the sandbox's users, and
the role -> permission table of the catalog.

Passwords are stored as salted PBKDF2 hashes. Checking one costs tens of milliseconds
on purpose, so credentials that have passed are remembered in memory (keyed by a
digest of the Authorization header together with the stored hash they matched); a
changed or deleted password therefore stops matching at once.
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time

from re_cli import catalog
from re_cli.sandbox.routes import ApiError

ITERATIONS = 120_000
SCHEME = "pbkdf2_sha256"
REALM = 'Basic realm="Redis Enterprise sandbox"'

_verified: dict[str, tuple[int, str]] = {}
_verified_lock = threading.Lock()


def hash_password(password: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), ITERATIONS)
    return f"{SCHEME}${ITERATIONS}${salt}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, rounds, salt, expected = stored.split("$")
        if scheme != SCHEME:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt),
                                     int(rounds))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def new_password() -> str:
    return secrets.token_urlsafe(18)


def unauthorized(text: str = "Authentication is required.") -> ApiError:
    return ApiError(401, "unauthorized", text, headers={"WWW-Authenticate": REALM})


def public_user(user: dict) -> dict:
    """A user as the API shows it: no password, no private bookkeeping."""
    return {k: v for k, v in user.items() if not k.startswith("_") and k != "password"}


def find_user_by_email(tx, email: str) -> dict | None:
    wanted = email.lower()
    for user in tx.list("user"):
        if str(user.get("email", "")).lower() == wanted:
            return user
    return None


def authenticate(store, header: str | None) -> dict:
    """The user named by an Authorization header; 401 when it names nobody."""
    if not header:
        raise unauthorized()
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        return _basic(store, header, value.strip())
    if scheme in ("jwt", "bearer"):
        return _jwt(store, value.strip())
    raise unauthorized("Use Basic authentication or a JWT from /v1/users/authorize.")


def _basic(store, header: str, value: str) -> dict:
    try:
        email, sep, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        raise unauthorized("The Authorization header is not valid Basic credentials.") from None
    if not sep:
        raise unauthorized("The Authorization header is not valid Basic credentials.")

    key = hashlib.sha256(header.encode()).hexdigest()
    with _verified_lock:
        known = _verified.get(key)
    if known is not None:
        with store.transaction() as tx:
            user = tx.get("user", known[0])
        if user and known[1] in user.get("_password_hashes", []):
            return user

    with store.transaction() as tx:
        user = find_user_by_email(tx, email)
    if user is None or user.get("status") == "locked":
        raise unauthorized("Wrong user name or password.")
    for stored in user.get("_password_hashes", []):
        if check_password(password, stored):
            with _verified_lock:
                _verified[key] = (user["uid"], stored)
            return user
    raise unauthorized("Wrong user name or password.")


def _jwt_secret(store) -> bytes:
    with store.transaction() as tx:
        holder = tx.get("sandbox_secret", "jwt")
        if holder is None:
            holder = tx.put("sandbox_secret", "jwt", {"key": secrets.token_hex(32)})
    return bytes.fromhex(holder["key"])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_jwt(store, user: dict, ttl: int) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"uid": user["uid"], "sub": user["email"], "exp": int(time.time()) + ttl,
              "pwd": hashlib.sha256("".join(user.get("_password_hashes", [])).encode())
              .hexdigest()[:16]}
    payload = _b64(json.dumps(claims).encode())
    signature = hmac.new(_jwt_secret(store), f"{header}.{payload}".encode(), "sha256")
    return f"{header}.{payload}.{_b64(signature.digest())}"


def _jwt(store, token: str) -> dict:
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(_jwt_secret(store), f"{header}.{payload}".encode(), "sha256")
        if not hmac.compare_digest(_b64(expected.digest()), signature):
            raise ValueError("bad signature")
        claims = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        raise unauthorized("The token is not valid.") from None
    if claims.get("exp", 0) < time.time():
        raise unauthorized("The token has expired.")
    with store.transaction() as tx:
        user = tx.get("user", claims.get("uid"))
    if user is None:
        raise unauthorized("The token's user no longer exists.")
    current = hashlib.sha256("".join(user.get("_password_hashes", [])).encode()).hexdigest()
    if current[:16] != claims.get("pwd"):
        raise unauthorized("The token was issued before a password change.")
    return user


def management_roles(store, user: dict) -> list[str]:
    """The management roles a user acts with: their `role`, or those of their RBAC roles."""
    uids = user.get("role_uids") or []
    if not uids:
        return [user.get("role") or "none"]
    with store.transaction() as tx:
        roles = [tx.get("role", uid) for uid in uids]
    found = [r.get("management", "none") for r in roles if r]
    return found or ["none"]


def permissions_of(role: str) -> set[str]:
    return set(catalog.role_permissions().get(role, []))


def may(store, user: dict, permission: str | None) -> bool:
    if not permission:
        return True
    return any(permission in permissions_of(role) for role in management_roles(store, user))
