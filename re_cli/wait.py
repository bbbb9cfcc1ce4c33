"""Waiting for the cluster's asynchronous work to finish.

A request that starts long-running work says how to follow it (the catalog's `async`
field): an action uid, a crdb task, an action polled by its name, the bootstrap
state, a database that must disappear, or a database's import/export fields.
`follow` picks the way, polls with a short interval that backs off, shows a progress
bar on a terminal, and raises errors.ActionFailed when the work fails or the wait
runs out of time.
"""

import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import click

from re_cli import errors

DEFAULT_TIMEOUT = 600.0
FIRST_PAUSE = 0.2
LONGEST_PAUSE = 2.0
PAUSE_GROWTH = 1.5

# Status words across the API's trackers: v1 actions (pending/active/completed/failed),
# v2 actions and tasks (queued/starting/running/cancelling/...), crdb tasks
# (queued/started/finished/failed), bootstrap (completed/error), import/export fields
# (succeeded/failed).
SUCCEEDED = {"completed", "finished", "succeeded", "success", "done"}
FAILED = {"failed", "aborted", "cancelled", "error"}


@dataclass
class Snapshot:
    """One look at the work: its status words, progress 0-100 when known, the end."""

    status: str | None = None
    progress: float | None = None
    done: bool = False
    error: str | None = None  # set when the work failed
    title: str | None = None  # what the work is, in the server's words
    body: object = None  # what the server said, for `re actions wait` to print


@dataclass
class Tracker:
    """What to poll, what to call it, and how to look at it again later."""

    label: str
    poll: Callable[[], Snapshot]
    resume: str


def wait_options(func):
    """`--wait/--no-wait` and `--wait-timeout`, stored on the App for `follow`."""

    def store(attr):
        def callback(ctx: click.Context, param: click.Parameter, value):
            if value is not None:
                from re_cli.app import App

                setattr(ctx.find_object(App), attr, value)

        return callback

    func = click.option(
        "--wait-timeout", type=click.FloatRange(min=0), metavar="SECONDS",
        expose_value=False, callback=store("wait_timeout"),
        help=f"Give up waiting after this long (default {DEFAULT_TIMEOUT:g}).")(func)
    return click.option(
        "--wait/--no-wait", default=None, expose_value=False, callback=store("wait"),
        help="Wait for the work to finish (default: on a terminal only).")(func)


def should_wait(app) -> bool:
    chosen = getattr(app, "wait", None)
    if chosen is None:
        return sys.stderr.isatty()
    return bool(chosen)


def timeout_of(app) -> float:
    chosen = getattr(app, "wait_timeout", None)
    return DEFAULT_TIMEOUT if chosen is None else float(chosen)


def follow(app, response, request_info: dict) -> None:
    """Wait for the work `response` started, when the request starts any and the
    user wants to wait. `request_info` is the catalog entry plus `resolved_path`."""
    kind = (request_info or {}).get("async")
    if not kind or not should_wait(app):
        return

    tracker = tracker_for(app, kind, response, request_info)
    if tracker is None:
        return
    run(app, tracker, timeout_of(app))


def tracker_for(app, kind: str, response, request_info: dict) -> Tracker | None:
    """How to follow this kind of work; None when the response names nothing to follow."""
    body = _json(response)
    path = _resolved_path(request_info)

    if kind == "action_uid" or (kind == "bdb_fields" and _action_uid(body)):
        uid = _action_uid(body)
        return action_tracker(app, uid) if uid else None
    if kind == "crdb_task":
        task_id = _crdb_task_id(body, response)
        return crdb_task_tracker(app, task_id) if task_id else None
    if kind == "poll_action_by_name" and path:
        return named_action_tracker(app, path)
    if kind == "bootstrap_poll":
        return bootstrap_tracker(app)
    if kind == "state" and path:
        return gone_tracker(app, path, _action_uid(body))
    if kind == "bdb_fields" and path:
        return bdb_fields_tracker(app, path)
    return None


