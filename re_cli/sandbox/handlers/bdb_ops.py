"""The rest of a database's requests: export, import, rebalance and the other named
actions, upgrades, modules, passwords, proxy certificates, availability, health, syncer
state, peer and sync-source statistics, and debug info.

Work that the reference makes asynchronous records a task action (queued, running,
completed over the sandbox's action delay, listed by /v1/actions and /v2/actions) and
answers at once with its `action_uid`; export and import are followed instead through
the bdb's `export_status` / `import_status`, as the reference describes them.
"""

import hashlib

from re_cli.sandbox import bdb_actions
from re_cli.sandbox.common import stats_samples
from re_cli.sandbox.handlers import debuginfo
from re_cli.sandbox.handlers.bdbs import BUSY, bdb_uid, not_found, present
from re_cli.sandbox.handlers.stats import db_metrics
from re_cli.sandbox.routes import ApiError, Response, route

TASK_NAMES = {"rebalance": "SMRebalanceBDB", "revamp": "SMRevampBDB",
              "recover": "SMRecoverBDB", "stop_traffic": "SMStopTrafficBDB",
              "resume_traffic": "SMResumeTrafficBDB", "upgrade": "SMUpgradeBDB",
              "modules_upgrade": "SMUpgradeBDBModules"}


def _get(tx, req, name: str = "uid") -> dict:
    uid = bdb_uid(req, name)
    bdb = tx.get("bdb", uid)
    if bdb is None:
        raise not_found(uid)
    return bdb


def _idle(bdb: dict) -> None:
    if bdb.get("status") in BUSY:
        raise ApiError(409, "busy", f"Database {bdb['uid']} is busy ({bdb.get('status')}); "
                       "try again when it is active.")


def _start_task(req, kind: str, bdb_after: dict | None = None, changes: dict | None = None):
    """Record a task on the bdb of the path; (bdb, action)."""
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        _idle(bdb)
        action = bdb_actions.new_task(TASK_NAMES.get(kind, kind), "bdb", bdb["uid"],
                                      bdb_actions.action_delay(req.sandbox), bdb_after)
        bdb.update(changes or {})
        bdb["action_uid"] = action["action_uid"]
        tx.put("bdb", bdb["uid"], bdb)
        tx.put("action", action["action_uid"], action)
    bdb_actions.runtime(req.sandbox).submit(action)
    return bdb, action


def _blueprint(tx, bdb: dict) -> list[dict]:
    shards = [s for s in tx.list("shard") if str(s.get("bdb_uid")) == str(bdb["uid"])]
    by_range: dict[str, list[dict]] = {}
    for shard in shards:
        by_range.setdefault(str(shard.get("assigned_slots", "0-16383")), []).append(
            {"node_uid": str(shard.get("node_uid")), "role": shard.get("role", "master")})
    return [{"nodes": nodes, "slot_range": slots} for slots, nodes in by_range.items()]


def _state_id(blueprint: list) -> str:
    return hashlib.sha256(repr(blueprint).encode()).hexdigest()[:16]


def _blueprint_response(req) -> Response:
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        if bdb.get("status") != "active":
            raise ApiError(406, "db_not_active", f"Database {bdb['uid']} is not active.")
        plan = _blueprint(tx, bdb)
    return Response(200, {"shards_blueprint": plan}, headers={"cluster-state-id": _state_id(plan)})


@route("GET", "/v1/bdbs/{uid}/actions/optimize_shards_placement")
def optimize_shards_placement(req):
    return _blueprint_response(req)


@route("PUT", "/v1/bdbs/{uid}/actions/rebalance")
def rebalance(req):
    if req.flag("dry_run"):
        return _blueprint_response(req)
    _, action = _start_task(req, "rebalance")
    return {"action_uid": action["action_uid"]}


@route("PUT", "/v1/bdbs/{uid}/actions/revamp")
def revamp(req):
    body = req.json_object(required=False)
    if req.flag("dry_run"):
        return _blueprint_response(req)
    with req.sandbox.store.transaction() as tx:
        _get(tx, req)
    if "uid" in body or "type" in body:
        raise ApiError(406, "invalid_param", "A revamp cannot change `uid` or `type`.")
    _, action = _start_task(req, "revamp")
    return {"action_uid": action["action_uid"]}


def _simple_task(kind: str):
    def handler(req):
        _, action = _start_task(req, kind)
        return {"action_uid": action["action_uid"]}
    return handler


