"""Actions: the v1 and v2 views of the state machines behind bdb changes, and the
startup and shutdown hooks that run them and the databases' redis servers."""

from re_cli.sandbox import bdb_actions
from re_cli.sandbox.routes import ApiError, Request, on_shutdown, on_startup, route


@on_startup
def start_actions(sandbox) -> None:
    bdb_actions.runtime(sandbox).start()


@on_shutdown
def stop_actions(sandbox) -> None:
    bdb_actions.runtime(sandbox).shutdown()


def _all(req: Request) -> list[dict]:
    with req.sandbox.store.transaction() as tx:
        actions = tx.list("action")
    return sorted(actions, key=lambda a: (a.get("started", 0), a.get("action_uid", "")))


def _is_state_machine(action: dict) -> bool:
    return action.get("action_type", "state-machine") == "state-machine"


def _v1(action: dict) -> dict:
    if action.get("name") in bdb_actions.KINDS or action.get("task"):
        return bdb_actions.v1_view(action)
    return {"action_uid": action.get("action_uid"), "name": action.get("name"),
            "node_uid": str(action.get("node_uid", "1")),
            "progress": float(action.get("progress", 0)),
            "status": bdb_actions.V1_WORDS.get(action.get("status"), action.get("status"))}


def _v2(action: dict) -> dict:
    """Other handlers' finished tasks (module uploads) in the v2 shape."""
    if action.get("name") in bdb_actions.KINDS or action.get("task"):
        return bdb_actions.v2_view(action)
    info = {k: action[k] for k in ("module_uid",) if k in action}
    return {"action_uid": action.get("action_uid"),
            "action_type": action.get("action_type", "task"),
            "creation_time": int(action.get("creation_time", action.get("started", 0))),
            "name": action.get("name"), "progress": float(action.get("progress", 0)),
            "status": action.get("status"), "additional_info": info}


def _one(req: Request) -> dict:
    uid = req.params["uid"]
    with req.sandbox.store.transaction() as tx:
        action = tx.get("action", uid)
    if action is None:
        raise ApiError(404, "action_not_found", f"There is no action {uid}.")
    return action


@route("GET", "/v1/actions")
def list_v1(req: Request):
    # The reference leaves import, export and backup out of the v1 list (v2 has them).
    actions = [a for a in _all(req) if a.get("name") not in ("import", "export", "backup")]
    return {
        "actions": [_v1(a) for a in actions if not _is_state_machine(a)],
        "state-machines": [_v1(a) for a in actions if _is_state_machine(a)],
    }


@route("GET", "/v2/actions")
def list_v2(req: Request):
    return [_v2(a) for a in _all(req)]


@route("GET", "/v1/actions/{uid}")
def get_v1(req: Request):
    return _v1(_one(req))


@route("GET", "/v2/actions/{uid}")
def get_v2(req: Request):
    return _v2(_one(req))


@route("GET", "/v1/actions/bdb/{bdb_uid}")
def list_for_bdb(req: Request):
    raw = req.params["bdb_uid"]
    with req.sandbox.store.transaction() as tx:
        exists = raw.isdigit() and tx.get("bdb", int(raw)) is not None
    if not exists:
        raise ApiError(404, "db_not_exist", f"There is no database with uid {raw}.")
    return [_v1(a) for a in _all(req)
            if a.get("object_type") == "bdb" and str(a.get("object_uid")) == raw]
