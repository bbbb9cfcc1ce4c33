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
