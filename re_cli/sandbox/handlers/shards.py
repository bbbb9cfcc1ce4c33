"""Shards: read-only views of the shards the bdb state machines place on the nodes."""

from re_cli.sandbox.routes import ApiError, Request, route


def shard_not_found(uid) -> ApiError:
    return ApiError(404, "shard_not_exist", f"There is no shard with uid {uid}.")


@route("GET", "/v1/shards")
def list_shards(req: Request):
    with req.sandbox.store.transaction() as tx:
        return tx.list("shard")


@route("GET", "/v1/shards/{uid}")
def get_shard(req: Request):
    uid = req.params["uid"]
    with req.sandbox.store.transaction() as tx:
        shard = tx.get("shard", uid) if uid.isdigit() else None
    if shard is None:
        raise shard_not_found(uid)
    return shard


def _task(req, name: str, shard_uids: list) -> dict:
    from re_cli.sandbox import bdb_actions

    with req.sandbox.store.transaction() as tx:
        for uid in shard_uids:
            if tx.get("shard", uid) is None:
                raise shard_not_found(uid)
        if req.flag("dry_run"):
            return {}
        action = bdb_actions.new_task(name, "shard", ",".join(map(str, shard_uids)),
                                      bdb_actions.action_delay(req.sandbox))
        tx.put("action", action["action_uid"], action)
    bdb_actions.runtime(req.sandbox).submit(action)
    return {"action_uid": action["action_uid"]}


def _shard_uids(body: dict) -> list[str]:
    uids = body.get("shard_uids")
    if not isinstance(uids, list) or not uids:
        raise ApiError(400, "invalid_param", "`shard_uids` must be a non-empty list.")
    return [str(u) for u in uids]


def _target_node(req, body: dict) -> None:
    target = body.get("target_node_uid")
    if isinstance(target, bool) or not isinstance(target, (int, str)) or not str(target):
        raise ApiError(400, "invalid_param", "`target_node_uid` is required.")
    with req.sandbox.store.transaction() as tx:
        if not str(target).isdigit() or tx.get("node", int(target)) is None:
            raise ApiError(404, "node_not_found", f"node {target} does not exist")


@route("POST", "/v1/shards/actions/failover")
def failover_shards(req: Request):
    return _task(req, "shard_failover", _shard_uids(req.json_object()))


@route("POST", "/v1/shards/{uid}/actions/failover")
def failover_shard(req: Request):
    req.json_object(required=False)
    return _task(req, "shard_failover", [req.params["uid"]])


@route("POST", "/v1/shards/actions/migrate")
def migrate_shards(req: Request):
    body = req.json_object()
    uids = _shard_uids(body)
    _target_node(req, body)
    return _task(req, "shard_migrate", uids)


@route("POST", "/v1/shards/{uid}/actions/migrate")
def migrate_shard(req: Request):
    body = req.json_object()
    with req.sandbox.store.transaction() as tx:
        if tx.get("shard", req.params["uid"]) is None:
            raise shard_not_found(req.params["uid"])
    _target_node(req, body)
    return _task(req, "shard_migrate", [req.params["uid"]])
