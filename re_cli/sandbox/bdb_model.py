"""The bdb object of the sandbox: defaults for omitted fields, validation with the
reference's error codes, shard layout, ports and endpoints.

Defaults come from the catalog facts in `defaults.json` (the documented `default` of
each bdb field); a few fields the reference leaves to the cluster get the values a
fresh cluster reports (eviction policy, proxy policy, versions).
"""

import json
import re
import socket
import zlib
from datetime import datetime, timezone
from importlib import resources

from re_cli.sandbox.routes import ApiError

PORT_RANGE = range(12000, 13000)
SLOTS = 16384
MAX_SHARDS = 512
REDIS_VERSION = "7.4"

READ_ONLY = frozenset({
    "action_uid", "background_op", "backup_failure_reason", "backup_progress",
    "backup_status", "created_time", "dns_address_master", "endpoint_ip", "endpoint_node",
    "endpoints", "export_failure_reason", "export_progress", "export_status",
    "import_failure_reason", "import_progress", "import_status", "last_backup_time",
    "last_changed_time", "last_export_time", "status", "syncer_mode",
    "traffic_manually_disabled", "wait_command", "shard_list",
})

ENUMS = {
    "type": ("redis", "memcached"),
    "data_persistence": ("disabled", "snapshot", "aof"),
    "aof_policy": ("appendfsync-every-sec", "appendfsync-always"),
    "eviction_policy": (
        "volatile-lru", "volatile-ttl", "volatile-random", "allkeys-lru", "allkeys-random",
        "noeviction", "volatile-lfu", "allkeys-lfu", "allkeys-lrm", "volatile-lrm",
    ),
    "tls_mode": ("enabled", "disabled", "replica_ssl"),
    "shards_placement": ("dense", "sparse"),
    "activedefrag": ("yes", "no"),
    "conns_type": ("per-thread", "per-shard"),
    "crdt_sync": ("enabled", "disabled", "paused", "stopped"),
    "replica_sync": ("enabled", "disabled", "paused", "stopped"),
    "sync": ("enabled", "disabled", "paused", "stopped"),
    "hash_slots_policy": ("legacy", "16k"),
    "syncer_log_level": ("crit", "error", "warn", "info", "trace", "debug"),
    "enforce_client_authentication": ("enabled", "disabled"),
}

BOOLEANS = (
    "replication", "sharding", "oss_cluster", "rack_aware", "backup", "crdt", "email_alerts",
    "default_user", "bigstore", "auto_upgrade", "ssl", "master_persistence", "resp3",
)

NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _catalog_defaults() -> dict:
    try:
        text = resources.files("re_cli.sandbox").joinpath("defaults.json").read_text()
        return dict(json.loads(text).get("bdb", {}))
    except (OSError, ValueError):
        return {}


DEFAULTS = _catalog_defaults()


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def invalid(code: str, text: str) -> ApiError:
    return ApiError(406, code, text)


def check_create(body: dict) -> None:
    """406 for a create body the reference would refuse; field checks shared with update."""
    if "name" not in body or body["name"] in (None, ""):
        raise invalid("missing_db_name", "The database needs a `name`.")
    if "memory_size" not in body or body["memory_size"] is None:
        raise invalid("missing_memory_size", "The database needs a `memory_size` in bytes.")
    if "uid" in body and (not _is_int(body["uid"]) or body["uid"] < 1):
        raise invalid("invalid_schema", "`uid` must be a positive integer.")
    check_fields(body)


