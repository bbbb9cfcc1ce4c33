"""The sandbox's smaller object groups over real HTTPS with CA verification: crdbs and
their tasks, LDAP mappings, proxies, OCSP, services, suffixes, bootstrap, logs, debug
info, the usage report, JSON schemas, endpoint stats, migrations and the cluster's
settings objects."""

import gzip
import hashlib
import io
import json
import tarfile
import time
import uuid

import pytest
import requests
from conftest import isolated_env, start_sandbox, stop_sandbox

pytestmark = pytest.mark.timeout(120)


class Api:
    """requests against one sandbox as one role; verify= on every call, because a
    REQUESTS_CA_BUNDLE in the environment would otherwise win over a session's."""

    def __init__(self, box, role: str = "admin"):
        self.box = box
        self.auth = (box.user(role), box.password(role))

    def call(self, method: str, path: str, auth=True, **kwargs) -> requests.Response:
        return requests.request(method, self.box.url + path, verify=str(self.box.ca_cert),
                                auth=self.auth if auth else None, timeout=30, **kwargs)

    def ok(self, method: str, path: str, **kwargs):
        resp = self.call(method, path, **kwargs)
        assert resp.status_code == 200, (method, path, resp.status_code, resp.text)
        return resp.json() if resp.content else None

    def error(self, status: int, method: str, path: str, **kwargs) -> dict:
        resp = self.call(method, path, **kwargs)
        assert resp.status_code == status, (method, path, resp.status_code, resp.text)
        body = resp.json()
        assert body["error_code"] and (body.get("message") or body.get("description"))
        return body


@pytest.fixture(scope="module")
def api(sandbox) -> Api:
    return Api(sandbox)


@pytest.fixture(scope="module")
def bdb_uid(api) -> int:
    name = f"other-groups-{uuid.uuid4().hex[:6]}"
    bdb = api.ok("POST", "/v1/bdbs", json={"name": name, "memory_size": 100 * 1024**2})
    end = time.monotonic() + 30
    while api.ok("GET", f"/v1/bdbs/{bdb['uid']}")["status"] != "active":
        assert time.monotonic() < end, "the database never became active"
        time.sleep(0.05)
    return bdb["uid"]


@pytest.fixture(scope="module")
def slow_box(tmp_path_factory):
    """A sandbox of its own whose tasks take six seconds, to catch them mid-way."""
    home = tmp_path_factory.mktemp("slow-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "6")
    box.env_home = home
    yield box
    stop_sandbox(box)


def instance(name: str) -> dict:
    return {"cluster": {"url": f"https://{name}.example.com:9443", "name": name,
                        "credentials": {"username": "admin@example.com", "password": "s3cret"}},
            "compression": 6}


def crdb_body(name: str) -> dict:
    return {"name": name, "default_db_config": {"name": name, "memory_size": 200 * 1024**2},
            "instances": [instance("east"), instance("west")]}


def wait_task(api: Api, task_id: str, deadline: float = 30) -> tuple[dict, list[str]]:
    """Poll a crdb task until it ends; returns the last view and the statuses seen."""
    seen = []
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        task = api.ok("GET", f"/v1/crdb_tasks/{task_id}")
        if not seen or seen[-1] != task["status"]:
            seen.append(task["status"])
        if task["status"] in ("finished", "failed"):
            return task, seen
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} never ended; saw {seen}")


# crdbs and crdb tasks

