"""Output of the core commands: exact bodies for pipes, tables for terminals, -i, colour,
markup left alone, and a reader that goes away early."""

import json
import subprocess
import sys
import uuid

import pytest
import requests
from conftest import isolated_env


def server_get(sandbox, path, **params) -> requests.Response:
    response = requests.get(sandbox.url + path, params=params or None,
                            auth=(sandbox.user(), sandbox.password()),
                            verify=str(sandbox.ca_cert), timeout=30)
    response.raise_for_status()
    return response


def create_bdb(sandbox, name: str) -> dict:
    response = requests.post(sandbox.url + "/v1/bdbs",
                             json={"name": name, "memory_size": 104857600},
                             auth=(sandbox.user(), sandbox.password()),
                             verify=str(sandbox.ca_cert), timeout=30)
    response.raise_for_status()
    return response.json()


@pytest.fixture(scope="module")
def bdb(sandbox) -> dict:
    return create_bdb(sandbox, f"out-{uuid.uuid4().hex[:8]}")


def test_piped_list_is_the_exact_body(sandbox, bdb, re_run):
    # Other tests change databases on the shared sandbox; compare only when the body
    # read before and after `re` ran is the same.
    for _ in range(10):
        before = server_get(sandbox, "/v1/bdbs").content
        done = re_run("bdbs", "list", env=sandbox.env())
        if server_get(sandbox, "/v1/bdbs").content == before:
            break
    else:
        pytest.fail("the databases kept changing while the test ran")

    assert done.code == 0, done.stderr
    assert done.stdout_bytes == before
    assert done.stderr == ""


def test_piped_get_by_name_is_the_exact_body(sandbox, bdb, re_run):
    done = re_run("bdbs", "get", bdb["name"], env=sandbox.env())

    assert done.code == 0, done.stderr
    assert done.stdout_bytes == server_get(sandbox, f"/v1/bdbs/{bdb['uid']}").content


def test_fields_reach_the_server(sandbox, bdb, re_run):
    listed = re_run("bdbs", "list", "--fields", "uid,name", "-o", "json", env=sandbox.env())
    one = re_run("bdbs", "get", str(bdb["uid"]), "--fields", "uid,name,port",
                 env=sandbox.env())

    assert listed.code == 0 and one.code == 0
    rows = json.loads(listed.stdout)
    assert rows and all(set(row) <= {"uid", "name"} for row in rows)
    assert {"uid": bdb["uid"], "name": bdb["name"]} in rows
    assert set(json.loads(one.stdout)) == {"uid", "name", "port"}
    assert one.stdout_bytes == server_get(sandbox, f"/v1/bdbs/{bdb['uid']}",
                                          fields="uid,name,port").content


def test_terminal_list_is_a_table_with_default_columns(sandbox, bdb, re_tty):
    done = re_tty("bdbs", "list", env=sandbox.env())

    assert done.code == 0, done.stderr
    header = done.stdout.splitlines()[0].split()
    assert header == ["uid", "name", "type", "status", "memory", "port", "shards"]
    row = next(line.split() for line in done.stdout.splitlines() if bdb["name"] in line)
    assert row[:3] == [str(bdb["uid"]), bdb["name"], "redis"]
    assert "100 MB" in " ".join(row)
    assert str(bdb["port"]) in row
    assert done.stderr.strip() == "200 OK"


def test_terminal_list_with_fields(sandbox, bdb, re_tty):
    done = re_tty("bdbs", "list", "--fields", "name,uid", env=sandbox.env())

    assert done.code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["name", "uid"]
    assert [bdb["name"], str(bdb["uid"])] in [line.split() for line in lines]


def test_terminal_object_is_field_value_pairs(sandbox, bdb, re_tty):
    done = re_tty("bdbs", "get", bdb["name"], env=sandbox.env())

    assert done.code == 0, done.stderr
    pairs = {}
    for line in done.stdout.splitlines()[2:]:
        name, _, value = line.strip().partition(" ")
        if name:
            pairs.setdefault(name, value.strip())
    assert pairs["name"] == bdb["name"]
    assert pairs["uid"] == str(bdb["uid"])
    assert pairs["memory_size"] == "100 MB"
    assert pairs["tags"] == "[]"
    assert pairs["endpoints"].startswith('[{"uid": ')  # nested values stay compact JSON


def test_json_on_a_terminal_is_pretty(sandbox, bdb, re_tty):
    done = re_tty("-o", "json", "bdbs", "get", str(bdb["uid"]), env=sandbox.env())

    assert done.code == 0, done.stderr
    assert json.loads(done.stdout) == server_get(sandbox, f"/v1/bdbs/{bdb['uid']}").json()
    assert '\n  "uid": ' in done.stdout


