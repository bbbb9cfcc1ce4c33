"""Cluster and node alerts, derived from the cluster's alert_settings.

The sandbox never raises an alert, so every alert's `state` is false; `enabled` and
`threshold` follow the settings as `PUT /v1/cluster` changes them.
"""

from re_cli.sandbox.common import get_or_404, int_uid
from re_cli.sandbox.routes import ApiError, route

SEVERITY = {"node_failed": "CRITICAL", "cluster_multiple_nodes_down": "CRITICAL",
            "cluster_license_about_to_expire": "WARNING",
            "cluster_certs_about_to_expire": "WARNING"}


def _alert(name: str, setting, since: str) -> dict:
    if isinstance(setting, dict):
        enabled = bool(setting.get("enabled"))
        threshold = str(setting.get("threshold", ""))
    else:
        enabled, threshold = bool(setting), ""
    return {"change_time": since, "change_value": {"state": False}, "enabled": enabled,
            "severity": SEVERITY.get(name, "WARNING"), "state": False, "threshold": threshold}


def _alerts(tx, prefix: str) -> dict:
    cluster = tx.get("cluster", "1")
    since = cluster.get("created_time", "")
    return {name: _alert(name, value, since)
            for name, value in sorted((cluster.get("alert_settings") or {}).items())
            if name.startswith(prefix)}


def _one(alerts: dict, name: str) -> dict:
    if name not in alerts:
        raise ApiError(404, "alert_not_found", f"There is no alert `{name}`.")
    return alerts[name]


@route("GET", "/v1/cluster/alerts")
def cluster_alerts(req):
    with req.sandbox.store.transaction() as tx:
        return _alerts(tx, "cluster_")


@route("GET", "/v1/cluster/alerts/{alert}")
def cluster_alert(req):
    with req.sandbox.store.transaction() as tx:
        return _one(_alerts(tx, "cluster_"), req.params["alert"])


@route("GET", "/v1/nodes/alerts")
def all_node_alerts(req):
    with req.sandbox.store.transaction() as tx:
        alerts = _alerts(tx, "node_")
        return {str(node["uid"]): alerts for node in tx.list("node")}


@route("GET", "/v1/nodes/alerts/{uid}")
def node_alerts(req):
    with req.sandbox.store.transaction() as tx:
        get_or_404(tx, "node", int_uid(req.params["uid"], "node"), "node")
        return _alerts(tx, "node_")


@route("GET", "/v1/nodes/alerts/{uid}/{alert}")
def node_alert(req):
    with req.sandbox.store.transaction() as tx:
        get_or_404(tx, "node", int_uid(req.params["uid"], "node"), "node")
        return _one(_alerts(tx, "node_"), req.params["alert"])