route("POST", "/v1/bdbs/{uid}/actions/stop_traffic")(_simple_task("stop_traffic"))
route("POST", "/v1/bdbs/{uid}/actions/resume_traffic")(_simple_task("resume_traffic"))
route("POST", "/v1/bdbs/{uid}/actions/recover")(_simple_task("recover"))


@route("GET", "/v1/bdbs/{uid}/actions/recover")
def recovery_plan(req):
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        shards = [s for s in tx.list("shard") if str(s.get("bdb_uid")) == str(bdb["uid"])]
    files = [{"filename": f"redis-{s['uid']}.rdb", "node_uid": str(s.get("node_uid")),
              "shard_slots": s.get("assigned_slots", "0-16383")}
             for s in shards if s.get("role", "master") == "master"]
    return {"data_files": files, "status": "ready"}


def _transfer(req, kind: str, needed: str):
    body = req.json_object()
    if not body.get(needed):
        raise ApiError(406, "invalid_param", f"`{needed}` is required.")
    status = f"{kind}_status"
    _start_task(req, kind, bdb_after={status: "succeeded", f"{kind}_progress": 100.0},
                changes={status: f"{kind}ing", f"{kind}_progress": 0.0,
                         f"{kind}_failure_reason": None})
    return Response(200, None)


@route("POST", "/v1/bdbs/{uid}/actions/export")
def export(req):
    return _transfer(req, "export", "export_location")


@route("POST", "/v1/bdbs/{uid}/actions/import")
def import_(req):
    return _transfer(req, "import", "dataset_import_sources")


def _reset_status(field: str):
    def handler(req):
        with req.sandbox.store.transaction() as tx:
            bdb = _get(tx, req)
            _idle(bdb)
            bdb[field] = ""
            tx.put("bdb", bdb["uid"], bdb)
        return Response(200, None)
    return handler


route("PUT", "/v1/bdbs/{uid}/actions/backup_reset_status")(_reset_status("backup_status"))
route("PUT", "/v1/bdbs/{uid}/actions/export_reset_status")(_reset_status("export_status"))
route("PUT", "/v1/bdbs/{uid}/actions/import_reset_status")(_reset_status("import_status"))


@route("POST", "/v1/bdbs/{uid}/upgrade")
def upgrade(req):
    body = req.json_object(required=False)
    version = body.get("redis_version")
    if version is not None and not isinstance(version, str):
        raise ApiError(400, "invalid_param", "`redis_version` must be a string.")
    changes = {"redis_version": version} if version else {}
    bdb, _ = _start_task(req, "upgrade", bdb_after=changes)
    return present(bdb, bdb_actions.runtime(req.sandbox))


def _module_changes(req) -> list[dict]:
    modules = req.json_object().get("modules")
    if not isinstance(modules, list) or not modules or \
            not all(isinstance(m, dict) for m in modules):
        raise ApiError(400, "invalid_param", "`modules` must be a non-empty list of objects.")
    return modules


def _modules_upgrade(req):
    wanted = _module_changes(req)
    with req.sandbox.store.transaction() as tx:
        known = {str(m.get("uid")): m for m in tx.list("module")}
    for change in wanted:
        for key in ("current_module", "new_module"):
            if str(change.get(key)) not in known:
                raise ApiError(406, "module_not_found",
                               f"`{key}` {change.get(key)!r} is not a module of the cluster.")
    bdb, _ = _start_task(req, "modules_upgrade")
    return present(bdb, bdb_actions.runtime(req.sandbox))


route("POST", "/v1/bdbs/{uid}/modules/upgrade")(_modules_upgrade)
route("POST", "/v1/modules/upgrade/bdb/{uid}")(_modules_upgrade)


@route("POST", "/v1/bdbs/{uid}/modules/config")
def modules_config(req):
    wanted = _module_changes(req)
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        modules = bdb.get("module_list") or []
        names = {m.get("module_name") for m in modules}
        for change in wanted:
            if change.get("module_name") not in names:
                raise ApiError(406, "module_not_in_bdb", f"Database {bdb['uid']} does not "
                               f"use module {change.get('module_name')!r}.")
        for change in wanted:
            for module in modules:
                if module.get("module_name") == change["module_name"] and \
                        "module_args" in change:
                    module["module_args"] = change["module_args"]
        tx.put("bdb", bdb["uid"], bdb)
    return Response(200, None)


def _password(req) -> str:
    password = req.json_object().get("password")
    if not isinstance(password, str) or not password:
        raise ApiError(406, "invalid_param", "`password` must be a non-empty string.")
    return password


