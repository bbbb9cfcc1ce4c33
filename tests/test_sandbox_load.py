"""Load: 8 concurrent clients, 200 mixed requests each, against one sandbox. No answer
may be a 5xx, and the final state must be what the clients' accepted writes say."""

import random
import threading
import time
from dataclasses import dataclass, field

from bdb_helpers import MB, redis_pids
from conftest import isolated_env, start_sandbox, stop_sandbox
from sandbox_client import session

CLIENTS = 8
REQUESTS = 200
MAX_LIVE_BDBS = 3  # per client: keeps the number of redis-servers small


@dataclass
class Client:
    index: int
    box: object
    bdbs: dict = field(default_factory=dict)  # uid -> last accepted memory_size
    deleted_bdbs: set = field(default_factory=set)
    users: dict = field(default_factory=dict)  # uid -> last accepted name
    deleted_users: set = field(default_factory=set)
    answers: list = field(default_factory=list)  # (operation, status)
    made: int = 0

    def run(self) -> None:
        rng = random.Random(self.index)
        s = session(self.box)
        url = self.box.url
        operations = [self.read, self.read, self.read, self.create_bdb, self.update_bdb,
                      self.update_bdb, self.delete_bdb, self.create_user, self.update_user,
                      self.delete_user]
        for _ in range(REQUESTS):
            rng.choice(operations)(s, url, rng)

    def note(self, operation: str, r) -> int:
        self.answers.append((operation, r.status_code))
        return r.status_code

    def read(self, s, url, rng) -> None:
        paths = ["/v1/bdbs", "/v1/users", "/v1/cluster", "/v1/nodes", "/v2/actions",
                 "/v1/bdbs?fields=uid,name,status", "/v1/shards"]
        if self.bdbs:
            uid = rng.choice(sorted(self.bdbs))
            paths += [f"/v1/bdbs/{uid}", f"/v1/bdbs/{uid}/shards", f"/v1/actions/bdb/{uid}"]
        self.note("read", s.get(url + rng.choice(paths)))

    def create_bdb(self, s, url, rng) -> None:
        if len(self.bdbs) >= MAX_LIVE_BDBS:
            return self.read(s, url, rng)
        self.made += 1
        size = rng.randint(1, 64) * MB
        r = s.post(f"{url}/v1/bdbs", json={"name": f"load-{self.index}-{self.made}",
                                           "memory_size": size})
        if self.note("create_bdb", r) == 200:
            self.bdbs[r.json()["uid"]] = size

    def update_bdb(self, s, url, rng) -> None:
        if not self.bdbs:
            return self.create_bdb(s, url, rng)
        uid = rng.choice(sorted(self.bdbs))
        size = rng.randint(1, 64) * MB
        r = s.put(f"{url}/v1/bdbs/{uid}", json={"memory_size": size})
        if self.note("update_bdb", r) == 200:
            self.bdbs[uid] = size

    def delete_bdb(self, s, url, rng) -> None:
        if not self.bdbs:
            return self.create_bdb(s, url, rng)
        uid = rng.choice(sorted(self.bdbs))
        if self.note("delete_bdb", s.delete(f"{url}/v1/bdbs/{uid}")) == 200:
            del self.bdbs[uid]
            self.deleted_bdbs.add(uid)

    def create_user(self, s, url, rng) -> None:
        self.made += 1
        email = f"load-{self.index}-{self.made}@example.com"
        r = s.post(f"{url}/v1/users", json={"email": email, "name": f"user {self.made}",
                                            "password": f"Load-pass-{rng.random()}",
                                            "role": "db_viewer"})
        if self.note("create_user", r) == 200:
            self.users[r.json()["uid"]] = f"user {self.made}"

    def update_user(self, s, url, rng) -> None:
        if not self.users:
            return self.create_user(s, url, rng)
        uid = rng.choice(sorted(self.users))
        name = f"renamed {rng.randint(1, 10**6)}"
        if self.note("update_user", s.put(f"{url}/v1/users/{uid}", json={"name": name})) == 200:
            self.users[uid] = name

    def delete_user(self, s, url, rng) -> None:
        if not self.users:
            return self.create_user(s, url, rng)
        uid = rng.choice(sorted(self.users))
        if self.note("delete_user", s.delete(f"{url}/v1/users/{uid}")) == 200:
            del self.users[uid]
            self.deleted_users.add(uid)


def wait_for_quiet(s, box, limit: float = 60) -> None:
    """Until no action is queued or running."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy = [a for a in s.get(f"{box.url}/v2/actions").json()
                if a["status"] not in ("completed", "failed")]
        if not busy:
            return
        time.sleep(0.05)
    raise AssertionError(f"{len(busy)} actions still running")


def test_eight_clients_two_hundred_requests_each(tmp_path):
    data_dir = tmp_path / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(tmp_path), "--action-delay", "0.05")
    try:
        s = session(box)
        users_before = {u["uid"] for u in s.get(f"{box.url}/v1/users").json()}
        clients = [Client(i, box) for i in range(CLIENTS)]
        threads = [threading.Thread(target=c.run) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert not any(t.is_alive() for t in threads)

        answers = [a for c in clients for a in c.answers]
        assert len(answers) == CLIENTS * REQUESTS
        assert [a for a in answers if a[1] >= 500] == []
        unexpected = [a for a in answers if a[1] != 200 and not (
            a[1] == 409 and a[0] in ("update_bdb", "delete_bdb"))]
        assert unexpected == []
        assert sum(1 for op, status in answers if op == "create_bdb" and status == 200) > 0

        wait_for_quiet(s, box)
        bdbs = {b["uid"]: b for b in s.get(f"{box.url}/v1/bdbs").json()}
        expected_bdbs = {uid: size for c in clients for uid, size in c.bdbs.items()}
        assert set(bdbs) == set(expected_bdbs)
        for uid, size in expected_bdbs.items():
            assert (bdbs[uid]["memory_size"], bdbs[uid]["status"]) == (size, "active")
        for uid in (u for c in clients for u in c.deleted_bdbs):
            assert s.get(f"{box.url}/v1/bdbs/{uid}").status_code == 404

        shards = s.get(f"{box.url}/v1/shards").json()
        assert sorted(int(sh["bdb_uid"]) for sh in shards) == sorted(expected_bdbs)

        users = {u["uid"]: u for u in s.get(f"{box.url}/v1/users").json()}
        expected_users = {uid: name for c in clients for uid, name in c.users.items()}
        assert set(users) == users_before | set(expected_users)
        for uid, name in expected_users.items():
            assert users[uid]["name"] == name
        assert not set(users) & {u for c in clients for u in c.deleted_users}

        if redis_pids(data_dir) or expected_bdbs:
            served = [b["uid"] for b in bdbs.values() if b["sandbox_endpoint_served"]]
            assert len(redis_pids(data_dir)) == len(served)
    finally:
        stop_sandbox(box)
    assert redis_pids(data_dir) == []
