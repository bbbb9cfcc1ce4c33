"""The diagnostic logging service: a cron schedule per target it collects."""

import copy

from re_cli.sandbox.handlers._shared import check_cron, check_fields, load_singleton
from re_cli.sandbox.routes import ApiError, route

KIND = "diagnostics"
EVERY_10 = "*/10 * * * *"
EVERY_30 = "*/30 * * * *"
TARGETS = {
    "bdb_client_list_target": EVERY_10,
    "bdb_info_target": EVERY_10,
    "bdb_target": EVERY_10,
    "command_stats_target": EVERY_30,
    "network_stats_target": EVERY_30,
    "persistent_files_target": EVERY_10,
    "rladmin_status_target": EVERY_10,
    "shard_info_target": EVERY_10,
    "shard_latency_histogram_target": EVERY_10,
    "shard_latency_target": EVERY_10,
    "shard_target": EVERY_10,
    "slowlog_target": EVERY_10,
    "socket_files_target": EVERY_10,
}
FIELDS = {name: {"cron_expression": str} for name in TARGETS}
FIELDS["slowlog_target"] = {"cron_expression": str, "max_entries": int}


def initial() -> dict:
    config = {name: {"cron_expression": cron} for name, cron in TARGETS.items()}
    config["slowlog_target"]["max_entries"] = 100
    return config


@route("GET", "/v1/diagnostics")
def get(req):
    with req.sandbox.store.transaction() as tx:
        return load_singleton(tx, KIND, initial)


@route("PUT", "/v1/diagnostics")
def update(req):
    body = req.json_object()
    check_fields(body, FIELDS, "diagnostics")
    for target, settings in body.items():
        if "cron_expression" in settings:
            check_cron(settings["cron_expression"], f"{target}.cron_expression")
        if settings.get("max_entries", 1) < 1:
            raise ApiError(400, "invalid_param", "`slowlog_target.max_entries` must be at least 1")
    with req.sandbox.store.transaction() as tx:
        config = copy.deepcopy(load_singleton(tx, KIND, initial))
        for target, settings in body.items():
            config[target].update(settings)
        return tx.put(KIND, "1", config)
