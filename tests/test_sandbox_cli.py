"""`re sandbox start/status/stop` as a newcomer runs them: in the background, with the
default data dir under XDG_DATA_HOME and a profile written to the config file."""

import json
import shlex
import subprocess

import pytest
import tomllib
from conftest import free_port


@pytest.fixture
def started(re_run, home):
    """A background sandbox on a free port; stopped whatever the test does."""
    port = free_port()
    result = re_run("sandbox", "start", "--port", str(port), "--action-delay", "0.1")
    yield port, result
    re_run("sandbox", "stop")


def test_start_prints_where_things_are_and_writes_the_profile(started, home):
    port, result = started
    data_dir = home / "data" / "re" / "sandbox"
    creds = json.loads((data_dir / "credentials.json").read_text())
    assert result.code == 0, result.stderr
    out = result.stdout
    assert f"https://127.0.0.1:{port}" in out
    assert "admin@sandbox.local" in out
    assert str(data_dir / "ca.pem") in out
    assert str(data_dir / "credentials.json") in out
    assert "sandbox" in out
    assert creds["admin"]["password"] in out  # shown once, on first start
    assert (data_dir / "credentials.json").stat().st_mode & 0o777 == 0o600
    assert (data_dir / "passwords" / "admin").stat().st_mode & 0o777 == 0o600

    config = tomllib.loads((home / "config" / "re" / "config.toml").read_text())
    assert config["default_profile"] == "sandbox"
    profile = config["profiles"]["sandbox"]
    assert profile["host"] == "127.0.0.1" and profile["port"] == port
    assert profile["user"] == "admin@sandbox.local"
    assert profile["ca_cert"] == str(data_dir / "ca.pem")
    assert "password" not in profile
    printed = subprocess.run(shlex.split(profile["password_command"]), capture_output=True,
                             text=True, check=True).stdout
    assert printed.strip() == creds["admin"]["password"]


def test_status_second_start_curl_and_stop(started, re_run, home):
    port, _ = started
    data_dir = home / "data" / "re" / "sandbox"

    status = re_run("sandbox", "status")
    assert status.code == 0
    assert f"https://127.0.0.1:{port}" in status.stdout

    again = re_run("sandbox", "start", "--port", str(port))
    assert again.code == 8
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr
    assert "already runs" in again.stderr

    elsewhere = re_run("sandbox", "start", "--port", str(port), "--data-dir",
                       str(home / "other"))
    assert elsewhere.code == 8
    assert elsewhere.stderr.count("\n") == 1
    assert f"port {port}" in elsewhere.stderr

    creds = json.loads((data_dir / "credentials.json").read_text())
    config = f'user = "admin@sandbox.local:{creds["admin"]["password"]}"\n'
    curl = subprocess.run(
        ["curl", "-sS", "-K", "-", "--cacert", str(data_dir / "ca.pem"), "-w", "\n%{http_code}",
         f"https://127.0.0.1:{port}/v1/bdbs?fields=uid,name"],
        input=config, capture_output=True, text=True, timeout=30)
    assert curl.returncode == 0, curl.stderr
    body, code = curl.stdout.rsplit("\n", 1)
    assert code in ("200", "501")
    json.loads(body)

    stopped = re_run("sandbox", "stop")
    assert stopped.code == 0
    assert re_run("sandbox", "status").code == 1
    assert not (data_dir / "sandbox.json").exists()


def test_restart_does_not_show_the_password_again(started, re_run, home):
    port, first = started
    assert first.code == 0
    creds = json.loads((home / "data" / "re" / "sandbox" / "credentials.json").read_text())
    assert re_run("sandbox", "stop").code == 0
    second = re_run("sandbox", "start", "--port", str(free_port()))
    assert second.code == 0, second.stderr
    assert creds["admin"]["password"] not in second.stdout
    assert "passwords" in second.stdout


def test_status_without_a_sandbox_is_1(re_run):
    result = re_run("sandbox", "status")
    assert result.code == 1
    assert "not running" in result.stdout
    assert "Traceback" not in result.stderr


def test_start_help_documents_faults_and_exit_codes(re_run):
    out = re_run("sandbox", "start", "--help").stdout
    for flag in ("--fault-latency", "--fault-error-rate", "--fault-drop-rate",
                 "--fault-truncate-rate", "/sandbox/faults", "Exit codes"):
        assert flag in out
