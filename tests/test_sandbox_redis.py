"""Real databases behind the sandbox's bdbs: a redis-server per bdb, protected by the
bdb's password, following updates, deletes, sandbox stops, restarts and kills."""

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from bdb_helpers import MB, create_bdb, delete_bdb, redis_pids, wait_action
from conftest import isolated_env, start_sandbox, stop_sandbox
from sandbox_client import session

needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="redis-server is not installed")


def redis_cli(port: int, *command: str, password: str | None = None) -> str:
    args = ["redis-cli", "-p", str(port)]
    if password is not None:
        args += ["-a", password, "--no-auth-warning"]
    done = subprocess.run([*args, *command], capture_output=True, text=True, timeout=20)
    return (done.stdout + done.stderr).strip()


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def own_box(tmp_path, *extra: str, env: dict | None = None):
    data_dir = tmp_path / "sandbox"
    data_dir.mkdir(exist_ok=True)
    full_env = isolated_env(tmp_path)
    full_env.update(env or {})
    return start_sandbox(data_dir, full_env, "--action-delay", "0.1", *extra), full_env


@needs_redis
def test_a_bdb_is_served_with_its_password(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, authentication_redis_pass="served-pass-1")
    assert bdb["sandbox_endpoint_served"] is True
    assert "sandbox_endpoint_note" not in bdb
    port = bdb["endpoints"][0]["port"]
    assert port == bdb["port"]

    assert redis_cli(port, "PING", password="served-pass-1") == "PONG"
    assert redis_cli(port, "SET", "greeting", "hello", password="served-pass-1") == "OK"
    refused = redis_cli(port, "GET", "greeting")
    assert "NOAUTH" in refused and "hello" not in refused
    assert "WRONGPASS" in redis_cli(port, "PING", password="not-the-password")


@needs_redis
def test_updates_reach_the_server_and_delete_stops_it(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, authentication_redis_pass="before-1")
    uid, port = bdb["uid"], bdb["port"]
    assert redis_cli(port, "SET", "k", "v", password="before-1") == "OK"

    r = s.put(f"{sandbox.url}/v1/bdbs/{uid}", json={"authentication_redis_pass": "after-2"})
    wait_action(s, sandbox, r.json()["action_uid"])
    assert redis_cli(port, "GET", "k", password="after-2") == "v"  # same server, data kept
    assert "WRONGPASS" in redis_cli(port, "PING", password="before-1")

    r = s.post(f"{sandbox.url}/v1/bdbs", json={"name": "probe", "memory_size": MB,
                                               "uid": uid + 1000}, params={"dry_run": ""})
    new_port = r.json()["port"]
    r = s.put(f"{sandbox.url}/v1/bdbs/{uid}", json={"port": new_port})
    assert r.status_code == 200, r.text
    wait_action(s, sandbox, r.json()["action_uid"])
    assert redis_cli(new_port, "PING", password="after-2") == "PONG"
    assert not port_open(port)
    moved = s.get(f"{sandbox.url}/v1/bdbs/{uid}").json()
    assert moved["endpoints"][0]["port"] == new_port

    assert len(redis_pids(sandbox.data_dir, uid)) == 1
    delete_bdb(s, sandbox, uid)
    assert not port_open(new_port)
    assert redis_pids(sandbox.data_dir, uid) == []


@needs_redis
def test_servers_stop_with_the_sandbox_and_return_with_it(tmp_path):
    box, env = own_box(tmp_path)
    try:
        s = session(box)
        bdb = create_bdb(s, box, authentication_redis_pass="restart-pass")
        assert redis_cli(bdb["port"], "PING", password="restart-pass") == "PONG"
    finally:
        stop_sandbox(box)
    assert redis_pids(box.data_dir) == []
    assert not port_open(bdb["port"])

    box = start_sandbox(box.data_dir, env, "--action-delay", "0.1")
    try:
        assert redis_cli(bdb["port"], "PING", password="restart-pass") == "PONG"
        shown = session(box).get(f"{box.url}/v1/bdbs/{bdb['uid']}").json()
        assert shown["sandbox_endpoint_served"] is True
    finally:
        stop_sandbox(box)
    assert redis_pids(box.data_dir) == []


@needs_redis
def test_a_killed_sandbox_takes_its_servers_along(tmp_path):
    box, _ = own_box(tmp_path)
    s = session(box)
    create_bdb(s, box)
    create_bdb(s, box)
    assert len(redis_pids(box.data_dir)) == 2
    box.process.send_signal(signal.SIGKILL)
    box.process.wait()
    deadline = time.monotonic() + 10
    while redis_pids(box.data_dir) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert redis_pids(box.data_dir) == []


@needs_redis
def test_a_start_ends_a_leftover_server_and_serves_again(tmp_path):
    box, env = own_box(tmp_path)
    try:
        bdb = create_bdb(session(box), box, authentication_redis_pass="own-pass")
    finally:
        stop_sandbox(box)
    # a server on the bdb's port with the bdb's pid file, as a crashed sandbox leaves it
    workdir = box.data_dir / "redis" / f"bdb-{bdb['uid']}"
    leftover = subprocess.Popen(["redis-server", "--port", str(bdb["port"]), "--save", "",
                                 "--bind", "127.0.0.1"], cwd=workdir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        (workdir.parent / f"bdb-{bdb['uid']}.pid").write_text(str(leftover.pid))
        deadline = time.monotonic() + 10
        while not port_open(bdb["port"]) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert redis_cli(bdb["port"], "PING") == "PONG"  # the leftover, with no password

        box = start_sandbox(box.data_dir, env, "--action-delay", "0.1")
        try:
            assert leftover.wait(timeout=10) is not None
            assert redis_cli(bdb["port"], "PING", password="own-pass") == "PONG"
            assert "NOAUTH" in redis_cli(bdb["port"], "PING")
        finally:
            stop_sandbox(box)
    finally:
        if leftover.poll() is None:
            leftover.kill()
        leftover.wait()
    assert redis_pids(box.data_dir) == []


def test_without_redis_server_the_api_works_and_says_so(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    box, _ = own_box(tmp_path, env={"PATH": str(empty_bin)})
    try:
        s = session(box)
        bdb = create_bdb(s, box, authentication_redis_pass="unserved")
        assert bdb["status"] == "active"
        assert bdb["sandbox_endpoint_served"] is False
        assert "redis-server" in bdb["sandbox_endpoint_note"]
        assert redis_pids(box.data_dir) == []
        delete_bdb(s, box, bdb["uid"])
    finally:
        stop_sandbox(box)


def test_no_password_in_the_process_list(sandbox):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, authentication_redis_pass="hidden-from-ps")
    pids = redis_pids(sandbox.data_dir, bdb["uid"])
    assert len(pids) == 1
    assert b"hidden-from-ps" not in Path(f"/proc/{pids[0]}/cmdline").read_bytes()


@needs_redis
def test_flush_empties_the_database(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, authentication_redis_pass="flush-pass")
    assert redis_cli(bdb["port"], "SET", "doomed", "1", password="flush-pass") == "OK"
    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}/flush", json={})
    assert r.status_code == 200
    wait_action(s, sandbox, r.json()["action_uid"])
    assert redis_cli(bdb["port"], "DBSIZE", password="flush-pass") == "0"
