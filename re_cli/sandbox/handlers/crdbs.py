"""Active-Active databases (crdbs). Every write answers a crdb_task; the change itself
lands when the task finishes (see crdb_tasks). The sandbox is a single cluster, so the
other participating clusters exist only as names and URLs in the crdb object."""

import copy
import time
import uuid
from urllib.parse import urlsplit

from re_cli.sandbox.handlers import crdb_tasks
from re_cli.sandbox.handlers._shared import check_fields, deep_merge, iso, public
from re_cli.sandbox.routes import ApiError, route

KIND = "crdb"
GONE = "crdb_deleted"  # guids of deleted crdbs, so a second delete answers 406

EVICTION = ("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
            "volatile-lfu", "volatile-random", "volatile-ttl")
DB_CONFIG = {
    "name": str,
    "module_list": list,
    "oss_sharding": bool,
    "redis_version": str,
    "sharding": bool,
    "shard_key_regex": list,
    "tls_mode": ("enabled", "disabled", "replica_ssl"),
    "eviction_policy": EVICTION,
    "memory_size": int,
    "oss_cluster": bool,
    "oss_cluster_api_preferred_ip_type": ("internal", "external"),
    "proxy_policy": ("single", "all-master-shards", "all-nodes"),
    "rack_aware": bool,
    "shards_count": int,
    "shards_placement": ("dense", "sparse"),
    "aof_policy": ("appendfsync-every-sec", "appendfsync-always"),
    "authentication_redis_pass": str,
    "data_persistence": ("disabled", "snapshot", "aof"),
    "max_aof_file_size": int,
    "max_aof_load_time": int,
    "replication": bool,
    "replication_oom_threshold_percent": int,
    "snapshot_policy": list,
    "authentication_admin_pass": str,
    "authentication_ssl_client_certs": list,
    "cert": str,
    "enforce_client_authentication": ("enabled", "disabled"),
    "mtls_allow_outdated_certs": bool,
    "mtls_allow_weak_hashing": bool,
    "port": int,
    "private_key": str,
    "bigstore": bool,
    "bigstore_ram_size": int,
    "port_range": list,
}
DB_CONFIG_DEFAULTS = {
    "oss_sharding": False,
    "sharding": False,
    "tls_mode": "disabled",
    "eviction_policy": "noeviction",
    "memory_size": 0,
    "oss_cluster": False,
    "rack_aware": False,
    "shards_count": 1,
    "shards_placement": "sparse",
    "aof_policy": "appendfsync-every-sec",
    "data_persistence": "aof",
    "max_aof_load_time": 3600,
    "replication": True,
    "replication_oom_threshold_percent": 5,
}
SECRET_CONFIG = ("authentication_redis_pass", "authentication_admin_pass", "private_key")
CLUSTER_INFO = {
    "url": str,
    "name": str,
    "credentials": {"username": str, "password": str},
    "certificate_auth": {"client_cert": str, "client_key": str, "trusted_ca": str},
    "replication_endpoint": str,
    "replication_tls_sni": str,
}
INSTANCE = {"id": int, "cluster": dict, "compression": int, "db_config": dict, "db_uid": str}
CRDB = {
    "guid": str,
    "name": str,
    "causal_consistency": bool,
    "default_db_config": dict,
    "encryption": bool,
    "featureset_version": int,
    "instances": list,
    "local_databases": list,
    "managed_by": str,
    "modules": list,
    "protocol_version": int,
    "volatile_config_fields": list,
}
UPGRADE = {
    "redis_version": str,
    "force_restart": bool,
    "force_discard": bool,
    "may_discard_data": bool,
    "keep_crdt_protocol_version": bool,
    "preserve_roles": bool,
    "parallel_shards_upgrade": int,
    "modules": list,
}
FEATURESET_VERSION = 8
PROTOCOL_VERSION = 1


def not_found(guid: str) -> ApiError:
    return ApiError(404, "crdb_not_found", f"Active-Active database {guid} does not exist")


