"""`re api METHOD PATH`: bodies from -d, -f and -F, query parameters, headers, bad input."""

import json
import time
import uuid

import pytest
import requests


def server(sandbox, method, path, **kwargs) -> requests.Response:
    response = requests.request(method, sandbox.url + path,
                                auth=(sandbox.user(), sandbox.password()),
                                verify=str(sandbox.ca_cert), timeout=30, **kwargs)
    response.raise_for_status()
    return response


@pytest.fixture(scope="module")
def made_bdb(sandbox) -> dict:
    return server(sandbox, "POST", "/v1/bdbs",
                  json={"name": f"api-{uuid.uuid4().hex[:8]}", "memory_size": 104857600}).json()


@pytest.fixture
def bdb(sandbox, made_bdb) -> dict:
    """The module's database, once it is active: a write while the change before it
    still runs is refused with 409, as on a cluster."""
    deadline = time.monotonic() + 30
    while bdb_now(sandbox, made_bdb["uid"])["status"] != "active":
        assert time.monotonic() < deadline, "the database did not become active"
        time.sleep(0.1)
    return made_bdb


def bdb_now(sandbox, uid) -> dict:
    return server(sandbox, "GET", f"/v1/bdbs/{uid}").json()


def test_path_with_or_without_v1(sandbox, re_run):
    with_v1 = re_run("api", "GET", "/v1/cluster", env=sandbox.env())
    without = re_run("api", "get", "cluster", env=sandbox.env())

    assert with_v1.code == 0 and without.code == 0, with_v1.stderr + without.stderr
    assert with_v1.stdout_bytes == without.stdout_bytes
    assert with_v1.stdout_bytes == server(sandbox, "GET", "/v1/cluster").content


def test_data_inline(sandbox, bdb, re_run):
    done = re_run("api", "PUT", f"/v1/bdbs/{bdb['uid']}",
                  "-d", '{"eviction_policy": "allkeys-lru"}', env=sandbox.env())

    assert done.code == 0, done.stderr
    assert bdb_now(sandbox, bdb["uid"])["eviction_policy"] == "allkeys-lru"


def test_data_from_a_file(sandbox, bdb, re_run, tmp_path):
    body = tmp_path / "body.json"
    body.write_text('{\n  "eviction_policy": "allkeys-random"\n}\n')

    done = re_run("api", "PUT", f"bdbs/{bdb['uid']}", "-d", f"@{body}", env=sandbox.env())

    assert done.code == 0, done.stderr
    assert bdb_now(sandbox, bdb["uid"])["eviction_policy"] == "allkeys-random"


def test_data_from_stdin(sandbox, bdb, re_run):
    done = re_run("api", "PUT", f"/v1/bdbs/{bdb['uid']}", "-d", "@-",
                  input='{"eviction_policy": "volatile-ttl"}', env=sandbox.env())

    assert done.code == 0, done.stderr
    assert bdb_now(sandbox, bdb["uid"])["eviction_policy"] == "volatile-ttl"


def test_string_and_typed_fields(sandbox, bdb, re_run, tmp_path):
    tags = tmp_path / "tags.json"
    tags.write_text('[{"key": "team", "value": "core"}]')

    done = re_run("api", "PUT", f"/v1/bdbs/{bdb['uid']}",
                  "-f", "eviction_policy=noeviction",
                  "-F", "memory_size=209715200",
                  "-F", "replication=false",
                  "-F", f"tags=@{tags}",
                  env=sandbox.env())

    assert done.code == 0, done.stderr
    now = bdb_now(sandbox, bdb["uid"])
    assert now["eviction_policy"] == "noeviction"
    assert now["memory_size"] == 209715200
    assert now["replication"] is False
    assert now["tags"] == [{"key": "team", "value": "core"}]


