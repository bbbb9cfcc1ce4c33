"""Helpers for the database-side sandbox tests: create bdbs, follow their actions, find
the redis-server processes a sandbox runs."""

import itertools
import os
import time
from pathlib import Path

MB = 1024 * 1024
WAIT = 30.0  # a generous bound for an action of a sandbox started with a short delay
_names = itertools.count(1)


def unique_name(prefix: str = "db") -> str:
    return f"{prefix}-{os.getpid()}-{next(_names)}"


def wait_action(s, box, action_uid: str, version: str = "v2") -> dict:
    """Poll an action until it completes or fails; every status seen is kept in
    the returned object's `seen` list."""
    seen = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        r = s.get(f"{box.url}/{version}/actions/{action_uid}")
        assert r.status_code == 200, r.text
        body = r.json()
        if not seen or seen[-1] != body["status"]:
            seen.append(body["status"])
        if body["status"] in ("completed", "failed"):
            body["seen"] = seen
            return body
        time.sleep(0.02)
    raise AssertionError(f"action {action_uid} did not finish; statuses seen: {seen}")


def wait_gone(s, box, uid: int) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if s.get(f"{box.url}/v1/bdbs/{uid}").status_code == 404:
            return
        time.sleep(0.02)
    raise AssertionError(f"bdb {uid} is still there")


def create_bdb(s, box, **fields) -> dict:
    """Create a bdb and wait for its action; the bdb as it reads afterwards."""
    body = {"name": unique_name(), "memory_size": 100 * MB, **fields}
    r = s.post(f"{box.url}/v1/bdbs", json=body)
    assert r.status_code == 200, r.text
    created = r.json()
    wait_action(s, box, created["action_uid"])
    return s.get(f"{box.url}/v1/bdbs/{created['uid']}").json()


def delete_bdb(s, box, uid: int) -> None:
    r = s.delete(f"{box.url}/v1/bdbs/{uid}")
    assert r.status_code == 200, r.text
    wait_gone(s, box, uid)


def redis_pids(data_dir: Path, uid: int | None = None) -> list[int]:
    """Live redis-server processes working under data_dir/redis (of bdb `uid` only, when
    given)."""
    root = (Path(data_dir) / "redis").resolve()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if b"redis-server" not in cmdline or root not in cwd.parents:
            continue
        if uid is None or cwd.name == f"bdb-{uid}":
            found.append(int(entry.name))
    return found
