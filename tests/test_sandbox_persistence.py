"""A stop and a start keep every object, and the passwords handed out stay valid."""

import json
import uuid

from conftest import isolated_env, start_sandbox, stop_sandbox
from sandbox_client import session


def test_objects_survive_a_restart(tmp_path):
    data_dir = tmp_path / "box"
    data_dir.mkdir()
    env = isolated_env(tmp_path)
    email = f"keep-{uuid.uuid4().hex[:6]}@example.com"

    box = start_sandbox(data_dir, env, "--action-delay", "0.1")
    try:
        s = session(box)
        uid = s.post(f"{box.url}/v1/users", json={"email": email, "password": "keep-me-1",
                                                  "role": "cluster_viewer"}).json()["uid"]
        s.put(f"{box.url}/v1/cluster", json={"smtp_host": "kept.local"}).raise_for_status()
        s.put(f"{box.url}/v1/nodes/3", json={"max_listeners": 7}).raise_for_status()
        creds_before = (data_dir / "credentials.json").read_text()
        module = s.get(f"{box.url}/v1/modules").json()[0]["uid"]
        assert s.delete(f"{box.url}/v1/modules/{module}").status_code == 200
        assert s.get(f"{box.url}/v1/modules/{module}").status_code == 404
        viewer = next(u for u in s.get(f"{box.url}/v1/users").json()
                      if u["email"] == box.user("db_viewer"))
        assert s.delete(f"{box.url}/v1/users/{viewer['uid']}").status_code == 200
    finally:
        stop_sandbox(box)
    assert box.process.returncode == 0
    assert not (data_dir / "sandbox.json").exists()

    again = start_sandbox(data_dir, env, "--action-delay", "0.1")
    try:
        assert (data_dir / "credentials.json").read_text() == creds_before
        assert json.loads((data_dir / "sandbox.json").read_text())["first_start"] is False
        s = session(again)
        user = s.get(f"{again.url}/v1/users/{uid}").json()
        assert user["email"] == email and user["role"] == "cluster_viewer"
        assert s.get(f"{again.url}/v1/cluster").json()["smtp_host"] == "kept.local"
        assert s.get(f"{again.url}/v1/cluster").json()["cnm_https_port"] == again.port
        assert s.get(f"{again.url}/v1/nodes/3").json()["max_listeners"] == 7
        kept = session(again, role=None)
        kept.auth = (email, "keep-me-1")
        assert kept.get(f"{again.url}/v1/cluster").status_code == 200
        seeded = {u["email"] for u in s.get(f"{again.url}/v1/users").json()
                  if u["email"].endswith("@sandbox.local")}
        assert len(seeded) == 5 and again.user("db_viewer") not in seeded  # deleted stays so
        assert s.get(f"{again.url}/v1/modules/{module}").status_code == 404
    finally:
        stop_sandbox(again)


def test_concurrent_writes_are_all_kept(sandbox):
    from concurrent.futures import ThreadPoolExecutor

    tag = uuid.uuid4().hex[:6]

    def create(n: int) -> int:
        s = session(sandbox)
        r = s.post(f"{sandbox.url}/v1/roles", json={"name": f"c-{tag}-{n}",
                                                     "management": "db_viewer"})
        return r.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(create, range(40)))
    assert codes == [200] * 40
    roles = session(sandbox).get(f"{sandbox.url}/v1/roles").json()
    mine = [r for r in roles if r["name"].startswith(f"c-{tag}-")]
    assert len(mine) == 40
    assert len({r["uid"] for r in mine}) == 40
