"""Cluster Manager UI settings: for now, its time zone."""

from zoneinfo import available_timezones

from re_cli.sandbox.handlers._shared import check_fields, load_singleton
from re_cli.sandbox.routes import ApiError, route

KIND = "cm_settings"


def initial() -> dict:
    return {"timezone": "UTC"}


@route("GET", "/v1/cm_settings")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return load_singleton(tx, KIND, initial)


@route("PUT", "/v1/cm_settings")
def update(req):
    body = req.json_object()
    if not body:
        raise ApiError(400, "missing_field", "give at least one setting, such as `timezone`")
    check_fields(body, {"timezone": str}, "cm_settings")
    zone = body.get("timezone")
    if zone is not None and zone != "UTC" and zone not in available_timezones():
        raise ApiError(400, "invalid_param", f"unknown time zone {zone!r}; use a name such as "
                       "US/Pacific or Europe/Paris")
    with req.sandbox.store.transaction() as tx:
        settings = load_singleton(tx, KIND, initial)
        settings.update(body)
        return tx.put(KIND, "1", settings)
