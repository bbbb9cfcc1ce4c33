"""OCSP: the cluster's settings for checking the proxy certificate's revocation status,
and the latest answer of the OCSP responder. The sandbox answers for the responder."""

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from re_cli.sandbox.common import defaults_for
from re_cli.sandbox.handlers._shared import check_fields, load_singleton, public
from re_cli.sandbox.routes import ApiError, route

KIND = "ocsp"
STATUS_KIND = "ocsp_status"
# The URL the sandbox's proxy certificate would carry in its authority information.
RESPONDER_URL = "http://ocsp.sandbox.local/"
WRITABLE = {
    "ocsp_functionality": bool,
    "query_frequency": int,
    "recovery_frequency": int,
    "recovery_max_tries": int,
    "response_timeout": int,
}
LIMITS = {
    "query_frequency": (60, 86400),
    "recovery_frequency": (60, 86400),
    "recovery_max_tries": (1, 100),
    "response_timeout": (1, 60),
}


def initial_config() -> dict:
    return {**defaults_for(KIND), "responder_url": RESPONDER_URL}


def http_date(when: datetime) -> str:
    return format_datetime(when, usegmt=True)


def fresh_status(config: dict) -> dict:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return {
        "responder_url": config.get("responder_url", ""),
        "cert_status": "GOOD",
        "produced_at": http_date(now),
        "this_update": http_date(now),
        "next_update": http_date(now + timedelta(seconds=config.get("query_frequency", 3600))),
        "revocation_time": "",
    }


@route("GET", "/v1/ocsp")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return public(load_singleton(tx, KIND, initial_config))


@route("PUT", "/v1/ocsp")
def update(req):
    body = req.json_object()
    if "responder_url" in body:
        raise ApiError(400, "invalid_schema",
                       "`responder_url` comes from the proxy certificate and cannot be set")
    check_fields(body, WRITABLE, "ocsp", error_code="invalid_schema")
    for name, (low, high) in LIMITS.items():
        if name in body and not low <= body[name] <= high:
            raise ApiError(400, "invalid_schema", f"`{name}` must be between {low} and {high}")
    with req.sandbox.store.transaction() as tx:
        config = load_singleton(tx, KIND, initial_config)
        if body.get("ocsp_functionality") and not config.get("responder_url"):
            raise ApiError(400, "no_responder_url",
                           "OCSP cannot be enabled: the proxy certificate names no responder")
        config.update(body)
        return public(tx.put(KIND, "1", config))


@route("GET", "/v1/ocsp/status")
def status(req):
    with req.sandbox.store.transaction() as tx:
        config = load_singleton(tx, KIND, initial_config)
        return load_singleton(tx, STATUS_KIND, lambda: fresh_status(config))


@route("POST", "/v1/ocsp/test")
def test(req):
    with req.sandbox.store.transaction() as tx:
        config = load_singleton(tx, KIND, initial_config)
        if not config.get("responder_url"):
            raise ApiError(500, "no_responder_url", "No OCSP responder URL is configured")
        return tx.put(STATUS_KIND, "1", fresh_status(config))
