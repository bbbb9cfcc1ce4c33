"""Node and cluster actions, polled by name as the reference describes.

An action runs for the sandbox's action delay. Its state is computed from its start
time when read, and its effect on the node lands when it completes (`settle`), so no
timer thread is needed and a restart resumes where it was.
"""

import time
import uuid

from re_cli.sandbox.common import int_uid, now_iso
from re_cli.sandbox.routes import ApiError, route

NODE_ACTIONS = ("remove", "maintenance_on", "maintenance_off", "enslave_node")
CLUSTER_ACTIONS = ("change_master",)
FINAL = ("completed", "cancelled", "failed")


def _progress(action: dict, now: float) -> dict:
    """The action as the API shows it at `now`."""
    shown = {k: v for k, v in action.items() if not k.startswith("_")}
    if action["status"] in FINAL:
        return shown
    delay = max(action["_delay"], 0.001)
    share = (now - action["_started"]) / delay
    if share >= 1:
        shown.update(status="completed", progress=100.0)
    elif share < 0.1:
        shown.update(status="queued", progress=0.0)
    else:
        shown.update(status="running", progress=round(share * 100, 1))
    return shown


def settle(tx) -> None:
    """Apply the effects of node actions that have completed since the last look."""
    now = time.time()
    for action in tx.list("node_action"):
        if action["status"] in FINAL:
            continue
        shown = _progress(action, now)
        if shown["status"] != "completed":
            continue
        _apply(tx, action)
        action.update(status="completed", progress=100.0)
        tx.put("node_action", action["_key"], action)


def _apply(tx, action: dict) -> None:
    if action["_key"].startswith("cluster:"):
        _apply_cluster(tx, action)
        return
    node = tx.get("node", int(action["node_uid"]))
    if node is None:
        return
    name = action["name"]
    if name == "remove":
        tx.delete("node", node["uid"])
        return
    if name == "maintenance_on":
        snapshot = {"name": action["_snapshot"], "time": now_iso(),
                    "node_uid": str(node["uid"]), "maintenance": True}
        node["_snapshots"] = [s for s in node.get("_snapshots", [])
                              if s["name"] != snapshot["name"]] + [snapshot]
        node.update(accept_servers=False, _maintenance=True)
    elif name == "maintenance_off":
        node.update(accept_servers=True, _maintenance=False)
    tx.put("node", node["uid"], node)


def _apply_cluster(tx, action: dict) -> None:
    # A cluster action has no node_uid of its own: change_master names the new master.
    target = action.get("_target")
    if action["name"] == "change_master" and tx.get("node", target) is not None:
        cluster = tx.get("cluster", "1")
        cluster["_master_node"] = target
        tx.put("cluster", "1", cluster)


def _start(tx, req, key: str, fields: dict) -> dict:
    current = tx.get("node_action", key)
    if current is not None and _progress(current, time.time())["status"] not in FINAL:
        raise ApiError(409, "action_in_progress",
                       f"action {fields['name']} is already running; poll it or cancel it")
    action = {"action_uid": str(uuid.uuid4()), "progress": 0.0, "status": "queued",
              "_key": key, "_started": time.time(), "_delay": req.sandbox.action_delay,
              **fields}
    tx.put("node_action", key, action)
    return action


def _node_uid(tx, raw) -> int:
    uid = int_uid(raw, "node")
    if tx.get("node", uid) is None:
        raise ApiError(404, "node_not_found", f"node {raw} does not exist")
    return uid


@route("POST", "/v1/nodes/{node_uid}/actions/{action}")
def start_node_action(req):
    name = req.params["action"]
    body = req.json_object(required=False)
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        uid = _node_uid(tx, req.params["node_uid"])
        if name not in NODE_ACTIONS:
            raise ApiError(400, "invalid_action",
                           f"unknown node action `{name}`; one of {', '.join(NODE_ACTIONS)}")
        node = tx.get("node", uid)
        if name == "remove":
            if len(tx.list("node")) <= 1:
                raise ApiError(406, "last_node", "The last node cannot be removed.")
            node["status"] = "decommissioning"
            tx.put("node", uid, node)
        fields = {"name": name, "node_uid": str(uid)}
        if name == "maintenance_on":
            fields["_snapshot"] = body.get("snapshot_name") or f"maintenance_{int(time.time())}"
        action = _start(tx, req, f"{uid}:{name}", fields)
    return _progress(action, time.time())


def _node_action(tx, req) -> dict:
    uid = _node_uid(tx, req.params["node_uid"]) if "node_uid" in req.params else None
    action = tx.get("node_action", f"{uid}:{req.params['action']}")
    if action is None:
        raise ApiError(404, "action_not_found",
                       f"no action {req.params['action']} has run on node {uid}")
    return action


@route("GET", "/v1/nodes/{node_uid}/actions/{action}")
def get_node_action(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        return _progress(_node_action(tx, req), time.time())


@route("DELETE", "/v1/nodes/{node_uid}/actions/{action}")
def cancel_node_action(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        action = _node_action(tx, req)
        if _progress(action, time.time())["status"] in FINAL:
            raise ApiError(404, "action_not_running", "The action is not running.")
        action.update(status="cancelled")
        tx.put("node_action", action["_key"], action)
        node = tx.get("node", int(action["node_uid"]))
        if node and action["name"] == "remove":
            node["status"] = "active"
            tx.put("node", node["uid"], node)
    return None


@route("GET", "/v1/nodes/{node_uid}/actions")
def list_node_actions(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        uid = str(_node_uid(tx, req.params["node_uid"]))
        actions = [a for a in tx.list("node_action") if a.get("node_uid") == uid]
    now = time.time()
    return {"actions": [_progress(a, now) for a in actions]}


@route("GET", "/v1/nodes/actions")
def list_all_node_actions(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        actions = [a for a in tx.list("node_action") if a.get("node_uid")]
    now = time.time()
    return {"actions": [_progress(a, now) for a in actions]}


@route("POST", "/v1/cluster/actions/{action}")
def start_cluster_action(req):
    name = req.params["action"]
    body = req.json_object(required=False)
    if name not in CLUSTER_ACTIONS:
        raise ApiError(400, "invalid_action",
                       f"unknown cluster action `{name}`; one of {', '.join(CLUSTER_ACTIONS)}")
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        uid = _node_uid(tx, body.get("node_uid"))
        action = _start(tx, req, f"cluster:{name}", {"name": name, "_target": uid})
    return _progress(action, time.time())


def _cluster_action(tx, name: str) -> dict:
    action = tx.get("node_action", f"cluster:{name}")
    if action is None:
        raise ApiError(404, "action_not_found", f"no cluster action {name} has run")
    return action


@route("GET", "/v1/cluster/actions/{action}")
def get_cluster_action(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        return _progress(_cluster_action(tx, req.params["action"]), time.time())


@route("DELETE", "/v1/cluster/actions/{action}")
def cancel_cluster_action(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        action = _cluster_action(tx, req.params["action"])
        if _progress(action, time.time())["status"] in FINAL:
            raise ApiError(404, "action_not_running", "The action is not running.")
        action.update(status="cancelled")
        tx.put("node_action", action["_key"], action)
    return None


@route("GET", "/v1/cluster/actions")
def list_cluster_actions(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        actions = [a for a in tx.list("node_action") if a["_key"].startswith("cluster:")]
    now = time.time()
    return {"actions": [_progress(a, now) for a in actions]}