def wait_action(app, uid: str, timeout: float | None = None) -> Snapshot:
    """Wait for action `uid`; the last snapshot, whose body is the action object."""
    return run(app, action_tracker(app, uid), timeout_of(app) if timeout is None else timeout)


def run(app, tracker: Tracker, timeout: float) -> Snapshot:
    """Poll until the work ends, fails or `timeout` seconds pass."""
    import gc

    gc.enable()  # `re` starts with it off; a wait may poll for minutes
    started = time.monotonic()
    deadline = started + timeout
    pause = FIRST_PAUSE

    with progress_display(app, tracker.label) as show:
        try:
            while True:
                snapshot = tracker.poll()
                show(snapshot)
                if snapshot.error is not None:
                    raise errors.ActionFailed(f"{tracker.label} failed: {snapshot.error}")
                if snapshot.done:
                    return snapshot
                left = deadline - time.monotonic()
                if left <= 0:
                    raise errors.ActionFailed(
                        f"gave up waiting for {tracker.label} after "
                        f"{time.monotonic() - started:.0f} s ({_said(snapshot)}); it goes on "
                        f"in the cluster: {tracker.resume}")
                time.sleep(min(pause, left))
                pause = min(pause * PAUSE_GROWTH, LONGEST_PAUSE)
        except KeyboardInterrupt:
            from re_cli.output import error_line

            error_line(f"re: stopped waiting; the work goes on in the cluster: {tracker.resume}")
            raise


def _said(snapshot: Snapshot) -> str:
    words = f"status {snapshot.status}" if snapshot.status else "no status yet"
    if snapshot.progress is not None:
        words += f", {snapshot.progress:g}%"
    return words


# Trackers -------------------------------------------------------------------------

def action_tracker(app, uid: str) -> Tracker:
    """An action by uid: /v2/actions/{uid} sees import/export/backup too, and older
    clusters only answer /v1/actions/{uid}."""
    from urllib.parse import quote

    paths = [f"/v2/actions/{quote(uid, safe='')}", f"/v1/actions/{quote(uid, safe='')}"]

    def poll() -> Snapshot:
        while True:
            try:
                return read_action(app.client().request("GET", paths[0]).json())
            except errors.ApiError as exc:
                if exc.status != 404 or len(paths) == 1:
                    raise
                paths.pop(0)

    return Tracker(f"action {uid}", poll, f"`re actions wait {uid}`")


def crdb_task_tracker(app, task_id: str) -> Tracker:
    def poll() -> Snapshot:
        body = app.client().request("GET", f"/v1/crdb_tasks/{task_id}").json()
        snapshot = read_action(body)
        if snapshot.error is None and not snapshot.done and isinstance(body, dict):
            snapshot.progress = _crdb_progress(body.get("progress"))
            step = _crdb_step(body.get("progress"))
            if step and snapshot.status:
                snapshot.status = f"{snapshot.status}: {step}"
        return snapshot

    return Tracker(f"crdb task {task_id}", poll, f"`re api GET /v1/crdb_tasks/{task_id}`")


def named_action_tracker(app, path: str) -> Tracker:
    """A node or cluster action, polled by GET on the path that started it. A 404
    means the cluster keeps no status for it: it is over."""
    name = path.rstrip("/").rsplit("/", 1)[-1]

    def poll() -> Snapshot:
        try:
            body = app.client().request("GET", path).json()
        except errors.ApiError as exc:
            if exc.status == 404:
                return Snapshot(status="gone", done=True)
            raise
        return read_action(body)

    return Tracker(f"action {name}", poll, f"`re api GET {path}`")


def bootstrap_tracker(app) -> Tracker:
    def poll() -> Snapshot:
        body = app.client().request("GET", "/v1/bootstrap").json()
        state = body.get("bootstrap_status") if isinstance(body, dict) else None
        state = state if isinstance(state, dict) else {}
        word = state.get("state")
        if word == "error":
            reason = _join(state.get("error_code"), state.get("error_details"))
            return Snapshot(status=word, error=reason or "no reason given", body=body)
        return Snapshot(status=word, done=word == "completed", body=body)

    return Tracker("bootstrap", poll, "`re api GET /v1/bootstrap`")


