"""Trusting the server: the system's CAs, a CA file, a pinned fingerprint, insecure;
and a pinned certificate that changed."""

import json

import pytest
from conftest import isolated_env, start_sandbox, stop_sandbox
from test_profile import server_fingerprint


@pytest.fixture(scope="module")
def other_sandbox(tmp_path_factory):
    """A second sandbox with its own CA and certificate."""
    home = tmp_path_factory.mktemp("other-sandbox-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home))
    yield box
    stop_sandbox(box)


def plain_env(sandbox) -> dict:
    """RE_* variables for the sandbox without its CA: the system's CAs apply."""
    env = sandbox.env()
    del env["RE_CA_CERT"]
    return env


def add_pinned(re_run, sandbox, name="pinned", fingerprint=None):
    return re_run("profile", "add", name, "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(), "--password-stdin", "--pin-fingerprint",
                  fingerprint or server_fingerprint(sandbox.port),
                  input=sandbox.password() + "\n")


def test_system_cas_do_not_trust_the_sandbox(re_run, sandbox):
    done = re_run("bdbs", "list", env=plain_env(sandbox))
    assert done.code == 8
    assert "certificate" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_ca_file(re_run, sandbox):
    by_flag = re_run("bdbs", "list", "-o", "json", "--ca-cert", str(sandbox.ca_cert),
                     env=plain_env(sandbox))
    assert by_flag.code == 0, by_flag.stderr
    assert by_flag.stderr == ""
    assert re_run("bdbs", "list", "-o", "json", env=sandbox.env()).code == 0


def test_a_ca_file_of_another_cluster_fails(re_run, sandbox, other_sandbox):
    done = re_run("bdbs", "list", "--ca-cert", str(other_sandbox.ca_cert),
                  env=plain_env(sandbox))
    assert done.code == 8


def test_a_pinned_fingerprint(re_run, sandbox, home):
    assert add_pinned(re_run, sandbox).code == 0
    done = re_run("bdbs", "list", "-o", "json")
    assert done.code == 0, done.stderr
    assert done.stderr == ""  # no InsecureRequestWarning: the pin is the check
    assert re_run("profile", "test", "-o", "json").code == 0


def test_a_wrong_pin_fails_at_add_naming_both(re_run, sandbox, home):
    actual = server_fingerprint(sandbox.port)
    wrong = ":".join(["AB"] * 32)
    done = add_pinned(re_run, sandbox, fingerprint=wrong)
    assert done.code == 8
    assert wrong in done.stderr and actual in done.stderr
    assert not (home / "config" / "re" / "config.toml").exists()


def test_a_changed_certificate_fails_naming_both(re_run, sandbox, other_sandbox):
    pinned = server_fingerprint(sandbox.port)
    changed = server_fingerprint(other_sandbox.port)
    assert pinned != changed
    assert add_pinned(re_run, sandbox).code == 0

    # the same profile, pointed at a cluster whose certificate is another one
    moved = {"RE_PORT": str(other_sandbox.port)}
    for args in (["profile", "test"], ["bdbs", "list"], ["api", "GET", "/v1/cluster"]):
        done = re_run(*args, env=moved)
        assert done.code == 8, (args, done.stderr)
        assert pinned in done.stderr and changed in done.stderr
        assert len(done.stderr.splitlines()) == 1
        assert done.stdout == ""


def test_insecure_works_and_warns_once(re_run, sandbox):
    for how in (["--insecure"], []):
        env = plain_env(sandbox)
        if not how:
            env["RE_INSECURE"] = "1"
        done = re_run("profile", "test", "-o", "json", *how, env=env)
        assert done.code == 0, done.stderr
        assert json.loads(done.stdout)["nodes"] >= 1
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr  # two requests, one warning
        assert "warning" in lines[0] and "not checked" in lines[0]
        assert "InsecureRequestWarning" not in done.stderr


def test_an_insecure_profile(re_run, sandbox, home):
    assert re_run("profile", "add", "lab", "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(), "--insecure", "--password-stdin",
                  input=sandbox.password() + "\n").code == 0
    assert "insecure = true" in (home / "config" / "re" / "config.toml").read_text()
    done = re_run("bdbs", "list", "-o", "json")
    assert done.code == 0
    assert len(done.stderr.splitlines()) == 1 and "warning" in done.stderr
    listed = json.loads(re_run("profile", "list", "-o", "json").stdout)
    assert listed[0]["tls"] == "insecure"


def test_a_malformed_pin_in_the_config_exits_3(re_run, sandbox, home):
    path = home / "config" / "re" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(f'default_profile = "x"\n[profiles.x]\nhost = "{sandbox.host}"\n'
                    f'port = {sandbox.port}\nuser = "{sandbox.user()}"\nfingerprint = "12:34"\n')
    done = re_run("bdbs", "list", env={"RE_PASSWORD": sandbox.password()})
    assert done.code == 3
    assert "profile `x`" in done.stderr and "not a SHA-256 fingerprint" in done.stderr
