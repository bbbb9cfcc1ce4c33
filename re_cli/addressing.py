"""Objects named the way people know them: databases by name, nodes by address,
users by email or name, roles, ACLs, LDAP mappings, modules and crdbs by name.

A value that is a uid is taken as the uid (for integer uids, digits always mean the
uid). Anything else is looked up in the object list; no match is exit 5, several
matches are exit 2 with the matches listed.
"""

import re
from dataclasses import dataclass

from re_cli import errors


@dataclass(frozen=True)
class Kind:
    label: str  # what people call it, in messages
    plural: str  # the collection, as `2 bdbs are named ...` says it
    list_path: str
    names: tuple  # fields that may hold the name people type
    integer_uid: bool = True
    uid_field: str = "uid"
    uid_shape: str | None = None  # a string uid of this shape is taken as it is


KINDS = {
    "bdb": Kind("database", "bdbs", "/v1/bdbs", ("name",)),
    "node": Kind("node", "nodes", "/v1/nodes", ("addr", "external_addr")),
    "user": Kind("user", "users", "/v1/users", ("email", "name")),
    "role": Kind("role", "roles", "/v1/roles", ("name",)),
    "redis_acl": Kind("redis ACL", "redis ACLs", "/v1/redis_acls", ("name",)),
    "ldap_mapping": Kind("LDAP mapping", "LDAP mappings", "/v1/ldap_mappings", ("name",)),
    "module": Kind("module", "modules", "/v1/modules", ("module_name",), integer_uid=False,
                   uid_shape=r"[0-9a-f]{32}"),
    "crdb": Kind("Active-Active database", "crdbs", "/v1/crdbs", ("name",),
                 integer_uid=False, uid_field="guid",
                 uid_shape=r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"),
}


def _matches(obj: dict, fields: tuple, value: str) -> bool:
    for name in fields:
        held = obj.get(name)
        if isinstance(held, list) and value in held:
            return True
        if held == value:
            return True
    return False


def find(client, kind_name: str, value: str) -> tuple[str, dict | None]:
    """(uid, the object when it was looked up) for what the user typed."""
    kind = KINDS[kind_name]
    if kind.integer_uid and value.isdigit():
        return value, None
    if kind.uid_shape and re.fullmatch(kind.uid_shape, value):
        return value, None

    params = {"fields": ",".join((kind.uid_field, *kind.names))} if kind_name == "bdb" else None
    with client.lookups():
        objects = client.request("GET", kind.list_path, params=params).json()
    if isinstance(objects, dict):  # crdbs and a few others may wrap their list
        objects = next((v for v in objects.values() if isinstance(v, list)), [])

    if not kind.integer_uid:
        for obj in objects:
            if str(obj.get(kind.uid_field)) == value:
                return value, obj
    found = [obj for obj in objects if _matches(obj, kind.names, value)]
    if not found:
        raise errors.ReError(f"no {kind.label} named `{value}`", errors.NOT_FOUND)
    if len(found) > 1:
        uids = ", ".join(str(o.get(kind.uid_field)) for o in found)
        labels = "; ".join(_label(o, kind) for o in found)
        raise errors.UsageError(f"{len(found)} {kind.plural} are named `{value}` "
                                f"(uids {uids}: {labels}): give the uid instead")
    return str(found[0].get(kind.uid_field)), found[0]


def _label(obj: dict, kind: Kind) -> str:
    return ", ".join(str(obj[n]) for n in kind.names if obj.get(n))


def resolve(client, kind_name: str | None, value: str) -> str:
    """The uid for `value`; values of plain parameters pass unchanged."""
    if kind_name is None:
        return value
    return find(client, kind_name, value)[0]


def node_address(client, value: str) -> str:
    """The address of a node given by uid or address, for node-local requests."""
    if not value.isdigit():
        return value
    with client.lookups():
        node = client.request("GET", f"/v1/nodes/{value}").json()
    address = node.get("addr") if isinstance(node, dict) else None
    if not address:
        raise errors.ReError(f"node {value} has no address", errors.NOT_FOUND)
    return address
