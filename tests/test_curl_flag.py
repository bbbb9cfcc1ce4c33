"""`--curl` prints the request instead of sending it, and the printed command works."""

import json
import subprocess


def _make_db(re_run, env, name):
    body = json.dumps({"name": name, "memory_size": 10485760})
    done = re_run("api", "POST", "/v1/bdbs", "-d", body, env=env)
    assert done.code == 0, done.stderr
    return json.loads(done.stdout)["uid"]


def test_curl_for_a_get_by_name_runs_and_matches_re(sandbox, re_run):
    env = sandbox.env()
    uid = _make_db(re_run, env, "curl-by-name")

    printed = re_run("--curl", "bdbs", "get", "curl-by-name", env=env)
    assert printed.code == 0, printed.stderr
    command = printed.stdout
    assert f"/v1/bdbs/{uid}" in command  # the name was resolved, the lookup not printed
    assert "--cacert" in command and str(sandbox.ca_cert) in command
    assert '"$RE_PASSWORD"' in command
    assert sandbox.password() not in command + printed.stderr

    # The command, run by a shell with the password in the environment, gets the
    # same database the way `re` does.
    ran = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "RE_PASSWORD": sandbox.password()})
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["name"] == "curl-by-name"


def test_curl_for_a_write_carries_the_body_and_sends_nothing(sandbox, re_run):
    env = sandbox.env()
    body = json.dumps({"name": "curl-never-created", "memory_size": 1048576})
    printed = re_run("api", "POST", "/v1/bdbs", "-d", body, "--curl", env=env)
    assert printed.code == 0, printed.stderr
    assert "-X POST" in printed.stdout
    assert "Content-Type: application/json" in printed.stdout
    assert "curl-never-created" in printed.stdout

    listed = re_run("api", "GET", "/v1/bdbs", "-q", "fields=uid,name", env=env)
    assert "curl-never-created" not in listed.stdout


def test_curl_needs_no_password_and_says_insecure(sandbox, re_run):
    env = {k: v for k, v in sandbox.env().items() if k not in ("RE_PASSWORD", "RE_CA_CERT")}
    printed = re_run("--insecure", "--curl", "api", "GET", "/v1/cluster", env=env)
    assert printed.code == 0, printed.stderr
    assert " -k" in printed.stdout or "\n  -k" in printed.stdout
    assert printed.stdout.startswith("# ")  # the comment that says verification is off