def test_crdb_life_cycle(api):
    name = f"aa-{uuid.uuid4().hex[:6]}"
    task = api.ok("POST", "/v1/crdbs", json=crdb_body(name))
    assert task["operation"] == "create_crdb" and task["status"] in ("queued", "started")
    guid = task["crdb_guid"]
    assert str(uuid.UUID(guid)) == guid
    done, seen = wait_task(api, task["id"])
    assert done["status"] == "finished" and done["started"] and done["ended"]
    order = ["queued", "started", "finished"]
    assert seen == sorted(seen, key=order.index)
    assert {t["id"] for t in api.ok("GET", "/v1/crdb_tasks")} >= {task["id"]}

    crdb = api.ok("GET", f"/v1/crdbs/{guid}")
    assert crdb["name"] == name and crdb["guid"] == guid
    assert [i["id"] for i in crdb["instances"]] == [1, 2]
    assert crdb["default_db_config"]["memory_size"] == 200 * 1024**2
    assert crdb["default_db_config"]["eviction_policy"] == "noeviction"
    assert "password" not in json.dumps(crdb["instances"])
    assert guid in {c["guid"] for c in api.ok("GET", "/v1/crdbs")}

    task = api.ok("PATCH", f"/v1/crdbs/{guid}", json={"encryption": True,
                                                     "default_db_config": {"shards_count": 2}})
    assert wait_task(api, task["id"])[0]["status"] == "finished"
    crdb = api.ok("GET", f"/v1/crdbs/{guid}")
    assert crdb["encryption"] is True and crdb["default_db_config"]["shards_count"] == 2

    reports = api.ok("GET", f"/v1/crdbs/{guid}/health_report")
    assert [r["cluster_name"] for r in reports] == ["east", "west"]
    assert reports[0]["connections"][0]["name"] == "west"
    assert len(api.ok("GET", f"/v1/crdbs/{guid}/health_report?instance_id=2")) == 1

    task = api.ok("PUT", f"/v1/crdbs/{guid}/flush")
    assert task["operation"] == "flush_crdb"
    wait_task(api, task["id"])

    task = api.ok("POST", f"/v1/crdbs/{guid}/updates",
                  json={"add_instances": [instance("north")], "remove_instances": [1]})
    wait_task(api, task["id"])
    crdb = api.ok("GET", f"/v1/crdbs/{guid}")
    assert [(i["id"], i["cluster"]["name"]) for i in crdb["instances"]] == [(2, "west"),
                                                                             (3, "north")]

    task = api.ok("PUT", f"/v1/crdbs/{guid}/purge", json={"instances": [3]})
    wait_task(api, task["id"])
    assert [i["id"] for i in api.ok("GET", f"/v1/crdbs/{guid}")["instances"]] == [2]

    task = api.ok("POST", f"/v1/crdbs/{guid}/upgrade", json={"redis_version": "7.4"})
    wait_task(api, task["id"])
    assert api.ok("GET", f"/v1/crdbs/{guid}")["default_db_config"]["redis_version"] == "7.4"

    task = api.ok("DELETE", f"/v1/crdbs/{guid}")
    assert task["operation"] == "delete_crdb"
    wait_task(api, task["id"])
    api.error(404, "GET", f"/v1/crdbs/{guid}")
    api.error(406, "DELETE", f"/v1/crdbs/{guid}")


def test_crdb_dry_run_creates_nothing(api):
    name = f"dry-{uuid.uuid4().hex[:6]}"
    task = api.ok("POST", "/v1/crdbs?dry_run", json=crdb_body(name))
    assert wait_task(api, task["id"])[0]["status"] == "finished"
    assert name not in {c["name"] for c in api.ok("GET", "/v1/crdbs")}


def test_crdb_task_id_header_is_used(api):
    task_id = f"my-task-{uuid.uuid4().hex[:8]}"
    task = api.ok("POST", "/v1/crdbs", json=crdb_body(f"hdr-{uuid.uuid4().hex[:6]}"),
                  headers={"X-Task-ID": task_id, "X-Result-TTL": "60"})
    assert task["id"] == task_id
    assert api.ok("GET", f"/v1/crdb_tasks/{task_id}")["crdb_guid"] == task["crdb_guid"]


@pytest.mark.parametrize("body", [
    {"instances": [instance("east")]},
    {"name": "x"},
    {"name": "x", "instances": []},
    {"name": "x", "instances": [{"cluster": {"name": "no-url"}}]},
    {"name": "x", "instances": [instance("east")], "default_db_config": {"eviction_policy": "x"}},
    {"name": "x", "instances": [instance("east")], "encryption": "yes"},
    {"name": "x", "instances": [instance("east")], "no_such_field": 1},
])
def test_crdb_create_rejects_bad_bodies(api, body):
    api.error(400, "POST", "/v1/crdbs", json=body)


