"""The objects the sandbox keeps: statuses, error bodies, defaults and `fields`."""

import uuid

from sandbox_client import session


def _email() -> str:
    return f"u-{uuid.uuid4().hex[:8]}@example.com"


def test_user_life_cycle_never_shows_a_password(sandbox):
    s = session(sandbox)
    email = _email()
    created = s.post(f"{sandbox.url}/v1/users",
                     json={"email": email, "password": "first-pass-1", "role": "db_member"})
    assert created.status_code == 200
    user = created.json()
    assert user["email"] == email and user["role"] == "db_member"
    assert isinstance(user["uid"], int)
    assert user["auth_method"] == "regular"  # the documented default
    assert not any("password" in key and key != "password_issue_date" for key in user)

    as_new = session(sandbox, role=None)
    as_new.auth = (email, "first-pass-1")
    assert as_new.get(f"{sandbox.url}/v1/bdbs").status_code != 401

    r = s.put(f"{sandbox.url}/v1/users/{user['uid']}",
              json={"name": "Renamed", "role": "db_viewer"})
    assert r.status_code == 200
    assert r.json()["name"] == "Renamed" and r.json()["role"] == "db_viewer"
    fetched = s.get(f"{sandbox.url}/v1/users/{user['uid']}").json()
    assert fetched["role"] == "db_viewer"
    assert "password" not in fetched
    assert all("password" not in u for u in s.get(f"{sandbox.url}/v1/users").json())

    assert s.delete(f"{sandbox.url}/v1/users/{user['uid']}").status_code == 200
    gone = s.get(f"{sandbox.url}/v1/users/{user['uid']}")
    assert gone.status_code == 404
    assert gone.json()["error_code"] == "user_not_exist"
    assert as_new.get(f"{sandbox.url}/v1/cluster").status_code == 401


def test_duplicate_email_is_409_and_bad_users_are_400(sandbox):
    s = session(sandbox)
    email = _email()
    body = {"email": email, "password": "pass-word-1", "role": "db_viewer"}
    assert s.post(f"{sandbox.url}/v1/users", json=body).status_code == 200
    dup = s.post(f"{sandbox.url}/v1/users", json=body)
    assert dup.status_code == 409
    assert dup.json()["error_code"] == "email_already_exists"
    assert "message" in dup.json()

    missing = s.post(f"{sandbox.url}/v1/users", json={"email": _email()})
    assert missing.status_code == 400
    assert missing.json()["error_code"] == "missing_field"
    bad_role = s.post(f"{sandbox.url}/v1/users",
                      json={"email": _email(), "password": "x-12345678", "role": "king"})
    assert bad_role.status_code == 400


def test_dry_run_creates_nothing(sandbox):
    s = session(sandbox)
    email = _email()
    r = s.post(f"{sandbox.url}/v1/users?dry_run",
               json={"email": email, "password": "pass-word-1", "role": "db_viewer"})
    assert r.status_code == 200
    assert not any(u["email"] == email for u in s.get(f"{sandbox.url}/v1/users").json())


def test_unknown_user_is_404_on_get_put_delete(sandbox):
    s = session(sandbox)
    for method in ("GET", "PUT", "DELETE"):
        r = s.request(method, f"{sandbox.url}/v1/users/98765",
                      json={"name": "x"} if method == "PUT" else None)
        assert r.status_code == 404, method
        assert r.json()["error_code"] == "user_not_exist"


def test_the_last_admin_keeps_the_role(sandbox):
    s = session(sandbox)
    admin = next(u for u in s.get(f"{sandbox.url}/v1/users").json()
                 if u["email"] == sandbox.user("admin"))
    admins = [u for u in s.get(f"{sandbox.url}/v1/users").json() if u["role"] == "admin"]
    if len(admins) == 1:
        r = s.put(f"{sandbox.url}/v1/users/{admin['uid']}", json={"role": "db_viewer"})
        assert r.status_code == 406
        assert r.json()["error_code"] == "change_last_admin_role_not_allowed"
    assert s.delete(f"{sandbox.url}/v1/users/{admin['uid']}").status_code == 406


