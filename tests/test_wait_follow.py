"""Typed commands that start work follow it (re_cli.wait.follow): by default on a
terminal only, with --wait/--no-wait and --wait-timeout. Shown with Active-Active
creates, whose crdb tasks the sandbox runs on its action delay."""

import itertools
import json
import sys

import pytest
from conftest import isolated_env, start_sandbox, stop_sandbox
from pty_streams import run as run_streams

_names = itertools.count(1)


def crdb_body() -> str:
    name = f"aa-follow-{next(_names)}"
    return json.dumps({
        "name": name,
        "default_db_config": {"name": name, "memory_size": 1024**3},
        "instances": [{"cluster": {"url": f"https://c{n}.example:9443",
                                   "name": f"c{n}.example"}} for n in (1, 2)],
    })


def task_status(box, task_id: str) -> str:
    import requests

    response = requests.get(f"{box.url}/v1/crdb_tasks/{task_id}",
                            auth=(box.user(), box.password()), verify=str(box.ca_cert),
                            timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["status"]


@pytest.fixture(scope="module")
def slow_sandbox(tmp_path_factory):
    """A sandbox whose work takes two minutes."""
    home = tmp_path_factory.mktemp("slow-follow-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "120")
    yield box
    stop_sandbox(box)


def test_with_wait_the_command_returns_once_the_task_finished(re_run, sandbox):
    result = re_run("crdbs", "create", "--data", crdb_body(), "--wait", env=sandbox.env())

    assert result.code == 0, result.stderr
    task_id = json.loads(result.stdout)["id"]
    assert task_status(sandbox, task_id) == "finished"


def test_piped_the_default_is_not_to_wait(re_run, slow_sandbox):
    result = re_run("crdbs", "create", "--data", crdb_body(), env=slow_sandbox.env())

    assert result.code == 0, result.stderr
    task_id = json.loads(result.stdout)["id"]
    assert task_status(slow_sandbox, task_id) in ("queued", "started")


def test_a_wait_that_times_out_exits_9_with_a_way_to_look_again(re_run, slow_sandbox):
    result = re_run("crdbs", "create", "--data", crdb_body(), "--wait", "--wait-timeout", "1",
                    env=slow_sandbox.env())

    assert result.code == 9
    task_id = json.loads(result.stdout)["id"]  # the task was printed before the wait
    assert f"re api GET /v1/crdb_tasks/{task_id}" in result.stderr
    assert "gave up waiting" in result.stderr


def test_on_a_terminal_it_waits_with_progress(sandbox, home):
    env = {**isolated_env(home), **sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "crdbs", "create", "--data",
                           crdb_body()], env, stderr_tty=True)

    assert streams.code == 0, streams.stderr
    task_id = json.loads(streams.stdout)["id"]
    shown = streams.stderr.decode()
    assert f"crdb task {task_id}" in shown
    assert "finished" in shown
    assert task_status(sandbox, task_id) == "finished"


def test_no_wait_on_a_terminal_returns_at_once(slow_sandbox, home):
    env = {**isolated_env(home), **slow_sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "crdbs", "create", "--data",
                           crdb_body(), "--no-wait"], env, stderr_tty=True)

    assert streams.code == 0, streams.stderr
    task_id = json.loads(streams.stdout)["id"]
    assert task_status(slow_sandbox, task_id) in ("queued", "started")
    assert b"crdb task" not in streams.stderr


# Deleting a database: followed until it is gone (the catalog's `state` kind) --------

FOLLOW_DELETE = """
import sys
from re_cli import errors, wait
from re_cli.app import App

app = App()
app.wait = True
path = "/v1/bdbs/" + sys.argv[1]
try:
    response = app.client().request("DELETE", path)
    wait.follow(app, response, {"method": "DELETE", "path": "/v1/bdbs/{uid}",
                                "async": "state", "resolved_path": path})
except errors.ReError as exc:
    print(exc, file=sys.stderr)
    sys.exit(exc.code)
"""


def create_bdb(re_run, box, name: str, tags=None) -> str:
    body = {"name": name, "memory_size": 1024**3}
    if tags:
        body["tags"] = tags
    created = re_run("api", "POST", "/v1/bdbs", "-d", json.dumps(body), env=box.env())
    assert created.code == 0, created.stderr
    created = json.loads(created.stdout)
    assert re_run("actions", "wait", created["action_uid"], env=box.env()).code == 0
    return str(created["uid"])


def follow_delete(home, box, uid: str, stderr_tty: bool = False):
    """wait.follow, as a typed `re bdbs delete` calls it, in a process of its own."""
    env = {**isolated_env(home), **box.env()}
    return run_streams([sys.executable, "-c", FOLLOW_DELETE, uid], env, stderr_tty=stderr_tty)


def test_a_delete_is_followed_until_the_database_is_gone(re_run, sandbox, home):
    uid = create_bdb(re_run, sandbox, f"gone-{next(_names)}")

    streams = follow_delete(home, sandbox, uid, stderr_tty=True)

    assert streams.code == 0, streams.stderr
    assert f"deleting bdb {uid}" in streams.stderr.decode()
    assert "deleted" in streams.stderr.decode()
    assert re_run("api", "GET", f"/v1/bdbs/{uid}", env=sandbox.env()).code == 5


def test_a_failed_delete_exits_9(re_run, sandbox, home):
    uid = create_bdb(re_run, sandbox, f"stays-{next(_names)}",
                     tags=[{"key": "sandbox-fail", "value": "delete"}])

    streams = follow_delete(home, sandbox, uid)

    assert streams.code == 9
    assert f"deleting bdb {uid} failed" in streams.stderr.decode()
    assert re_run("api", "GET", f"/v1/bdbs/{uid}", env=sandbox.env()).code == 0


def test_typed_bdb_create_and_delete_wait(re_run, sandbox):
    """Through `re bdbs create` and `re bdbs delete`, once they are typed commands."""
    if re_run("bdbs", "delete", "--help").code != 0:
        pytest.skip("`re bdbs delete` is not a command yet")
    name = f"typed-{next(_names)}"

    created = re_run("bdbs", "create", "--name", name, "--memory", "1GB", "--wait",
                     env=sandbox.env())
    assert created.code == 0, created.stderr
    shown = re_run("api", "GET", "/v1/bdbs", "-q", "fields=name,status", env=sandbox.env())
    assert {b["name"]: b["status"] for b in json.loads(shown.stdout)}[name] == "active"

    deleted = re_run("bdbs", "delete", name, "--yes", "--wait", env=sandbox.env())
    assert deleted.code == 0, deleted.stderr
    shown = re_run("api", "GET", "/v1/bdbs", "-q", "fields=name", env=sandbox.env())
    assert name not in {b["name"] for b in json.loads(shown.stdout)}


def test_typed_bdb_create_that_fails_exits_9(re_run, sandbox):
    if re_run("bdbs", "create", "--help").code != 0:
        pytest.skip("`re bdbs create` is not a command yet")

    result = re_run("bdbs", "create", "--name", f"fail-typed-{next(_names)}", "--memory",
                    "1GB", "--wait", env=sandbox.env())

    assert result.code == 9
    assert "failed" in result.stderr