def check_fields(body: dict) -> None:
    if "name" in body:
        name = body["name"]
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise invalid("invalid_schema",
                          "`name` takes letters, digits and hyphens (up to 63), "
                          "starting and ending with a letter or digit.")
    if "memory_size" in body and (not _is_int(body["memory_size"]) or body["memory_size"] < 0):
        raise invalid("invalid_schema", "`memory_size` must be a whole number of bytes.")
    for field in BOOLEANS:
        if field in body and not isinstance(body[field], bool):
            raise invalid("invalid_schema", f"`{field}` must be true or false.")
    for field, values in ENUMS.items():
        if field in body and body[field] not in values:
            code = "invalid_data_persistence" if field == "data_persistence" else "invalid_schema"
            raise invalid(code, f"`{field}` must be one of: {', '.join(values)}.")
    if "proxy_policy" in body and body["proxy_policy"] not in (
            "single", "all-master-shards", "all-nodes"):
        raise invalid("invalid_proxy_policy",
                      "`proxy_policy` must be single, all-master-shards or all-nodes.")
    if "shards_count" in body:
        count = body["shards_count"]
        if not _is_int(count) or not 1 <= count <= MAX_SHARDS:
            raise invalid("invalid_sharding", f"`shards_count` must be 1 to {MAX_SHARDS}.")
    if "port" in body and body["port"] is not None:
        if not _is_int(body["port"]) or not 1024 <= body["port"] <= 65535:
            raise invalid("invalid_schema", "`port` must be a TCP port from 1024 to 65535.")
    for field in ("authentication_redis_pass", "version", "redis_version"):
        if field in body and body[field] is not None and not isinstance(body[field], str):
            raise invalid("invalid_schema", f"`{field}` must be a string.")
    if isinstance(body.get("version"), str) and not re.fullmatch(r"\d+\.\d+(\.\d+)?",
                                                                 body["version"]):
        raise invalid("invalid_version", f"`{body['version']}` is not a database version.")
    if "tags" in body:
        _check_tags(body["tags"])
    if "module_list" in body and not isinstance(body["module_list"], list):
        raise invalid("invalid_schema", "`module_list` must be a list of module objects.")


def check_combined(bdb: dict, cluster: dict, node_count: int, modules: list[dict]) -> None:
    """Rules about the whole configuration once defaults and changes are merged."""
    if bdb.get("shards_count", 1) > 1 and not bdb.get("sharding"):
        raise invalid("invalid_sharding", "More than one shard needs `sharding` set to true.")
    if bdb.get("replication") and node_count < 2:
        raise invalid("invalid_replication", "Replication needs at least two nodes.")
    if bdb.get("rack_aware") and not cluster.get("rack_aware"):
        raise invalid("not_rack_aware", "The cluster is not rack-aware.")
    if bdb.get("backup") and not bdb.get("backup_interval"):
        raise invalid("missing_backup_interval", "`backup` needs a `backup_interval`.")
    if bdb.get("crdt") and not bdb.get("replication"):
        raise invalid("replication_violation", "An Active-Active database needs replication.")
    wanted = bdb.get("module_list") or []
    if wanted and bdb.get("type") == "memcached":
        raise invalid("memcached_cannot_use_modules", "A memcached database takes no modules.")
    known = {m.get("module_name") for m in modules}
    for module in wanted:
        name = module.get("module_name") if isinstance(module, dict) else None
        if name not in known:
            raise invalid("missing_module", f"The cluster has no module `{name}`.")


def new_bdb(body: dict, uid: int, cluster: dict) -> dict:
    """A bdb built from a create body: documented defaults, then the body, then the
    fields the cluster owns."""
    bdb = dict(DEFAULTS)
    bdb.update({
        "eviction_policy": "volatile-lru" if body.get("type") != "memcached" else "allkeys-lru",
        "version": REDIS_VERSION,
        "redis_version": REDIS_VERSION,
        "authentication_redis_pass": "",
        "slave_ha": bool(cluster.get("slave_ha", False)),
        "tags": [],
        "module_list": [],
        "roles_permissions": [],
    })
    if body.get("shards_count", 1) > 1 and "sharding" not in body:
        bdb["sharding"] = True
    bdb.update({k: v for k, v in body.items() if k not in READ_ONLY})
    if "proxy_policy" not in body:
        bdb["proxy_policy"] = "all-master-shards" if bdb.get("sharding") else "single"
    stamp = now_iso()
    bdb.update(status="pending", created_time=stamp, last_changed_time=stamp)
    return {"uid": uid, "name": bdb.pop("name"), **bdb}


