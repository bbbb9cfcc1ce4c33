"""Bootstrap: how a fresh node creates, joins or recovers a cluster.

The sandbox's nodes already form its cluster, so the state is `completed` and a new
bootstrap is refused, as a real node refuses one once it has joined. An admin can make
the node fresh again with `PUT /sandbox/bootstrap {"state": "idle"}` (sandbox-only):
a bootstrap then starts, reads `started`, and completes after the action delay."""

import time

from re_cli.sandbox.routes import ApiError, Response, route

ACTIONS = ("create_cluster", "join_cluster", "recover_cluster")
FIELDS = {
    "action", "cluster", "cnm_https_port", "crdb_coordinator_port", "credentials",
    "dns_suffixes", "envoy_admin_port", "envoy_mgmt_server_port", "gossip_envoy_admin_port",
    "license", "max_retries", "node", "policy", "recovery_filename", "required_version",
    "retry_time", "user_defined_modules", "witness_disk",
}
NODE_INFO = (
    "uid", "software_version", "cores", "ephemeral_storage_path", "ephemeral_storage_size",
    "os_version", "persistent_storage_path", "persistent_storage_size", "total_memory",
)


def local_node_info(tx, started: float, now: float) -> dict:
    node = tx.get("node", "1") or {}
    info = {k: node[k] for k in NODE_INFO if k in node}
    info["uptime"] = int(now - node.get("_started", started))
    addr = node.get("addr", "127.0.0.1")
    info["available_addrs"] = [{"address": addr, "format": "ipv4", "if_name": "lo",
                                "private": True}]
    return info


def bootstrap_status(tx, delay: float, now: float) -> dict:
    """The node's bootstrap state; a started bootstrap completes `delay` seconds on."""
    record = tx.get("bootstrap", "1")
    if record is None:  # joined when the sandbox was seeded
        created = (tx.get("cluster", "1") or {}).get("created_time", "")
        return {"state": "completed", "start_time": created, "end_time": created}
    if record["state"] == "started" and now >= record["_began"] + delay:
        record.update(state="completed", end_time=_iso(now))
        tx.put("bootstrap", "1", record)
    return {k: v for k, v in record.items() if not k.startswith("_")}


def make_fresh(tx) -> dict:
    """Turn the node back into one that has not joined a cluster (sandbox-only)."""
    return tx.put("bootstrap", "1", {"state": "idle"})


def _iso(when: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


@route("GET", "/v1/bootstrap")
def status(req):
    now = time.time()
    with req.sandbox.store.transaction() as tx:
        state = bootstrap_status(tx, req.sandbox.action_delay, now)
        info = local_node_info(tx, req.sandbox.started, now)
    return {"bootstrap_status": state, "local_node_info": info}


def problem(action: str, body: dict) -> str | None:
    """What is wrong with a bootstrap request, or None. The reference accepts a minimal
    subset of the configuration, so only what is given is checked."""
    if action not in ACTIONS:
        return f"unknown bootstrap action {action!r}; use one of {', '.join(ACTIONS)}"
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        return f"unknown bootstrap field(s): {', '.join(unknown)}"
    if body.get("action", action) != action:
        return f"the body asks for {body['action']!r} but the path for {action!r}"
    for name in ("cluster", "node", "credentials", "policy"):
        if name in body and not isinstance(body[name], dict):
            return f"`{name}` must be an object"
    cluster = body.get("cluster", {})
    if "nodes" in cluster and not isinstance(cluster["nodes"], list):
        return "`cluster.nodes` must be an array of addresses"
    if "name" in cluster and (not isinstance(cluster["name"], str) or not cluster["name"]):
        return "`cluster.name` must be the cluster's FQDN"
    if action == "join_cluster" and cluster.get("nodes") == [] and not cluster.get("name"):
        return "joining a cluster needs `cluster.nodes` or `cluster.name`"
    credentials = body.get("credentials", {})
    if credentials and not credentials.get("username"):
        return "`credentials` need a `username`"
    if action == "recover_cluster" and body and not body.get("recovery_filename"):
        return "recovering a cluster needs `recovery_filename`"
    return None


@route("POST", "/v1/bootstrap/validate/{action}")
def validate(req):
    body = req.json_object(required=False)
    error = problem(req.params["action"], body)
    if error:
        return Response(406, {"bootstrap_status": {"state": "error", "error_code": "config_error",
                                                   "error_details": {"message": error}}})
    return {}


@route("POST", "/v1/bootstrap/{action}")
def start(req):
    action = req.params["action"]
    if action not in ACTIONS:
        raise ApiError(400, "config_error",
                       f"unknown bootstrap action {action!r}; use one of {', '.join(ACTIONS)}")
    body = req.json_object(required=False)
    now = time.time()
    with req.sandbox.store.transaction() as tx:
        state = bootstrap_status(tx, req.sandbox.action_delay, now)["state"]
        if state == "idle":
            error = problem(action, body)
            if error:
                raise ApiError(400, "config_error", error)
            tx.put("bootstrap", "1", {"state": "started", "action": action,
                                      "start_time": _iso(now), "_began": now})
            return {}
        name = (tx.get("cluster", "1") or {}).get("name", "")
    if state == "started":
        raise ApiError(409, "bootstrap_in_progress", "a bootstrap is already in progress")
    raise ApiError(409, "bootstrap_not_allowed",
                   f"this node already belongs to cluster {name}; bootstrap state is completed")