def test_password_endpoints_add_and_remove_passwords(sandbox):
    s = session(sandbox)
    email = _email()
    s.post(f"{sandbox.url}/v1/users", json={"email": email, "password": "one-pass-1",
                                            "role": "db_viewer"}).raise_for_status()
    me = session(sandbox, role=None)
    me.auth = (email, "one-pass-1")
    assert me.post(f"{sandbox.url}/v1/users/password",
                   json={"new_password": "two-pass-2"}).status_code == 200
    other = session(sandbox, role=None)
    other.auth = (email, "two-pass-2")
    assert other.get(f"{sandbox.url}/v1/users/role").json() == {"role": "db_viewer"}
    assert me.delete(f"{sandbox.url}/v1/users/password",
                     json={"old_password": "one-pass-1"}).status_code == 200
    assert me.get(f"{sandbox.url}/v1/users/role").status_code == 401
    last = other.delete(f"{sandbox.url}/v1/users/password", json={"old_password": "two-pass-2"})
    assert last.status_code == 400
    assert last.json()["error_code"] == "cannot_delete_last_password"
    foreign = other.put(f"{sandbox.url}/v1/users/password",
                        json={"username": sandbox.user("admin"), "new_password": "hijack-1"})
    assert foreign.status_code == 403


def test_permissions_listing_follows_the_catalog(sandbox):
    from re_cli import catalog

    s = session(sandbox, "user_manager")
    everything = s.get(f"{sandbox.url}/v1/users/permissions").json()
    assert set(catalog.role_permissions()["db_viewer"]) == \
        set(everything["db_viewer"]["api_permissions"])
    assert s.get(f"{sandbox.url}/v1/users/permissions/emperor").status_code == 404


def test_roles_and_redis_acls(sandbox):
    s = session(sandbox)
    name = f"role-{uuid.uuid4().hex[:6]}"
    role = s.post(f"{sandbox.url}/v1/roles", json={"name": name, "management": "db_viewer"})
    assert role.status_code == 200
    uid = role.json()["uid"]
    dup = s.post(f"{sandbox.url}/v1/roles", json={"name": name, "management": "db_viewer"})
    assert dup.status_code == 400 and dup.json()["error_code"] == "name_already_exists"
    assert s.post(f"{sandbox.url}/v1/roles", json={"name": "x"}).json()["error_code"] == \
        "missing_field"
    assert s.put(f"{sandbox.url}/v1/roles/{uid}", json={"management": "db_member"}).json()[
        "management"] == "db_member"
    assert s.get(f"{sandbox.url}/v1/roles/{uid}?fields=name").json() == {"name": name}
    assert s.delete(f"{sandbox.url}/v1/roles/{uid}").status_code == 200
    assert s.get(f"{sandbox.url}/v1/roles/{uid}").status_code == 404

    acls = s.get(f"{sandbox.url}/v1/redis_acls").json()
    assert {"Full Access", "Read Only", "Not Dangerous"} <= {a["name"] for a in acls}
    acl_name = f"acl-{uuid.uuid4().hex[:6]}"
    acl = s.post(f"{sandbox.url}/v1/redis_acls", json={"name": acl_name, "acl": "+@read ~app:*"})
    assert acl.status_code == 200
    bad = s.post(f"{sandbox.url}/v1/redis_acls", json={"name": "bad", "acl": "read everything"})
    assert bad.status_code == 400 and bad.json()["error_code"] == "invalid_param"
    builtin = next(a for a in acls if a["name"] == "Full Access")
    assert s.delete(f"{sandbox.url}/v1/redis_acls/{builtin['uid']}").status_code == 409
    assert s.delete(f"{sandbox.url}/v1/redis_acls/{acl.json()['uid']}").status_code == 200


