"""The three emulated nodes: their objects, status, checks, snapshots and statistics."""

import time
from datetime import datetime, timezone

from re_cli.sandbox.common import get_or_404, int_uid, select_fields, stats_samples
from re_cli.sandbox.handlers.node_actions import settle
from re_cli.sandbox.routes import ApiError, Response, route

WRITABLE = {"accept_servers", "addr", "external_addr", "max_listeners", "max_redis_forks",
            "max_redis_servers", "max_slave_full_syncs", "rack_id", "recovery_path",
            "second_rack_id", "bigstore_driver", "public_addr", "oss_cluster_ip_mapping"}
NODE_METRICS = {
    "available_flash": (0, 0), "available_memory": (10e9, 13e9), "avg_latency": (0.1, 0.6),
    "bigstore_free": (0, 0), "bigstore_iops": (0, 0), "bigstore_kv_ops": (0, 0),
    "bigstore_throughput": (0, 0), "conns": (0, 10), "cpu_idle": (0.80, 0.97),
    "cpu_system": (0.01, 0.05), "cpu_user": (0.02, 0.12), "cur_aof_rewrites": (0, 0),
    "egress_bytes": (200, 20000), "ephemeral_storage_avail": (50e9, 60e9),
    "ephemeral_storage_free": (55e9, 63e9), "free_memory": (12e9, 15e9),
    "ingress_bytes": (100, 10000), "persistent_storage_avail": (100e9, 115e9),
    "persistent_storage_free": (105e9, 120e9), "provisional_flash": (0, 0),
    "provisional_memory": (9e9, 12e9), "total_req": (0, 700),
}