def test_crdb_create_refuses_duplicates_and_bad_shard_counts(api):
    name = f"dup-{uuid.uuid4().hex[:6]}"
    api.ok("POST", "/v1/crdbs", json=crdb_body(name))
    api.error(406, "POST", "/v1/crdbs", json=crdb_body(name))
    body = crdb_body(f"big-{uuid.uuid4().hex[:6]}")
    body["default_db_config"]["shards_count"] = 1000
    api.error(406, "POST", "/v1/crdbs", json=body)


def test_crdb_unknown_guid(api):
    guid = str(uuid.uuid4())
    api.error(404, "GET", f"/v1/crdbs/{guid}")
    api.error(404, "PATCH", f"/v1/crdbs/{guid}", json={"encryption": True})
    api.error(404, "DELETE", f"/v1/crdbs/{guid}")
    api.error(406, "DELETE", "/v1/crdbs/not-a-guid")
    api.error(404, "PUT", f"/v1/crdbs/{guid}/flush")
    api.error(404, "GET", f"/v1/crdbs/{guid}/health_report")
    api.error(404, "PUT", f"/v1/crdbs/{guid}/purge", json={"instances": [1]})
    api.error(404, "POST", f"/v1/crdbs/{guid}/updates", json={"remove_instances": [1]})
    api.error(404, "POST", f"/v1/crdbs/{guid}/upgrade", json={})
    api.error(404, "GET", "/v1/crdb_tasks/no-such-task")
    api.error(404, "POST", "/v1/crdb_tasks/no-such-task/actions/cancel")


def test_crdb_update_rejects_bad_changes(api):
    task = api.ok("POST", "/v1/crdbs", json=crdb_body(f"upd-{uuid.uuid4().hex[:6]}"))
    guid = task["crdb_guid"]
    wait_task(api, task["id"])
    api.error(400, "PATCH", f"/v1/crdbs/{guid}", json={"instances": []})
    api.error(400, "PATCH", f"/v1/crdbs/{guid}", json={"causal_consistency": "maybe"})
    api.error(400, "POST", f"/v1/crdbs/{guid}/updates", json={})
    api.error(404, "POST", f"/v1/crdbs/{guid}/updates", json={"remove_instances": [9]})
    api.error(400, "PUT", f"/v1/crdbs/{guid}/purge", json={"instances": "all"})
    api.error(404, "PUT", f"/v1/crdbs/{guid}/purge", json={"instances": [9]})
    api.error(400, "POST", f"/v1/crdbs/{guid}/upgrade", json={"redis_version": "latest"})


def test_crdb_task_cancel(slow_box):
    api = Api(slow_box)
    name = f"cancel-{uuid.uuid4().hex[:6]}"
    task = api.ok("POST", "/v1/crdbs", json=crdb_body(name))
    assert task["status"] == "queued"
    cancelled = api.ok("POST", f"/v1/crdb_tasks/{task['id']}/actions/cancel")
    assert cancelled["status"] == "failed" and cancelled["errors"]
    api.error(406, "POST", f"/v1/crdb_tasks/{task['id']}/actions/cancel")
    assert api.ok("GET", f"/v1/crdb_tasks/{task['id']}")["status"] == "failed"
    assert name not in {c["name"] for c in api.ok("GET", "/v1/crdbs")}


def test_crdb_task_in_commit_needs_force(slow_box):
    api = Api(slow_box)
    task = api.ok("POST", "/v1/crdbs", json=crdb_body(f"commit-{uuid.uuid4().hex[:6]}"))
    end = time.monotonic() + 30
    while time.monotonic() < end:
        view = api.ok("GET", f"/v1/crdb_tasks/{task['id']}?verbose=true")
        if view["progress"]["worker"] != "waiting" and \
                view["progress"]["clusters"][0]["progress"] == "committing":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the task never reached its commit phase")
    resp = api.call("POST", f"/v1/crdb_tasks/{task['id']}/actions/cancel")
    if resp.status_code == 406:
        pytest.skip("the machine was too slow: the task finished before the cancel arrived")
    assert resp.status_code == 409, resp.text
    resp = api.call("POST", f"/v1/crdb_tasks/{task['id']}/actions/cancel?force=true")
    assert resp.status_code in (200, 406), resp.text


# ldap mappings

