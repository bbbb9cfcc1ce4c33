"""Cluster settings kept beside the cluster object: LDAP, SSO, connection auditing,
certificates, the password hashing algorithm, and the health reports."""

import base64
import binascii
from datetime import datetime, timezone

from re_cli.sandbox import tls
from re_cli.sandbox.common import defaults_for
from re_cli.sandbox.routes import ApiError, Response, route

CERT_NAMES = ("cm", "api", "mtls_trusted_ca", "proxy", "metrics_exporter", "syncer",
              "ldap_client", "ccs_internode_encryption", "data_internode_encryption",
              "sso_service", "sso_issuer")
REQUIRED_CERTS = ("cm", "api", "proxy", "syncer", "metrics_exporter")
INTERNAL_CERTS = ("ccs_internode_encryption", "data_internode_encryption")
LDAP_FIELDS = {"bind_dn", "bind_pass", "ca_cert", "cache_ttl", "cba", "cba_identity_oid",
               "cba_identity_source", "control_plane", "data_plane", "directory_timeout_s",
               "dn_group_attr", "dn_group_query", "starttls", "uris", "user_dn_query",
               "user_dn_template"}
SSO_FIELDS = {"control_plane", "enforce_control_plane", "protocol", "issuer", "service"}
AUDIT_FIELDS = {"audit_address", "audit_port", "audit_protocol", "audit_reconnect_interval",
                "audit_reconnect_max_attempts"}
HASHING = ("SHA-256", "PBKDF2")


def _unknown(body: dict, known: set[str], what: str) -> None:
    extra = sorted(set(body) - known)
    if extra:
        raise ApiError(400, "invalid_param", f"unknown {what} field(s): {', '.join(extra)}")


def _ldap(tx) -> dict:
    stored = tx.get("cluster_ldap", "1")
    if stored is None:
        stored = defaults_for("ldap")
        stored.update(uris=[], bind_dn="", user_dn_template="", dn_group_attr="")
    return stored


@route("GET", "/v1/cluster/ldap")
def get_ldap(req):
    with req.sandbox.store.transaction() as tx:
        ldap = _ldap(tx)
    return {k: v for k, v in ldap.items() if k != "bind_pass"}


@route("PUT", "/v1/cluster/ldap")
def put_ldap(req):
    body = req.json_object()
    _unknown(body, LDAP_FIELDS, "ldap")
    with req.sandbox.store.transaction() as tx:
        ldap = {**_ldap(tx), **body}
        if ldap.get("user_dn_template") and ldap.get("user_dn_query"):
            raise ApiError(400, "illegal_fields_combination",
                           "Set either `user_dn_template` or `user_dn_query`, not both.")
        if (ldap.get("control_plane") or ldap.get("data_plane")) and not ldap.get("uris"):
            raise ApiError(400, "missing_field", "LDAP needs `uris` before it can be used.")
        if "uris" in body and (not isinstance(body["uris"], list)
                               or not all(isinstance(u, str) for u in body["uris"])):
            raise ApiError(400, "invalid_param", "`uris` must be a list of strings")
        tx.put("cluster_ldap", "1", ldap)
    return None


@route("DELETE", "/v1/cluster/ldap")
def delete_ldap(req):
    with req.sandbox.store.transaction() as tx:
        tx.delete("cluster_ldap", "1")
    return None


def _certificates(tx) -> dict:
    return {item["name"]: item for item in tx.list("cluster_certificate")}


def _sso(tx) -> dict:
    stored = tx.get("cluster_sso", "1")
    if stored is None:
        stored = defaults_for("sso")
        stored.update(protocol="saml2", issuer={}, service={})
    return stored


@route("GET", "/v1/cluster/sso")
def get_sso(req):
    with req.sandbox.store.transaction() as tx:
        return _sso(tx)


@route("PUT", "/v1/cluster/sso")
def put_sso(req):
    body = req.json_object()
    _unknown(body, SSO_FIELDS, "sso")
    if "protocol" in body and body["protocol"] != "saml2":
        raise ApiError(400, "invalid_param", "`protocol` must be saml2")
    for name in ("issuer", "service"):
        if name in body and not isinstance(body[name], dict):
            raise ApiError(400, "invalid_param", f"`{name}` must be an object")
    with req.sandbox.store.transaction() as tx:
        sso = _sso(tx)
        if body.get("control_plane") and "sso_service" not in _certificates(tx):
            raise ApiError(406, "missing_certificate",
                           "SSO needs the `sso_service` certificate; install it first.")
        for name, value in body.items():
            sso[name] = {**sso.get(name, {}), **value} if isinstance(value, dict) else value
        tx.put("cluster_sso", "1", sso)
    return None