def valid_guid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def load(tx, guid: str) -> dict:
    crdb_tasks.settle(tx)
    crdb = tx.get(KIND, guid)
    if crdb is None:
        raise not_found(guid)
    return crdb


def shown(crdb: dict) -> dict:
    """The crdb as the API shows it: no private fields and no credentials."""
    out = public(crdb)
    out["default_db_config"] = hide_secrets(out.get("default_db_config", {}))
    out["instances"] = [shown_instance(i) for i in out.get("instances", [])]
    return out


def hide_secrets(config: dict) -> dict:
    return {k: v for k, v in config.items() if k not in SECRET_CONFIG}


def shown_instance(instance: dict) -> dict:
    inst = copy.deepcopy(instance)
    cluster = inst.get("cluster", {})
    if isinstance(cluster.get("credentials"), dict):
        cluster["credentials"] = {"username": cluster["credentials"].get("username", "")}
    cluster.pop("certificate_auth", None)
    inst["db_config"] = hide_secrets(inst.get("db_config", {}))
    return inst


def check_db_config(config, where: str) -> None:
    if not isinstance(config, dict):
        raise ApiError(400, "invalid_param", f"`{where}` must be an object")
    check_fields(config, DB_CONFIG, where)
    if "shards_count" in config and not 1 <= config["shards_count"] <= 512:
        raise ApiError(406, "invalid_param", "`shards_count` must be between 1 and 512")
    if config.get("memory_size", 0) < 0:
        raise ApiError(406, "invalid_param", "`memory_size` cannot be negative")


def check_instances(instances, where: str = "instances") -> None:
    if not isinstance(instances, list) or not instances:
        raise ApiError(400, "missing_field", f"`{where}` must be a non-empty array of instances")
    urls = set()
    for n, inst in enumerate(instances):
        if not isinstance(inst, dict):
            raise ApiError(400, "invalid_param", f"`{where}[{n}]` must be an object")
        check_fields(inst, INSTANCE, f"{where}[{n}]")
        cluster = inst.get("cluster")
        if not isinstance(cluster, dict) or not isinstance(cluster.get("url"), str):
            raise ApiError(400, "missing_field", f"`{where}[{n}].cluster.url` is required")
        check_fields(cluster, CLUSTER_INFO, f"{where}[{n}].cluster")
        if not urlsplit(cluster["url"]).hostname:
            raise ApiError(400, "invalid_param", f"`{where}[{n}].cluster.url` is not a URL")
        if cluster["url"] in urls:
            raise ApiError(406, "duplicate_instance",
                           f"cluster {cluster['url']} is listed more than once")
        urls.add(cluster["url"])
        if "db_config" in inst:
            check_db_config(inst["db_config"], f"{where}[{n}].db_config")


def build_instance(inst: dict, uid: int) -> dict:
    cluster = copy.deepcopy(inst["cluster"])
    cluster.setdefault("name", urlsplit(cluster["url"]).hostname)
    cluster.setdefault("replication_endpoint", "")
    cluster.setdefault("replication_tls_sni", "")
    return {"id": uid, "cluster": cluster, "compression": inst.get("compression", 3),
            "db_config": copy.deepcopy(inst.get("db_config", {})), "db_uid": ""}


def build(body: dict, guid: str) -> dict:
    config = deep_merge(DB_CONFIG_DEFAULTS, body.get("default_db_config", {}))
    config.setdefault("name", body["name"])
    return {
        "guid": guid,
        "name": body["name"],
        "causal_consistency": body.get("causal_consistency", False),
        "default_db_config": config,
        "encryption": body.get("encryption", False),
        "featureset_version": body.get("featureset_version", FEATURESET_VERSION),
        "instances": [build_instance(inst, n + 1) for n, inst in enumerate(body["instances"])],
        "local_databases": [],
        "managed_by": body.get("managed_by", ""),
        "modules": body.get("modules", []),
        "protocol_version": PROTOCOL_VERSION,
        "volatile_config_fields": body.get("volatile_config_fields", []),
        "_created": time.time(),
    }


