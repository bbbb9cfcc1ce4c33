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