def test_ldap_mapping_crud(api):
    name = f"ops-{uuid.uuid4().hex[:6]}"
    body = {"name": name, "dn": "cn=ops,ou=groups,dc=example,dc=com", "role_uids": [1],
            "email": "ops@example.com"}
    created = api.ok("POST", "/v1/ldap_mappings", json=body)
    uid = created["uid"]
    assert isinstance(uid, int) and created["email_alerts"] is True
    assert uid in {m["uid"] for m in api.ok("GET", "/v1/ldap_mappings")}
    assert api.ok("GET", f"/v1/ldap_mappings/{uid}")["dn"] == body["dn"]
    updated = api.ok("PUT", f"/v1/ldap_mappings/{uid}", json={"role_uids": [1, 2]})
    assert updated["role_uids"] == [1, 2] and updated["name"] == name

    assert api.error(400, "POST", "/v1/ldap_mappings", json=body)["error_code"] == \
        "name_already_exists"
    assert api.error(400, "POST", "/v1/ldap_mappings",
                     json={"name": "x"})["error_code"] == "missing_field"
    bad_roles = {**body, "name": name + "-2", "role_uids": [999]}
    assert api.error(400, "POST", "/v1/ldap_mappings",
                     json=bad_roles)["error_code"] == "invalid_role_uids_param"
    bad_dn = {**body, "name": name + "-3", "dn": "ops"}
    assert api.error(400, "POST", "/v1/ldap_mappings",
                     json=bad_dn)["error_code"] == "invalid_dn_param"
    api.error(400, "PUT", f"/v1/ldap_mappings/{uid}", json={"email_alerts": "yes"})

    assert api.call("DELETE", f"/v1/ldap_mappings/{uid}").status_code == 200
    for method in ("GET", "DELETE"):
        assert api.error(404, method, f"/v1/ldap_mappings/{uid}")["error_code"] == \
            "ldap_mapping_not_exist"
    api.error(404, "PUT", f"/v1/ldap_mappings/{uid}", json={"email": "a@b.c"})


def test_ldap_mappings_need_their_permission(sandbox):
    viewer = Api(sandbox, "db_viewer")
    viewer.error(403, "GET", "/v1/ldap_mappings")
    Api(sandbox, "user_manager").ok("GET", "/v1/ldap_mappings")


# proxies

def test_proxies(api):
    proxies = api.ok("GET", "/v1/proxies")
    assert [p["uid"] for p in proxies] == [1, 2, 3]
    assert proxies[0]["maxmemory_clients"] == 4294967296 and proxies[0]["threads"] >= 1
    one = api.ok("PUT", "/v1/proxies/2", json={"allow_restart": False, "proxy": {"threads": 4}})
    assert one["threads"] == 4
    assert api.ok("GET", "/v1/proxies/2")["threads"] == 4
    every = api.ok("PUT", "/v1/proxies", json={"allow_restart": True,
                                               "proxy": {"log_level": "info"}})
    assert {p["log_level"] for p in every} == {"info"}
    assert api.ok("GET", "/v1/proxies/1")["log_level"] == "info"

    api.error(404, "GET", "/v1/proxies/99")
    api.error(404, "PUT", "/v1/proxies/99", json={"proxy": {"threads": 2}})
    api.error(400, "PUT", "/v1/proxies/1", json={"proxy": {"no_such_setting": 1}})
    api.error(400, "PUT", "/v1/proxies", json={"proxy": {"log_level": "loud"}})
    api.error(400, "PUT", "/v1/proxies/1", json={"proxy": {"threads": 100, "max_threads": 8}})
    assert api.ok("PUT", "/v1/proxies/1", json={"allow_restart": False}) == \
        api.ok("GET", "/v1/proxies/1")


# OCSP

def test_ocsp(api):
    config = api.ok("GET", "/v1/ocsp")
    assert config["query_frequency"] == 3600 and config["ocsp_functionality"] is False
    changed = api.ok("PUT", "/v1/ocsp", json={"ocsp_functionality": True,
                                             "response_timeout": 2})
    assert changed["ocsp_functionality"] is True and changed["response_timeout"] == 2
    assert api.error(400, "PUT", "/v1/ocsp",
                     json={"responder_url": "http://x"})["error_code"] == "invalid_schema"
    api.error(400, "PUT", "/v1/ocsp", json={"query_frequency": "hourly"})
    status = api.ok("GET", "/v1/ocsp/status")
    assert status["cert_status"] in ("GOOD", "REVOKED", "UNKNOWN")
    tested = api.ok("POST", "/v1/ocsp/test")
    assert tested["cert_status"] == "GOOD" and tested["responder_url"] == config["responder_url"]


