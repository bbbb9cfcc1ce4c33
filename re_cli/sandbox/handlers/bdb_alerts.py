"""Database alerts, and the alerts of a database's CRDT and replica sources.

The sandbox raises no alert, so `state` is always false; `enabled` and `threshold`
follow the bdb's stored alert settings, which POST /v1/bdbs/alerts/{uid} changes.
"""

from re_cli.sandbox.common import now_iso
from re_cli.sandbox.routes import ApiError, Response, route

ALERTS = ("bdb_backup_delayed", "bdb_crdt_src_high_syncer_lag",
          "bdb_crdt_src_syncer_connection_error", "bdb_crdt_src_syncer_general_error",
          "bdb_high_latency", "bdb_high_syncer_lag", "bdb_high_throughput",
          "bdb_long_running_action", "bdb_low_throughput", "bdb_ram_dataset_overhead",
          "bdb_ram_values", "bdb_replica_src_high_syncer_lag",
          "bdb_replica_src_syncer_connection_error", "bdb_replica_src_syncer_general_error",
          "bdb_shard_num_ram_values", "bdb_size", "bdb_syncer_connection_error",
          "bdb_syncer_general_error")
SOURCE_ALERTS = {"crdt": [a for a in ALERTS if a.startswith("bdb_crdt_src_")],
                 "replica": [a for a in ALERTS if a.startswith("bdb_replica_src_")]}


def _bdb(tx, raw) -> dict:
    bdb = tx.get("bdb", int(raw)) if str(raw).isdigit() else None
    if bdb is None:
        raise ApiError(404, "db_not_exist", f"There is no database with uid {raw}.")
    return bdb


def _alerts(bdb: dict, names=ALERTS) -> dict:
    settings = bdb.get("_alert_settings") or {}
    since = bdb.get("created_time") or now_iso()
    out = {}
    for name in names:
        setting = settings.get(name) or {}
        out[name] = {"change_time": since, "change_value": {"state": False},
                     "enabled": bool(setting.get("enabled", False)),
                     "severity": "WARNING", "state": False,
                     "threshold": str(setting.get("threshold", ""))}
    return out


def _one(alerts: dict, name: str) -> dict:
    if name not in alerts:
        raise ApiError(400, "invalid_alert", f"`{name}` is not a database alert.")
    return alerts[name]


@route("GET", "/v1/bdbs/alerts")
def all_bdb_alerts(req):
    with req.sandbox.store.transaction() as tx:
        return {str(b["uid"]): _alerts(b) for b in tx.list("bdb")}


@route("GET", "/v1/bdbs/alerts/{uid}")
def bdb_alerts(req):
    with req.sandbox.store.transaction() as tx:
        return _alerts(_bdb(tx, req.params["uid"]))


@route("GET", "/v1/bdbs/alerts/{uid}/{alert}")
def bdb_alert(req):
    with req.sandbox.store.transaction() as tx:
        return _one(_alerts(_bdb(tx, req.params["uid"])), req.params["alert"])


@route("POST", "/v1/bdbs/alerts/{uid}")
def update_bdb_alerts(req):
    body = req.json_object()
    for name, setting in body.items():
        if name not in ALERTS:
            raise ApiError(406, "invalid_alert", f"`{name}` is not a database alert.")
        if not isinstance(setting, dict) or set(setting) - {"enabled", "threshold"}:
            raise ApiError(406, "invalid_alert_setting",
                           f"`{name}` takes an object with `enabled` and `threshold`.")
    with req.sandbox.store.transaction() as tx:
        bdb = _bdb(tx, req.params["uid"])
        settings = bdb.get("_alert_settings") or {}
        for name, setting in body.items():
            settings[name] = {**settings.get(name, {}), **setting}
        bdb["_alert_settings"] = settings
        tx.put("bdb", bdb["uid"], bdb)
        return Response(200, _alerts(bdb, list(body)))


def _source_ids(bdb: dict, family: str) -> list[str]:
    key = "crdt_sources" if family == "crdt" else "replica_sources"
    return [str(s.get("uid", i + 1)) for i, s in enumerate(bdb.get(key) or [])]


def _source(bdb: dict, family: str, src: str) -> None:
    if src not in _source_ids(bdb, family):
        raise ApiError(404, "source_not_found",
                       f"Database {bdb['uid']} has no {family} source {src}.")


def _family_routes(family: str) -> None:
    base = f"/v1/bdbs/{family}_sources/alerts"
    src_name = f"{family}_src_id"
    names = SOURCE_ALERTS[family]

    def for_bdb(bdb):
        return {src: _alerts(bdb, names) for src in _source_ids(bdb, family)}

    @route("GET", base)
    def every_bdb(req):
        with req.sandbox.store.transaction() as tx:
            return {str(b["uid"]): for_bdb(b) for b in tx.list("bdb")}

    @route("GET", base + "/{uid}")
    def one_bdb(req):
        with req.sandbox.store.transaction() as tx:
            return for_bdb(_bdb(tx, req.params["uid"]))

    @route("GET", base + "/{uid}/{" + src_name + "}")
    def one_source(req):
        with req.sandbox.store.transaction() as tx:
            bdb = _bdb(tx, req.params["uid"])
        _source(bdb, family, req.params[src_name])
        return _alerts(bdb, names)

    @route("GET", base + "/{uid}/{" + src_name + "}/{alert}")
    def one_alert(req):
        with req.sandbox.store.transaction() as tx:
            bdb = _bdb(tx, req.params["uid"])
        _source(bdb, family, req.params[src_name])
        return _one(_alerts(bdb, names), req.params["alert"])


_family_routes("crdt")
_family_routes("replica")