@route("POST", "/v1/bdbs/{uid}/passwords")
def add_bdb_password(req):
    password = _password(req)
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        extra = bdb.get("_extra_passwords", [])
        if password == bdb.get("authentication_redis_pass") or password in extra:
            raise ApiError(406, "password_exists", "The database already has this password.")
        bdb["_extra_passwords"] = [*extra, password]
        tx.put("bdb", bdb["uid"], bdb)
    return Response(200, None)


@route("PUT", "/v1/bdbs/{uid}/passwords")
def replace_bdb_passwords(req):
    password = _password(req)
    rt = bdb_actions.runtime(req.sandbox)
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        old = bdb.get("authentication_redis_pass")
        bdb.update(authentication_redis_pass=password, _extra_passwords=[])
        tx.put("bdb", bdb["uid"], bdb)
    if rt.redis.serving(bdb["uid"]) and not rt.redis.set_password(bdb["uid"], old, password):
        rt.redis.stop(bdb["uid"])
        rt.redis.start(bdb["uid"], bdb["port"], password)
    return Response(200, None)


@route("DELETE", "/v1/bdbs/{uid}/passwords")
def delete_bdb_password(req):
    password = _password(req)
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        extra = bdb.get("_extra_passwords", [])
        if password not in extra:
            raise ApiError(406, "password_not_removable", "The password is not one the "
                           "database may lose: unknown, or its only main password.")
        bdb["_extra_passwords"] = [p for p in extra if p != password]
        tx.put("bdb", bdb["uid"], bdb)
    return Response(200, None)


def _certificate(bdb: dict) -> dict | None:
    cert = bdb.get("_proxy_certificate")
    if cert is None:
        return None
    return {"bdb_uid": bdb["uid"], "cert": cert["cert"], "not_before": cert["not_before"],
            "not_after": cert["not_after"]}


@route("GET", "/v1/bdbs/certificates")
def all_certificates(req):
    with req.sandbox.store.transaction() as tx:
        bdbs = tx.list("bdb")
    return [c for c in (_certificate(b) for b in bdbs) if c]


@route("GET", "/v1/bdbs/{uid}/certificates")
def bdb_certificate(req):
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
    cert = _certificate(bdb)
    if cert is None:
        raise ApiError(404, "certificate_not_found",
                       f"Database {bdb['uid']} has no proxy certificate of its own.")
    return cert


@route("POST", "/v1/bdbs/{uid}/certificates")
def set_bdb_certificate(req):
    body = req.json_object()
    cert, key = body.get("cert"), body.get("private_key")
    if not isinstance(cert, str) or not isinstance(key, str):
        raise ApiError(400, "invalid_param", "`cert` and `private_key` are both required.")
    validity = _validity(cert)
    if "PRIVATE KEY" not in key:
        raise ApiError(406, "invalid_certificate", "`private_key` is not a PEM private key.")
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        bdb["_proxy_certificate"] = {"cert": cert, **validity}
        tx.put("bdb", bdb["uid"], bdb)
    return _certificate(bdb)


def _validity(pem: str) -> dict:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise ApiError(406, "invalid_certificate", "`cert` is not a PEM certificate.") from None
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    return {"not_before": cert.not_valid_before_utc.strftime(stamp),
            "not_after": cert.not_valid_after_utc.strftime(stamp)}


@route("DELETE", "/v1/bdbs/{uid}/certificates")
def delete_bdb_certificate(req):
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        bdb.pop("_proxy_certificate", None)
        tx.put("bdb", bdb["uid"], bdb)
    return Response(200, None)


def _availability(req, empty_body: bool):
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
    if bdb.get("status") not in ("active", "active-change-pending"):
        raise ApiError(503, "bdb_unavailable",
                       f"Database {bdb['uid']} is not available ({bdb.get('status')}).",
                       key="description")
    return Response(200, None) if empty_body else {}


@route("GET", "/v1/bdbs/{uid}/availability")
def availability(req):
    return _availability(req, empty_body=False)


@route("GET", "/v1/local/bdbs/{uid}/endpoint/availability")
def local_availability(req):
    return _availability(req, empty_body=True)


