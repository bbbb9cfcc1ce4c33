"""Databases: create (v1 and v2 shapes), list, get, update and delete.

Create, update and delete answer at once with an action_uid and leave the work to the
action runner (re_cli.sandbox.bdb_actions). Every bdb carries two sandbox-only fields
computed when it is shown: `sandbox_endpoint_served` (true when a real redis-server
answers on its port) and, when false, `sandbox_endpoint_note` saying why.
"""

import secrets

from re_cli.sandbox import bdb_actions, bdb_model
from re_cli.sandbox.routes import ApiError, Request, route

BUSY = ("pending", "active-change-pending", "delete-pending", "import-pending")
MODULE_CONFIG = ("search", "timeseries", "probabilistic")  # shown only with ?extended=true
UPDATE_ACTIONS = ("flush", "reset_admin_pass")


class _DryRun(Exception):
    """Raised inside a transaction to roll it back and answer with `result`."""

    def __init__(self, result: dict):
        super().__init__("dry run")
        self.result = result


def not_found(uid) -> ApiError:
    return ApiError(404, "db_not_exist", f"There is no database with uid {uid}.")


def bdb_uid(req: Request, name: str = "uid") -> int:
    raw = req.params.get(name, "")
    if not raw.isdigit():
        raise not_found(raw)
    return int(raw)


def present(bdb: dict, rt: "bdb_actions.Runtime", extended: bool = True) -> dict:
    shown = dict(bdb)
    if not extended:
        for name in MODULE_CONFIG:
            shown.pop(name, None)
    note = rt.redis.note(bdb["uid"])
    shown["sandbox_endpoint_served"] = note is None
    if note is not None:
        shown["sandbox_endpoint_note"] = note
    return shown


def cluster_name(cluster: dict) -> str:
    return cluster.get("name") or "cluster.local"


@route("GET", "/v1/bdbs")
def list_bdbs(req: Request):
    rt = bdb_actions.runtime(req.sandbox)
    with req.sandbox.store.transaction() as tx:
        bdbs = tx.list("bdb")
    fields = req.query.get("fields")
    extended = req.flag("extended")
    return [bdb_model.select_fields(present(b, rt, extended), fields) for b in bdbs]


@route("GET", "/v1/bdbs/{uid}")
def get_bdb(req: Request):
    uid = bdb_uid(req)
    with req.sandbox.store.transaction() as tx:
        bdb = tx.get("bdb", uid)
    if bdb is None:
        raise not_found(uid)
    rt = bdb_actions.runtime(req.sandbox)
    shown = present(bdb, rt, req.flag("extended"))
    return bdb_model.select_fields(shown, req.query.get("fields"))


@route("POST", "/v1/bdbs")
def create_v1(req: Request):
    return _create(req, req.json_object())


@route("POST", "/v2/bdbs")
def create_v2(req: Request):
    body = req.json_object()
    spec = body.get("bdb")
    if not isinstance(spec, dict):
        raise ApiError(400, "invalid_schema", "The body needs the database under `bdb`.")
    return _create(req, spec)


def _create(req: Request, body: dict):
    bdb_model.check_create(body)
    rt = bdb_actions.runtime(req.sandbox)
    store = req.sandbox.store
    try:
        with store.transaction() as tx:
            cluster = tx.get("cluster", "1") or {}
            if "uid" in body and tx.get("bdb", body["uid"]) is not None:
                raise ApiError(409, "uid_exists", f"A database with uid {body['uid']} exists.")
            taken = {b.get("port") for b in tx.list("bdb")}
            port = body.get("port")
            if port is not None and (port in taken or not bdb_model.port_is_free(port)):
                raise bdb_model.invalid("port_unavailable", f"Port {port} is in use.")
            nodes = bdb_actions.node_uids(tx)
            uid = body["uid"] if "uid" in body else tx.next_uid("bdb")
            tx.note_uid("bdb", uid)
            bdb = bdb_model.new_bdb(body, uid, cluster)
            bdb_model.check_combined(bdb, cluster, len(nodes), tx.list("module"))
            bdb["port"] = port or bdb_model.choose_port(taken, str(store.path))
            bdb.update(bdb_model.endpoints(bdb, cluster_name(cluster)))
            bdb_actions.place_shards(tx, bdb)
            if req.flag("dry_run"):
                bdb.pop("status", None)
                raise _DryRun(bdb)
            fail = str(bdb["name"]).startswith("fail-") or bdb_actions.wants_failure(
                bdb.get("tags"), "create")
            action = bdb_actions.new_action("create", uid, bdb_actions.action_delay(
                req.sandbox), fail)
            bdb["action_uid"] = action["action_uid"]
            tx.put("bdb", uid, bdb)
            tx.put("action", action["action_uid"], action)
    except _DryRun as dry:
        return present(dry.result, rt)
    rt.submit(action)
    return present(bdb, rt)


