"""Migration status of a database that replicates from another one (Replica Of)."""

import hashlib

from re_cli.sandbox.routes import ApiError, route


@route("GET", "/v1/migrations/{uid}")
def get(req):
    uid = req.params["uid"]
    with req.sandbox.store.transaction() as tx:
        bdb = tx.get("bdb", uid) if uid.isdigit() else None
    if bdb is None:
        raise ApiError(404, "bdb_not_found", f"database {uid} does not exist")
    sources = bdb.get("replica_sources") or []
    syncing = bool(sources) and bdb.get("replica_sync", "disabled") == "enabled"
    run_id = hashlib.sha1(f"{uid}-{len(sources)}".encode()).hexdigest()
    size = int(bdb.get("memory_size", 0) * 0.01)
    migration = {
        "status": "in-sync" if syncing else "idle",
        "lag": 0,
        "rdb_size": size if syncing else 0,
        "rdb_transferred": size if syncing else 0,
        "run_id": run_id if syncing else "",
        "flush_counter": 0,
        "source_shards": [{"replication_id": hashlib.sha1(f"{run_id}{n}".encode()).hexdigest(),
                           "replication_offset": 0}
                          for n in range(len(sources) if syncing else 0)],
    }
    return {"migration": migration}
