"""The cluster object, its policy, certificates, checks, services and statistics."""

from re_cli.sandbox.common import (
    defaults_for,
    reject_read_only,
    select_fields,
    stats_samples,
)
from re_cli.sandbox.routes import ApiError, route

CLUSTER_READ_ONLY = {
    "control_cipher_suites_tls_1_3", "crdt_supported_featureset_version",
    "crdt_supported_featureset_version_map", "crdt_supported_module_featureset_version_map",
    "crdt_supported_protocol_versions", "crdt_supported_protocol_versions_map",
    "created_time", "default_non_sharded_proxy_policy", "default_sharded_proxy_policy",
    "name", "rack_aware", "sentinel_cipher_suites_tls_1_3", "slave_ha",
    "slave_ha_bdb_cooldown_period", "slave_ha_cooldown_period", "slave_ha_grace_period",
    "wait_command",
}
CLUSTER_METRICS = {
    "available_flash": (0, 0), "available_memory": (30e9, 40e9), "avg_latency": (0.1, 0.6),
    "bigstore_free": (0, 0), "bigstore_iops": (0, 0), "bigstore_kv_ops": (0, 0),
    "bigstore_throughput": (0, 0), "conns": (0, 30), "cpu_idle": (0.80, 0.97),
    "cpu_system": (0.01, 0.05), "cpu_user": (0.02, 0.12), "egress_bytes": (500, 60000),
    "ephemeral_storage_avail": (150e9, 180e9), "ephemeral_storage_free": (160e9, 190e9),
    "free_memory": (35e9, 45e9), "ingress_bytes": (200, 30000),
    "persistent_storage_avail": (300e9, 350e9), "persistent_storage_free": (320e9, 370e9),
    "provisional_flash": (0, 0), "provisional_memory": (28e9, 38e9), "total_req": (0, 2000),
}
SERVICES = ("alert_mgr", "call_home_agent", "cm_server", "crdb_coordinator", "crdb_worker",
            "entraid_agent_mgr", "ldap_agent_mgr", "mdns_server", "pdns_server",
            "sentinel_service", "stats_archiver")


