"""The cluster license."""

from re_cli.sandbox.routes import ApiError, route

MARKERS = ("----- LICENSE START -----", "----- LICENSE END -----")


@route("GET", "/v1/license")
def get_license(req):
    with req.sandbox.store.transaction() as tx:
        lic = tx.get("license", "1")
    if lic is None:
        raise ApiError(404, "license_not_found", "No license is installed.")
    return lic


@route("PUT", "/v1/license")
def put_license(req):
    body = req.json_object()
    text = body.get("license")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "invalid_license", "The body must be {\"license\": \"<license>\"}.")
    if not all(marker in text for marker in MARKERS):
        raise ApiError(400, "invalid_license",
                       "The license is corrupted: it lacks its START and END lines.")
    with req.sandbox.store.transaction() as tx:
        lic = tx.get("license", "1") or {}
        if "expired" in text.lower():
            raise ApiError(406, "license_violation", "The license has expired.")
        lic.update(license=text, expired=False)
        tx.put("license", "1", lic)
    return lic