def test_ocsp_is_for_admins(sandbox):
    Api(sandbox, "cluster_member").error(403, "GET", "/v1/ocsp")


# services

def test_services(api):
    services = api.ok("GET", "/v1/local/services")
    assert services["alert_mgr"]["status"] == "RUNNING"
    assert set(services["cm_server"]) == {"start_time", "status", "uptime"}
    result = api.ok("POST", "/v1/local/services",
                    json={"operation_type": "stop", "services": ["alert_mgr", "nope"]})
    assert result == {"alert_mgr": True, "nope": False}
    assert api.ok("GET", "/v1/local/services")["alert_mgr"]["status"] == "STOPPED"
    result = api.ok("POST", "/v1/services",
                    json={"operation_type": "restart", "services": ["alert_mgr"]})
    assert result == {"alert_mgr": True}
    assert api.ok("GET", "/v1/local/services")["alert_mgr"]["status"] == "RUNNING"
    api.error(400, "POST", "/v1/services", json={"operation_type": "pause",
                                                 "services": ["alert_mgr"]})
    api.error(400, "POST", "/v1/local/services", json={"operation_type": "start"})


# suffixes

def test_suffixes(api):
    suffixes = api.ok("GET", "/v1/suffixes")
    default = [s for s in suffixes if s["default"]]
    assert len(default) == 1
    name = default[0]["name"]
    assert api.ok("GET", f"/v1/suffix/{name}") == default[0]
    api.error(404, "GET", "/v1/suffix/no.such.suffix")


# bootstrap

def test_bootstrap_status_needs_no_credentials(api):
    status = api.ok("GET", "/v1/bootstrap", auth=False)
    assert status["bootstrap_status"]["state"] == "completed"
    assert status["local_node_info"]["uid"] == 1
    assert status["local_node_info"]["available_addrs"][0]["address"]


def test_bootstrap_refused_on_a_cluster_member(api):
    body = {"action": "create_cluster", "cluster": {"name": "new.example.com", "nodes": []},
            "credentials": {"username": "a@example.com", "password": "pw"}}
    api.error(409, "POST", "/v1/bootstrap/create_cluster", json=body)
    api.error(400, "POST", "/v1/bootstrap/make_coffee", json=body)
    assert api.call("POST", "/v1/bootstrap/create_cluster", auth=False,
                    json=body).status_code == 401


def test_bootstrap_validate(api):
    body = {"action": "join_cluster", "cluster": {"nodes": ["10.0.0.1"]},
            "credentials": {"username": "a@example.com", "password": "pw"}}
    assert api.ok("POST", "/v1/bootstrap/validate/join_cluster", json=body) == {}
    assert api.ok("POST", "/v1/bootstrap/validate/create_cluster", json={}) == {}
    resp = api.call("POST", "/v1/bootstrap/validate/create_cluster", json=body)
    assert resp.status_code == 406
    status = resp.json()["bootstrap_status"]
    assert status["state"] == "error" and status["error_code"] == "config_error"
    assert status["error_details"]["message"]


# settings objects

def test_cm_settings(api):
    assert isinstance(api.ok("GET", "/v1/cm_settings")["timezone"], str)
    assert api.ok("PUT", "/v1/cm_settings", json={"timezone": "US/Pacific"}) == \
        {"timezone": "US/Pacific"}
    assert api.ok("GET", "/v1/cm_settings")["timezone"] == "US/Pacific"
    api.error(400, "PUT", "/v1/cm_settings", json={"timezone": "Mars/Olympus"})
    api.error(400, "PUT", "/v1/cm_settings", json={"colour": "blue"})
    Api(api.box, "cluster_member").error(403, "PUT", "/v1/cm_settings",
                                         json={"timezone": "UTC"})