def test_cluster_get_put_fields_and_read_only(sandbox):
    s = session(sandbox)
    cluster = s.get(f"{sandbox.url}/v1/cluster").json()
    assert cluster["name"] and cluster["password_min_length"] == 8
    assert cluster["cnm_https_port"] == sandbox.port
    assert s.get(f"{sandbox.url}/v1/cluster?fields=name").json() == {"name": cluster["name"]}
    r = s.put(f"{sandbox.url}/v1/cluster", json={"email_alerts": True, "smtp_host": "mail.local"})
    assert r.status_code == 200
    assert s.get(f"{sandbox.url}/v1/cluster").json()["smtp_host"] == "mail.local"
    assert s.put(f"{sandbox.url}/v1/cluster", json={"name": "other"}).status_code == 400
    assert s.put(f"{sandbox.url}/v1/cluster", json={"email_alerts": "yes"}).status_code == 400
    policy = s.get(f"{sandbox.url}/v1/cluster/policy").json()
    assert policy["max_simultaneous_backups"] == 4
    assert s.put(f"{sandbox.url}/v1/cluster/policy",
                 json={"max_simultaneous_backups": 2}).json()["max_simultaneous_backups"] == 2
    s.put(f"{sandbox.url}/v1/cluster/policy", json={"max_simultaneous_backups": 4})
    certs = s.get(f"{sandbox.url}/v1/cluster/certificates").json()
    assert certs["api_cert"].startswith("-----BEGIN CERTIFICATE-----")


def test_three_nodes_with_status_and_updates(sandbox):
    s = session(sandbox)
    nodes = s.get(f"{sandbox.url}/v1/nodes?fields=uid,addr,status").json()
    assert nodes == [{"uid": n, "addr": f"127.0.0.{n}", "status": "active"} for n in (1, 2, 3)]
    assert set(s.get(f"{sandbox.url}/v1/nodes/status").json()) == {"1", "2", "3"}
    assert s.get(f"{sandbox.url}/v1/nodes/2/status").json()["node_status"] == "active"
    assert s.get(f"{sandbox.url}/v1/nodes/9").status_code == 404
    assert s.put(f"{sandbox.url}/v1/nodes/2", json={"max_listeners": 50}).status_code == 200
    assert s.get(f"{sandbox.url}/v1/nodes/2").json()["max_listeners"] == 50
    assert s.put(f"{sandbox.url}/v1/nodes/2", json={"cores": 64}).status_code == 400
    moved = s.put(f"{sandbox.url}/v1/nodes/2", json={"addr": "10.0.0.9"})
    assert moved.status_code == 406 and moved.json()["error_code"] == "node_not_offline"


def test_stats_alerts_license_modules(sandbox):
    s = session(sandbox)
    stats = s.get(f"{sandbox.url}/v1/cluster/stats?interval=1hour").json()["intervals"]
    assert stats and all(i["interval"] == "1hour" for i in stats)
    assert 0 <= stats[0]["cpu_idle"] <= 1
    window = s.get(f"{sandbox.url}/v1/nodes/stats/1", params={
        "interval": "5min", "stime": stats[-1]["stime"]}).json()
    assert window["uid"] == "1" and window["intervals"]
    assert all(i["stime"] >= stats[-1]["stime"] for i in window["intervals"])
    assert s.get(f"{sandbox.url}/v1/cluster/stats?interval=2min").status_code == 400
    assert set(s.get(f"{sandbox.url}/v1/nodes/stats/last").json()) == {"1", "2", "3"}

    alerts = s.get(f"{sandbox.url}/v1/cluster/alerts").json()
    assert alerts and all(name.startswith("cluster_") for name in alerts)
    assert set(next(iter(alerts.values()))) >= {"enabled", "state", "severity", "threshold"}
    assert s.get(f"{sandbox.url}/v1/nodes/alerts/1/node_memory").json()["threshold"] == "80"
    assert s.get(f"{sandbox.url}/v1/nodes/alerts/7").status_code == 404

    lic = s.get(f"{sandbox.url}/v1/license").json()
    assert lic["expired"] is False and lic["shards_limit"] > 0
    assert s.put(f"{sandbox.url}/v1/license", json={"license": "garbage"}).status_code == 400

    modules = s.get(f"{sandbox.url}/v1/modules").json()
    assert {"search", "ReJSON", "timeseries", "bf"} <= {m["module_name"] for m in modules}
    one = s.get(f"{sandbox.url}/v1/modules/{modules[0]['uid']}").json()
    assert one["uid"] == modules[0]["uid"]
    assert s.get(f"{sandbox.url}/v1/modules/nope").status_code == 404