@route("DELETE", "/v1/cluster/sso")
def delete_sso(req):
    with req.sandbox.store.transaction() as tx:
        tx.delete("cluster_sso", "1")
    return None


@route("POST", "/v1/cluster/sso/saml/metadata/idp")
def upload_idp_metadata(req):
    import xml.etree.ElementTree as ET

    body = req.json_object()
    raw = body.get("idp_metadata")
    if not isinstance(raw, str) or not raw:
        raise ApiError(400, "missing_param", "`idp_metadata` (base64 XML) is required")
    try:
        root = ET.fromstring(base64.b64decode(raw, validate=True))
    except (binascii.Error, ValueError, ET.ParseError):
        raise ApiError(400, "saml_metadata_parsing_error",
                       "`idp_metadata` is not base64-encoded XML") from None
    entity = root.get("entityID")
    if not entity:
        raise ApiError(400, "saml_metadata_validation_error",
                       "The metadata has no entityID.")
    with req.sandbox.store.transaction() as tx:
        if "sso_issuer" not in _certificates(tx) and "sso_service" not in _certificates(tx):
            raise ApiError(406, "missing_certificate",
                           "Install the `sso_service` certificate first.")
        sso = _sso(tx)
        sso["issuer"] = {**sso.get("issuer", {}), "entity_id": entity}
        tx.put("cluster_sso", "1", sso)
    return sso


@route("GET", "/v1/cluster/sso/saml/metadata/sp")
def sp_metadata(req):
    from xml.sax.saxutils import quoteattr

    with req.sandbox.store.transaction() as tx:
        if "sso_service" not in _certificates(tx):
            raise ApiError(406, "missing_certificate",
                           "Install the `sso_service` certificate first.")
        cluster = tx.get("cluster", "1")
    entity = quoteattr(f"https://{cluster['name']}/sp")
    xml = ('<?xml version="1.0"?>\n'
           '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
           f'entityID={entity}><md:SPSSODescriptor '
           'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>'
           '</md:EntityDescriptor>\n')
    return Response(200, xml.encode(), content_type="application/xml")


@route("GET", "/v1/cluster/auditing/db_conns")
def get_auditing(req):
    with req.sandbox.store.transaction() as tx:
        return tx.get("cluster_auditing", "1") or {}


@route("PUT", "/v1/cluster/auditing/db_conns")
def put_auditing(req):
    body = req.json_object()
    _unknown(body, AUDIT_FIELDS, "auditing")
    if "audit_protocol" in body and body["audit_protocol"] not in ("TCP", "local"):
        raise ApiError(400, "invalid_param", "`audit_protocol` must be TCP or local")
    for name in ("audit_port", "audit_reconnect_interval", "audit_reconnect_max_attempts"):
        if name in body and (isinstance(body[name], bool) or not isinstance(body[name], int)):
            raise ApiError(400, "invalid_param", f"`{name}` must be an integer")
    with req.sandbox.store.transaction() as tx:
        config = {**(tx.get("cluster_auditing", "1") or {}), **body}
        tx.put("cluster_auditing", "1", config)
    return config


@route("DELETE", "/v1/cluster/auditing/db_conns")
def delete_auditing(req):
    with req.sandbox.store.transaction() as tx:
        if tx.get("cluster_auditing", "1") is None:
            raise ApiError(404, "db_conns_audit_config_not_found",
                           "No connection auditing is configured.")
        if (tx.get("cluster_policy", "1") or {}).get("db_conns_auditing"):
            raise ApiError(406, "cannot_delete_audit_config_when_policy_enabled",
                           "Turn off db_conns_auditing in the policy first.")
        if any(b.get("db_conns_auditing") for b in tx.list("bdb")):
            raise ApiError(406, "cannot_delete_audit_config_when_bdb_enabled",
                           "A database still audits its connections.")
        tx.delete("cluster_auditing", "1")
    return None


