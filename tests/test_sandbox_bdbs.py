"""Databases in the sandbox over HTTPS: life cycle, defaults, uids, fields, error
bodies, dry runs, the v2 create shape, shards and persistence across a restart."""

import pytest
from bdb_helpers import MB, create_bdb, delete_bdb, unique_name, wait_action, wait_gone
from conftest import isolated_env, start_sandbox, stop_sandbox
from sandbox_client import session


@pytest.fixture(scope="module")
def slow_sandbox(tmp_path_factory):
    """A sandbox whose actions take seconds, so that a bdb is surely still busy when
    the next request arrives."""
    home = tmp_path_factory.mktemp("slow-sandbox")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "2.5")
    yield box
    stop_sandbox(box)


def test_life_cycle_create_update_delete(sandbox):
    s = session(sandbox)
    name = unique_name("life")
    r = s.post(f"{sandbox.url}/v1/bdbs", json={"name": name, "memory_size": 64 * MB})
    assert r.status_code == 200
    created = r.json()
    assert created["name"] == name
    assert created["status"] == "pending"
    assert isinstance(created["uid"], int)
    assert created["action_uid"]
    uid = created["uid"]

    done = wait_action(s, sandbox, created["action_uid"])
    assert done["status"] == "completed"
    bdb = s.get(f"{sandbox.url}/v1/bdbs/{uid}").json()
    assert bdb["status"] == "active"

    r = s.put(f"{sandbox.url}/v1/bdbs/{uid}", json={"memory_size": 128 * MB})
    assert r.status_code == 200
    changing = r.json()
    assert changing["status"] == "active-change-pending"
    assert changing["memory_size"] == 128 * MB
    assert changing["action_uid"] != created["action_uid"]
    assert wait_action(s, sandbox, changing["action_uid"])["status"] == "completed"
    bdb = s.get(f"{sandbox.url}/v1/bdbs/{uid}").json()
    assert (bdb["status"], bdb["memory_size"]) == ("active", 128 * MB)

    r = s.delete(f"{sandbox.url}/v1/bdbs/{uid}")
    assert r.status_code == 200
    assert r.json()["action_uid"]
    assert wait_action(s, sandbox, r.json()["action_uid"])["status"] == "completed"
    wait_gone(s, sandbox, uid)
    assert uid not in [b["uid"] for b in s.get(f"{sandbox.url}/v1/bdbs").json()]


def test_omitted_fields_take_the_documented_defaults(sandbox):
    s = session(sandbox)
    r = s.post(f"{sandbox.url}/v1/bdbs", json={"name": unique_name(), "memory_size": MB})
    bdb = r.json()
    expected = {
        "type": "redis", "shards_count": 1, "replication": False, "sharding": False,
        "data_persistence": "disabled", "aof_policy": "appendfsync-every-sec",
        "tls_mode": "disabled", "oss_cluster": False, "max_connections": 0,
        "shards_placement": "sparse", "backup": False, "crdt": False,
        "hash_slots_policy": "16k", "proxy_policy": "single",
    }
    assert {k: bdb[k] for k in expected} == expected
    assert bdb["port"] and bdb["endpoints"][0]["port"] == bdb["port"]
    assert bdb["endpoints"][0]["addr"] == ["127.0.0.1"]
    wait_action(s, sandbox, bdb["action_uid"])


def test_uids_are_assigned_in_order_and_a_given_uid_is_respected(sandbox):
    s = session(sandbox)
    first = s.post(f"{sandbox.url}/v1/bdbs",
                   json={"name": unique_name(), "memory_size": MB}).json()
    second = s.post(f"{sandbox.url}/v1/bdbs",
                    json={"name": unique_name(), "memory_size": MB}).json()
    assert second["uid"] > first["uid"]

    chosen = second["uid"] + 50
    given = s.post(f"{sandbox.url}/v1/bdbs",
                   json={"name": unique_name(), "memory_size": MB, "uid": chosen})
    assert given.status_code == 200
    assert given.json()["uid"] == chosen

    r = s.post(f"{sandbox.url}/v1/bdbs",
               json={"name": unique_name(), "memory_size": MB, "uid": chosen})
    assert r.status_code == 409
    assert r.json()["error_code"] == "uid_exists"
    assert r.json()["message"]

    after = s.post(f"{sandbox.url}/v1/bdbs",
                   json={"name": unique_name(), "memory_size": MB}).json()
    assert after["uid"] > chosen
    for bdb in (first, second, given.json(), after):
        wait_action(s, sandbox, bdb["action_uid"])


def test_fields_returns_only_the_listed_fields(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox)
    r = s.get(f"{sandbox.url}/v1/bdbs", params={"fields": "uid,name"})
    assert r.status_code == 200
    assert all(set(item) == {"uid", "name"} for item in r.json())
    assert {"uid": bdb["uid"], "name": bdb["name"]} in r.json()
    one = s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}", params={"fields": "name,port"}).json()
    assert one == {"name": bdb["name"], "port": bdb["port"]}