def test_node_maintenance_action_is_polled_by_name(sandbox):
    import time

    s = session(sandbox)
    started = s.post(f"{sandbox.url}/v1/nodes/3/actions/maintenance_on", json={})
    assert started.status_code == 200
    assert started.json()["name"] == "maintenance_on" and started.json()["action_uid"]
    busy = s.post(f"{sandbox.url}/v1/nodes/3/actions/maintenance_on", json={})
    assert busy.status_code == 409
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        action = s.get(f"{sandbox.url}/v1/nodes/3/actions/maintenance_on").json()
        assert action["status"] in ("queued", "running", "completed")
        if action["status"] == "completed":
            break
        time.sleep(0.1)
    assert action["progress"] == 100.0
    assert s.get(f"{sandbox.url}/v1/nodes/3").json()["accept_servers"] is False
    snapshots = s.get(f"{sandbox.url}/v1/nodes/3/snapshots").json()
    assert snapshots and snapshots[0]["maintenance"] is True
    listed = s.get(f"{sandbox.url}/v1/nodes/3/actions").json()["actions"]
    assert any(a["name"] == "maintenance_on" for a in listed)

    s.post(f"{sandbox.url}/v1/nodes/3/actions/maintenance_off", json={}).raise_for_status()
    while time.monotonic() < deadline:
        if s.get(f"{sandbox.url}/v1/nodes/3/actions/maintenance_off").json()["status"] == \
                "completed":
            break
        time.sleep(0.1)
    assert s.get(f"{sandbox.url}/v1/nodes/3").json()["accept_servers"] is True
    assert s.get(f"{sandbox.url}/v1/nodes/3/actions/remove").status_code == 404
    assert s.post(f"{sandbox.url}/v1/nodes/3/actions/explode").status_code == 400



def _wait_cluster_action(s, url: str, name: str) -> dict:
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        action = s.get(f"{url}/v1/cluster/actions/{name}").json()
        if action["status"] == "completed":
            return action
        time.sleep(0.1)
    raise AssertionError(f"cluster action {name} did not complete: {action}")


def test_node_requests_keep_working_after_a_cluster_action(sandbox):
    # A completed cluster action once broke every /v1/nodes* request with a 500.
    from concurrent.futures import ThreadPoolExecutor

    s = session(sandbox)
    paths = ("/v1/nodes", "/v1/nodes/1", "/v1/nodes/status", "/v1/nodes/2/status",
             "/v1/nodes/actions", "/v1/nodes/1/actions", "/v1/nodes/check/1",
             "/v1/nodes/1/snapshots")
    started = s.post(f"{sandbox.url}/v1/cluster/actions/change_master", json={"node_uid": 2})
    assert started.status_code == 200

    def read_nodes(_):
        mine = session(sandbox)
        return [(path, mine.get(sandbox.url + path).status_code) for path in paths]

    with ThreadPoolExecutor(4) as pool:
        answers = [pair for batch in pool.map(read_nodes, range(8)) for pair in batch]
    assert all(code == 200 for _, code in answers), answers
    _wait_cluster_action(s, sandbox.url, "change_master")
    for path in paths:
        assert s.get(sandbox.url + path).status_code == 200, path
    assert s.get(f"{sandbox.url}/v1/nodes/2/status").json()["role"] == "master"

    s.post(f"{sandbox.url}/v1/cluster/actions/change_master",
           json={"node_uid": 1}).raise_for_status()
    _wait_cluster_action(s, sandbox.url, "change_master")
    assert s.get(f"{sandbox.url}/v1/nodes/1/status").json()["role"] == "master"
    assert s.get(f"{sandbox.url}/v1/nodes").status_code == 200