def cluster_names(crdb: dict) -> list[str]:
    return [inst["cluster"].get("name", "") for inst in crdb.get("instances", [])]


def name_taken(tx, name: str, except_guid: str = "") -> bool:
    if any(c["name"] == name and c["guid"] != except_guid for c in tx.list(KIND)):
        return True
    pending = (t for t in tx.list(crdb_tasks.KIND) if not t["_done"])
    return any(t["_effect"].get("op") == "create_crdb" and t["_effect"]["crdb"]["name"] == name
               for t in pending)


@route("GET", "/v1/crdbs")
def list_crdbs(req):
    with req.sandbox.store.transaction() as tx:
        crdb_tasks.settle(tx)
        return [shown(c) for c in tx.list(KIND)]


@route("POST", "/v1/crdbs")
def create(req):
    body = req.json_object()
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise ApiError(400, "missing_field", "`name` is required")
    check_fields(body, CRDB, "crdb")
    if "guid" in body and not valid_guid(body["guid"]):
        raise ApiError(400, "invalid_param", "`guid` must be a GUID")
    check_instances(body.get("instances"))
    check_db_config(body.get("default_db_config", {}), "default_db_config")
    with req.sandbox.store.transaction() as tx:
        crdb_tasks.settle(tx)
        if name_taken(tx, body["name"]):
            raise ApiError(406, "name_already_exists",
                           f"an Active-Active database named {body['name']} already exists")
        guid = body.get("guid") or str(uuid.uuid4())
        if tx.get(KIND, guid) is not None:
            raise ApiError(406, "guid_already_exists",
                           f"an Active-Active database with guid {guid} already exists")
        crdb = build(body, guid)
        op = "dry_run" if req.flag("dry_run") else "create_crdb"
        return crdb_tasks.queue(tx, req, "create_crdb", guid, {"op": op, "crdb": crdb},
                                cluster_names(crdb))


@route("GET", "/v1/crdbs/{crdb_guid}")
def get(req):
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, req.params["crdb_guid"])
    instance_id = req.query.get("instance_id")
    if instance_id:
        ids = {str(inst["id"]) for inst in crdb["instances"]}
        if instance_id not in ids:
            raise ApiError(404, "instance_not_found",
                           f"instance {instance_id} is not part of this Active-Active database")
    return shown(crdb)


@route("PATCH", "/v1/crdbs/{crdb_guid}")
def update(req):
    guid = req.params["crdb_guid"]
    body = req.json_object()
    check_fields(body, CRDB, "crdb")
    for fixed in ("guid", "instances", "local_databases"):
        if fixed in body:
            raise ApiError(400, "invalid_param", f"`{fixed}` cannot be changed here; "
                           "instances are added and removed with POST /v1/crdbs/{guid}/updates")
    if "default_db_config" in body:
        check_db_config(body["default_db_config"], "default_db_config")
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, guid)
        if "name" in body and name_taken(tx, body["name"], except_guid=guid):
            raise ApiError(406, "name_already_exists",
                           f"an Active-Active database named {body['name']} already exists")
        return crdb_tasks.queue(tx, req, "update_crdb", guid,
                                {"op": "update_crdb", "changes": body}, cluster_names(crdb))


@route("DELETE", "/v1/crdbs/{crdb_guid}")
def delete(req):
    guid = req.params["crdb_guid"]
    if not valid_guid(guid):
        raise ApiError(406, "invalid_guid", f"{guid} is not a valid Active-Active GUID")
    with req.sandbox.store.transaction() as tx:
        crdb_tasks.settle(tx)
        if tx.get(GONE, guid) is not None:
            raise ApiError(406, "crdb_already_deleted",
                           f"Active-Active database {guid} was already deleted")
        crdb = load(tx, guid)
        return crdb_tasks.queue(tx, req, "delete_crdb", guid, {"op": "delete_crdb"},
                                cluster_names(crdb))