def apply_changes(bdb: dict, changes: dict) -> dict:
    updated = dict(bdb)
    updated.update({k: v for k, v in changes.items() if k not in READ_ONLY and k != "uid"})
    if changes.get("shards_count", 1) > 1 and "sharding" not in changes:
        updated["sharding"] = True
    updated["last_changed_time"] = now_iso()
    return updated


def _check_tags(tags) -> None:
    if not isinstance(tags, list) or not all(
            isinstance(t, dict) and isinstance(t.get("key"), str) for t in tags):
        raise invalid("invalid_bdb_tags", "`tags` must be a list of {key, value} objects.")
    keys = [t["key"] for t in tags]
    if len(keys) != len(set(keys)):
        raise invalid("invalid_bdb_tags", "Two tags have the same key.")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(taken: set[int], seed: str) -> int:
    """A free port of PORT_RANGE; the search starts at a place derived from `seed`, so
    sandboxes running side by side rarely reach for the same port."""
    start = zlib.crc32(seed.encode()) % len(PORT_RANGE)
    for step in range(len(PORT_RANGE)):
        port = PORT_RANGE[(start + step) % len(PORT_RANGE)]
        if port not in taken and port_is_free(port):
            return port
    raise invalid("port_unavailable", "No port is free for the database.")


def endpoints(bdb: dict, cluster_name: str) -> dict:
    """The read-only endpoint fields of a bdb served on 127.0.0.1."""
    port = bdb["port"]
    dns = f"redis-{port}.{cluster_name}"
    return {
        "endpoint": f"{dns}:{port}",
        "endpoint_ip": ["127.0.0.1"],
        "endpoint_node": 1,
        "dns_address_master": f"{dns}:{port}",
        "endpoints": [{
            "uid": f"{bdb['uid']}:1",
            "addr": ["127.0.0.1"],
            "addr_type": "external",
            "dns_name": dns,
            "port": port,
            "proxy_policy": bdb.get("proxy_policy", "single"),
            "oss_cluster_api_preferred_ip_type": bdb.get(
                "oss_cluster_api_preferred_ip_type", "internal"),
            "exclude_proxies": [],
            "include_proxies": [],
        }],
    }


def shard_layout(bdb: dict, node_uids: list[str], first_uid: int) -> list[dict]:
    """Shards for `bdb`: shards_count masters with their slot ranges, plus one replica
    each when replication is on, spread over the nodes."""
    count = bdb.get("shards_count", 1)
    stamp = now_iso()
    shards = []
    next_uid = first_uid
    offset = int(bdb["uid"]) - 1
    for index in range(count):
        low = SLOTS * index // count
        high = SLOTS * (index + 1) // count - 1
        roles = ["master", "slave"] if bdb.get("replication") else ["master"]
        for copy, role in enumerate(roles):
            node = node_uids[(offset + index + copy) % len(node_uids)]
            shards.append({
                "uid": str(next_uid),
                "bdb_uid": int(bdb["uid"]),
                "node_uid": node,
                "role": role,
                "assigned_slots": f"{low}-{high}",
                "status": "inactive",
                "detailed_status": "loading",
                "bigstore_ram_weight": 0,
                "loading": {"status": "idle"},
                "backup": {"status": "idle"},
                "sync": {"status": "idle"},
                "redis_info": {},
                "report_timestamp": stamp,
            })
            next_uid += 1
    return shards


def select_fields(obj: dict, fields: str | None) -> dict:
    """Only the comma-separated `fields` of obj, when the parameter is given."""
    if not fields:
        return obj
    wanted = [f.strip() for f in fields.split(",") if f.strip()]
    return {k: obj[k] for k in wanted if k in obj}
