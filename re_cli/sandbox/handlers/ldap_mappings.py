"""LDAP mappings: an LDAP group (its DN) mapped to cluster roles."""

from re_cli.sandbox.common import defaults_for
from re_cli.sandbox.handlers._shared import check_fields
from re_cli.sandbox.routes import ApiError, route

KIND = "ldap_mapping"
FIELDS = {
    "uid": int,
    "name": str,
    "dn": str,
    "role_uids": list,
    "email": str,
    "email_alerts": bool,
    "bdbs_email_alerts": list,
    "cluster_email_alerts": bool,
    "account_id": int,
}
REQUIRED = ("name", "dn", "role_uids")


def not_found(uid) -> ApiError:
    return ApiError(404, "ldap_mapping_not_exist", f"ldap_mapping {uid} does not exist")


def load(tx, uid: str) -> dict:
    mapping = tx.get(KIND, uid) if uid.isdigit() else None
    if mapping is None:
        raise not_found(uid)
    return mapping


def check(tx, body: dict, uid: int | None) -> None:
    """400 for a field of the wrong kind or a name another mapping has."""
    for name, value in body.items():
        if name not in FIELDS:
            raise ApiError(400, "invalid_param", f"`{name}` is not a field of ldap_mapping")
        try:
            check_fields({name: value}, {name: FIELDS[name]}, "ldap_mapping")
        except ApiError:
            code = f"invalid_{name}_param" if name in ("name", "dn", "role_uids",
                                                        "account_id") else "invalid_param"
            raise ApiError(400, code, f"`{name}` has a value of the wrong type") from None
    if "name" in body and not body["name"].strip():
        raise ApiError(400, "invalid_name_param", "`name` cannot be empty")
    if "dn" in body and "=" not in body["dn"]:
        raise ApiError(400, "invalid_dn_param",
                       "`dn` must be a distinguished name such as cn=ops,ou=groups,dc=example")
    if "role_uids" in body:
        uids = body["role_uids"]
        if not all(isinstance(r, int) and not isinstance(r, bool) for r in uids):
            raise ApiError(400, "invalid_role_uids_param", "`role_uids` must hold role uids")
        unknown = [r for r in uids if tx.get("role", r) is None]
        if unknown:
            raise ApiError(400, "invalid_role_uids_param",
                           f"no role has uid {', '.join(map(str, unknown))}")
    if "bdbs_email_alerts" in body:
        unknown = [b for b in body["bdbs_email_alerts"] if tx.get("bdb", b) is None]
        if unknown:
            raise ApiError(400, "invalid_param",
                           f"no database has uid {', '.join(map(str, unknown))}")
    if "name" in body:
        for other in tx.list(KIND):
            if other["name"] == body["name"] and other["uid"] != uid:
                raise ApiError(400, "name_already_exists",
                               f"an LDAP mapping named {body['name']} already exists")


@route("GET", "/v1/ldap_mappings")
def list_mappings(req):
    with req.sandbox.store.transaction() as tx:
        return tx.list(KIND)


@route("POST", "/v1/ldap_mappings")
def create(req):
    body = req.json_object()
    missing = [name for name in REQUIRED if name not in body]
    if missing:
        raise ApiError(400, "missing_field", f"missing field(s): {', '.join(missing)}")
    with req.sandbox.store.transaction() as tx:
        if "uid" in body and tx.get(KIND, body["uid"]) is not None:
            raise ApiError(409, "uid_already_exists",
                           f"an LDAP mapping with uid {body['uid']} already exists")
        check(tx, body, body.get("uid"))
        uid = body.get("uid") or tx.next_uid(KIND)
        tx.note_uid(KIND, uid)
        mapping = {**defaults_for(KIND), "bdbs_email_alerts": [], "cluster_email_alerts": False,
                   "email": "", **body, "uid": uid}
        return tx.put(KIND, uid, mapping)


@route("GET", "/v1/ldap_mappings/{uid}")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return load(tx, req.params["uid"])


@route("PUT", "/v1/ldap_mappings/{uid}")
def update(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        mapping = load(tx, req.params["uid"])
        if "uid" in body and body["uid"] != mapping["uid"]:
            raise ApiError(400, "invalid_param", "`uid` cannot be changed")
        check(tx, body, mapping["uid"])
        mapping.update(body)
        return tx.put(KIND, mapping["uid"], mapping)


@route("DELETE", "/v1/ldap_mappings/{uid}")
def delete(req):
    with req.sandbox.store.transaction() as tx:
        load(tx, req.params["uid"])
        tx.delete(KIND, req.params["uid"])
    return None