def _checked_certificate(item) -> dict:
    """A certificate object from a request: 403 unknown name, 400 bad PEM, 406 expired."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if not isinstance(item, dict) or not isinstance(item.get("certificate"), str):
        raise ApiError(400, "invalid_certificate", "Each certificate needs `name` and PEM text.")
    name = item.get("name")
    if name not in CERT_NAMES:
        raise ApiError(403, "unknown_certificate", f"unknown certificate name `{name}`")
    try:
        cert = x509.load_pem_x509_certificate(item["certificate"].encode())
        if item.get("key"):
            load_pem_private_key(item["key"].encode(), password=None)
    except (ValueError, TypeError):
        raise ApiError(400, "invalid_certificate",
                       f"certificate `{name}` or its key is not valid PEM") from None
    if cert.not_valid_after_utc < datetime.now(timezone.utc):
        raise ApiError(406, "expired_certificate", f"certificate `{name}` has expired")
    return {"name": name, "certificate": item["certificate"], "_has_key": bool(item.get("key"))}


@route("PUT", "/v1/cluster/certificates")
def put_certificates(req):
    body = req.json_object()
    items = body.get("certificates")
    if not isinstance(items, list) or not items:
        raise ApiError(400, "invalid_certificate", "The body must be {\"certificates\": [...]}.")
    checked = [_checked_certificate(item) for item in items]
    with req.sandbox.store.transaction() as tx:
        for item in checked:
            tx.put("cluster_certificate", item["name"], item)
    return None


@route("PUT", "/v1/cluster/update_cert")
def update_cert(req):
    item = _checked_certificate(req.json_object())
    with req.sandbox.store.transaction() as tx:
        tx.put("cluster_certificate", item["name"], item)
    return None


@route("POST", "/v1/cluster/certificates/rotate")
def rotate_certificates(req):
    body = req.json_object(required=False)
    name = body.get("name")
    if name is not None and name not in INTERNAL_CERTS:
        raise ApiError(403, "unsupported_rotation",
                       f"only {', '.join(INTERNAL_CERTS)} can be rotated")
    return None


@route("DELETE", "/v1/cluster/certificates/{certificate_name}")
def delete_certificate(req):
    name = req.params["certificate_name"]
    if name in REQUIRED_CERTS:
        raise ApiError(403, "required_certificate", f"certificate `{name}` is required")
    with req.sandbox.store.transaction() as tx:
        if not tx.delete("cluster_certificate", name):
            raise ApiError(404, "unknown_certificate", f"no certificate `{name}` is installed")
    return None


def installed_certificates(req) -> dict:
    """Certificates the sandbox serves plus those installed through the API."""
    summary = tls.certificate_summary(req.sandbox.data_dir)
    with req.sandbox.store.transaction() as tx:
        for name, item in _certificates(tx).items():
            summary[name] = {"certificate": item["certificate"]}
    return summary


@route("PATCH", "/v1/cluster/change_password_hashing_algorithm")
def change_hashing(req):
    algorithm = req.json_object().get("algorithm")
    if algorithm not in HASHING:
        raise ApiError(400, "invalid_param", f"`algorithm` must be one of {', '.join(HASHING)}")
    with req.sandbox.store.transaction() as tx:
        cluster = tx.get("cluster", "1")
        if cluster.get("_password_hashing_algorithm", "SHA-256") == algorithm:
            raise ApiError(400, "algorithm_already_set", f"{algorithm} is already in use")
        cluster["_password_hashing_algorithm"] = algorithm
        tx.put("cluster", "1", cluster)
    return None


@route("GET", "/v1/local/node/master_healthcheck")
def master_healthcheck(req):
    return {"status": "active"}


@route("GET", "/v4/cluster/health")
def cluster_health(req):
    issues_only = req.flag("issues_only")
    with req.sandbox.store.transaction() as tx:
        cluster = tx.get("cluster", "1")
        nodes = tx.list("node")
        bdbs = tx.list("bdb")
        lic = tx.get("license", "1") or {}
        master = cluster.get("_master_node", 1)
    node_reports = [{
        "id": str(n["uid"]), "status": "active" if n["status"] == "active" else "warning",
        "detailed_status": n["status"], "role": "leader" if n["uid"] == master else "follower",
        "in_maintenance": bool(n.get("_maintenance")), "quorum_only": not n["accept_servers"],
        "version": n["software_version"], "active_alerts": [], "shards": [], "services": [],
    } for n in nodes]
    db_reports = [{"id": str(b["uid"]), "name": b.get("name"),
                   "status": b.get("status", "active")} for b in bdbs]
    if issues_only:
        node_reports = [n for n in node_reports if n["status"] != "active"]
        db_reports = [b for b in db_reports if b["status"] != "active"]
    unhealthy = any(n["status"] != "active" for n in node_reports) or \
        any(b["status"] != "active" for b in db_reports)
    return {
        "fqdn": cluster["name"], "status": "warning" if unhealthy else "ok",
        "license": {"expired": bool(lic.get("expired")),
                    "shards_limit": lic.get("shards_limit", 0),
                    "ram_shards_limit": lic.get("ram_shards_limit", 0),
                    "flex_shards_limit": lic.get("flash_shards_limit", 0),
                    "shards_in_use": lic.get("ram_shards_in_use", 0),
                    "ram_shards_in_use": lic.get("ram_shards_in_use", 0),
                    "flex_shards_in_use": lic.get("flash_shards_in_use", 0),
                    "valid_until": lic.get("expiration_date")},
        "certificates": [] if issues_only else [{"name": "api", "status": "valid"}],
        "nodes": node_reports, "active_alerts": [], "database_infos": db_reports,
    }
