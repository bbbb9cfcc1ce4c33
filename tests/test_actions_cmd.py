"""`re actions list|get|wait|bdb` through the command line against the sandbox."""

import itertools
import json

import pytest

GB = 1024**3
_names = itertools.count(1)


@pytest.fixture(scope="module")
def created(sandbox, tmp_path_factory):
    """A database created through the API and finished: (its name, uid, action uid)."""
    import requests

    name = f"actions-cmd-{next(_names)}"
    auth = (sandbox.user(), sandbox.password())
    response = requests.post(f"{sandbox.url}/v1/bdbs", json={"name": name, "memory_size": GB},
                             auth=auth, verify=str(sandbox.ca_cert), timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    return name, str(body["uid"]), body["action_uid"]


def test_wait_for_the_fixture(re_run, sandbox, created):
    _, _, action_uid = created

    assert re_run("actions", "wait", action_uid, env=sandbox.env()).code == 0


def test_list_piped_is_the_v1_body_exactly(re_run, sandbox, created):
    _, _, action_uid = created

    result = re_run("actions", "list", env=sandbox.env())

    assert result.code == 0, result.stderr
    body = json.loads(result.stdout)
    assert set(body) == {"actions", "state-machines"}
    assert action_uid in {a["action_uid"] for a in body["state-machines"]}


def test_list_v2_is_one_flat_list(re_run, sandbox, created):
    _, _, action_uid = created

    result = re_run("actions", "list", "--v2", env=sandbox.env())

    assert result.code == 0, result.stderr
    body = json.loads(result.stdout)
    assert isinstance(body, list)
    assert action_uid in {a["action_uid"] for a in body}


def test_list_as_a_table_joins_both_lists_with_a_kind(re_run, sandbox, created):
    _, _, action_uid = created

    result = re_run("actions", "list", "-o", "table", env=sandbox.env())

    assert result.code == 0, result.stderr
    assert "kind" in result.stdout
    assert "state machine" in result.stdout
    assert action_uid in result.stdout


def test_get_shows_the_v2_view(re_run, sandbox, created):
    _, bdb_uid, action_uid = created

    result = re_run("actions", "get", action_uid, env=sandbox.env())

    assert result.code == 0, result.stderr
    action = json.loads(result.stdout)
    assert action["action_uid"] == action_uid
    assert action["additional_info"]["object_uid"] == bdb_uid


def test_get_of_an_unknown_uid_exits_5(re_run, sandbox):
    result = re_run("actions", "get", "no-such-action", env=sandbox.env())

    assert result.code == 5
    assert len(result.stderr.strip().splitlines()) == 1
    assert "/v1/actions/no-such-action" in result.stderr  # after trying v2, v1 answered 404


def test_bdb_by_name_lists_its_actions(re_run, sandbox, created):
    name, _, action_uid = created

    result = re_run("actions", "bdb", name, env=sandbox.env())

    assert result.code == 0, result.stderr
    assert action_uid in {a["action_uid"] for a in json.loads(result.stdout)}


def test_bdb_by_uid_is_the_same(re_run, sandbox, created):
    name, bdb_uid, _ = created

    by_uid = re_run("actions", "bdb", bdb_uid, env=sandbox.env())
    by_name = re_run("actions", "bdb", name, env=sandbox.env())

    assert by_uid.code == 0
    assert json.loads(by_uid.stdout) == json.loads(by_name.stdout)


def test_bdb_of_an_unknown_database_exits_5(re_run, sandbox):
    result = re_run("actions", "bdb", "no-such-database", env=sandbox.env())

    assert result.code == 5


def test_a_wrong_password_exits_4(re_run, sandbox):
    """Every management role may view actions, so the refusal to test is a login's."""
    env = {**sandbox.env(), "RE_PASSWORD": "not-the-password"}

    result = re_run("actions", "list", env=env)

    assert result.code == 4
    assert "401" in result.stderr


@pytest.mark.parametrize("words", [[], ["list"], ["get"], ["wait"], ["bdb"]])
def test_help_has_a_summary_and_an_example(re_run, words):
    result = re_run("actions", *words, "--help")

    assert result.code == 0
    lines = result.stdout.splitlines()
    summary = next(line.strip() for line in lines[1:] if line.strip())
    assert summary.endswith(".") and len(summary) < 80
    assert "Example" in result.stdout
    assert "  re actions" in result.stdout