def gone_tracker(app, path: str, action_uid: str | None = None) -> Tracker:
    """An object being deleted: done when its GET answers 404. When the delete answered
    with an action uid (the reference documents none), that action is followed first,
    so that a failed delete is reported as failed rather than waited out."""
    what = _object_label(path)
    action = action_tracker(app, action_uid) if action_uid else None
    seen = {"action_over": action is None, "deleting": False}

    def poll() -> Snapshot:
        if not seen["action_over"]:
            try:
                snapshot = action.poll()
            except errors.ApiError as exc:
                if exc.status != 404:
                    raise
                snapshot = Snapshot(done=True)  # the cluster keeps no such action: go by GET
            if snapshot.error is not None or not snapshot.done:
                return snapshot
            seen["action_over"] = True
        try:
            body = app.client().request("GET", path).json()
        except errors.ApiError as exc:
            if exc.status == 404:
                return Snapshot(status="deleted", done=True)
            raise
        status = body.get("status") if isinstance(body, dict) else None
        if status == "delete-pending":
            seen["deleting"] = True
        elif seen["deleting"] and status == "active":
            return Snapshot(status=status, error="it is active again: the delete did not "
                                                 "go through", body=body)
        return Snapshot(status=status, body=body)

    return Tracker(f"deleting {what}", poll, f"`re api GET {path}` answers 404 once it is gone")


def bdb_fields_tracker(app, path: str) -> Tracker:
    """An import or export, read from the database's own `<kind>_status`,
    `<kind>_progress` and `<kind>_failure_reason` fields."""
    bdb_path, _, kind = path.rstrip("/").rpartition("/actions/")
    seen_running = [False]

    def poll() -> Snapshot:
        body = app.client().request("GET", bdb_path).json()
        body = body if isinstance(body, dict) else {}
        status = body.get(f"{kind}_status")
        progress = _percent(body.get(f"{kind}_progress"))
        if status in FAILED:
            reason = body.get(f"{kind}_failure_reason") or "no reason given"
            return Snapshot(status=status, progress=progress, error=str(reason), body=body)
        if status not in (None, "idle"):
            seen_running[0] = True
        # `idle` before the work shows up means not started yet; after it, finished and
        # reset by the cluster.
        done = status in SUCCEEDED or (status == "idle" and seen_running[0])
        return Snapshot(status=status, progress=progress, done=done, body=body)

    return Tracker(f"{kind} of {_object_label(bdb_path)}", poll, f"`re api GET {bdb_path}`")


# Reading what the server said -----------------------------------------------------

def read_action(body) -> Snapshot:
    """A snapshot of an action, task or state-machine object, whatever its version."""
    if not isinstance(body, dict):
        return Snapshot(body=body)
    status = body.get("status")
    status = status if isinstance(status, str) else None
    progress = _percent(body.get("progress"))
    word = (status or "").lower()

    if word in FAILED:
        return Snapshot(status=status, progress=progress, error=action_error(body), body=body)
    return Snapshot(status=_with_state(status, body), progress=progress,
                    done=word in SUCCEEDED, title=_title(body), body=body)


def _title(body: dict) -> str | None:
    """`Create database 3` (v2) or `SMCreateBDB bdb:3` (v1)."""
    info = body.get("additional_info")
    if isinstance(info, dict) and isinstance(info.get("description"), str):
        return info["description"]
    words = [w for w in (body.get("name"), body.get("object_name")) if isinstance(w, str) and w]
    return " ".join(words) or None


def action_error(body: dict) -> str:
    """The reason an action gives for failing, in one line: v1 actions say it in
    `error_code` and `error_message`, v2 ones in `additional_info.error`, crdb tasks
    in `errors` (one per cluster)."""
    info = body.get("additional_info")
    info = info if isinstance(info, dict) else {}
    message = None
    for value in (body.get("error_message"), body.get("error"), info.get("error"),
                  body.get("failure_reason"), body.get("errors"), body.get("message")):
        if value not in (None, "", [], {}):
            message = value
            break
    if isinstance(message, list):
        message = "; ".join(_one_error(item) for item in message)
    elif message is not None:
        message = _one_error(message)
    code = body.get("error_code") or info.get("error_code")
    if code and message and str(code) in message:
        code = None
    return _join(code, message) or f"status {body.get('status')}, no reason given"


