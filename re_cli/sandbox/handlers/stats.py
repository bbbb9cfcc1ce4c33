"""Statistics of databases and shards (the v1 stats requests).

Samples come from `common.stats_samples`: the same object, metric and time always give
the same value, the window follows `interval`, `stime` and `etime`, and no interval
reaches back further than the number of samples the reference says a cluster keeps.
Metrics that only apply to flash (bigstore) databases are left out, as a cluster leaves
out metrics that do not apply. The cluster's and the nodes' stats live with their own
handlers.
"""

from re_cli.sandbox.common import stats_samples
from re_cli.sandbox.routes import ApiError, Request, route

GB = 1024**3

DB_RATES = {
    "avg_latency": (80, 900), "avg_other_latency": (50, 600), "avg_read_latency": (60, 700),
    "avg_write_latency": (70, 900), "conns": (1, 20), "egress_bytes": (100, 40000),
    "evicted_objects": (0, 0), "expired_objects": (0, 3), "fork_cpu_system": (0, 0.01),
    "fork_cpu_user": (0, 0.01), "ingress_bytes": (50, 20000),
    "instantaneous_ops_per_sec": (0, 800), "main_thread_cpu_system": (0.001, 0.02),
    "main_thread_cpu_user": (0.002, 0.05), "mem_frag_ratio": (1.0, 1.4),
    "mem_not_counted_for_evict": (0, 0), "mem_size_lua": (35840, 35840),
    "monitor_sessions_count": (0, 0), "no_of_expires": (0, 40), "no_of_keys": (100, 5000),
    "other_req": (0, 50), "other_res": (0, 50), "pubsub_channels": (0, 2),
    "pubsub_patterns": (0, 1), "read_hits": (0, 400), "read_misses": (0, 40),
    "read_req": (0, 450), "read_res": (0, 450), "shard_cpu_system": (0.001, 0.03),
    "shard_cpu_user": (0.002, 0.06), "total_connections_received": (0, 5),
    "total_req": (0, 800), "total_res": (0, 800), "write_hits": (0, 300),
    "write_misses": (0, 5), "write_req": (0, 300), "write_res": (0, 300),
}

SHARD_RATES = {
    "aof_rewrite_inprog": (0, 0), "avg_ttl": (0, 3600000), "blocked_clients": (0, 0),
    "connected_clients": (3, 12), "evicted_objects": (0, 0), "expired_objects": (0, 2),
    "fork_cpu_system": (0, 0.01), "fork_cpu_user": (0, 0.01),
    "main_thread_cpu_system": (0.001, 0.02), "main_thread_cpu_user": (0.002, 0.05),
    "mem_frag_ratio": (1.0, 1.4), "mem_not_counted_for_evict": (0, 0),
    "mem_size_lua": (35840, 35840), "no_of_expires": (0, 20), "no_of_keys": (50, 2500),
    "pubsub_channels": (0, 2), "pubsub_patterns": (0, 1),
    "rdb_changes_since_last_save": (0, 500), "read_hits": (0, 200), "read_misses": (0, 20),
    "shard_cpu_system": (0.001, 0.03), "shard_cpu_user": (0.002, 0.06),
    "total_req": (0, 400), "write_hits": (0, 150), "write_misses": (0, 3),
}

NOT_ACTIVE = ("pending", "creation-failed", "delete-pending")


def _memory_ranges(limit: int | None, share: float = 1.0) -> dict:
    """used_memory and friends as a plausible share of a memory limit (0 = unlimited)."""
    size = (limit or GB) * share
    return {
        "used_memory": (0.02 * size, 0.06 * size), "used_ram": (0.02 * size, 0.06 * size),
        "ram_overhead": (0.001 * size, 0.004 * size),
    }


def db_metrics(bdb: dict) -> dict:
    return {**DB_RATES, **_memory_ranges(bdb.get("memory_size"))}


def shard_metrics(shard: dict, bdb: dict | None) -> dict:
    masters = max(1, (bdb or {}).get("shards_count", 1))
    memory = _memory_ranges((bdb or {}).get("memory_size"), 1 / masters)
    low, high = memory["used_memory"]
    return {**SHARD_RATES, "used_memory": (low, high), "used_memory_peak": (high, high * 1.2),
            "used_memory_rss": (low * 1.1, high * 1.3),
            "last_save_time": (1.7e9, 1.7e9)}


def _with_times(samples: list[dict], query: dict) -> list[dict]:
    """The two metrics that are times, not numbers, set to the sample's end."""
    wanted = query.get("metrics")
    names = {m.strip() for m in wanted.split(",")} if wanted else {"last_req_time",
                                                                     "last_res_time"}
    for sample in samples:
        for name in ("last_req_time", "last_res_time"):
            if name in names:
                sample[name] = sample["etime"]
    return samples


def _last(samples: list[dict], query: dict) -> dict:
    """The newest sample; with `metrics`, only its times and those metrics."""
    if not samples:
        return {}
    sample = dict(samples[-1])
    if query.get("metrics"):
        sample.pop("interval", None)
    return sample