def test_create_refuses_invalid_parameters_with_406(sandbox):
    s = session(sandbox)
    cases = [
        ({"memory_size": MB}, "missing_db_name"),
        ({"name": unique_name()}, "missing_memory_size"),
        ({"name": "bad name!", "memory_size": MB}, "invalid_schema"),
        ({"name": unique_name(), "memory_size": MB, "data_persistence": "tape"},
         "invalid_data_persistence"),
        ({"name": unique_name(), "memory_size": MB, "proxy_policy": "some"},
         "invalid_proxy_policy"),
        ({"name": unique_name(), "memory_size": MB, "shards_count": 0}, "invalid_sharding"),
        ({"name": unique_name(), "memory_size": MB, "backup": True}, "missing_backup_interval"),
        ({"name": unique_name(), "memory_size": MB,
          "tags": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]}, "invalid_bdb_tags"),
        ({"name": unique_name(), "memory_size": MB,
          "module_list": [{"module_name": "no-such-module"}]}, "missing_module"),
    ]
    for body, code in cases:
        r = s.post(f"{sandbox.url}/v1/bdbs", json=body)
        assert r.status_code == 406, (body, r.text)
        assert r.json()["error_code"] == code
        assert r.json()["message"]
    names = {b["name"] for b in s.get(f"{sandbox.url}/v1/bdbs").json()}
    assert not names & {body.get("name") for body, _ in cases}


def test_a_port_in_use_is_unavailable(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox)
    r = s.post(f"{sandbox.url}/v1/bdbs",
               json={"name": unique_name(), "memory_size": MB, "port": bdb["port"]})
    assert r.status_code == 406
    assert r.json()["error_code"] == "port_unavailable"


def test_malformed_bodies_are_400(sandbox):
    s = session(sandbox)
    r = s.post(f"{sandbox.url}/v1/bdbs", data=b'{"name": ',
               headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error_code"] and r.json()["message"]
    r = s.post(f"{sandbox.url}/v1/bdbs", json=["not", "an", "object"])
    assert r.status_code == 400
    r = s.post(f"{sandbox.url}/v2/bdbs", json={"name": "no-bdb-key", "memory_size": MB})
    assert r.status_code == 400


def test_unknown_uid_is_404_for_get_update_and_delete(sandbox):
    s = session(sandbox)
    for method in ("GET", "PUT", "DELETE"):
        kwargs = {"json": {"memory_size": MB}} if method == "PUT" else {}
        r = s.request(method, f"{sandbox.url}/v1/bdbs/999999", **kwargs)
        assert r.status_code == 404, method
        assert r.json()["error_code"] == "db_not_exist"
        assert r.json()["message"]


def test_a_bdb_busy_with_a_change_answers_409(slow_sandbox):
    box = slow_sandbox
    s = session(box)
    created = s.post(f"{box.url}/v1/bdbs", json={"name": unique_name(), "memory_size": MB})
    uid = created.json()["uid"]
    for method in ("PUT", "DELETE"):
        r = s.request(method, f"{box.url}/v1/bdbs/{uid}", json={"memory_size": 2 * MB})
        assert r.status_code == 409, method
        assert r.json()["error_code"] == "busy" and r.json()["message"]
    wait_action(s, box, created.json()["action_uid"])

    first = s.put(f"{box.url}/v1/bdbs/{uid}", json={"memory_size": 2 * MB})
    assert first.status_code == 200
    second = s.put(f"{box.url}/v1/bdbs/{uid}", json={"memory_size": 3 * MB})
    assert second.status_code == 409
    wait_action(s, box, first.json()["action_uid"])
    assert s.get(f"{box.url}/v1/bdbs/{uid}").json()["memory_size"] == 2 * MB

    deleting = s.delete(f"{box.url}/v1/bdbs/{uid}")
    assert deleting.status_code == 200
    assert s.get(f"{box.url}/v1/bdbs/{uid}").json()["status"] == "delete-pending"
    assert s.delete(f"{box.url}/v1/bdbs/{uid}").status_code == 409
    wait_action(s, box, deleting.json()["action_uid"])
    wait_gone(s, box, uid)


def test_dry_run_validates_without_creating_or_changing(sandbox):
    s = session(sandbox)
    name = unique_name("dry")
    r = s.post(f"{sandbox.url}/v1/bdbs?dry_run", json={"name": name, "memory_size": MB})
    assert r.status_code == 200
    assert "action_uid" not in r.json()
    assert name not in [b["name"] for b in s.get(f"{sandbox.url}/v1/bdbs").json()]
    r = s.post(f"{sandbox.url}/v1/bdbs?dry_run", json={"memory_size": MB})
    assert r.status_code == 406

    bdb = create_bdb(s, sandbox)
    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}?dry_run", json={"memory_size": 7 * MB})
    assert r.status_code == 200
    after = s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}").json()
    assert (after["memory_size"], after["status"]) == (bdb["memory_size"], "active")


