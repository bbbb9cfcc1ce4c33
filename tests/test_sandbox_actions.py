"""Actions in the sandbox over HTTPS: the v1 and v2 views of bdb state machines, the
action lists, and actions that fail on demand."""

import time

import pytest
from bdb_helpers import MB, create_bdb, unique_name, wait_action, wait_gone
from conftest import isolated_env, start_sandbox, stop_sandbox
from sandbox_client import session

V1_WORDS = {"pending", "active", "completed", "failed"}
V2_WORDS = {"queued", "running", "completed", "failed"}


@pytest.fixture(scope="module")
def slow_sandbox(tmp_path_factory):
    """Actions that take two seconds, so their intermediate states can be read."""
    home = tmp_path_factory.mktemp("actions-sandbox")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "2")
    yield box
    stop_sandbox(box)


def test_an_action_moves_from_queued_through_running_to_completed(slow_sandbox):
    box = slow_sandbox
    s = session(box)
    created = s.post(f"{box.url}/v1/bdbs", json={"name": unique_name(), "memory_size": MB})
    action_uid = created.json()["action_uid"]

    v2 = s.get(f"{box.url}/v2/actions/{action_uid}").json()
    assert v2["status"] in ("queued", "running")
    assert set(v2) >= {"action_uid", "action_type", "creation_time", "name", "progress",
                       "status", "additional_info"}
    assert v2["additional_info"]["object_type"] == "bdb"
    assert v2["additional_info"]["object_uid"] == str(created.json()["uid"])
    v1 = s.get(f"{box.url}/v1/actions/{action_uid}").json()
    assert v1["status"] in ("pending", "active")
    assert v1["object_name"] == f"bdb:{created.json()['uid']}"
    assert v1["name"] == v2["name"] == "SMCreateBDB"

    progress = []
    statuses = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = s.get(f"{box.url}/v2/actions/{action_uid}").json()
        progress.append(body["progress"])
        statuses.append(body["status"])
        if body["status"] in ("completed", "failed"):
            break
        time.sleep(0.02)
    assert set(statuses) <= V2_WORDS
    assert statuses[-1] == "completed"
    assert progress == sorted(progress)
    assert progress[-1] == 100
    assert [w for i, w in enumerate(statuses) if i == 0 or statuses[i - 1] != w] in (
        ["queued", "running", "completed"], ["running", "completed"])
    assert s.get(f"{box.url}/v1/actions/{action_uid}").json()["status"] == "completed"


def test_v1_and_v2_views_use_their_own_status_words(sandbox):
    s = session(sandbox)
    created = s.post(f"{sandbox.url}/v1/bdbs", json={"name": unique_name(), "memory_size": MB})
    action_uid = created.json()["action_uid"]
    v1 = wait_action(s, sandbox, action_uid, version="v1")
    assert set(v1["seen"]) <= V1_WORDS and v1["status"] == "completed"
    v2 = wait_action(s, sandbox, action_uid, version="v2")
    assert v2["status"] == "completed" and v2["progress"] == 100


def test_action_lists(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox)
    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}", json={"memory_size": 3 * MB})
    update_uid = r.json()["action_uid"]
    wait_action(s, sandbox, update_uid)

    v1 = s.get(f"{sandbox.url}/v1/actions").json()
    assert set(v1) == {"actions", "state-machines"}
    machines = {a["action_uid"]: a for a in v1["state-machines"]}
    assert machines[bdb["action_uid"]]["name"] == "SMCreateBDB"
    assert machines[update_uid]["name"] == "SMUpdateBDB"
    assert {a["status"] for a in v1["state-machines"]} <= V1_WORDS

    v2 = s.get(f"{sandbox.url}/v2/actions").json()
    assert isinstance(v2, list)
    assert {bdb["action_uid"], update_uid} <= {a["action_uid"] for a in v2}
    assert {a["status"] for a in v2} <= V2_WORDS | {"pending", "active"}

    mine = s.get(f"{sandbox.url}/v1/actions/bdb/{bdb['uid']}").json()
    assert [a["action_uid"] for a in mine] == [bdb["action_uid"], update_uid]
    assert all(a["object_name"] == f"bdb:{bdb['uid']}" for a in mine)


def test_unknown_action_and_unknown_bdb_are_404(sandbox):
    s = session(sandbox)
    for path in ("/v1/actions/no-such-action", "/v2/actions/no-such-action",
                 "/v1/actions/bdb/999999"):
        r = s.get(f"{sandbox.url}{path}")
        assert r.status_code == 404, path
        assert r.json()["error_code"] and r.json()["message"]


def test_a_create_fails_on_demand(sandbox):
    s = session(sandbox)
    r = s.post(f"{sandbox.url}/v1/bdbs",
               json={"name": unique_name("fail"), "memory_size": MB})
    assert r.status_code == 200
    uid, action_uid = r.json()["uid"], r.json()["action_uid"]

    v2 = wait_action(s, sandbox, action_uid)
    assert v2["status"] == "failed"
    assert v2["additional_info"]["error"]
    v1 = s.get(f"{sandbox.url}/v1/actions/{action_uid}").json()
    assert v1["status"] == "failed"
    assert v1["error_code"] == "internal_error"
    assert v1["error_message"]
    bdb = s.get(f"{sandbox.url}/v1/bdbs/{uid}").json()
    assert bdb["status"] == "creation-failed"
    assert bdb["sandbox_endpoint_served"] is False

    r = s.delete(f"{sandbox.url}/v1/bdbs/{uid}")
    assert r.status_code == 200
    wait_gone(s, sandbox, uid)


def test_an_update_fails_on_demand_and_keeps_the_old_configuration(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, memory_size=4 * MB)
    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}",
              json={"memory_size": 8 * MB, "tags": [{"key": "sandbox-fail", "value": "update"}]})
    assert r.status_code == 200
    assert r.json()["memory_size"] == 8 * MB
    assert wait_action(s, sandbox, r.json()["action_uid"])["status"] == "failed"
    after = s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}").json()
    assert (after["status"], after["memory_size"], after["tags"]) == ("active", 4 * MB, [])

    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}", json={"memory_size": 8 * MB})
    assert wait_action(s, sandbox, r.json()["action_uid"])["status"] == "completed"


def test_a_delete_fails_on_demand_and_the_bdb_stays(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, tags=[{"key": "sandbox-fail", "value": "delete"}])
    r = s.delete(f"{sandbox.url}/v1/bdbs/{bdb['uid']}")
    assert r.status_code == 200
    v1 = wait_action(s, sandbox, r.json()["action_uid"], version="v1")
    assert v1["status"] == "failed"
    assert s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}").json()["status"] == "active"

    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}", json={"tags": []})
    wait_action(s, sandbox, r.json()["action_uid"])
    r = s.delete(f"{sandbox.url}/v1/bdbs/{bdb['uid']}")
    assert wait_action(s, sandbox, r.json()["action_uid"])["status"] == "completed"
    wait_gone(s, sandbox, bdb["uid"])
