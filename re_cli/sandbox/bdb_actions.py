"""Asynchronous bdb work: the state machines behind create, update and delete.

A request records an action (kind "action", uid = a UUID string) and answers at once.
The action is queued for the first fifth of the sandbox's action delay, then running
with its progress rising, and one background thread, the only one that finishes
actions, applies the side effects exactly once when the delay has passed: the bdb
becomes active (or is removed), its shards follow, and its `redis-server` is started,
reconfigured or stopped before the action reads completed.

Action record, as stored: action_uid, name (SMCreateBDB, SMUpdateBDB, SMDeleteBDB),
action_type "state-machine", object_type "bdb", object_uid, node_uid, creation_time
(epoch seconds), started (epoch float), delay (seconds), outcome (null until finished,
then "completed" or "failed"), error_code / error_message when failed, fail (bool),
undo (the bdb before an update, restored when the update fails) and flush (an update
through PUT /v1/bdbs/{uid}/flush empties the database when it completes).

Failing on demand, for tests of failed actions (sandbox-only, never a reference rule):
- a create fails when the bdb's name starts with `fail-`, or when its `tags` hold
  {"key": "sandbox-fail", "value": "create"}; the bdb ends in status creation-failed;
- an update fails when the PUT body's `tags` hold {"key": "sandbox-fail",
  "value": "update"}; the bdb returns to its previous configuration;
- a delete fails when the bdb's `tags` hold {"key": "sandbox-fail", "value": "delete"};
  the bdb stays, active.
A failed action reads status "failed" with error_code "internal_error" and an
error_message (v1), and additional_info.error (v2), as objects/action.md describes.
"""

import threading
import time
import uuid

from re_cli.sandbox import bdb_model
from re_cli.sandbox.redis_servers import RedisServers

FAIL_TAG = "sandbox-fail"
QUEUED_SHARE = 0.2
NAMES = {"create": "SMCreateBDB", "update": "SMUpdateBDB", "delete": "SMDeleteBDB"}
KINDS = {name: kind for kind, name in NAMES.items()}
V1_WORDS = {"queued": "pending", "running": "active", "completed": "completed",
            "failed": "failed"}

_RUNTIMES: dict[int, "Runtime"] = {}
_RUNTIMES_LOCK = threading.Lock()


def runtime(sandbox) -> "Runtime":
    """The action runner and redis servers of `sandbox`, created on first use."""
    with _RUNTIMES_LOCK:
        found = _RUNTIMES.get(id(sandbox))
        if found is None or found.sandbox is not sandbox:
            found = Runtime(sandbox)
            _RUNTIMES[id(sandbox)] = found
        return found


def action_delay(sandbox) -> float:
    try:
        return max(0.0, float(getattr(sandbox, "action_delay", 1.0)))
    except (TypeError, ValueError):
        return 1.0


def wants_failure(tags, step: str) -> bool:
    return any(isinstance(t, dict) and t.get("key") == FAIL_TAG and t.get("value") == step
               for t in tags or [])


def new_action(kind: str, bdb_uid, delay: float, fail: bool, undo: dict | None = None) -> dict:
    now = time.time()
    return {
        "action_uid": str(uuid.uuid4()),
        "name": NAMES[kind],
        "action_type": "state-machine",
        "object_type": "bdb",
        "object_uid": str(bdb_uid),
        "node_uid": "1",
        "creation_time": int(now),
        "started": now,
        "delay": delay,
        "outcome": None,
        "fail": fail,
        "undo": undo,
    }


def new_task(name: str, object_type: str, object_uid, delay: float,
             bdb_after: dict | None = None) -> dict:
    """An action with no side effect but `bdb_after` (fields set on the bdb when it
    completes): export, import, rebalance, upgrade, shard failover and the like."""
    action = new_action("update", object_uid, delay, False)
    action.update(name=name, object_type=object_type, task=True, bdb_after=bdb_after or {})
    return action


def phase(action: dict, now: float | None = None) -> tuple[str, float]:
    """(status in v2 words, progress) of an action at `now`."""
    if action.get("outcome"):
        return action["outcome"], 100.0 if action["outcome"] == "completed" else action.get(
            "progress_at_end", 50.0)
    now = time.time() if now is None else now
    delay = action.get("delay", 0.0)
    elapsed = now - action.get("started", now)
    if delay > 0 and elapsed < delay * QUEUED_SHARE:
        return "queued", 0.0
    if delay <= 0:
        return "running", 99.0
    return "running", round(min(99.0, 100.0 * elapsed / delay), 1)


def v1_view(action: dict) -> dict:
    status, progress = phase(action)
    view = {
        "action_uid": action["action_uid"],
        "name": action["name"],
        "object_name": f"{action.get('object_type', 'bdb')}:{action.get('object_uid')}",
        "node_uid": action.get("node_uid", "1"),
        "progress": progress,
        "status": V1_WORDS[status],
        "state": {"queued": "waiting", "running": "running"}.get(status, status),
        "heartbeat": int(action.get("finished_at", time.time())),
    }
    if status == "failed":
        view.update(error_code=action.get("error_code", "internal_error"),
                    error_message=action.get("error_message", ""),
                    error=action.get("error_message", ""))
    return view


