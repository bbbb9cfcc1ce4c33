"""RBAC roles: a name, a management role and optional database scopes."""

from re_cli.sandbox.common import int_uid, select_fields, store_new
from re_cli.sandbox.routes import ApiError, route

MANAGEMENT = ("admin", "db_member", "db_viewer", "cluster_member", "cluster_viewer",
              "user_manager", "none")
FIELDS = {"uid", "account_id", "management", "name", "resources"}


def _role(tx, raw_uid) -> dict:
    role = tx.get("role", int_uid(raw_uid, "role"))
    if role is None:
        raise ApiError(404, "role_not_found", f"role {raw_uid} does not exist")
    return role


def _validate(tx, body: dict, current: dict | None) -> None:
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise ApiError(400, "invalid_param", f"unknown role field(s): {', '.join(unknown)}")
    if current is None:
        missing = [f for f in ("name", "management") if f not in body]
        if missing:
            raise ApiError(400, "missing_field", f"missing field(s): {', '.join(missing)}")
    elif "uid" in body and body["uid"] != current["uid"]:
        raise ApiError(400, "invalid_param", "a role's uid cannot change")
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"].strip():
            raise ApiError(400, "invalid_param", "`name` must be a non-empty string")
        for other in tx.list("role"):
            if other["name"] == body["name"] and (current is None or
                                                  other["uid"] != current["uid"]):
                raise ApiError(400, "name_already_exists",
                               f"A role named {body['name']!r} already exists.")
    if "management" in body and body["management"] not in MANAGEMENT:
        raise ApiError(400, "invalid_param",
                       f"`management` must be one of {', '.join(MANAGEMENT)}")
    if "resources" in body:
        res = body["resources"]
        if not isinstance(res, list) or not all(isinstance(r, dict) for r in res):
            raise ApiError(400, "invalid_param", "`resources` must be a list of objects")


def _last_admin_role(tx, role: dict) -> bool:
    """Whether the only admins hold their admin rights through this role."""
    if role.get("management") != "admin":
        return False
    admins = [u for u in tx.list("user") if u.get("role") == "admin" and not u.get("role_uids")]
    others = [u for u in tx.list("user") if u.get("role_uids") and any(
        uid != role["uid"] and (tx.get("role", uid) or {}).get("management") == "admin"
        for uid in u["role_uids"])]
    holders = [u for u in tx.list("user") if role["uid"] in (u.get("role_uids") or [])]
    return bool(holders) and not admins and not others


@route("GET", "/v1/roles")
def list_roles(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(tx.list("role"), req.query)


@route("POST", "/v1/roles")
def create_role(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        _validate(tx, body, None)
        role = dict(body)
        if req.flag("dry_run"):
            return role
        store_new(tx, "role", role, body)
    return role


@route("GET", "/v1/roles/{uid}")
def get_role(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(_role(tx, req.params["uid"]), req.query)


@route("PUT", "/v1/roles/{uid}")
def update_role(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        role = _role(tx, req.params["uid"])
        _validate(tx, body, role)
        updated = {**role, **body}
        if updated.get("management") != "admin" and _last_admin_role(tx, role):
            raise ApiError(400, "change_last_admin_role_not_allowed",
                           "At least one user must keep the admin role.")
        if not req.flag("dry_run"):
            tx.put("role", role["uid"], updated)
    return updated


@route("DELETE", "/v1/roles/{uid}")
def delete_role(req):
    with req.sandbox.store.transaction() as tx:
        role = _role(tx, req.params["uid"])
        users = [u["email"] for u in tx.list("user") if role["uid"] in (u.get("role_uids") or [])]
        if users:
            raise ApiError(406, "role_in_use", f"role {role['uid']} is held by {', '.join(users)}")
        for bdb in tx.list("bdb"):
            if any(p.get("role_uid") == role["uid"] for p in bdb.get("roles_permissions") or []):
                raise ApiError(406, "role_in_use",
                               f"role {role['uid']} is used by database {bdb['uid']}")
        tx.delete("role", role["uid"])
    return None
