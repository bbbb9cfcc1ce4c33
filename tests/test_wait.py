"""Waiting for actions: `re actions wait` against the sandbox's real action runner.

Work is started with `re api` (which never waits), then followed by uid. The sandbox
fails a create on request when the database's name starts with `fail-` (see
re_cli/sandbox/bdb_actions.py).
"""

import itertools
import json
import sys

import pytest
from conftest import isolated_env, start_sandbox, stop_sandbox
from pty_streams import run as run_streams

GB = 1024**3
_names = itertools.count(1)


def start_create(re_run, box, name: str) -> str:
    """POST a bdb through `re api`; the action uid it answers with."""
    body = json.dumps({"name": name, "memory_size": GB})
    result = re_run("api", "POST", "/v1/bdbs", "-d", body, env=box.env())
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)["action_uid"]


def unique(prefix: str) -> str:
    return f"{prefix}-wait-{next(_names)}"


def test_a_create_then_wait_ends_completed(re_run, sandbox):
    uid = start_create(re_run, sandbox, unique("db"))

    result = re_run("actions", "wait", uid, env=sandbox.env())

    assert result.code == 0, result.stderr
    action = json.loads(result.stdout)
    assert action["action_uid"] == uid
    assert action["status"] == "completed"
    assert action["progress"] == 100


def test_the_database_is_active_after_the_wait(re_run, sandbox):
    name = unique("db")
    uid = start_create(re_run, sandbox, name)
    assert re_run("actions", "wait", uid, env=sandbox.env()).code == 0

    listing = re_run("api", "GET", "/v1/bdbs", "-q", "fields=name,status", env=sandbox.env())

    statuses = {b["name"]: b["status"] for b in json.loads(listing.stdout)}
    assert statuses[name] == "active"


def test_a_failed_action_exits_9_with_its_error(re_run, sandbox):
    uid = start_create(re_run, sandbox, unique("fail-db"))

    result = re_run("actions", "wait", uid, env=sandbox.env())

    assert result.code == 9
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"action {uid}" in lines[0] and "failed" in lines[0]
    assert "The sandbox failed this create on request" in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unknown_action_exits_5(re_run, sandbox):
    result = re_run("actions", "wait", "00000000-0000-0000-0000-000000000000",
                    env=sandbox.env())

    assert result.code == 5
    assert "404" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_negative_timeout_is_a_usage_error(re_run, sandbox):
    result = re_run("actions", "wait", "x", "--wait-timeout", "-1", env=sandbox.env())

    assert result.code == 2


@pytest.fixture(scope="module")
def slow_sandbox(tmp_path_factory):
    """A sandbox whose actions take two minutes: waits on it run out of time."""
    home = tmp_path_factory.mktemp("slow-sandbox-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "120")
    yield box
    stop_sandbox(box)


def test_a_wait_that_times_out_exits_9_and_says_how_to_resume(re_run, slow_sandbox):
    uid = start_create(re_run, slow_sandbox, unique("slow"))

    result = re_run("actions", "wait", uid, "--wait-timeout", "1", env=slow_sandbox.env())

    assert result.code == 9
    assert result.stdout == ""
    assert f"re actions wait {uid}" in result.stderr
    assert "gave up waiting" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_zero_timeout_looks_once_then_gives_up(re_run, slow_sandbox):
    uid = start_create(re_run, slow_sandbox, unique("slow"))

    result = re_run("actions", "wait", uid, "--wait-timeout", "0", env=slow_sandbox.env())

    assert result.code == 9
    assert f"re actions wait {uid}" in result.stderr


def test_progress_is_shown_on_a_terminal_and_nothing_of_it_on_stdout(re_run, sandbox, home):
    uid = start_create(re_run, sandbox, unique("db"))
    env = {**isolated_env(home), **sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "actions", "wait", uid], env,
                          stderr_tty=True)

    assert streams.code == 0, streams.stderr
    action = json.loads(streams.stdout)  # stdout is the action's JSON and nothing else
    assert action["status"] == "completed"
    shown = streams.stderr.decode()
    assert f"action {uid}" in shown
    assert "Create database" in shown  # what the action is, from the server
    assert "completed" in shown
    assert "100%" in shown
    assert "0:00:" in shown  # the elapsed time


def test_no_progress_when_stderr_is_not_a_terminal(re_run, sandbox):
    uid = start_create(re_run, sandbox, unique("db"))

    result = re_run("actions", "wait", uid, env=sandbox.env())

    assert result.code == 0
    assert result.stderr == ""


def test_a_timeout_on_a_terminal_leaves_the_bar_and_one_message(re_run, slow_sandbox, home):
    uid = start_create(re_run, slow_sandbox, unique("slow"))
    env = {**isolated_env(home), **slow_sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "actions", "wait", uid,
                           "--wait-timeout", "1"], env, stderr_tty=True)

    assert streams.code == 9
    assert streams.stdout == b""
    shown = streams.stderr.decode()
    assert f"re actions wait {uid}" in shown
    assert "running" in shown or "queued" in shown