@route("PUT", "/v1/crdbs/{crdb_guid}/flush")
def flush(req):
    guid = req.params["crdb_guid"]
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, guid)
        return crdb_tasks.queue(tx, req, "flush_crdb", guid,
                                {"op": "flush_crdb", "async": req.flag("async_flush")},
                                cluster_names(crdb))


@route("GET", "/v1/crdbs/{crdb_guid}/health_report")
def health_report(req):
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, req.params["crdb_guid"])
    instances = crdb["instances"]
    wanted = req.query.get("instance_id")
    chosen = [i for i in instances if str(i["id"]) == wanted] if wanted else []
    return [report(crdb, inst) for inst in (chosen or instances)]


def report(crdb: dict, local: dict) -> dict:
    others = [i for i in crdb["instances"] if i["id"] != local["id"]]
    configuration = {
        "causal_consistency": crdb["causal_consistency"],
        "encryption": crdb["encryption"],
        "featureset_version": crdb["featureset_version"],
        "instances": [{"id": i["id"], "db_uid": i.get("db_uid", ""),
                       "cluster": {"name": i["cluster"]["name"], "url": i["cluster"]["url"]}}
                      for i in crdb["instances"]],
        "name": crdb["name"],
        "protocol_version": crdb["protocol_version"],
        "status": "commit-completed",
        "version": crdb.get("_version", 1),
    }
    return {
        "active_config_version": crdb.get("_version", 1),
        "cluster_name": local["cluster"]["name"],
        "configurations": [configuration],
        "connection_error": None,
        "connections": [{"name": i["cluster"]["name"], "status": "ok",
                         "replication_links": [{"link_uid": f"{local['id']}:{i['id']}",
                                                "status": "up"}]}
                        for i in others],
        "name": crdb["name"],
    }


@route("PUT", "/v1/crdbs/{crdb_guid}/purge")
def purge(req):
    guid = req.params["crdb_guid"]
    body = req.json_object()
    ids = body.get("instances")
    if (not isinstance(ids, list) or not ids
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
        raise ApiError(400, "invalid_param",
                       "`instances` must be a non-empty array of instance ids")
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, guid)
        known = {inst["id"] for inst in crdb["instances"]}
        missing = [i for i in ids if i not in known]
        if missing:
            raise ApiError(404, "instance_not_found",
                           f"instance(s) {', '.join(map(str, missing))} not in this database")
        return crdb_tasks.queue(tx, req, "purge_instances", guid,
                                {"op": "purge_instances", "instances": ids}, cluster_names(crdb))


@route("POST", "/v1/crdbs/{crdb_guid}/updates")
def updates(req):
    guid = req.params["crdb_guid"]
    body = req.json_object()
    check_fields(body, {"add_instances": list, "remove_instances": list, "crdb": dict,
                        "force_update": bool}, "crdb modify_request")
    if not any(k in body for k in ("add_instances", "remove_instances", "crdb")):
        raise ApiError(400, "missing_field",
                       "give at least one of `add_instances`, `remove_instances` or `crdb`")
    if "add_instances" in body:
        check_instances(body["add_instances"], "add_instances")
    removals = body.get("remove_instances", [])
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in removals):
        raise ApiError(400, "invalid_param", "`remove_instances` must be an array of instance ids")
    changes = body.get("crdb", {})
    check_fields(changes, CRDB, "crdb")
    if "default_db_config" in changes:
        check_db_config(changes["default_db_config"], "crdb.default_db_config")
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, guid)
        known = {inst["id"] for inst in crdb["instances"]}
        missing = [i for i in removals if i not in known]
        if missing:
            raise ApiError(404, "instance_not_found",
                           f"instance(s) {', '.join(map(str, missing))} not in this database")
        urls = {inst["cluster"]["url"] for inst in crdb["instances"]}
        for inst in body.get("add_instances", []):
            if inst["cluster"]["url"] in urls:
                raise ApiError(406, "duplicate_instance",
                               f"cluster {inst['cluster']['url']} already takes part")
        if len(known) - len(set(removals)) + len(body.get("add_instances", [])) < 1:
            raise ApiError(406, "invalid_param", "an Active-Active database needs an instance")
        op = "dry_run" if req.flag("dry_run") else "modify_crdb"
        effect = {"op": op, "add": body.get("add_instances", []), "remove": removals,
                  "changes": {k: v for k, v in changes.items()
                              if k not in ("guid", "instances", "local_databases")}}
        return crdb_tasks.queue(tx, req, "modify_crdb", guid, effect, cluster_names(crdb))