@route("GET", "/v4/db/{uid}/health")
def health(req):
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req)
        shards = [s for s in tx.list("shard") if str(s.get("bdb_uid")) == str(bdb["uid"])]
    available = bdb.get("status") in ("active", "active-change-pending")
    return {
        "id": bdb["uid"], "name": bdb.get("name"), "status": bdb.get("status"),
        "version": bdb.get("redis_version"), "creation_time": bdb.get("created_time"),
        "last_configured_time": bdb.get("last_changed_time"),
        "last_backup_time": bdb.get("backup_history") and bdb.get("last_backup_time"),
        "availability": available, "availability_errors": [] if available else [
            f"database status is {bdb.get('status')}"],
        "active_active": bool(bdb.get("crdt")), "active_alerts": [],
        "high_availability": bool(bdb.get("replication")),
        "persistence": bdb.get("data_persistence", "disabled"),
        "detailed_status": bdb.get("status"),
        "endpoints": [{"uid": e.get("uid"), "dns_name": e.get("dns_name"),
                       "port": bdb.get("port")} for e in bdb.get("endpoints") or []],
        "shards": [{"uid": s["uid"], "role": s.get("role"), "node_uid": s.get("node_uid"),
                    "status": s.get("status")} for s in shards],
        "shards_placement": bdb.get("shards_placement", "dense"),
        "state_machine": None,
    }


def _syncer_state(kind: str | None):
    def handler(req):
        with req.sandbox.store.transaction() as tx:
            bdb = _get(tx, req)
        crdt = bool(bdb.get("crdt"))
        replica = bool(bdb.get("replica_sync") not in (None, "disabled")
                       or bdb.get("replica_sources"))
        if (kind == "crdt" and not crdt) or (kind == "replica" and not replica) or \
                (kind is None and not (crdt or replica)):
            raise ApiError(503, "syncer_not_running",
                           f"Database {bdb['uid']} has no {kind or 'running'} syncer.",
                           key="description")
        return {"status": "in-sync", "sources": []}
    return handler


route("GET", "/v1/bdbs/{uid}/syncer_state")(_syncer_state(None))
route("GET", "/v1/bdbs/{uid}/syncer_state/crdt")(_syncer_state("crdt"))
route("GET", "/v1/bdbs/{uid}/syncer_state/replica")(_syncer_state("replica"))


def _active(req) -> dict:
    with req.sandbox.store.transaction() as tx:
        bdb = _get(tx, req, "bdb_uid")
    if bdb.get("status") in ("pending", "creation-failed", "delete-pending"):
        raise ApiError(406, "db_not_active", f"Database {bdb['uid']} is not active.")
    return bdb


def _peers(bdb: dict, field: str) -> list[str]:
    return [str(p.get("uid", i + 1)) for i, p in enumerate(bdb.get(field) or [])]


def _peer_series(bdb: dict, peer: str, query: dict) -> dict:
    return {"uid": peer, "intervals": stats_samples(f"bdb:{bdb['uid']}:peer{peer}", query,
                                                    db_metrics(bdb))}


def _one_series(req, field: str, error_code: str, noun: str) -> dict:
    """The series of one peer (or sync source) listed in the bdb's `field`; 404 else."""
    bdb = _active(req)
    uid = req.params["uid"]
    if uid not in _peers(bdb, field):
        raise ApiError(404, error_code, f"Database {bdb['uid']} has no {noun} {uid}.")
    return _peer_series(bdb, uid, req.query)


@route("GET", "/v1/bdbs/{bdb_uid}/peer_stats")
def peer_stats(req):
    bdb = _active(req)
    return {"peer_stats": [_peer_series(bdb, p, req.query)
                           for p in _peers(bdb, "crdt_sources")]}


@route("GET", "/v1/bdbs/{bdb_uid}/peer_stats/{uid}")
def one_peer_stats(req):
    return _one_series(req, "crdt_sources", "peer_not_found", "peer")


@route("GET", "/v1/bdbs/{bdb_uid}/sync_source_stats")
def sync_source_stats(req):
    bdb = _active(req)
    return {"sync_source_stats": [_peer_series(bdb, p, req.query)
                                  for p in _peers(bdb, "replica_sources")]}


@route("GET", "/v1/bdbs/{bdb_uid}/sync_source_stats/{uid}")
def one_sync_source_stats(req):
    return _one_series(req, "replica_sources", "source_not_found", "sync source")


@route("GET", "/v1/bdbs/debuginfo")
def all_bdbs_debuginfo(req):
    return debuginfo.collect(req, all_nodes=True, bdb_uid=None)


@route("GET", "/v1/bdbs/{bdb_uid}/debuginfo")
def bdb_debuginfo(req):
    return debuginfo.collect(req, all_nodes=True, bdb_uid=req.params["bdb_uid"])
