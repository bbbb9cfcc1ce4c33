"""Credentials and permissions: 401 without valid ones, 403 when the role lacks the
request's permission (as the catalog documents it), 200 when it has it."""

from sandbox_client import fill_path, session

import re_cli.sandbox.handlers as handlers
from re_cli import catalog
from re_cli.sandbox import routes

MANAGEMENT_ROLES = ("db_viewer", "db_member", "cluster_viewer", "cluster_member",
                    "user_manager")
OWN_GROUPS = {"cluster", "nodes", "users", "roles", "redis_acls", "license", "modules"}
SAMPLE = 8


def test_missing_credentials_are_401_with_a_challenge(sandbox):
    r = session(sandbox, role=None).get(f"{sandbox.url}/v1/cluster")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert r.json()["error_code"] == "unauthorized"


def test_wrong_password_and_unknown_user_are_401(sandbox):
    s = session(sandbox, role=None)
    for auth in ((sandbox.user("admin"), "not-the-password"), ("nobody@example.com", "x")):
        r = s.get(f"{sandbox.url}/v1/cluster", auth=auth)
        assert r.status_code == 401
        assert "message" in r.json()


def test_malformed_authorization_header_is_401(sandbox):
    s = session(sandbox, role=None)
    for header in ("Basic !!!", "Basic " + "YWRtaW4=", "Digest abc", "JWT a.b.c"):
        r = s.get(f"{sandbox.url}/v1/cluster", headers={"Authorization": header})
        assert r.status_code == 401, header


def _entries_for(role: str, allowed: bool) -> list:
    granted = set(catalog.role_permissions()[role])
    out = []
    for entry in routes.ENTRIES:
        permission = entry.info.get("permission")
        if not permission or entry.path == "/v1/users/{uid}":
            continue
        if (permission in granted) == allowed:
            out.append(entry)
    return out


def _spread(entries: list, count: int) -> list:
    if len(entries) <= count:
        return entries
    step = len(entries) / count
    return [entries[int(i * step)] for i in range(count)]


def test_each_role_gets_403_on_requests_it_lacks_the_permission_for(sandbox):
    for role in MANAGEMENT_ROLES:
        s = session(sandbox, role)
        denied = _entries_for(role, allowed=False)
        assert denied, role
        for entry in _spread(denied, SAMPLE):
            r = s.request(entry.method, sandbox.url + fill_path(entry.path))
            assert r.status_code == 403, (role, entry.method, entry.path, r.text)
            assert r.json()["error_code"] == "forbidden"


def test_each_role_gets_200_on_reads_it_may_make(sandbox):
    handlers.load_all()
    for role in MANAGEMENT_ROLES:
        s = session(sandbox, role)
        allowed = [e for e in _entries_for(role, allowed=True)
                   if e.method == "GET" and "{" not in e.path
                   and e.info["group"] in OWN_GROUPS
                   and (e.method, e.path) in routes.HANDLERS]
        assert allowed, role
        for entry in allowed:
            r = s.get(sandbox.url + entry.path)
            # A read whose page documents a refusal of its own (406 for a missing
            # certificate, say) may give it; none may refuse the role.
            if {404, 406} & set(entry.info["status_codes"]):
                assert r.status_code not in (401, 403), (role, entry.path, r.text)
            else:
                assert r.status_code == 200, (role, entry.path, r.text)


def test_admin_may_do_everything_the_catalog_names(sandbox):
    s = session(sandbox, "admin")
    for entry in _spread(_entries_for("admin", allowed=True), 20):
        r = s.request(entry.method, sandbox.url + fill_path(entry.path, "999999"))
        assert r.status_code not in (401, 403), (entry.method, entry.path)


def test_a_user_may_read_their_own_account_whatever_the_role(sandbox):
    s = session(sandbox, "db_viewer")
    me = next(u for u in session(sandbox).get(f"{sandbox.url}/v1/users").json()
              if u["email"] == sandbox.user("db_viewer"))
    r = s.get(f"{sandbox.url}/v1/users/{me['uid']}")
    assert r.status_code == 200
    assert r.json()["email"] == sandbox.user("db_viewer")
    assert s.get(f"{sandbox.url}/v1/users/role").json() == {"role": "db_viewer"}


def test_jwt_from_authorize_authenticates_and_a_forged_one_does_not(sandbox):
    s = session(sandbox, "cluster_viewer")
    token = s.post(f"{sandbox.url}/v1/users/authorize", json={"ttl": 60}).json()["access_token"]
    bare = session(sandbox, role=None)
    ok = bare.get(f"{sandbox.url}/v1/cluster", headers={"Authorization": f"JWT {token}"})
    assert ok.status_code == 200
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    bad = bare.get(f"{sandbox.url}/v1/cluster", headers={"Authorization": f"JWT {forged}"})
    assert bad.status_code == 401
    assert s.post(f"{sandbox.url}/v1/users/authorize", json={"ttl": 0}).status_code == 400