def test_cluster_settings_beside_the_cluster(sandbox):
    s = session(sandbox)
    assert s.get(f"{sandbox.url}/v1/cluster/ldap").json()["cache_ttl"] == 300
    both = s.put(f"{sandbox.url}/v1/cluster/ldap",
                 json={"user_dn_template": "cn=%u", "user_dn_query": {"base": "dc=x"}})
    assert both.status_code == 400 and both.json()["error_code"] == "illegal_fields_combination"
    assert s.put(f"{sandbox.url}/v1/cluster/ldap",
                 json={"uris": ["ldap://ldap.local:389"], "bind_pass": "s3cret"}).ok
    ldap = s.get(f"{sandbox.url}/v1/cluster/ldap").json()
    assert ldap["uris"] == ["ldap://ldap.local:389"] and "bind_pass" not in ldap
    assert s.delete(f"{sandbox.url}/v1/cluster/ldap").ok

    # Tests that ran earlier on this shared sandbox may have installed SSO certificates.
    for name in ("sso_service", "sso_issuer"):
        assert s.delete(f"{sandbox.url}/v1/cluster/certificates/{name}").status_code in (200, 404)
    sso = s.put(f"{sandbox.url}/v1/cluster/sso", json={"control_plane": True})
    assert sso.status_code == 406 and sso.json()["error_code"] == "missing_certificate"
    assert s.get(f"{sandbox.url}/v1/cluster/sso").json()["protocol"] == "saml2"

    assert s.delete(f"{sandbox.url}/v1/cluster/auditing/db_conns").status_code in (200, 404)
    assert s.delete(f"{sandbox.url}/v1/cluster/auditing/db_conns").status_code == 404
    put = s.put(f"{sandbox.url}/v1/cluster/auditing/db_conns",
                json={"audit_protocol": "TCP", "audit_address": "127.0.0.1", "audit_port": 9})
    assert put.json()["audit_port"] == 9

    assert s.delete(f"{sandbox.url}/v1/cluster/certificates/api").status_code == 403
    assert s.delete(f"{sandbox.url}/v1/cluster/certificates/sso_issuer").status_code == 404
    bad = s.put(f"{sandbox.url}/v1/cluster/certificates",
                json={"certificates": [{"name": "proxy", "certificate": "nope", "key": "x"}]})
    assert bad.status_code == 400
    unknown = s.put(f"{sandbox.url}/v1/cluster/certificates",
                    json={"certificates": [{"name": "zzz", "certificate": "x"}]})
    assert unknown.status_code == 403
    ca = sandbox.ca_cert.read_text()
    ok = s.put(f"{sandbox.url}/v1/cluster/certificates",
               json={"certificates": [{"name": "mtls_trusted_ca", "certificate": ca}]})
    assert ok.status_code == 200
    assert s.get(f"{sandbox.url}/v1/cluster/certificates").json()["mtls_trusted_ca_cert"] == ca

    health = s.get(f"{sandbox.url}/v4/cluster/health").json()
    assert health["status"] in ("ok", "warning") and len(health["nodes"]) == 3
    assert s.get(f"{sandbox.url}/v1/local/node/master_healthcheck").json() == {
        "status": "active"}
    r = s.patch(f"{sandbox.url}/v1/cluster/change_password_hashing_algorithm",
                json={"algorithm": "MD5"})
    assert r.status_code == 400


def test_deprecated_debuginfo_downloads_are_tarballs(sandbox):
    import io
    import tarfile

    s = session(sandbox)
    for path in ("/v1/cluster/debuginfo", "/v1/nodes/debuginfo", "/v1/nodes/2/debuginfo"):
        r = s.get(sandbox.url + path)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"] == "application/x-gzip"
        with tarfile.open(fileobj=io.BytesIO(r.content), mode="r:gz") as tar:
            assert tar.getnames()
    assert s.get(f"{sandbox.url}/v1/nodes/8/debuginfo").status_code == 404
