"""Settings of the v2 metrics stream engine."""

from re_cli.sandbox.common import defaults_for
from re_cli.sandbox.handlers._shared import check_fields, load_singleton
from re_cli.sandbox.routes import ApiError, route

KIND = "metrics_config"
FIELDS = {
    "key_distribution_enabled": bool,
    "key_size_buckets": str,
    "key_items_buckets": str,
    "local_storage_max_size_mb": int,
    "local_storage_retention_days": int,
    "expose_db_tags": bool,
    "metrics_tag_keys_exposed": list,
    "max_requests_in_flight": int,
}
AT_LEAST_ONE = ("local_storage_max_size_mb", "local_storage_retention_days",
                "max_requests_in_flight")
MAX_TAG_KEYS = 50


def initial() -> dict:
    return {
        **defaults_for(KIND),
        "key_size_buckets": "64,256,1024,4096,16384,65536,262144,1048576",
        "key_items_buckets": "8,32,128,512,2048,8192,32768,131072",
        "metrics_tag_keys_exposed": [],
    }


@route("GET", "/v1/metrics_config")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return load_singleton(tx, KIND, initial)


@route("PUT", "/v1/metrics_config")
def update(req):
    body = req.json_object()
    if not body:
        raise ApiError(400, "missing_field", "give at least one metrics setting")
    check_fields(body, FIELDS, "metrics_config")
    for name in AT_LEAST_ONE:
        if name in body and body[name] < 1:
            raise ApiError(400, "invalid_param", f"`{name}` must be at least 1")
    tags = body.get("metrics_tag_keys_exposed", [])
    if len(tags) > MAX_TAG_KEYS or not all(isinstance(t, str) for t in tags):
        raise ApiError(400, "invalid_param",
                       f"`metrics_tag_keys_exposed` takes at most {MAX_TAG_KEYS} tag names")
    for name in ("key_size_buckets", "key_items_buckets"):
        if name in body and not all(p.strip().isdigit() for p in body[name].split(",")):
            raise ApiError(400, "invalid_param", f"`{name}` must be comma-separated numbers")
    with req.sandbox.store.transaction() as tx:
        config = load_singleton(tx, KIND, initial)
        config.update(body)
        return tx.put(KIND, "1", config)