def view(tx, node: dict) -> dict:
    """A node as the API shows it, with the live fields filled in."""
    out = {k: v for k, v in node.items() if not k.startswith("_")}
    shards = [s for s in tx.list("shard") if str(s.get("node_uid")) == str(node["uid"])]
    out["shard_list"] = sorted(int(s["uid"]) for s in shards if str(s.get("uid")).isdigit())
    out["shard_count"] = len(shards)
    out["system_time"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out["uptime"] = int(time.time() - node.get("_started", time.time()))
    return out


def _node(tx, raw_uid) -> dict:
    settle(tx)
    return get_or_404(tx, "node", int_uid(raw_uid, "node"), "node")


@route("GET", "/v1/nodes")
def list_nodes(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        return select_fields([view(tx, n) for n in tx.list("node")], req.query)


@route("GET", "/v1/nodes/{uid}")
def get_node(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(view(tx, _node(tx, req.params["uid"])), req.query)


@route("PUT", "/v1/nodes/{uid}")
def update_node(req):
    body = req.json_object()
    bad = sorted(set(body) - WRITABLE)
    if bad:
        raise ApiError(400, "invalid_param", f"node field(s) {', '.join(bad)} cannot be changed")
    with req.sandbox.store.transaction() as tx:
        node = tx.get("node", int_uid(req.params["uid"], "node"))
        if node is None:
            raise ApiError(406, "node_not_found", f"node {req.params['uid']} does not exist")
        if "addr" in body and body["addr"] != node.get("addr") and node["status"] == "active":
            raise ApiError(406, "node_not_offline",
                           "A node's address can change only while it is offline.")
        if body.get("rack_id") and node.get("rack_id") and body["rack_id"] != node["rack_id"]:
            raise ApiError(406, "node_already_has_rack_id", "The node already has a rack_id.")
        if body.get("accept_servers") is False and view(tx, node)["shard_count"]:
            raise ApiError(406, "node_already_populated",
                           "The node holds shards; move them before refusing new ones.")
        for name in ("accept_servers",):
            if name in body and not isinstance(body[name], bool):
                raise ApiError(400, "invalid_param", f"`{name}` must be a boolean")
        for name in ("max_listeners", "max_redis_forks", "max_redis_servers",
                     "max_slave_full_syncs"):
            if name in body and (isinstance(body[name], bool) or not isinstance(body[name], int)):
                raise ApiError(400, "invalid_param", f"`{name}` must be an integer")
        node.update(body)
        tx.put("node", node["uid"], node)
    return Response(200, None)


def _status(tx, node: dict) -> dict:
    shown = view(tx, node)
    master = (tx.get("cluster", "1") or {}).get("_master_node", 1)
    return {
        "hostname": f"node{node['uid']}.sandbox.local",
        "node_status": node["status"],
        "role": "master" if node["uid"] == master else "slave",
        "software_version": node["software_version"],
        "shard_count": shown["shard_count"],
        "shard_list": shown["shard_list"],
        "total_memory": node["total_memory"],
        "cores": node["cores"],
        "ephemeral_storage_size": node["ephemeral_storage_size"],
        "persistent_storage_size": node["persistent_storage_size"],
        "user_shard_count": shown["shard_count"],
        "node_overbooking_status": False,
    }


@route("GET", "/v1/nodes/status")
def nodes_status(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        return {str(n["uid"]): _status(tx, n) for n in tx.list("node")}


@route("GET", "/v1/nodes/{uid}/status")
def node_status(req):
    with req.sandbox.store.transaction() as tx:
        return _status(tx, _node(tx, req.params["uid"]))


@route("GET", "/v1/nodes/check/{uid}")
def node_check(req):
    with req.sandbox.store.transaction() as tx:
        node = _node(tx, req.params["uid"])
    return {"node_uid": node["uid"], "result": node["status"] == "active"}


@route("GET", "/v1/nodes/{uid}/snapshots")
def node_snapshots(req):
    with req.sandbox.store.transaction() as tx:
        node = _node(tx, req.params["uid"])
    return node.get("_snapshots", [])


@route("DELETE", "/v1/nodes/{uid}/snapshots/{snapshot_name}")
def delete_snapshot(req):
    name = req.params["snapshot_name"]
    with req.sandbox.store.transaction() as tx:
        node = _node(tx, req.params["uid"])
        snapshots = node.get("_snapshots", [])
        found = next((s for s in snapshots if s["name"] == name), None)
        if found is None:
            raise ApiError(404, "snapshot_not_found", f"node {node['uid']} has no snapshot {name}")
        if found.get("maintenance") and node.get("_maintenance"):
            raise ApiError(403, "maintenance_snapshot",
                           "The node is in maintenance; its snapshot cannot be deleted.")
        node["_snapshots"] = [s for s in snapshots if s["name"] != name]
        tx.put("node", node["uid"], node)
    return found


@route("GET", "/v1/nodes/stats")
def all_nodes_stats(req):
    with req.sandbox.store.transaction() as tx:
        nodes = tx.list("node")
    if not nodes:
        raise ApiError(404, "not_found", "There are no nodes.")
    return [{"uid": str(n["uid"]),
             "intervals": stats_samples(f"node{n['uid']}", req.query, NODE_METRICS)}
            for n in nodes]


@route("GET", "/v1/nodes/stats/{uid}")
def node_stats(req):
    with req.sandbox.store.transaction() as tx:
        node = _node(tx, req.params["uid"])
    return {"uid": str(node["uid"]),
            "intervals": stats_samples(f"node{node['uid']}", req.query, NODE_METRICS, 406)}


def _last(node_uid, query: dict, status: int = 400) -> dict:
    query = dict(query)
    query.setdefault("interval", "1sec")
    samples = stats_samples(f"node{node_uid}", query, NODE_METRICS, status)
    return samples[-1] if samples else {}


@route("GET", "/v1/nodes/stats/last")
def all_nodes_stats_last(req):
    with req.sandbox.store.transaction() as tx:
        nodes = tx.list("node")
    if not nodes:
        raise ApiError(404, "not_found", "There are no nodes.")
    return {str(n["uid"]): _last(n["uid"], req.query) for n in nodes}


@route("GET", "/v1/nodes/stats/last/{uid}")
def node_stats_last(req):
    with req.sandbox.store.transaction() as tx:
        node = _node(tx, req.params["uid"])
    return {str(node["uid"]): _last(node["uid"], req.query, 406)}
