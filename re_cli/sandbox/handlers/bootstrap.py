"""Bootstrap: how a fresh node creates, joins or recovers a cluster. Every sandbox node
is already part of the sandbox cluster, so the state is `completed` and a new bootstrap
is refused, as a real node refuses one once it has joined."""

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


@route("GET", "/v1/bootstrap")
def status(req):
    with req.sandbox.store.transaction() as tx:
        cluster = tx.get("cluster", "1") or {}
        created = cluster.get("created_time", "")
        info = local_node_info(tx, req.sandbox.started, time.time())
    return {"bootstrap_status": {"state": "completed", "start_time": created,
                                 "end_time": created},
            "local_node_info": info}


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
    req.json_object(required=False)
    with req.sandbox.store.transaction() as tx:
        name = (tx.get("cluster", "1") or {}).get("name", "")
    raise ApiError(409, "bootstrap_not_allowed",
                   f"this node already belongs to cluster {name}; bootstrap state is completed")