@route("POST", "/v1/crdbs/{crdb_guid}/upgrade")
def upgrade(req):
    guid = req.params["crdb_guid"]
    body = req.json_object(required=False)
    check_fields(body, UPGRADE, "upgrade request")
    version = body.get("redis_version")
    if version is not None and not all(part.isdigit() for part in version.split(".")):
        raise ApiError(400, "invalid_param", "`redis_version` must look like 7.4")
    with req.sandbox.store.transaction() as tx:
        crdb = load(tx, guid)
        return crdb_tasks.queue(tx, req, "upgrade_crdb", guid,
                                {"op": "upgrade_crdb", "options": body}, cluster_names(crdb))


def apply_create(tx, task: dict):
    crdb = task["_effect"]["crdb"]
    crdb["_version"] = 1
    tx.put(KIND, crdb["guid"], crdb)
    return None


def apply_update(tx, task: dict):
    crdb = tx.get(KIND, task["crdb_guid"])
    if crdb is None:
        return "the Active-Active database no longer exists"
    crdb = deep_merge(crdb, task["_effect"]["changes"])
    crdb["_version"] = crdb.get("_version", 1) + 1
    tx.put(KIND, crdb["guid"], crdb)
    return None


def apply_delete(tx, task: dict):
    guid = task["crdb_guid"]
    if not tx.delete(KIND, guid):
        return "the Active-Active database no longer exists"
    tx.put(GONE, guid, {"guid": guid, "deleted": iso(time.time())})
    return None


def apply_modify(tx, task: dict):
    crdb = tx.get(KIND, task["crdb_guid"])
    if crdb is None:
        return "the Active-Active database no longer exists"
    effect = task["_effect"]
    removed = set(effect["remove"])
    crdb["instances"] = [i for i in crdb["instances"] if i["id"] not in removed]
    next_id = max([i["id"] for i in crdb["instances"]] + [0]) + 1
    for n, inst in enumerate(effect["add"]):
        crdb["instances"].append(build_instance(inst, next_id + n))
    crdb = deep_merge(crdb, effect["changes"])
    crdb["_version"] = crdb.get("_version", 1) + 1
    tx.put(KIND, crdb["guid"], crdb)
    return None


def apply_purge(tx, task: dict):
    crdb = tx.get(KIND, task["crdb_guid"])
    if crdb is None:
        return "the Active-Active database no longer exists"
    purged = set(task["_effect"]["instances"])
    crdb["instances"] = [i for i in crdb["instances"] if i["id"] not in purged]
    tx.put(KIND, crdb["guid"], crdb)
    return None


def apply_upgrade(tx, task: dict):
    crdb = tx.get(KIND, task["crdb_guid"])
    if crdb is None:
        return "the Active-Active database no longer exists"
    options = task["_effect"]["options"]
    if options.get("redis_version"):
        crdb["default_db_config"]["redis_version"] = options["redis_version"]
    crdb["featureset_version"] = max(crdb["featureset_version"], FEATURESET_VERSION)
    tx.put(KIND, crdb["guid"], crdb)
    return None


def apply_nothing(tx, task: dict):
    if task["_effect"]["op"] != "dry_run" and tx.get(KIND, task["crdb_guid"]) is None:
        return "the Active-Active database no longer exists"
    return None


crdb_tasks.EFFECTS.update({
    "create_crdb": apply_create,
    "update_crdb": apply_update,
    "delete_crdb": apply_delete,
    "modify_crdb": apply_modify,
    "purge_instances": apply_purge,
    "upgrade_crdb": apply_upgrade,
    "flush_crdb": apply_nothing,
    "dry_run": apply_nothing,
})