def test_a_string_field_stays_a_string(sandbox, re_run):
    done = re_run("-vv", "api", "PUT", "/sandbox/faults", "-f", "latency=0",
                  env=sandbox.env())

    assert done.code == 6  # the sandbox wants a number: "0" is a string
    assert "`latency` must be a number" in done.stderr
    assert '"latency": "0"' in done.stderr  # the -vv trace of the body that was sent


def test_typed_null_and_numbers(sandbox, re_run):
    done = re_run("-vv", "api", "PUT", "/sandbox/faults", "-F", "latency=0",
                  "-F", "error_rate=0.0", env=sandbox.env())

    assert done.code == 0, done.stderr
    assert json.loads(done.stdout)["latency"] == 0


def test_query_parameters(sandbox, bdb, re_run):
    done = re_run("api", "GET", "/v1/bdbs", "-q", "fields=uid,name", env=sandbox.env())

    assert done.code == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {"uid": bdb["uid"], "name": bdb["name"]} in rows
    assert all(set(row) <= {"uid", "name"} for row in rows)


def test_headers_reach_the_server(sandbox, re_run):
    supported = re_run("api", "GET", "/v1/cluster", "-H", "X-API-Version: v1",
                       env=sandbox.env())
    unsupported = re_run("api", "GET", "/v1/cluster", "-H", "X-API-Version: v9",
                         env=sandbox.env())

    assert supported.code == 0, supported.stderr
    assert unsupported.code == 6  # 505 is a request error, not a server error
    assert "505" in unsupported.stderr and "unsupported_api_version" in unsupported.stderr


def test_a_header_replaces_the_content_type(sandbox, bdb, re_run):
    done = re_run("api", "PUT", f"/v1/bdbs/{bdb['uid']}", "-d", "{}",
                  "-H", "Content-Type: text/plain", env=sandbox.env())

    assert done.code == 6
    assert "invalid_content_type" in done.stderr


@pytest.mark.parametrize("text, where", [
    ('{"name": }', "line 1, column 10"),
    ('{\n  "name": "x",\n}', "line 3, column 1"),
    ("", "line 1, column 1"),
])
def test_invalid_json_is_a_usage_error_naming_the_place(sandbox, re_run, text, where):
    done = re_run("api", "POST", "/v1/bdbs", "-d", text, env=sandbox.env())

    assert done.code == 2
    assert done.stderr.count("\n") == 1
    assert "not valid JSON" in done.stderr and where in done.stderr


def test_invalid_json_in_a_file(sandbox, re_run, tmp_path):
    body = tmp_path / "bad.json"
    body.write_text('{"a": 1,\n "b": [1, 2,]\n}')

    done = re_run("api", "POST", "/v1/bdbs", "-d", f"@{body}", env=sandbox.env())

    assert done.code == 2
    assert str(body) in done.stderr and "line 2" in done.stderr


@pytest.mark.parametrize("args, message", [
    (("FETCH", "/v1/cluster"), "is not an HTTP method"),
    (("POST", "/v1/bdbs", "-f", "novalue"), "is not key=value"),
    (("GET", "/v1/bdbs", "-q", "=x"), "is not key=value"),
    (("GET", "/v1/bdbs", "-H", "NoColon"), "is not `Name: value`"),
    (("POST", "/v1/bdbs", "-d", "@/nonexistent/body.json"), "cannot read"),
    (("POST", "/v1/bdbs", "-d", "[1]", "-f", "a=b"), "must be a JSON object"),
])
def test_bad_input_is_one_line_and_exit_2(sandbox, re_run, args, message):
    done = re_run("api", *args, env=sandbox.env())

    assert done.code == 2
    assert message in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_fields_merge_into_data(sandbox, re_run):
    done = re_run("-vv", "api", "PUT", "/sandbox/faults", "-d", '{"latency": 0}',
                  "-F", "error_rate=0", env=sandbox.env())

    assert done.code == 0, done.stderr
    assert '"latency": 0,\n  "error_rate": 0' in done.stderr
