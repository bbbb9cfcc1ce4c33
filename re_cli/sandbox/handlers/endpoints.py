"""Statistics of every endpoint-proxy link: one series per database endpoint and each
proxy that serves it, with the uid written BDB_UID:ENDPOINT_UID:PROXY_UID."""

from re_cli.sandbox.common import stats_samples
from re_cli.sandbox.routes import route

COUNTERS = (
    "total_req", "read_req", "write_req", "other_req", "total_res", "read_res", "write_res",
    "other_res", "total_started_res", "read_started_res", "write_started_res",
    "other_started_res", "cmd_get", "cmd_set", "cmd_touch", "cmd_flush", "auth_cmds",
    "auth_errors", "total_connections_received", "max_connections_exceeded",
    "monitor_sessions_count",
)
METRICS = {
    **{name: (0.0, 50.0) for name in COUNTERS},
    "total_req": (50.0, 400.0),
    "read_req": (30.0, 250.0),
    "write_req": (10.0, 120.0),
    "total_res": (50.0, 400.0),
    "conns": (1.0, 12.0),
    "ingress_bytes": (4e3, 6e4),
    "egress_bytes": (8e3, 2e5),
    "acc_latency": (1e3, 4e4),
    "acc_read_latency": (5e2, 2e4),
    "acc_write_latency": (5e2, 2e4),
    "acc_other_latency": (0.0, 5e3),
    "last_req_time": (0.0, 1.0),
    "last_res_time": (0.0, 1.0),
    "max_connections_exceeded": (0.0, 0.0),
    "auth_errors": (0.0, 0.0),
    "monitor_sessions_count": (0.0, 0.0),
}
SPREAD_POLICIES = ("all-nodes", "all-master-shards")


def links(tx) -> list[str]:
    node_uids = sorted(int(n["uid"]) for n in tx.list("node")) or [1]
    out = []
    for bdb in tx.list("bdb"):
        if bdb.get("status") in ("pending", "delete-pending"):
            continue
        for endpoint in bdb.get("endpoints") or [{"uid": f"{bdb['uid']}:1"}]:
            endpoint_uid = str(endpoint.get("uid", "1")).split(":")[-1]
            policy = endpoint.get("proxy_policy") or bdb.get("proxy_policy", "single")
            proxies = node_uids if policy in SPREAD_POLICIES else [bdb.get("endpoint_node", 1)]
            out.extend(f"{bdb['uid']}:{endpoint_uid}:{proxy}" for proxy in proxies)
    return out


@route("GET", "/v1/endpoints/stats")
def endpoint_stats(req):
    with req.sandbox.store.transaction() as tx:
        uids = links(tx)
    query = dict(req.query)
    query.pop("metrics", None)
    return [{"uid": uid, "intervals": stats_samples(f"endpoint:{uid}", query, METRICS)}
            for uid in uids]
