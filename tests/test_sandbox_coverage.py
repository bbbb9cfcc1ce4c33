"""The sandbox answers every request of the catalog: no request answers 501."""

from sandbox_client import fill_path, session

import re_cli.sandbox.handlers as handlers
from re_cli.sandbox import routes


def test_no_request_answers_501(sandbox, capsys):
    handlers.load_all()
    done = routes.implemented()
    with capsys.disabled():
        print(f"\nsandbox implements {len(done)} of {len(routes.ENTRIES)} catalog requests")
    assert len(done) == len(routes.ENTRIES)

    s = session(sandbox)
    unimplemented = []
    for entry in routes.ENTRIES:
        if entry.method == "DELETE" or entry.path.startswith("/v1/bootstrap"):
            continue  # destructive on the shared sandbox; their own tests cover them
        r = s.request(entry.method, sandbox.url + fill_path(entry.path))
        if r.status_code == 501 or r.status_code >= 500 and r.status_code not in (503, 505):
            unimplemented.append((entry.method, entry.path, r.status_code))
    assert not unimplemented


def test_bdb_tasks_are_actions(sandbox):
    from bdb_helpers import create_bdb, delete_bdb, wait_action

    s = session(sandbox)
    uid = create_bdb(s, sandbox)["uid"]
    base = f"{sandbox.url}/v1/bdbs/{uid}"
    started = s.post(f"{base}/actions/stop_traffic")
    assert started.status_code == 200, started.text
    assert wait_action(s, sandbox, started.json()["action_uid"])["status"] == "completed"
    assert s.post(f"{base}/actions/export", json={}).status_code == 406
    assert s.post(f"{sandbox.url}/v1/bdbs/9999/actions/stop_traffic").status_code == 404
    assert s.get(f"{base}/availability").status_code == 200
    assert s.get(f"{sandbox.url}/v4/db/{uid}/health").json()["id"] == uid
    assert s.post(f"{sandbox.url}/v1/shards/actions/migrate", json={}).status_code == 400
    alerts = s.get(f"{sandbox.url}/v1/bdbs/alerts/{uid}").json()
    assert alerts["bdb_size"]["state"] is False
    changed = s.post(f"{sandbox.url}/v1/bdbs/alerts/{uid}",
                     json={"bdb_size": {"enabled": True, "threshold": "80"}})
    assert changed.status_code == 200
    assert s.get(f"{sandbox.url}/v1/bdbs/alerts/{uid}/bdb_size").json()["enabled"] is True
    delete_bdb(s, sandbox, uid)
