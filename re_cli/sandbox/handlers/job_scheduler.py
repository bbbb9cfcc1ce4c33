"""Schedules of the cluster's background jobs."""

from re_cli.sandbox.common import defaults_for
from re_cli.sandbox.handlers._shared import check_cron, check_fields, deep_merge, load_singleton
from re_cli.sandbox.routes import ApiError, route

KIND = "job_scheduler"
SCHEDULES = {
    "backup_job_settings": "*/5 * * * *",
    "bdb_usage_report_job_settings": "0 */1 * * *",
    "cert_rotation_job_settings": "0 * * * *",
    "log_rotation_job_settings": "*/5 * * * *",
    "node_checks_job_settings": "0 * * * *",
    "redis_cleanup_job_settings": "0 * * * *",
    "rotate_ccs_job_settings": "*/5 * * * *",
}
FIELDS = {
    "backup_job_settings": {"cron_expression": str, "enabled": bool},
    "bdb_usage_report_job_settings": {"cron_expression": str, "enabled": bool,
                                      "file_retention_days": int},
    "cert_rotation_job_settings": {"cron_expression": str, "enabled": bool,
                                   "expiry_days_before_rotation": int},
    "log_rotation_job_settings": {"cron_expression": str, "enabled": bool},
    "node_checks_job_settings": {"cron_expression": str, "enabled": bool},
    "redis_cleanup_job_settings": {"cron_expression": str},
    "rotate_ccs_job_settings": {"cron_expression": str, "enabled": bool, "file_suffix": str,
                                "rotate_max_num": int},
}


def initial() -> dict:
    out = {}
    for name, cron in SCHEDULES.items():
        out[name] = {**defaults_for(f"job_scheduler.{name}"), "cron_expression": cron}
    return out


@route("GET", "/v1/job_scheduler")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return load_singleton(tx, KIND, initial)


@route("PUT", "/v1/job_scheduler")
def update(req):
    body = req.json_object()
    check_fields(body, FIELDS, "job_scheduler")
    for job, settings in body.items():
        if "cron_expression" in settings:
            check_cron(settings["cron_expression"], f"{job}.cron_expression")
    days = body.get("bdb_usage_report_job_settings", {}).get("file_retention_days")
    if days is not None and not 1 <= days <= 1000:
        raise ApiError(400, "invalid_param", "`file_retention_days` must be between 1 and 1000")
    with req.sandbox.store.transaction() as tx:
        config = deep_merge(load_singleton(tx, KIND, initial), body)
        return tx.put(KIND, "1", config)