def v2_view(action: dict) -> dict:
    status, progress = phase(action)
    info = {
        "description": _description(action),
        "object_type": action.get("object_type", "bdb"),
        "object_uid": str(action.get("object_uid")),
    }
    if status == "failed":
        info["error"] = action.get("error_message", "")
    return {
        "action_uid": action["action_uid"],
        "action_type": action.get("action_type", "state-machine"),
        "creation_time": action.get("creation_time", 0),
        "name": action["name"],
        "progress": progress,
        "status": status,
        "additional_info": info,
    }


def _description(action: dict) -> str:
    verb = {"create": "Create", "update": "Update", "delete": "Delete"}.get(
        KINDS.get(action["name"], ""), "Change")
    return f"{verb} database {action.get('object_uid')}"


class Runtime:
    """One sandbox's redis servers and the thread that finishes its actions."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.redis = RedisServers(sandbox.store.path.parent)
        self._due: dict[str, float] = {}
        self._due_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def submit(self, action: dict) -> None:
        with self._due_lock:
            self._due[action["action_uid"]] = action["started"] + action["delay"]
        self.ensure_running()
        self._wake.set()

    def ensure_running(self) -> None:
        with self._thread_lock:
            if self._stop.is_set() or (self._thread and self._thread.is_alive()):
                return
            self._thread = threading.Thread(target=self._loop, name="sandbox-actions",
                                            daemon=True)
            self._thread.start()

    def start(self) -> None:
        """On sandbox start: end leftovers of a killed sandbox, serve the active bdbs,
        and pick up actions an earlier run left unfinished."""
        self.redis.reap_stale()
        with self.sandbox.store.transaction() as tx:
            bdbs = tx.list("bdb")
            unfinished = [a for a in tx.list("action") if a.get("outcome") is None
                          and (a.get("name") in KINDS or a.get("task"))]
        for bdb in bdbs:
            if bdb.get("status") in ("active", "active-change-pending", "delete-pending"):
                self.redis.start(bdb["uid"], bdb["port"], bdb.get("authentication_redis_pass"))
        with self._due_lock:
            for action in unfinished:
                self._due[action["action_uid"]] = action["started"] + action["delay"]
        self.ensure_running()

    def shutdown(self) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread and thread is not threading.current_thread():
            thread.join(timeout=10)
        self.redis.stop_all()

    def _loop(self) -> None:
        while not self._stop.is_set():
            now = time.time()
            with self._due_lock:
                ready = sorted((due, uid) for uid, due in self._due.items() if due <= now)
                upcoming = [due for due in self._due.values() if due > now]
            for _, action_uid in ready:
                if self._stop.is_set():
                    return
                try:
                    self._finish(action_uid)
                except Exception as exc:  # noqa: BLE001 - one broken action must not stop the rest
                    self._mark_failed_safely(action_uid, exc)
                with self._due_lock:
                    self._due.pop(action_uid, None)
            wait = min(upcoming) - time.time() if upcoming else 1.0
            self._wake.wait(timeout=max(0.005, min(wait, 1.0)))
            self._wake.clear()

    def _finish(self, action_uid: str) -> None:
        with self.sandbox.store.transaction() as tx:
            action = tx.get("action", action_uid)
        if action is None or action.get("outcome"):
            return
        kind = "task" if action.get("task") else KINDS[action["name"]]
        getattr(self, f"_finish_{kind}")(action)

    def _finish_task(self, action: dict) -> None:
        with self.sandbox.store.transaction() as tx:
            if action.get("object_type") == "bdb" and action.get("bdb_after"):
                bdb = tx.get("bdb", action["object_uid"])
                if bdb is not None:
                    bdb.update(action["bdb_after"])
                    tx.put("bdb", bdb["uid"], bdb)
            self._close(tx, action, "completed")

    def _fail(self, action: dict, bdb_status: str, message: str) -> None:
        """End a failed-on-request action, leaving its bdb in `bdb_status`."""
        with self.sandbox.store.transaction() as tx:
            bdb = tx.get("bdb", action["object_uid"])
            if bdb is not None:
                bdb["status"] = bdb_status
                tx.put("bdb", bdb["uid"], bdb)
            self._close(tx, action, "failed", message)

    def _finish_create(self, action: dict) -> None:
        uid = action["object_uid"]
        if action.get("fail"):
            self._fail(action, "creation-failed", "The sandbox failed this create on request "
                       "(`fail-` name or `sandbox-fail` tag).")
            return
        with self.sandbox.store.transaction() as tx:
            bdb = tx.get("bdb", uid)
        if bdb is not None:
            self.redis.start(uid, bdb["port"], bdb.get("authentication_redis_pass"))
        with self.sandbox.store.transaction() as tx:
            bdb = tx.get("bdb", uid)
            if bdb is not None:
                bdb["status"] = "active"
                tx.put("bdb", uid, bdb)
                _set_shards_state(tx, uid, active=True)
            self._close(tx, action, "completed")

    def _finish_update(self, action: dict) -> None:
        uid = action["object_uid"]
        undo = action.get("undo") or {}
        with self.sandbox.store.transaction() as tx:
            bdb = tx.get("bdb", uid)
        if bdb is None:
            with self.sandbox.store.transaction() as tx:
                self._close(tx, action, "completed")
            return
        if action.get("fail"):
            with self.sandbox.store.transaction() as tx:
                restored = dict(undo or bdb)
                restored["status"] = "active"
                restored["action_uid"] = action["action_uid"]
                tx.put("bdb", uid, restored)
                self._close(tx, action, "failed",
                            "The sandbox failed this update on request (`sandbox-fail` tag); "
                            "the previous configuration stays.")
            return
        self._reconfigure_redis(uid, undo, bdb)
        if action.get("flush"):
            self.redis.flush(uid, bdb.get("authentication_redis_pass"))
        with self.sandbox.store.transaction() as tx:
            bdb = tx.get("bdb", uid)
            if bdb is not None:
                if _shape(bdb) != _shape(undo):
                    relayout_shards(tx, bdb)
                bdb["status"] = "active"
                tx.put("bdb", uid, bdb)
                _set_shards_state(tx, uid, active=True)
            self._close(tx, action, "completed")

    def _reconfigure_redis(self, uid: str, before: dict, after: dict) -> None:
        password = after.get("authentication_redis_pass")
        if after.get("port") != before.get("port") or not self.redis.serving(uid):
            self.redis.start(uid, after["port"], password)
        elif password != before.get("authentication_redis_pass"):
            if not self.redis.set_password(uid, before.get("authentication_redis_pass"),
                                           password):
                self.redis.stop(uid)
                self.redis.start(uid, after["port"], password)

    def _finish_delete(self, action: dict) -> None:
        uid = action["object_uid"]
        if action.get("fail"):
            self._fail(action, "active", "The sandbox failed this delete on request "
                       "(`sandbox-fail` tag); the database stays.")
            return
        self.redis.stop(uid)
        with self.sandbox.store.transaction() as tx:
            tx.delete("bdb", uid)
            for shard in tx.list("shard"):
                if str(shard.get("bdb_uid")) == str(uid):
                    tx.delete("shard", shard["uid"])
            self._close(tx, action, "completed")

    def _close(self, tx, action: dict, outcome: str, message: str | None = None) -> None:
        current = tx.get("action", action["action_uid"]) or action
        _, progress = phase(current)
        current["outcome"] = outcome
        current["finished_at"] = time.time()
        current["progress_at_end"] = progress
        if outcome == "failed":
            current["error_code"] = "internal_error"
            current["error_message"] = message or "The action failed."
        tx.put("action", current["action_uid"], current)

    def _mark_failed_safely(self, action_uid: str, exc: Exception) -> None:
        try:
            with self.sandbox.store.transaction() as tx:
                action = tx.get("action", action_uid)
                if action is not None and not action.get("outcome"):
                    self._close(tx, action, "failed", f"The sandbox could not finish: {exc}")
        except Exception:  # noqa: BLE001, S110 - the store itself is gone (shutting down)
            pass


def _shape(bdb: dict) -> tuple:
    return bdb.get("shards_count", 1), bool(bdb.get("replication"))


def node_uids(tx) -> list[str]:
    uids = [str(node["uid"]) for node in tx.list("node") if "uid" in node]
    return uids or ["1", "2", "3"]


def place_shards(tx, bdb: dict) -> list[dict]:
    """Create the shards of `bdb` in the store and set its shard_list."""
    first = tx.next_uid("shard")
    shards = bdb_model.shard_layout(bdb, node_uids(tx), first)
    for shard in shards:
        tx.put("shard", shard["uid"], shard)
    if shards:
        tx.note_uid("shard", int(shards[-1]["uid"]))
    bdb["shard_list"] = [int(s["uid"]) for s in shards]
    return shards


def relayout_shards(tx, bdb: dict) -> None:
    for shard in tx.list("shard"):
        if str(shard.get("bdb_uid")) == str(bdb["uid"]):
            tx.delete("shard", shard["uid"])
    place_shards(tx, bdb)


def _set_shards_state(tx, bdb_uid, active: bool) -> None:
    for shard in tx.list("shard"):
        if str(shard.get("bdb_uid")) == str(bdb_uid):
            shard["status"] = "active" if active else "inactive"
            shard["detailed_status"] = "ok" if active else "loading"
            shard["report_timestamp"] = bdb_model.now_iso()
            tx.put("shard", shard["uid"], shard)
