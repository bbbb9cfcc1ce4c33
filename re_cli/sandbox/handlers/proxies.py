"""Proxies: one per node (its uid is the node's), with the DMC proxy's settings."""

from re_cli.sandbox.common import defaults_for
from re_cli.sandbox.handlers._shared import check_fields
from re_cli.sandbox.routes import ApiError, route

KIND = "proxy"
FIELDS = {
    "backlog": int,
    "client_eviction": bool,
    "client_keepcnt": int,
    "client_keepidle": int,
    "client_keepintvl": int,
    "conns": int,
    "duration_usage_threshold": int,
    "dynamic_threads_scaling": bool,
    "ignore_bdb_cconn_limit": bool,
    "ignore_bdb_cconn_output_buff_limits": bool,
    "incoming_connections_capacity": int,
    "incoming_connections_min_capacity": int,
    "incoming_connections_rate_limit": int,
    "log_level": ("crit", "error", "warn", "info", "trace", "debug"),
    "max_listeners": int,
    "max_servers": int,
    "max_threads": int,
    "max_worker_client_conns": int,
    "max_worker_server_conns": int,
    "max_worker_txns": int,
    "maxmemory_clients": int,
    "threads": int,
    "threads_usage_threshold": int,
}


def initial(uid: int) -> dict:
    return {
        "uid": uid,
        **defaults_for(KIND),
        "backlog": 1024,
        "client_keepcnt": 6,
        "client_keepidle": 180,
        "client_keepintvl": 30,
        "conns": 500000,
        "duration_usage_threshold": 30,
        "dynamic_threads_scaling": False,
        "ignore_bdb_cconn_limit": False,
        "ignore_bdb_cconn_output_buff_limits": False,
        "log_level": "error",
        "max_listeners": 1024,
        "max_servers": 4096,
        "max_threads": 64,
        "max_worker_client_conns": 16384,
        "max_worker_server_conns": 16384,
        "max_worker_txns": 65536,
        "threads": 3,
        "threads_usage_threshold": 80,
    }


def all_proxies(tx) -> list[dict]:
    """Every node's proxy, made with the usual settings for a node that has none yet."""
    proxies = {p["uid"]: p for p in tx.list(KIND)}
    for node in tx.list("node"):
        uid = int(node["uid"])
        if uid not in proxies:
            proxies[uid] = tx.put(KIND, uid, initial(uid))
    return [proxies[uid] for uid in sorted(proxies)]


def changes(req) -> dict:
    """The proxy fields a PUT sets: `{"allow_restart": b, "proxy": {...}}`, or the fields
    given beside `allow_restart`, as some of the reference's examples send them."""
    body = req.json_object()
    if "allow_restart" in body and not isinstance(body["allow_restart"], bool):
        raise ApiError(400, "invalid_param", "`allow_restart` must be a boolean")
    rest = {k: v for k, v in body.items() if k != "allow_restart"}
    if "proxy" in rest:
        if len(rest) > 1 or not isinstance(rest["proxy"], dict):
            raise ApiError(400, "invalid_param",
                           "send the proxy fields inside `proxy`, beside `allow_restart` only")
        rest = rest["proxy"]
    if "uid" in rest:
        raise ApiError(400, "invalid_param", "`uid` cannot be changed")
    check_fields(rest, FIELDS, "proxy")
    for name, value in rest.items():
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ApiError(400, "invalid_param", f"`{name}` cannot be negative")
    if rest.get("threads", 1) < 1 or rest.get("max_threads", 1) < 1:
        raise ApiError(400, "invalid_param", "a proxy needs at least one thread")
    return rest


def apply(tx, proxy: dict, fields: dict) -> dict:
    updated = {**proxy, **fields}
    if updated.get("threads", 0) > updated.get("max_threads", updated.get("threads", 0)):
        raise ApiError(400, "invalid_param", "`threads` cannot exceed `max_threads`")
    return tx.put(KIND, proxy["uid"], updated)


@route("GET", "/v1/proxies")
def list_proxies(req):
    with req.sandbox.store.transaction() as tx:
        return all_proxies(tx)


@route("PUT", "/v1/proxies")
def update_all(req):
    fields = changes(req)
    with req.sandbox.store.transaction() as tx:
        return [apply(tx, proxy, fields) for proxy in all_proxies(tx)]


def load(tx, uid: str) -> dict:
    if uid.isdigit():
        for proxy in all_proxies(tx):
            if proxy["uid"] == int(uid):
                return proxy
    raise ApiError(404, "proxy_not_found", f"proxy {uid} does not exist")


@route("GET", "/v1/proxies/{uid}")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return load(tx, req.params["uid"])


@route("PUT", "/v1/proxies/{uid}")
def update(req):
    fields = changes(req)
    with req.sandbox.store.transaction() as tx:
        return apply(tx, load(tx, req.params["uid"]), fields)