def test_table_when_asked_even_into_a_pipe(sandbox, bdb, re_run):
    done = re_run("bdbs", "list", "-o", "table", "--fields", "uid,name", env=sandbox.env())

    assert done.code == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["uid", "name"]
    assert "200 OK" not in done.stderr  # the status line is for people at a terminal


def test_include_puts_the_head_on_stderr(sandbox, bdb, re_run):
    done = re_run("-i", "bdbs", "get", str(bdb["uid"]), env=sandbox.env())

    assert done.code == 0, done.stderr
    head = done.stderr.split("\n\n", 1)[0].splitlines()
    assert head[0] == "HTTP/1.1 200 OK"
    assert "Content-Type: application/json" in head
    assert any(line.startswith("Content-Length: ") for line in head)
    assert done.stdout_bytes == server_get(sandbox, f"/v1/bdbs/{bdb['uid']}").content


def test_include_on_a_failure_shows_the_head_then_the_error(sandbox, re_run):
    done = re_run("api", "GET", "/v1/bdbs/987654", "-i", env=sandbox.env())

    assert done.code == 5
    assert done.stderr.startswith("HTTP/1.1 404 Not Found\n")
    assert done.stderr.rstrip().splitlines()[-1].startswith("re: 404 Not Found")
    assert done.stdout == ""


def test_brackets_in_server_text_print_as_they_are(sandbox, re_run, re_tty):
    name = "[prod] [/x] [bold]ops"
    created = re_run("api", "POST", "/v1/users", "-f", f"name={name}",
                     "-f", f"email=brackets-{uuid.uuid4().hex[:6]}@example.com",
                     "-f", "role=db_viewer", "-f", "password=Brackets-Pass-123",
                     env=sandbox.env())
    assert created.code == 0, created.stderr
    uid = json.loads(created.stdout)["uid"]

    one = re_tty("api", "GET", f"/v1/users/{uid}", env=sandbox.env())
    listed = re_tty("api", "GET", "/v1/users", env=sandbox.env())

    assert one.code == 0, one.stderr
    assert name in one.stdout
    assert listed.code == 0, listed.stderr
    assert "[prod]" in listed.stdout and "[/x]" in listed.stdout


def test_colour_follows_no_color_and_the_flag(sandbox, bdb, re_tty):
    coloured = re_tty("bdbs", "list", env={**sandbox.env(), "NO_COLOR": "", "TERM": "xterm"})
    by_flag = re_tty("bdbs", "list", "--no-color",
                     env={**sandbox.env(), "NO_COLOR": "", "TERM": "xterm"})
    by_env = re_tty("bdbs", "list", env={**sandbox.env(), "TERM": "xterm"})

    assert "\x1b[" in coloured.stdout
    assert "\x1b[" not in by_flag.stdout
    assert "\x1b[" not in by_env.stdout
    assert by_flag.stdout.splitlines()[0].split()[0] == "uid"


def test_status_line_is_dim_on_a_colour_terminal(sandbox, bdb, re_tty):
    done = re_tty("bdbs", "list", "--fields", "uid", stderr_tty=True,
                  env={**sandbox.env(), "NO_COLOR": "", "TERM": "xterm"})

    assert done.code == 0
    assert "\x1b[2m200 OK\x1b[0m" in done.stdout  # stderr shares the terminal here


@pytest.mark.parametrize("args", [("bdbs", "list"), ("bdbs", "list", "-o", "table")])
def test_a_reader_that_goes_away_early_ends_quietly(sandbox, bdb, home, args):
    env = {**isolated_env(home), **sandbox.env()}
    proc = subprocess.Popen([sys.executable, "-m", "re_cli", *args], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before `re` writes a byte
    _, err = proc.communicate(timeout=60)

    assert err.decode() == ""
    assert proc.returncode == 0


def test_head_reading_one_line_of_a_long_output(sandbox, bdb, home):
    for _ in range(3):
        create_bdb(sandbox, f"pipe-{uuid.uuid4().hex[:8]}")
    env = {**isolated_env(home), **sandbox.env()}
    command = f"'{sys.executable}' -m re_cli bdbs list | head -c 1; " \
              f"'{sys.executable}' -m re_cli bdbs list -o table | head -1"
    done = subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=60)

    assert done.stderr.decode() == ""
    assert done.stdout.decode().startswith("[")


def imported(env: dict, home, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "re_cli", *args],
                          env={**isolated_env(home), **env}, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    return {line.split("|")[-1].strip() for line in done.stderr.decode().splitlines()
            if line.startswith("import time:")}


def test_help_and_piped_json_load_no_more_than_they_need(sandbox, home):
    helped = imported({}, home, "--help")
    piped = imported(sandbox.env(), home, "bdbs", "list", "--fields", "uid,name")

    for heavy in ("requests", "rich", "keyring", "tomlkit", "cryptography"):
        assert heavy not in helped
    assert "requests" in piped
    for heavy in ("rich", "keyring", "tomlkit"):
        assert heavy not in piped
