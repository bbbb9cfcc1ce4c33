"""Active-Active tasks: every crdb write queues one, and its status is worked out from
the time it was queued: queued, then started, then finished after the sandbox's
action delay. A task's effect on the crdb is applied once, when it finishes, by
whichever request first sees it finished."""

import time
import uuid

from re_cli.sandbox.handlers._shared import action_delay, iso, public
from re_cli.sandbox.routes import ApiError, route

KIND = "crdb_task"
DEFAULT_TTL = 500  # seconds a finished task stays readable, as the reference says
STARTED_AT = 0.25  # share of the delay spent queued
COMMIT_AT = 0.6  # share of the delay after which the change is being committed

# operation name -> fn(tx, task) -> error text or None; filled in by the crdbs module
EFFECTS: dict = {}


def queue(tx, req, operation: str, crdb_guid: str, effect: dict, clusters: list[str]) -> dict:
    """Store a new task for `operation` and answer its public view."""
    task_id = (req.headers.get("X-Task-ID") or "").strip() or str(uuid.uuid4())
    if tx.get(KIND, task_id) is not None:
        raise ApiError(400, "invalid_param", f"task id {task_id} is already in use")
    ttl = (req.headers.get("X-Result-TTL") or "").strip()
    try:
        ttl_seconds = int(ttl) if ttl else DEFAULT_TTL
    except ValueError:
        raise ApiError(400, "invalid_param", "X-Result-TTL must be a number of seconds") from None
    task = {
        "id": task_id,
        "crdb_guid": crdb_guid,
        "operation": operation,
        "worker_name": "crdb_worker:1:0",
        "errors": [],
        "_queued": time.time(),
        "_delay": action_delay(req),
        "_ttl": max(ttl_seconds, 0),
        "_effect": effect,
        "_clusters": clusters,
        "_done": False,
        "_failed_at": None,
    }
    tx.put(KIND, task_id, task)
    return view(task, time.time())


def phase(task: dict, now: float) -> str:
    if task.get("_failed_at") is not None:
        return "failed"
    elapsed = now - task["_queued"]
    delay = task["_delay"]
    if elapsed >= delay:
        return "finished"
    if elapsed >= delay * STARTED_AT:
        return "started"
    return "queued"


def in_commit(task: dict, now: float) -> bool:
    return now - task["_queued"] >= task["_delay"] * COMMIT_AT


def view(task: dict, now: float) -> dict:
    status = phase(task, now)
    out = public(task)
    out["status"] = status
    if status != "queued":
        out["started"] = iso(task["_queued"] + task["_delay"] * STARTED_AT)
    if status == "finished":
        out["ended"] = iso(task["_queued"] + task["_delay"])
    elif status == "failed":
        out["ended"] = iso(task["_failed_at"])
    out["progress"] = progress(task, status, now)
    return out


def progress(task: dict, status: str, now: float) -> dict:
    if status == "queued":
        step, worker = "pending", "waiting"
    elif status == "started":
        committing = in_commit(task, now)
        step = "committing" if committing else "distributing-configuration"
        worker = "running"
    elif status == "finished":
        step, worker = "done", "finished"
    else:
        step, worker = "aborted", "failed"
    return {"clusters": [{"name": name, "progress": step} for name in task["_clusters"]],
            "worker": worker}


def fail(tx, task: dict, when: float, error_code: str, text: str) -> None:
    task["_failed_at"] = when
    task["_done"] = True
    task["errors"] = [{"cluster_name": name, "error_code": error_code, "description": text}
                      for name in task["_clusters"][:1]] or [
        {"cluster_name": "", "error_code": error_code, "description": text}]
    tx.put(KIND, task["id"], task)


def settle(tx, now: float | None = None) -> None:
    """Apply the effect of every task that has finished since it was last looked at,
    oldest first, and drop finished tasks past their time to live."""
    now = time.time() if now is None else now
    tasks = sorted(tx.list(KIND), key=lambda t: t["_queued"])
    for task in tasks:
        if not task["_done"] and phase(task, now) == "finished":
            apply = EFFECTS.get(task["_effect"].get("op"))
            error = apply(tx, task) if apply else None
            if error:
                fail(tx, task, task["_queued"] + task["_delay"], "task_failed", error)
                continue
            task["_done"] = True
            tx.put(KIND, task["id"], task)
        if task["_done"]:
            ended = task["_failed_at"] or task["_queued"] + task["_delay"]
            if now - ended > task["_ttl"]:
                tx.delete(KIND, task["id"])


def get_task(tx, task_id: str) -> dict:
    task = tx.get(KIND, task_id)
    if task is None:
        raise ApiError(404, "task_not_found", f"crdb task {task_id} does not exist")
    return task


@route("GET", "/v1/crdb_tasks")
def list_tasks(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        tasks = sorted(tx.list(KIND), key=lambda t: t["_queued"])
    now = time.time()
    return [view(task, now) for task in tasks]


@route("GET", "/v1/crdb_tasks/{task_id}")
def get(req):
    with req.sandbox.store.transaction() as tx:
        settle(tx)
        task = get_task(tx, req.params["task_id"])
    # `verbose` is accepted; every view already carries the task's progress.
    return view(task, time.time())


@route("POST", "/v1/crdb_tasks/{task_id}/actions/cancel")
def cancel(req):
    now = time.time()
    with req.sandbox.store.transaction() as tx:
        settle(tx, now)
        task = get_task(tx, req.params["task_id"])
        status = phase(task, now)
        if status in ("finished", "failed"):
            raise ApiError(406, "task_not_cancelable",
                           f"crdb task {task['id']} has already {status}")
        if status == "started" and in_commit(task, now) and not req.flag("force"):
            raise ApiError(409, "task_in_commit",
                           f"crdb task {task['id']} is committing its change; "
                           "cancel with force=true to stop it anyway")
        fail(tx, task, now, "task_cancelled", "The task was cancelled")
    return view(task, now)