def _one_error(value) -> str:
    if isinstance(value, dict):
        return _join(value.get("cluster_name"), value.get("error_code"),
                     value.get("description") or value.get("message")) or str(value)
    return str(value)


def _with_state(status: str | None, body: dict) -> str | None:
    """v1 actions carry the state machine's step in `state`: worth showing."""
    step = body.get("state") or body.get("pending_ops")
    if status and isinstance(step, str) and step and step != status:
        return f"{status}: {step}"
    return status


def _percent(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip("%"))
        except ValueError:
            return None
    if isinstance(value, (int, float)):
        return max(0.0, min(100.0, float(value)))
    return None


def _crdb_progress(progress) -> float | None:
    """A crdb task's progress is per cluster; show the mean when all are numbers."""
    if not isinstance(progress, dict):
        return _percent(progress)
    clusters = progress.get("clusters")
    if not isinstance(clusters, list) or not clusters:
        return None
    values = [_percent(c.get("progress")) for c in clusters if isinstance(c, dict)]
    if not values or None in values:
        return None
    return sum(values) / len(values)


def _crdb_step(progress) -> str | None:
    """The step all clusters are at (`committing`), when they agree and say it in words."""
    clusters = progress.get("clusters") if isinstance(progress, dict) else None
    steps = {c.get("progress") for c in clusters or [] if isinstance(c, dict)}
    step = steps.pop() if len(steps) == 1 else None
    return step if isinstance(step, str) and _percent(step) is None else None


def _join(*parts) -> str:
    return ": ".join(str(p) for p in parts if p not in (None, ""))


def _json(response):
    if response is None:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _action_uid(body) -> str | None:
    if isinstance(body, dict):
        uid = body.get("action_uid")
        if isinstance(uid, (str, int)) and not isinstance(uid, bool) and str(uid):
            return str(uid)
    return None


def _crdb_task_id(body, response) -> str | None:
    if isinstance(body, dict):
        task_id = body.get("id") or body.get("task_id")
        if isinstance(task_id, str) and task_id:
            return task_id
    headers = getattr(response, "headers", None) or {}
    return headers.get("X-Task-ID") or None


def _resolved_path(info: dict) -> str | None:
    path = (info or {}).get("resolved_path") or (info or {}).get("path")
    if not path or "{" in path:
        return None
    from re_cli.http import api_path

    return api_path(path)


def _object_label(path: str) -> str:
    """`/v1/bdbs/3` -> `bdb 3`; anything else stays a path."""
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[0].startswith("v"):
        return f"{parts[1].rstrip('s')} {parts[2]}"
    return path


# Showing progress ------------------------------------------------------------------

@contextmanager
def progress_display(app, label: str):
    """A rich progress bar on stderr while waiting, when stderr is a terminal. Gives a
    function that takes each Snapshot; off a terminal that function does nothing."""
    if not sys.stderr.isatty():
        yield lambda snapshot: None
        return

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True, no_color=bool(getattr(app, "no_color", False)),
                      highlight=False)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[status]}", markup=False),
        TimeElapsedColumn(),
        console=console, refresh_per_second=8)
    task = progress.add_task(label, total=None, status="starting")

    def show(snapshot: Snapshot) -> None:
        status = snapshot.status or "waiting"
        if snapshot.title:
            progress.update(task, description=f"{label} ({snapshot.title})")
        if snapshot.done and snapshot.error is None:
            progress.update(task, total=100, completed=100, status=status)
        elif snapshot.progress is not None:
            progress.update(task, total=100, completed=snapshot.progress, status=status)
        else:
            progress.update(task, status=status)

    progress.start()
    try:
        yield show
    finally:
        progress.stop()