def test_diagnostics(api):
    config = api.ok("GET", "/v1/diagnostics")
    assert config["slowlog_target"]["max_entries"] == 100
    changed = api.ok("PUT", "/v1/diagnostics",
                     json={"rladmin_status_target": {"cron_expression": "5 * * * *"}})
    assert changed["rladmin_status_target"]["cron_expression"] == "5 * * * *"
    assert changed["bdb_target"] == config["bdb_target"]
    api.error(400, "PUT", "/v1/diagnostics", json={"bdb_target": {"cron_expression": "often"}})
    api.error(400, "PUT", "/v1/diagnostics", json={"coffee_target": {}})


def test_job_scheduler(api):
    config = api.ok("GET", "/v1/job_scheduler")
    assert config["rotate_ccs_job_settings"]["rotate_max_num"] == 24
    changed = api.ok("PUT", "/v1/job_scheduler",
                     json={"backup_job_settings": {"cron_expression": "*/10 * * * *"}})
    assert changed["backup_job_settings"] == {"cron_expression": "*/10 * * * *",
                                              "enabled": True}
    api.error(400, "PUT", "/v1/job_scheduler",
              json={"bdb_usage_report_job_settings": {"file_retention_days": 5000}})
    assert api.ok("PUT", "/v1/job_scheduler", json={}) == changed


def test_metrics_config(api):
    config = api.ok("GET", "/v1/metrics_config")
    assert config["local_storage_retention_days"] == 8
    changed = api.ok("PUT", "/v1/metrics_config", json={"expose_db_tags": True,
                                                       "metrics_tag_keys_exposed": ["team"]})
    assert changed["expose_db_tags"] is True and changed["max_requests_in_flight"] == 2
    api.error(400, "PUT", "/v1/metrics_config", json={})
    api.error(400, "PUT", "/v1/metrics_config", json={"local_storage_max_size_mb": 0})


def test_settings_body_must_be_json(api):
    resp = api.call("PUT", "/v1/cm_settings", data="timezone=UTC",
                    headers={"Content-Type": "text/plain"})
    assert resp.status_code == 400


# logs

def test_logs_order_and_paging(api, bdb_uid):
    events = api.ok("GET", "/v1/logs")
    assert events and all("time" in e and "type" in e for e in events)
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    assert any(e["type"] == "cluster_bdb_created" and e["bdb_uid"] == str(bdb_uid)
               for e in events)
    newest_first = api.ok("GET", "/v1/logs?order=desc")
    assert [e["time"] for e in newest_first] == sorted((e["time"] for e in events),
                                                      reverse=True)
    assert api.ok("GET", "/v1/logs?limit=2&offset=1") == events[1:3]
    assert api.ok("GET", "/v1/logs?stime=2999-01-01T00:00:00Z") == []
    api.error(400, "GET", "/v1/logs?order=sideways")
    api.error(400, "GET", "/v1/logs?stime=yesterday")


# debug info

@pytest.mark.parametrize("path", ["/v1/debuginfo/all", "/v1/debuginfo/node"])
def test_debuginfo_is_a_real_tar_gz(api, path):
    resp = api.call("GET", path)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/x-gzip"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert ".tar.gz" in resp.headers["Content-Disposition"]
    with tarfile.open(fileobj=io.BytesIO(resp.content), mode="r:gz") as tar:
        names = tar.getnames()
        info = [n for n in names if n.endswith("node_info.txt")]
        assert len(info) == (3 if path.endswith("all") else 1)
        assert b"software_version" in tar.extractfile(info[0]).read()


@pytest.mark.parametrize("scope", ["all", "node"])
def test_debuginfo_for_a_database(api, bdb_uid, scope):
    resp = api.call("GET", f"/v1/debuginfo/{scope}/bdb/{bdb_uid}")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/x-gzip"
    with tarfile.open(fileobj=io.BytesIO(resp.content), mode="r:gz") as tar:
        bdb_file = [n for n in tar.getnames() if n.endswith(f"bdb_{bdb_uid}/bdb.json")]
        assert json.loads(tar.extractfile(bdb_file[0]).read())["uid"] == bdb_uid
    api.error(404, "GET", f"/v1/debuginfo/{scope}/bdb/424242")