def public(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def check_types(body: dict, known: dict, what: str) -> None:
    """400 when a field with a documented default gets a value of another type."""
    for name, value in body.items():
        if name not in known or known[name] is None:
            continue
        expected = type(known[name])
        if expected is bool and not isinstance(value, bool):
            raise ApiError(400, "invalid_param", f"{what} field `{name}` must be a boolean")
        if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ApiError(400, "invalid_param", f"{what} field `{name}` must be an integer")
        if expected is str and not isinstance(value, str):
            raise ApiError(400, "invalid_param", f"{what} field `{name}` must be a string")


@route("GET", "/v1/cluster")
def get_cluster(req):
    with req.sandbox.store.transaction() as tx:
        cluster = tx.get("cluster", "1")
    return select_fields(public(cluster), req.query)


@route("PUT", "/v1/cluster")
def update_cluster(req):
    body = req.json_object()
    reject_read_only(body, CLUSTER_READ_ONLY, "cluster")
    with req.sandbox.store.transaction() as tx:
        cluster = tx.get("cluster", "1")
        unknown = sorted(set(body) - set(cluster) - set(defaults_for("cluster"))
                         - _cluster_fields())
        if unknown:
            raise ApiError(400, "invalid_param", f"unknown cluster field(s): {', '.join(unknown)}")
        check_types(body, cluster, "cluster")
        if "alert_settings" in body and not isinstance(body["alert_settings"], dict):
            raise ApiError(400, "invalid_param", "`alert_settings` must be an object")
        updated = dict(cluster)
        for name, value in body.items():
            if name == "alert_settings":
                merged = dict(cluster.get("alert_settings") or {})
                merged.update(value)
                updated[name] = merged
            else:
                updated[name] = value
        if not req.flag("dry_run"):
            tx.put("cluster", "1", updated)
    return public(updated)


def _cluster_fields() -> set[str]:
    return {
        "alert_settings", "bigstore_driver", "cluster_ssh_public_key", "cm_port",
        "cnm_http_port", "cnm_https_port", "control_cipher_suites", "crdt_rest_client_retries",
        "crdt_rest_client_timeout", "data_cipher_list", "data_cipher_suites_tls_1_3",
        "debuginfo_path", "email_from", "envoy_admin_port", "envoy_max_downstream_connections",
        "envoy_mgmt_server_port", "gossip_envoy_admin_port", "logrotate_settings",
        "min_control_TLS_version", "min_data_TLS_version", "min_sentinel_TLS_version",
        "mtls_authorized_subjects", "mtls_certificate_authentication",
        "mtls_client_cert_subject_validation_type", "proxy_certificate",
        "proxy_max_ccs_disconnection_time", "reserved_ports", "s3_ca_cert", "s3_url",
        "sentinel_cipher_suites", "sentinel_tls_mode", "slowlog_in_sanitized_support",
        "smtp_host", "smtp_password", "smtp_port", "smtp_tls_mode", "smtp_username",
        "syncer_certificate",
    }


@route("GET", "/v1/cluster/policy")
def get_policy(req):
    with req.sandbox.store.transaction() as tx:
        return tx.get("cluster_policy", "1")


@route("PUT", "/v1/cluster/policy")
def update_policy(req):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        policy = tx.get("cluster_policy", "1")
        unknown = sorted(set(body) - set(policy))
        if unknown:
            raise ApiError(400, "invalid_param", f"unknown policy field(s): {', '.join(unknown)}")
        check_types(body, policy, "policy")
        policy.update(body)
        tx.put("cluster_policy", "1", policy)
    return policy


@route("GET", "/v1/cluster/certificates")
def get_certificates(req):
    from re_cli.sandbox.handlers.cluster_config import installed_certificates

    summary = installed_certificates(req)
    return {f"{name}_cert": item["certificate"] for name, item in summary.items()}


@route("GET", "/v1/cluster/check")
def check_cluster(req):
    with req.sandbox.store.transaction() as tx:
        nodes = tx.list("node")
    return {"cluster_test_result": True,
            "nodes": [{"node_uid": n["uid"], "result": n.get("status") == "active"}
                      for n in nodes]}


@route("GET", "/v1/cluster/services_configuration")
def get_services(req):
    with req.sandbox.store.transaction() as tx:
        return _services(tx)


@route("PUT", "/v1/cluster/services_configuration")
def update_services(req):
    body = req.json_object()
    for name, value in body.items():
        if name not in SERVICES:
            raise ApiError(400, "invalid_param", f"unknown service `{name}`")
        if not isinstance(value, dict) or set(value) - {"operating_mode"} or \
                value.get("operating_mode") not in ("enabled", "disabled"):
            raise ApiError(400, "invalid_param",
                           f'`{name}` must be {{"operating_mode": "enabled" or "disabled"}}')
    with req.sandbox.store.transaction() as tx:
        services = _services(tx)
        services.update(body)
        tx.put("cluster_services", "1", services)
    return services


def _services(tx) -> dict:
    stored = tx.get("cluster_services", "1")
    if stored is None:
        off = {"call_home_agent", "entraid_agent_mgr", "ldap_agent_mgr", "sentinel_service"}
        stored = {name: {"operating_mode": "disabled" if name in off else "enabled"}
                  for name in SERVICES}
    return stored


@route("GET", "/v1/cluster/stats")
def cluster_stats(req):
    return {"intervals": stats_samples("cluster", req.query, CLUSTER_METRICS)}


@route("GET", "/v1/cluster/stats/last")
def cluster_stats_last(req):
    query = dict(req.query)
    query.setdefault("interval", "1sec")
    samples = stats_samples("cluster", query, CLUSTER_METRICS)
    return samples[-1] if samples else {}


@route("GET", "/v1/cluster/module-capabilities")
def module_capabilities(req):
    with req.sandbox.store.transaction() as tx:
        modules = tx.list("module")
    names = sorted({cap for m in modules for cap in m.get("capabilities", [])})
    return {"all_capabilities": [{"name": n, "desc": n.replace("_", " ")} for n in names],
            "modules": [{"module_name": m["module_name"], "capabilities": m["capabilities"]}
                        for m in modules]}
