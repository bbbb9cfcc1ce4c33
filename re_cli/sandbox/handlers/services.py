"""Services: the cluster software's processes on a node, started, stopped and restarted
on request. The sandbox receives every request on node 1, which is also the primary,
so `/v1/local/services` and `/v1/services` act on the same set."""

import time

from re_cli.sandbox.handlers._shared import iso
from re_cli.sandbox.routes import ApiError, route

KIND = "service"
NAMES = (
    "alert_mgr", "call_home_agent", "ccs", "cm_server", "cnm_exec", "cnm_http",
    "crdb_coordinator", "crdb_worker", "dmcproxy", "entraid_agent_mgr", "envoy_control_plane",
    "gossip_envoy", "heartbeatd", "ldap_agent_mgr", "mdns_server", "metrics_exporter",
    "pdns_server", "redis_mgr", "resource_mgr", "saslauthd", "sentinel_service",
    "stats_archiver",
)
STOPPED_AT_START = ("entraid_agent_mgr", "ldap_agent_mgr", "saslauthd")
OPERATIONS = ("start", "stop", "restart")


def all_services(tx, started: float) -> dict:
    stored = {s["name"]: s for s in tx.list(KIND)}
    for name in NAMES:
        if name not in stored:
            running = name not in STOPPED_AT_START
            stored[name] = tx.put(KIND, name, {"name": name, "running": running,
                                               "since": started})
    return stored


def uptime(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}"
    if not days:
        return clock
    return f"{days} day{'s' if days > 1 else ''}, {clock}"


def shown(service: dict, now: float) -> dict:
    if not service["running"]:
        return {"start_time": None, "status": "STOPPED", "uptime": None}
    return {"start_time": iso(service["since"]), "status": "RUNNING",
            "uptime": uptime(now - service["since"])}


@route("GET", "/v1/local/services")
def list_local(req):
    now = time.time()
    with req.sandbox.store.transaction() as tx:
        services = all_services(tx, req.sandbox.started)
    return {name: shown(services[name], now) for name in sorted(services)}


def operate(req) -> dict:
    body = req.json_object()
    operation = body.get("operation_type")
    if operation not in OPERATIONS:
        raise ApiError(400, "invalid_param",
                       f"`operation_type` must be one of: {', '.join(OPERATIONS)}")
    names = body.get("services")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ApiError(400, "invalid_param", "`services` must be a non-empty array of names")
    now = time.time()
    result = {}
    with req.sandbox.store.transaction() as tx:
        services = all_services(tx, req.sandbox.started)
        for name in names:
            service = services.get(name)
            if service is None:
                result[name] = False
                continue
            if operation == "stop":
                service["running"] = False
            elif operation == "restart" or not service["running"]:
                service.update(running=True, since=now)
            tx.put(KIND, name, service)
            result[name] = True
    return result


@route("POST", "/v1/local/services")
def operate_local(req):
    return operate(req)


@route("POST", "/v1/services")
def operate_primary(req):
    return operate(req)
