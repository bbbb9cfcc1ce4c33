"""Cluster users: CRUD, passwords, role permissions and JWTs."""

import re

from re_cli import catalog
from re_cli.sandbox import auth
from re_cli.sandbox.common import defaults_for, int_uid, now_iso, select_fields
from re_cli.sandbox.routes import ApiError, route

ROLES = ("admin", "cluster_member", "cluster_viewer", "db_member", "db_viewer",
         "user_manager", "none")
AUTH_METHODS = ("regular", "certificate", "entraid", "sso")
WRITABLE = {"account_id", "auth_method", "bdbs_email_alerts", "certificate_subject_line",
            "cluster_email_alerts", "email", "email_alerts", "name", "password",
            "password_hash_method", "role", "role_uids"}
READ_ONLY = {"uid", "action_uid", "last_login", "password_issue_date", "status"}
EMAIL = re.compile(r"^[\x21-\x7e]+$")
NAME_FORBIDDEN = set('&\\"')
MAX_TTL = 86400


def _user(tx, raw_uid) -> dict:
    user = tx.get("user", int_uid(raw_uid, "user"))
    if user is None:
        raise ApiError(404, "user_not_exist", f"user {raw_uid} does not exist")
    return user


def _hashed(password) -> str | None:
    """The stored form of a new password, or None when there is none to store. PBKDF2
    costs ~0.1 s, so callers hash before taking the store's transaction."""
    return auth.hash_password(password) if isinstance(password, str) and password else None


class _PasswordCheck:
    """Which of a user's stored hashes a password matches, worked out before the write
    transaction from a snapshot of the hashes; checked again inside it only when the
    hashes changed in between."""

    def __init__(self, req, find, password):
        with req.sandbox.store.transaction() as tx:
            self.seen = list((find(tx) or {}).get("_password_hashes", []))
        self.password = password
        self.matched = self._matching(self.seen)

    def _matching(self, hashes: list) -> list:
        if not isinstance(self.password, str) or not self.password:
            return []
        return [h for h in hashes if auth.check_password(self.password, h)]

    def matches(self, user: dict) -> list:
        hashes = user.get("_password_hashes", [])
        return self.matched if hashes == self.seen else self._matching(hashes)


def _validate(tx, body: dict, current: dict | None) -> None:
    """400/409/406 for what a create (current None) or an update may not carry."""
    unknown = sorted(set(body) - WRITABLE - READ_ONLY)
    if unknown:
        raise ApiError(400, "invalid_param", f"unknown user field(s): {', '.join(unknown)}")
    fixed = sorted(set(body) & READ_ONLY)
    if fixed and not (current is None and fixed == ["uid"]):
        raise ApiError(400, "invalid_param", f"user field(s) {', '.join(fixed)} are read-only")
    if current is None:
        missing = [f for f in ("email", "password") if not body.get(f)]
        if "role" not in body and not body.get("role_uids"):
            missing.append("role")
        if body.get("auth_method") in ("certificate", "sso", "entraid"):
            missing = [m for m in missing if m != "password"]
        if missing:
            raise ApiError(400, "missing_field", f"missing field(s): {', '.join(missing)}")
    if "email" in body:
        email = body["email"]
        if not isinstance(email, str) or not EMAIL.match(email):
            raise ApiError(400, "invalid_param", "`email` must be ASCII text with no spaces")
        other = auth.find_user_by_email(tx, email)
        if other is not None and (current is None or other["uid"] != current["uid"]):
            status = 409 if current is None else 406
            raise ApiError(status, "email_already_exists", f"The email {email} is already taken.")
    if "name" in body:
        name = body["name"]
        if not isinstance(name, str) or NAME_FORBIDDEN.intersection(name) or not name.isascii():
            raise ApiError(400, "invalid_param", "`name` must be ASCII without &, \\ or \"")
    if "role" in body and body["role"] not in ROLES:
        raise ApiError(400, "invalid_param", f"`role` must be one of {', '.join(ROLES)}")
    if "auth_method" in body and body["auth_method"] not in AUTH_METHODS:
        raise ApiError(400, "invalid_param",
                       f"`auth_method` must be one of {', '.join(AUTH_METHODS)}")
    for flag in ("email_alerts", "cluster_email_alerts"):
        if flag in body and not isinstance(body[flag], bool):
            raise ApiError(400, "invalid_param", f"`{flag}` must be a boolean")
    if "role_uids" in body:
        uids = body["role_uids"]
        if not isinstance(uids, list) or not all(isinstance(u, int) for u in uids):
            raise ApiError(400, "invalid_param", "`role_uids` must be a list of integers")
        for uid in uids:
            if tx.get("role", uid) is None:
                raise ApiError(400, "invalid_param", f"role {uid} does not exist")
    if "password" in body:
        _check_complexity(tx, body["password"])


