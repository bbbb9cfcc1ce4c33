"""The HTTP layer seen from the command line: what -v shows (and hides), connection and
TLS failures, timeouts."""

import base64
import socket
import threading
import uuid

import certifi
import pytest
import requests
from conftest import free_port, isolated_env, start_sandbox, stop_sandbox


def test_verbose_shows_the_exchange_with_authorization_redacted(sandbox, re_run):
    done = re_run("-v", "bdbs", "list", "--fields", "uid", env=sandbox.env())

    assert done.code == 0, done.stderr
    lines = done.stderr.splitlines()
    assert f"> GET {sandbox.url}/v1/bdbs?fields=uid" in lines
    assert "> Authorization: Basic [redacted]" in lines
    assert "> Accept: application/json" in lines
    assert any(line.startswith("> User-Agent: re/") for line in lines)
    assert any(line.startswith("< HTTP/1.1 200 OK (") and line.endswith(" ms)")
               for line in lines)
    assert "< Content-Type: application/json" in lines
    secret = sandbox.password()
    token = base64.b64encode(f"{sandbox.user()}:{secret}".encode()).decode()
    for stream in (done.stdout, done.stderr):
        assert secret not in stream and token not in stream


def test_very_verbose_adds_bodies_with_secrets_masked(sandbox, re_run):
    secret = f"redis-{uuid.uuid4().hex}"
    done = re_run("-vv", "api", "POST", "/v1/bdbs", "-f", f"name=vv-{uuid.uuid4().hex[:6]}",
                  "-F", "memory_size=104857600", "-f", f"authentication_redis_pass={secret}",
                  env=sandbox.env())

    assert done.code == 0, done.stderr
    assert '"memory_size": 104857600' in done.stderr  # the request body
    assert '"status": ' in done.stderr  # the response body
    assert '"authentication_redis_pass": "[redacted]"' in done.stderr
    assert secret not in done.stderr
    assert sandbox.password() not in done.stderr


def test_content_type_only_on_bodies(sandbox, re_run):
    get = re_run("-v", "api", "GET", "/v1/cluster", env=sandbox.env())
    put = re_run("-v", "api", "PUT", "/sandbox/faults", "-d", "{}", env=sandbox.env())

    assert "> Content-Type: application/json" not in get.stderr.splitlines()
    assert "> Content-Type: application/json" in put.stderr.splitlines()


def test_closed_port_is_exit_8_in_one_line(sandbox, re_run):
    env = {**sandbox.env(), "RE_PORT": str(free_port())}
    done = re_run("bdbs", "list", env=env)

    assert done.code == 8
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("re: cannot connect to https://127.0.0.1:")
    assert "refused" in done.stderr.lower()


@pytest.mark.parametrize("ca", ["other", "system"])
def test_a_ca_that_does_not_know_the_server_is_exit_8(sandbox, re_run, ca):
    env = sandbox.env()
    if ca == "other":
        env["RE_CA_CERT"] = certifi.where()
    else:
        del env["RE_CA_CERT"]

    done = re_run("bdbs", "list", env=env)

    assert done.code == 8
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"re: TLS failed with {sandbox.url}: ")
    assert "certificate" in done.stderr


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_no_answer_within_the_timeout_is_exit_8(sandbox, re_run, silent_server):
    port, _ = silent_server
    done = re_run("--timeout", "0.5", "bdbs", "list",
                  env={**sandbox.env(), "RE_PORT": str(port)})

    assert done.code == 8
    assert done.stderr.count("\n") == 1
    assert "0.5 s" in done.stderr


@pytest.fixture(scope="module")
def slow_sandbox(tmp_path_factory):
    """A sandbox whose actions take a minute: a new database stays busy."""
    home = tmp_path_factory.mktemp("slow-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "60")
    yield box
    stop_sandbox(box)


def test_a_write_to_a_busy_object_is_not_retried(slow_sandbox, re_run):
    created = requests.post(slow_sandbox.url + "/v1/bdbs",
                            json={"name": "busy", "memory_size": 104857600},
                            auth=(slow_sandbox.user(), slow_sandbox.password()),
                            verify=str(slow_sandbox.ca_cert), timeout=30)
    created.raise_for_status()

    done = re_run("-v", "api", "PUT", f"/v1/bdbs/{created.json()['uid']}",
                  "-F", "memory_size=209715200", env=slow_sandbox.env())

    assert done.code == 6
    assert done.stderr.count("> PUT ") == 1
    assert "409 Conflict: busy" in done.stderr.splitlines()[-1]
