"""Every exit code `re` can be made to produce, each with one line on stderr; global
options before and after the subcommand; Ctrl-C."""

import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from conftest import free_port, isolated_env, start_sandbox, stop_sandbox

README = Path(__file__).resolve().parent.parent / "README.md"


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr.strip()


def make_bdb(sandbox, name: str) -> dict:
    response = requests.post(sandbox.url + "/v1/bdbs",
                             json={"name": name, "memory_size": 104857600},
                             auth=(sandbox.user(), sandbox.password()),
                             verify=str(sandbox.ca_cert), timeout=30)
    response.raise_for_status()
    return response.json()


def test_0_success(sandbox, re_run):
    assert re_run("bdbs", "list", env=sandbox.env()).code == 0


@pytest.mark.parametrize("args", [
    ("bdbs", "list", "--no-such-flag"),
    ("bdbs", "get"),
    ("-o", "yaml", "bdbs", "list"),
    ("api", "GET", "/v1/bdbs", "-d", "{"),
])
def test_2_usage(sandbox, re_run, args):
    done = re_run(*args, env=sandbox.env())

    assert done.code == 2
    assert "Traceback" not in done.stderr


def test_2_a_name_that_several_databases_share(sandbox, re_run):
    name = f"twin-{uuid.uuid4().hex[:8]}"
    first, second = make_bdb(sandbox, name), make_bdb(sandbox, name)

    done = re_run("bdbs", "get", name, env=sandbox.env())

    assert done.code == 2
    line = one_line(done.stderr)
    assert f"2 bdbs are named `{name}`" in line
    assert f"uids {first['uid']}, {second['uid']}" in line


def test_3_nothing_to_connect_to(re_run):
    done = re_run("bdbs", "list")

    assert done.code == 3
    assert "RE_HOST" in one_line(done.stderr)


def test_3_no_password(sandbox, re_run):
    env = sandbox.env()
    del env["RE_PASSWORD"]

    done = re_run("bdbs", "list", env=env)

    assert done.code == 3
    assert "password" in one_line(done.stderr)


def test_4_wrong_password(sandbox, re_run):
    done = re_run("bdbs", "list", env={**sandbox.env(), "RE_PASSWORD": "not-the-password"})

    assert done.code == 4
    line = one_line(done.stderr)
    assert line.startswith("re: 401 Unauthorized: unauthorized: ")
    assert line.endswith("(GET /v1/bdbs)")
    assert "not-the-password" not in line


def test_4_a_role_without_the_permission(sandbox, re_run):
    done = re_run("api", "GET", "/v1/users", env=sandbox.env("db_viewer"))

    assert done.code == 4
    line = one_line(done.stderr)
    assert re.fullmatch(r"re: 403 Forbidden: forbidden: .+ \(GET /v1/users\)", line), line


@pytest.mark.parametrize("args", [
    ("bdbs", "get", "987654"),
    ("bdbs", "get", "no-such-database-name"),
    ("api", "GET", "/v1/no/such/path"),
])
def test_5_not_found(sandbox, re_run, args):
    done = re_run(*args, env=sandbox.env())

    assert done.code == 5
    one_line(done.stderr)


def test_5_line_has_status_code_message_method_and_path(sandbox, re_run):
    done = re_run("bdbs", "get", "987654", env=sandbox.env())

    line = one_line(done.stderr)
    assert line.startswith("re: 404 Not Found: ")
    assert line.endswith("(GET /v1/bdbs/987654)")


def test_6_other_request_errors(sandbox, re_run):
    bad_body = re_run("api", "POST", "/v1/bdbs", "-d", '{"name": 5}', env=sandbox.env())
    version = re_run("api", "GET", "/v1/cluster", "-H", "X-API-Version: v7",
                     env=sandbox.env())

    assert bad_body.code == 6
    assert one_line(bad_body.stderr).endswith("(POST /v1/bdbs)")
    assert version.code == 6
    assert one_line(version.stderr).startswith("re: 505 ")


@pytest.fixture(scope="module")
def failing_sandbox(tmp_path_factory):
    """A sandbox that answers every request with 503."""
    home = tmp_path_factory.mktemp("failing-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--fault-error-rate", "1")
    yield box
    stop_sandbox(box)


def test_7_server_error(failing_sandbox, re_run):
    done = re_run("bdbs", "list", env=failing_sandbox.env())

    assert done.code == 7
    line = one_line(done.stderr)
    assert line.startswith("re: 503 ") and line.endswith("(GET /v1/bdbs)")


def test_8_connection(sandbox, re_run):
    done = re_run("bdbs", "list", env={**sandbox.env(), "RE_PORT": str(free_port())})

    assert done.code == 8
    one_line(done.stderr)


def test_130_interrupted(sandbox, home):
    """SIGINT while `re` waits for an answer that never comes."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    env = {**isolated_env(home), **sandbox.env(), "RE_PORT": str(listener.getsockname()[1])}
    proc = subprocess.Popen([sys.executable, "-m", "re_cli", "bdbs", "list"], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        listener.settimeout(30)
        conn, _ = listener.accept()  # `re` is now inside its request
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        conn.close()
    finally:
        listener.close()
        if proc.poll() is None:
            proc.kill()

    assert proc.returncode == 130
    assert err.strip() == b"" and out == b""  # click ends the ^C line with a newline


def test_global_options_before_and_after_the_subcommand(sandbox, re_run):
    before = re_run("-o", "json", "-v", "bdbs", "list", "--fields", "uid", env=sandbox.env())
    after = re_run("bdbs", "list", "--fields", "uid", "-o", "json", "-v", env=sandbox.env())
    mixed = re_run("-v", "bdbs", "-o", "table", "list", "--fields", "uid",
                   env=sandbox.env())

    assert before.code == after.code == mixed.code == 0
    assert before.stdout_bytes == after.stdout_bytes
    assert "> GET " in before.stderr and "> GET " in after.stderr
    assert mixed.stdout.split()[0] == "uid"


def test_exit_codes_are_documented_alike(re_run):
    readme = README.read_text()
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    helped = re_run("--help").stdout

    for code in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130):
        assert re.search(rf"^\|\s*{code}\s*\|", section, re.M), f"README lacks {code}"
        assert re.search(rf"^\s+{code}\s+\S", helped, re.M), f"--help lacks {code}"