def _last_query(req: Request) -> dict:
    query = dict(req.query)
    query.setdefault("interval", "1sec")
    return query


def _int_or_404(raw: str, what: str) -> int:
    if not raw.isdigit():
        raise ApiError(404, f"{what}_not_exist", f"There is no {what} with uid {raw}.")
    return int(raw)


# databases

def _bdbs(req: Request) -> list[dict]:
    with req.sandbox.store.transaction() as tx:
        bdbs = tx.list("bdb")
    if not bdbs:
        raise ApiError(404, "db_not_exist", "There are no databases.")
    return bdbs


def _active_bdb(req: Request) -> dict:
    uid = _int_or_404(req.params["uid"], "db")
    with req.sandbox.store.transaction() as tx:
        bdb = tx.get("bdb", uid)
    if bdb is None:
        raise ApiError(404, "db_not_exist", f"There is no database with uid {uid}.")
    if bdb.get("status") in NOT_ACTIVE:
        raise ApiError(406, "db_not_active",
                       f"Database {uid} is not active ({bdb.get('status')}).")
    return bdb


def _bdb_series(bdb: dict, query: dict) -> list[dict]:
    samples = stats_samples(f"bdb:{bdb['uid']}", query, db_metrics(bdb))
    return _with_times(samples, query)


@route("GET", "/v1/bdbs/stats")
def bdbs_stats(req: Request):
    return [{"uid": str(b["uid"]), "intervals": _bdb_series(b, req.query)}
            for b in _bdbs(req) if b.get("status") not in NOT_ACTIVE]


@route("GET", "/v1/bdbs/stats/{uid}")
def bdb_stats(req: Request):
    bdb = _active_bdb(req)
    return {"uid": str(bdb["uid"]), "intervals": _bdb_series(bdb, req.query)}


@route("GET", "/v1/bdbs/stats/last")
def bdbs_stats_last(req: Request):
    query = _last_query(req)
    return {str(b["uid"]): _last(_bdb_series(b, query), query)
            for b in _bdbs(req) if b.get("status") not in NOT_ACTIVE}


@route("GET", "/v1/bdbs/stats/last/{uid}")
def bdb_stats_last(req: Request):
    query = _last_query(req)
    bdb = _active_bdb(req)
    return {str(bdb["uid"]): _last(_bdb_series(bdb, query), query)}


# shards

def _shards_with_bdbs(req: Request) -> tuple[list[dict], dict]:
    with req.sandbox.store.transaction() as tx:
        return tx.list("shard"), {str(b["uid"]): b for b in tx.list("bdb")}


def _shard_series(shard: dict, bdb: dict | None, query: dict) -> list[dict]:
    return stats_samples(f"shard:{shard['uid']}", query, shard_metrics(shard, bdb))


def _shard_head(shard: dict) -> dict:
    return {"uid": str(shard["uid"]), "status": shard.get("status"),
            "node_uid": str(shard.get("node_uid")), "role": shard.get("role"),
            "assigned_slots": shard.get("assigned_slots")}


def _one_shard(req: Request) -> tuple[dict, dict | None]:
    uid = _int_or_404(req.params["uid"], "shard")
    shards, bdbs = _shards_with_bdbs(req)
    for shard in shards:
        if shard["uid"] == str(uid):
            if shard.get("status") != "active":
                raise ApiError(406, "shard_not_active", f"Shard {uid} is not active.")
            return shard, bdbs.get(str(shard.get("bdb_uid")))
    raise ApiError(404, "shard_not_exist", f"There is no shard with uid {uid}.")


@route("GET", "/v1/shards/stats")
def shards_stats(req: Request):
    shards, bdbs = _shards_with_bdbs(req)
    parent = req.query.get("parent_uid")
    if parent:
        shards = [s for s in shards if str(s.get("bdb_uid")) == parent]
    if not shards:
        raise ApiError(404, "shard_not_exist", "There are no shards.")
    return [{**_shard_head(s), "intervals": _shard_series(s, bdbs.get(str(s.get("bdb_uid"))),
                                                          req.query)} for s in shards]


@route("GET", "/v1/shards/stats/{uid}")
def shard_stats(req: Request):
    shard, bdb = _one_shard(req)
    return {**_shard_head(shard), "intervals": _shard_series(shard, bdb, req.query)}


@route("GET", "/v1/shards/stats/last")
def shards_stats_last(req: Request):
    query = _last_query(req)
    shards, bdbs = _shards_with_bdbs(req)
    if not shards:
        raise ApiError(404, "shard_not_exist", "There are no shards.")
    return {str(s["uid"]): _last(_shard_series(s, bdbs.get(str(s.get("bdb_uid"))), query),
                                 query) for s in shards}


@route("GET", "/v1/shards/stats/last/{uid}")
def shard_stats_last(req: Request):
    query = _last_query(req)
    shard, bdb = _one_shard(req)
    return {str(shard["uid"]): _last(_shard_series(shard, bdb, query), query)}
