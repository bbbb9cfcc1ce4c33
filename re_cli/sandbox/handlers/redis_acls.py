"""Redis ACLs: named ACL rule strings that roles apply to databases."""

from re_cli.sandbox.common import int_uid, select_fields, store_new
from re_cli.sandbox.routes import ApiError, route

FIELDS = {"uid", "account_id", "acl", "name"}
READ_ONLY = {"action_uid", "min_version", "max_version"}
BUILTIN = {"Full Access", "Read Only", "Not Dangerous"}
KEYWORDS = {"on", "off", "allkeys", "allcommands", "nocommands", "resetkeys",
            "allchannels", "resetchannels", "reset", "nopass", "resetpass"}


def acl_problem(acl) -> str | None:
    """What is wrong with an ACL rule string, or None when it reads as one."""
    if not isinstance(acl, str) or not acl.strip():
        return "`acl` must be a non-empty string"
    for rule in acl.split():
        if rule.lower() in KEYWORDS:
            continue
        if rule[0] in "+-~%&" and len(rule) > 1:
            continue
        if rule.startswith("(") or rule.endswith(")"):
            continue
        return f"`{rule}` is not an ACL rule"
    return None


def _acl(tx, raw_uid) -> dict:
    acl = tx.get("redis_acl", int_uid(raw_uid, "redis_acl"))
    if acl is None:
        raise ApiError(404, "redis_acl_not_found", f"redis_acl {raw_uid} does not exist")
    return acl


def _validate(tx, body: dict, current: dict | None) -> None:
    fixed = sorted(set(body) & READ_ONLY)
    if fixed:
        raise ApiError(400, "invalid_param", f"field(s) {', '.join(fixed)} are read-only")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise ApiError(400, "invalid_param", f"unknown redis_acl field(s): {', '.join(unknown)}")
    if current is None:
        missing = [f for f in ("name", "acl") if f not in body]
        if missing:
            raise ApiError(400, "missing_field", f"missing field(s): {', '.join(missing)}")
    elif "uid" in body and body["uid"] != current["uid"]:
        raise ApiError(400, "invalid_param", "a redis_acl's uid cannot change")
    if "acl" in body:
        problem = acl_problem(body["acl"])
        if problem:
            raise ApiError(400, "invalid_param", problem)
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"].strip():
            raise ApiError(400, "invalid_param", "`name` must be a non-empty string")
        for other in tx.list("redis_acl"):
            if other["name"] == body["name"] and (current is None or
                                                  other["uid"] != current["uid"]):
                raise ApiError(400, "name_already_exists",
                               f"A redis_acl named {body['name']!r} already exists.")


@route("GET", "/v1/redis_acls")
def list_acls(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(tx.list("redis_acl"), req.query)


@route("POST", "/v1/redis_acls")
def create_acl(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        _validate(tx, body, None)
        acl = dict(body)
        if req.flag("dry_run"):
            return acl
        store_new(tx, "redis_acl", acl, body)
    return acl


@route("POST", "/v1/redis_acls/validate")
def validate_acl(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        _validate(tx, body, None)
    return body


@route("GET", "/v1/redis_acls/{uid}")
def get_acl(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(_acl(tx, req.params["uid"]), req.query)


@route("PUT", "/v1/redis_acls/{uid}")
def update_acl(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        acl = _acl(tx, req.params["uid"])
        if acl["name"] in BUILTIN and acl["uid"] <= len(BUILTIN):
            raise ApiError(409, "read_only_object", f"redis_acl {acl['name']!r} is built in.")
        _validate(tx, body, acl)
        updated = {**acl, **body}
        if not req.flag("dry_run"):
            tx.put("redis_acl", acl["uid"], updated)
    return updated


@route("DELETE", "/v1/redis_acls/{uid}")
def delete_acl(req):
    with req.sandbox.store.transaction() as tx:
        acl = _acl(tx, req.params["uid"])
        if acl["name"] in BUILTIN and acl["uid"] <= len(BUILTIN):
            raise ApiError(409, "read_only_object", f"redis_acl {acl['name']!r} is built in.")
        for bdb in tx.list("bdb"):
            if any(p.get("redis_acl_uid") == acl["uid"]
                   for p in bdb.get("roles_permissions") or []):
                raise ApiError(406, "redis_acl_in_use",
                               f"redis_acl {acl['uid']} is used by database {bdb['uid']}")
        tx.delete("redis_acl", acl["uid"])
    return None