def _check_complexity(tx, password) -> None:
    if not isinstance(password, str) or not password:
        raise ApiError(400, "invalid_param", "`password` must be a non-empty string")
    cluster = tx.get("cluster", "1") or {}
    if not cluster.get("password_complexity"):
        return
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^\w]"))
    if len(password) < cluster.get("password_min_length", 8) or classes < 3:
        raise ApiError(400, "password_not_complex",
                       "The password is not complex enough for the cluster's policy.")


def _is_admin(tx, user: dict) -> bool:
    if user.get("role_uids"):
        return any((tx.get("role", uid) or {}).get("management") == "admin"
                   for uid in user["role_uids"])
    return user.get("role") == "admin"


def _admins(tx) -> list[dict]:
    return [u for u in tx.list("user") if _is_admin(tx, u)]


@route("GET", "/v1/users")
def list_users(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields([auth.public_user(u) for u in tx.list("user")], req.query)


@route("POST", "/v1/users")
def create_user(req):
    body = req.json_object()
    new_hash = _hashed(body.get("password"))
    with req.sandbox.store.transaction() as tx:
        _validate(tx, body, None)
        user = defaults_for("user")
        user.update(role_uids=[], status="active", bdbs_email_alerts=[],
                    cluster_email_alerts=False, name=body.get("email"))
        password = body.pop("password", None)
        user.update(body)
        if "uid" in body:
            if not isinstance(body["uid"], int) or tx.get("user", body["uid"]) is not None:
                raise ApiError(409, "uid_already_exists", f"user uid {body['uid']} is taken")
            tx.note_uid("user", body["uid"])
            uid = body["uid"]
        else:
            uid = None
        if req.flag("dry_run"):
            return auth.public_user(user)
        uid = uid if uid is not None else tx.next_uid("user")
        user.update(uid=uid, password_issue_date=now_iso(),
                    _password_hashes=[new_hash] if password else [])
        tx.put("user", uid, user)
    return auth.public_user(user)


@route("GET", "/v1/users/{uid}")
def get_user(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(auth.public_user(_user(tx, req.params["uid"])), req.query)


@route("PUT", "/v1/users/{uid}")
def update_user(req):
    body = req.json_object()
    new_hash = _hashed(body.get("password"))
    check = _PasswordCheck(req, lambda tx: _user(tx, req.params["uid"]), body.get("password"))
    with req.sandbox.store.transaction() as tx:
        user = _user(tx, req.params["uid"])
        _validate(tx, body, user)
        acting_on_self = req.user["uid"] == user["uid"]
        if acting_on_self and ({"role", "role_uids"} & set(body)) and \
                not auth.may(req.sandbox.store, req.user, "update_user"):
            raise ApiError(403, "forbidden", "You may not change your own role.")
        updated = dict(user)
        password = body.pop("password", None)
        updated.update(body)
        if _is_admin(tx, user) and not _is_admin(tx, updated) and len(_admins(tx)) <= 1:
            raise ApiError(406, "change_last_admin_role_not_allowed",
                           "At least one user must keep the admin role.")
        if password is not None:
            if check.matches(user):
                raise ApiError(400, "new_password_same_as_current",
                               "The new password is the same as the current one.")
            updated["_password_hashes"] = [new_hash]
            updated["password_issue_date"] = now_iso()
        if not req.flag("dry_run"):
            tx.put("user", user["uid"], updated)
    return auth.public_user(updated)


@route("DELETE", "/v1/users/{uid}")
def delete_user(req):
    with req.sandbox.store.transaction() as tx:
        user = _user(tx, req.params["uid"])
        if user["uid"] == req.user["uid"]:
            raise ApiError(406, "cannot_delete_self", "You cannot delete your own user.")
        if _is_admin(tx, user) and len(_admins(tx)) <= 1:
            raise ApiError(406, "cannot_delete_last_admin", "The last admin cannot be deleted.")
        tx.delete("user", user["uid"])
    return None


def _permissions(role: str) -> dict:
    return {"api_permissions": sorted(catalog.role_permissions().get(role, [])),
            "ui_permissions": []}


@route("GET", "/v1/users/permissions")
def all_permissions(req):
    return {role: _permissions(role) for role in ROLES}


@route("GET", "/v1/users/permissions/{role}")
def role_permissions(req):
    role = req.params["role"]
    if role not in ROLES:
        raise ApiError(404, "role_not_found", f"There is no management role `{role}`.")
    return {role: _permissions(role)}


@route("GET", "/v1/users/role")
def my_role(req):
    return {"role": auth.management_roles(req.sandbox.store, req.user)[0]}


def _ttl(req) -> int:
    body = req.json_object(required=False)
    ttl = body.get("ttl", 300)
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 1 <= ttl <= MAX_TTL:
        raise ApiError(400, "invalid_param", f"`ttl` must be an integer from 1 to {MAX_TTL}")
    return ttl


@route("POST", "/v1/users/authorize")
def authorize(req):
    return {"access_token": auth.issue_jwt(req.sandbox.store, req.user, _ttl(req))}


@route("POST", "/v1/users/refresh_jwt")
def refresh_jwt(req):
    return {"access_token": auth.issue_jwt(req.sandbox.store, req.user, _ttl(req))}


def _password_target(tx, req, body: dict) -> dict:
    """The user whose passwords a /v1/users/password request changes."""
    name = body.get("username")
    if name is None or name == req.user.get("email"):
        return tx.get("user", req.user["uid"])
    if not _is_admin(tx, req.user):
        raise ApiError(403, "unauthorized_action",
                       "Only an admin may change another user's passwords.")
    target = auth.find_user_by_email(tx, str(name))
    if target is None:
        raise ApiError(404, "user_not_exist", f"user {name} does not exist")
    return target


def _new_password(req, body: dict) -> tuple[str, _PasswordCheck]:
    """The new password's hash and a check of it against the target's passwords,
    both worked out before the write transaction."""
    password = body.get("new_password")
    if not isinstance(password, str) or not password:
        raise ApiError(400, "missing_field", "`new_password` is required")
    check = _PasswordCheck(req, lambda tx: _password_target(tx, req, body), password)
    return _hashed(password), check


def _check_new_password(tx, body: dict, user: dict, check: _PasswordCheck) -> None:
    _check_complexity(tx, body["new_password"])
    if check.matches(user):
        raise ApiError(400, "new_password_same_as_current",
                       "The new password is the same as an existing one.")


@route("POST", "/v1/users/password")
def add_password(req):
    body = req.json_object()
    new_hash, check = _new_password(req, body)
    with req.sandbox.store.transaction() as tx:
        user = _password_target(tx, req, body)
        _check_new_password(tx, body, user, check)
        user["_password_hashes"] = [*user.get("_password_hashes", []), new_hash]
        tx.put("user", user["uid"], user)
    return None


@route("PUT", "/v1/users/password")
def replace_passwords(req):
    body = req.json_object()
    new_hash, check = _new_password(req, body)
    with req.sandbox.store.transaction() as tx:
        user = _password_target(tx, req, body)
        _check_new_password(tx, body, user, check)
        user["_password_hashes"] = [new_hash]
        user["password_issue_date"] = now_iso()
        tx.put("user", user["uid"], user)
    return None


@route("DELETE", "/v1/users/password")
def delete_password(req):
    body = req.json_object()
    old = body.get("old_password")
    if not isinstance(old, str) or not old:
        raise ApiError(400, "missing_field", "`old_password` is required")
    check = _PasswordCheck(req, lambda tx: _password_target(tx, req, body), old)
    with req.sandbox.store.transaction() as tx:
        user = _password_target(tx, req, body)
        hashes = user.get("_password_hashes", [])
        matched = check.matches(user)
        keep = [h for h in hashes if h not in matched]
        if len(keep) == len(hashes):
            raise ApiError(400, "invalid_param", "`old_password` is not one of the passwords")
        if not keep:
            raise ApiError(400, "cannot_delete_last_password",
                           "A user must keep at least one password.")
        user["_password_hashes"] = keep
        tx.put("user", user["uid"], user)
    return None
