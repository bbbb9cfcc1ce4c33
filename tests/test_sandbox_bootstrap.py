"""Bootstrap on the sandbox: a joined node refuses, a node made fresh again (sandbox-only
`PUT /sandbox/bootstrap`) starts one, and `re` waits for it to complete."""

import json

import pytest
from conftest import isolated_env, start_sandbox, stop_sandbox

CREATE = {"action": "create_cluster", "cluster": {"name": "fresh.example.com"},
          "credentials": {"username": "admin@fresh.example.com"}}


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    home = tmp_path_factory.mktemp("bootstrap-home")
    (home / "sandbox").mkdir()
    sandbox = start_sandbox(home / "sandbox", isolated_env(home), "--action-delay", "0.5")
    yield sandbox
    stop_sandbox(sandbox)


def _state(re_run, box) -> str:
    done = re_run("bootstrap", "get", env=box.env())
    assert done.code == 0, done.stderr
    return json.loads(done.stdout)["bootstrap_status"]["state"]


def test_a_joined_node_refuses_a_bootstrap(box, re_run):
    assert _state(re_run, box) == "completed"
    done = re_run("bootstrap", "create-cluster", "--yes", "--data", json.dumps(CREATE),
                  env=box.env())
    assert done.code == 6
    assert "409" in done.stderr and "bootstrap_not_allowed" in done.stderr


def test_only_an_admin_makes_the_node_fresh(box, re_run):
    done = re_run("api", "PUT", "/sandbox/bootstrap", "-d", '{"state": "idle"}',
                  env=box.env("cluster_member"))
    assert done.code == 4
    bad = re_run("api", "PUT", "/sandbox/bootstrap", "-d", '{"state": "done"}', env=box.env())
    assert bad.code == 6


def test_a_fresh_node_bootstraps_and_re_waits_for_it(box, re_run):
    made = re_run("api", "PUT", "/sandbox/bootstrap", "-d", '{"state": "idle"}', env=box.env())
    assert made.code == 0, made.stderr
    assert _state(re_run, box) == "idle"

    bad = re_run("bootstrap", "create-cluster", "--yes", "--data", '{"cluster": []}',
                 env=box.env())
    assert bad.code == 6 and "config_error" in bad.stderr
    assert _state(re_run, box) == "idle"

    done = re_run("bootstrap", "create-cluster", "--yes", "--wait", "--data",
                  json.dumps(CREATE), env=box.env())
    assert done.code == 0, done.stderr
    assert _state(re_run, box) == "completed"
