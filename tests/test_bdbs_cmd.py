"""`re bdbs list` and `re bdbs get`: uid or name, --fields, help."""

import json
import uuid

import pytest
import requests


@pytest.fixture(scope="module")
def bdb(sandbox) -> dict:
    response = requests.post(sandbox.url + "/v1/bdbs",
                             json={"name": f"cmd-{uuid.uuid4().hex[:8]}",
                                   "memory_size": 104857600},
                             auth=(sandbox.user(), sandbox.password()),
                             verify=str(sandbox.ca_cert), timeout=30)
    response.raise_for_status()
    return response.json()


def test_get_by_uid_and_by_name_agree(sandbox, bdb, re_run):
    by_uid = re_run("bdbs", "get", str(bdb["uid"]), "--fields", "uid,name",
                    env=sandbox.env())
    by_name = re_run("bdbs", "get", bdb["name"], "--fields", "uid,name", env=sandbox.env())

    assert by_uid.code == 0 and by_name.code == 0, by_uid.stderr + by_name.stderr
    assert json.loads(by_uid.stdout) == {"uid": bdb["uid"], "name": bdb["name"]}
    assert by_name.stdout_bytes == by_uid.stdout_bytes


def test_name_lookup_asks_only_for_uids_and_names(sandbox, bdb, re_run):
    done = re_run("-v", "bdbs", "get", bdb["name"], env=sandbox.env())

    requests_sent = [line for line in done.stderr.splitlines() if line.startswith("> GET ")]
    assert requests_sent == [f"> GET {sandbox.url}/v1/bdbs?fields=uid%2Cname",
                             f"> GET {sandbox.url}/v1/bdbs/{bdb['uid']}"]


def test_fields_may_repeat(sandbox, bdb, re_run):
    done = re_run("bdbs", "list", "--fields", "uid", "--fields", "name,port",
                  env=sandbox.env())

    assert done.code == 0, done.stderr
    assert all(set(row) <= {"uid", "name", "port"} for row in json.loads(done.stdout))


def test_empty_fields_is_a_usage_error(sandbox, re_run):
    done = re_run("bdbs", "list", "--fields", ",", env=sandbox.env())

    assert done.code == 2
    assert "--fields" in done.stderr


def test_a_name_nobody_has_is_exit_5(sandbox, re_run):
    done = re_run("bdbs", "get", "nobody-has-this-name", env=sandbox.env())

    assert done.code == 5
    assert done.stderr == "re: no database named `nobody-has-this-name`\n"


def test_viewer_may_list(sandbox, bdb, re_run):
    done = re_run("bdbs", "list", "--fields", "uid", env=sandbox.env("db_viewer"))

    assert done.code == 0, done.stderr
    assert {"uid": bdb["uid"]} in json.loads(done.stdout)


@pytest.mark.parametrize("args", [("bdbs", "--help"), ("bdbs", "list", "--help"),
                                  ("bdbs", "get", "--help")])
def test_help_has_a_summary_and_an_example(re_run, args):
    done = re_run(*args)

    assert done.code == 0
    assert "Example" in done.stdout
    assert "re bdbs" in done.stdout