# usage report

def check_ndjson(body: bytes) -> list[dict]:
    lines = body.split(b"\n")
    assert lines[-1] == b""
    *records, digest = lines[:-1]
    before = b"".join(line + b"\n" for line in records)
    assert digest.decode() == hashlib.md5(before).hexdigest()
    return [json.loads(line) for line in records]


def test_usage_report(api, bdb_uid):
    resp = api.call("GET", "/v1/usage_report", headers={"Accept-Encoding": "identity"})
    assert resp.status_code == 200 and "ndjson" in resp.headers["Content-Type"]
    records = check_ndjson(resp.content)
    mine = [r for r in records if r["bdb_uid"] == str(bdb_uid)]
    assert mine and mine[0]["provisioned_memory"] == 100 * 1024**2
    assert {"cluster_name", "date", "license", "shard_type"} <= set(mine[0])


def test_usage_report_gzipped(api, bdb_uid):
    resp = requests.get(api.box.url + "/v1/usage_report", auth=api.auth,
                        verify=str(api.box.ca_cert), headers={"Accept-Encoding": "gzip"},
                        stream=True, timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    check_ndjson(gzip.decompress(resp.raw.read()))


# JSON schemas

def test_jsonschema(api):
    bdb = api.ok("GET", "/v1/jsonschema?object=bdb")
    assert bdb["type"] == "object"
    assert bdb["properties"]["name"]["type"] == "string"
    assert bdb["properties"]["status"]["readOnly"] is True
    assert "enum" in bdb["properties"]["eviction_policy"]
    crdb = api.ok("GET", "/v1/jsonschema?object=crdb")
    assert crdb["properties"]["instances"]["items"]["properties"]["cluster"]["type"] == "object"
    everything = api.ok("GET", "/v1/jsonschema")
    assert {"bdb", "node", "cluster", "crdb"} <= set(everything["properties"])
    api.error(406, "GET", "/v1/jsonschema?object=spaceship")


# endpoint stats and migrations

def test_endpoint_stats(api, bdb_uid):
    stats = api.ok("GET", "/v1/endpoints/stats?interval=1hour")
    mine = [s for s in stats if s["uid"].split(":")[0] == str(bdb_uid)]
    assert mine and len(mine[0]["uid"].split(":")) == 3
    sample = mine[0]["intervals"][-1]
    assert sample["interval"] == "1hour" and sample["stime"] < sample["etime"]
    assert "total_req" in sample and "conns" in sample
    api.error(400, "GET", "/v1/endpoints/stats?interval=fortnight")


def test_migrations(api, bdb_uid):
    migration = api.ok("GET", f"/v1/migrations/{bdb_uid}")["migration"]
    assert {"status", "lag", "rdb_size", "rdb_transferred", "source_shards"} <= set(migration)
    api.error(404, "GET", "/v1/migrations/424242")


# persistence

def test_objects_survive_a_restart(slow_box):
    api = Api(slow_box)
    mapping = api.ok("POST", "/v1/ldap_mappings",
                     json={"name": "keep", "dn": "cn=keep,dc=example", "role_uids": [1]})
    api.ok("PUT", "/v1/cm_settings", json={"timezone": "Europe/Paris"})
    api.ok("PUT", "/v1/proxies/3", json={"proxy": {"threads": 5}})
    task = api.ok("POST", "/v1/crdbs", json=crdb_body("keep-crdb"))

    stop_sandbox(slow_box)
    again = start_sandbox(slow_box.data_dir, isolated_env(slow_box.env_home),
                          "--action-delay", "0")
    try:
        api = Api(again)
        assert api.ok("GET", f"/v1/ldap_mappings/{mapping['uid']}")["name"] == "keep"
        assert api.ok("GET", "/v1/cm_settings")["timezone"] == "Europe/Paris"
        assert api.ok("GET", "/v1/proxies/3")["threads"] == 5
        kept = api.ok("GET", f"/v1/crdb_tasks/{task['id']}")
        assert kept["id"] == task["id"] and kept["crdb_guid"] == task["crdb_guid"]
    finally:
        slow_box.process = again.process
        slow_box.port = again.port