def test_v2_create_takes_the_bdb_under_a_key(sandbox):
    s = session(sandbox)
    name = unique_name("v2")
    r = s.post(f"{sandbox.url}/v2/bdbs",
               json={"bdb": {"name": name, "memory_size": MB, "shards_count": 2}})
    assert r.status_code == 200
    bdb = r.json()
    assert (bdb["name"], bdb["shards_count"], bdb["sharding"]) == (name, 2, True)
    assert wait_action(s, sandbox, bdb["action_uid"])["status"] == "completed"


def test_shards_follow_count_and_replication(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, shards_count=2, sharding=True, replication=True)
    shards = s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}/shards").json()
    assert len(shards) == 4
    assert sorted(int(sh["uid"]) for sh in shards) == sorted(bdb["shard_list"])
    assert all(isinstance(sh["uid"], str) and sh["bdb_uid"] == bdb["uid"] for sh in shards)
    assert sorted(sh["role"] for sh in shards) == ["master", "master", "slave", "slave"]
    assert {sh["status"] for sh in shards} == {"active"}
    node_uids = {str(n["uid"]) for n in s.get(f"{sandbox.url}/v1/nodes").json()}
    assert len({sh["node_uid"] for sh in shards}) > 1
    masters = sorted((sh for sh in shards if sh["role"] == "master"),
                     key=lambda sh: int(sh["assigned_slots"].split("-")[0]))
    assert [m["assigned_slots"] for m in masters] == ["0-8191", "8192-16383"]
    for shard in shards:
        assert shard["node_uid"] in node_uids
        partner = [o for o in shards if o["assigned_slots"] == shard["assigned_slots"]]
        assert len({o["node_uid"] for o in partner}) == 2  # a replica never shares a node
    one = s.get(f"{sandbox.url}/v1/shards/{shards[0]['uid']}")
    assert one.status_code == 200 and one.json() == shards[0]
    everything = {sh["uid"] for sh in s.get(f"{sandbox.url}/v1/shards").json()}
    assert {sh["uid"] for sh in shards} <= everything
    assert s.get(f"{sandbox.url}/v1/shards/999999").status_code == 404

    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}", json={"replication": False})
    wait_action(s, sandbox, r.json()["action_uid"])
    assert len(s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}/shards").json()) == 2
    delete_bdb(s, sandbox, bdb["uid"])
    assert s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}/shards").status_code == 404
    remaining = {sh["uid"] for sh in s.get(f"{sandbox.url}/v1/shards").json()}
    assert not remaining & {sh["uid"] for sh in shards}


def test_bdbs_survive_a_restart(tmp_path):
    data_dir = tmp_path / "sandbox"
    data_dir.mkdir()
    env = isolated_env(tmp_path)
    box = start_sandbox(data_dir, env, "--action-delay", "0.1")
    try:
        s = session(box)
        kept = create_bdb(s, box, tags=[{"key": "team", "value": "blue"}])
        r = s.put(f"{box.url}/v1/bdbs/{kept['uid']}", json={"memory_size": 5 * MB})
        wait_action(s, box, r.json()["action_uid"])
        kept = s.get(f"{box.url}/v1/bdbs/{kept['uid']}").json()
    finally:
        stop_sandbox(box)

    box = start_sandbox(data_dir, env, "--action-delay", "0.1")
    try:
        s = session(box)
        again = s.get(f"{box.url}/v1/bdbs/{kept['uid']}").json()
        for field in ("name", "memory_size", "port", "tags", "shard_list", "status",
                      "created_time"):
            assert again[field] == kept[field], field
        later = s.post(f"{box.url}/v1/bdbs", json={"name": unique_name(), "memory_size": MB})
        assert later.json()["uid"] > kept["uid"]
        wait_action(s, box, later.json()["action_uid"])
        r = s.get(f"{box.url}/v2/actions/{later.json()['action_uid']}")
        assert r.json()["status"] == "completed"
    finally:
        stop_sandbox(box)


def test_update_with_an_action(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, authentication_admin_pass="first-admin-pass")
    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}/reset_admin_pass", json={"memory_size": 9 * MB})
    assert r.status_code == 200
    assert r.json()["status"] == "active-change-pending"
    wait_action(s, sandbox, r.json()["action_uid"])
    after = s.get(f"{sandbox.url}/v1/bdbs/{bdb['uid']}").json()
    assert after["memory_size"] == 9 * MB
    assert after["authentication_admin_pass"] not in ("", "first-admin-pass")

    r = s.put(f"{sandbox.url}/v1/bdbs/{bdb['uid']}/no_such_action", json={})
    assert r.status_code == 404
    assert r.json()["error_code"]


def test_module_configuration_shows_only_when_extended(sandbox):
    s = session(sandbox)
    bdb = create_bdb(s, sandbox, search={"search-timeout": 600})
    url = f"{sandbox.url}/v1/bdbs/{bdb['uid']}"
    assert "search" not in s.get(url).json()
    assert s.get(url, params={"extended": "true"}).json()["search"] == {"search-timeout": 600}
    listed = s.get(f"{sandbox.url}/v1/bdbs", params={"extended": "true"}).json()
    assert [b["search"] for b in listed if b["uid"] == bdb["uid"]] == [{"search-timeout": 600}]