@route("PUT", "/v1/bdbs/{uid}")
def update_bdb(req: Request):
    uid = bdb_uid(req)
    changes = req.json_object()
    return _update(req, uid, changes)


@route("PUT", "/v1/bdbs/{uid}/{action}")
def update_bdb_with_action(req: Request):
    uid = bdb_uid(req)
    extra = req.params["action"]
    if extra not in UPDATE_ACTIONS:
        raise ApiError(404, "not_found",
                       f"`{extra}` is not an update action; use flush or reset_admin_pass.")
    changes = req.json_object(required=False)
    if extra == "reset_admin_pass":
        changes["authentication_admin_pass"] = secrets.token_urlsafe(18)
    return _update(req, uid, changes, extra)


def _update(req: Request, uid: int, changes: dict, extra: str | None = None):
    bdb_model.check_fields(changes)
    if "uid" in changes and changes["uid"] != uid:
        raise bdb_model.invalid("invalid_schema", "`uid` of a database cannot change.")
    rt = bdb_actions.runtime(req.sandbox)
    try:
        with req.sandbox.store.transaction() as tx:
            bdb = tx.get("bdb", uid)
            if bdb is None:
                raise not_found(uid)
            if bdb.get("status") != "active":
                raise ApiError(409, "busy", f"Database {uid} is busy ({bdb.get('status')}); "
                               "try again when it is active.")
            if "type" in changes and changes["type"] != bdb.get("type"):
                raise bdb_model.invalid("invalid_schema", "`type` of a database cannot change.")
            cluster = tx.get("cluster", "1") or {}
            updated = bdb_model.apply_changes(bdb, changes)
            bdb_model.check_combined(updated, cluster, len(bdb_actions.node_uids(tx)),
                                     tx.list("module"))
            if updated.get("port") != bdb.get("port"):
                _check_new_port(tx, uid, updated["port"])
            updated.update(bdb_model.endpoints(updated, cluster_name(cluster)))
            if req.flag("dry_run"):
                raise _DryRun(updated)
            fail = bdb_actions.wants_failure(changes.get("tags"), "update")
            action = bdb_actions.new_action("update", uid, bdb_actions.action_delay(
                req.sandbox), fail, undo=bdb)
            action["flush"] = extra == "flush"
            updated["status"] = "active-change-pending"
            updated["action_uid"] = action["action_uid"]
            tx.put("bdb", uid, updated)
            tx.put("action", action["action_uid"], action)
    except _DryRun as dry:
        return present(dry.result, rt)
    rt.submit(action)
    return present(updated, rt)


def _check_new_port(tx, uid: int, port) -> None:
    if port is None:
        raise bdb_model.invalid("invalid_schema", "`port` cannot be removed.")
    others = {b.get("port") for b in tx.list("bdb") if b.get("uid") != uid}
    if port in others or not bdb_model.port_is_free(port):
        raise bdb_model.invalid("port_unavailable", f"Port {port} is in use.")


@route("DELETE", "/v1/bdbs/{uid}")
def delete_bdb(req: Request):
    uid = bdb_uid(req)
    with req.sandbox.store.transaction() as tx:
        bdb = tx.get("bdb", uid)
        if bdb is None:
            raise not_found(uid)
        if bdb.get("status") in BUSY:
            raise ApiError(409, "busy", f"Database {uid} is busy ({bdb.get('status')}); "
                           "try again when it is active.")
        if bdb.get("internal"):
            raise ApiError(403, "internal_bdb", f"Database {uid} is internal to the cluster.")
        fail = bdb_actions.wants_failure(bdb.get("tags"), "delete")
        action = bdb_actions.new_action("delete", uid, bdb_actions.action_delay(req.sandbox),
                                        fail)
        bdb["status"] = "delete-pending"
        bdb["action_uid"] = action["action_uid"]
        tx.put("bdb", uid, bdb)
        tx.put("action", action["action_uid"], action)
    bdb_actions.runtime(req.sandbox).submit(action)
    return {"uid": uid, "action_uid": action["action_uid"]}


@route("GET", "/v1/bdbs/{bdb_uid}/shards")
def bdb_shards(req: Request):
    uid = bdb_uid(req, "bdb_uid")
    with req.sandbox.store.transaction() as tx:
        if tx.get("bdb", uid) is None:
            raise not_found(uid)
        return [s for s in tx.list("shard") if str(s.get("bdb_uid")) == str(uid)]
