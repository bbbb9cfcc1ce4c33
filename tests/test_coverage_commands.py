"""Every request of the catalog is reachable through exactly one typed command, and
each command works against the sandbox: as a role holding the permission (success,
JSON that parses) and, where a permission is documented, as a role lacking it (403,
exit 4). The state each request needs (a database, a user whose password is known, a
running action, an installed certificate, ...) is made first, so every command gets its
documented success status. The few requests the sandbox cannot answer with success by
design are expected failures, each named, so the count stays visible.

About 340 `re` processes run here; they run a few at a time: reads at once, writes one
after another within their lane (everything that changes the test database is one lane,
as a database busy with one task refuses the next)."""

import base64
import io
import json
import re as regex
import secrets
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import click
import pytest

from re_cli import catalog
from re_cli.commands import typed

ROLES = ("admin", "db_viewer", "db_member", "cluster_viewer", "cluster_member", "user_manager")
DECLS = typed.declarations()
# Destructive commands run last, so the objects the others address still exist.
RUN_ORDER = sorted(DECLS, key=lambda d: (bool(d.row.destructive), d.method == "DELETE"))


def _key(decl) -> str:
    return f"{decl.method} {decl.path}"


def _canonical_commands() -> dict[str, list[str]]:
    """(method, path) -> the `re ...` commands that send it (shorthands left out; a
    command that sends one of two requests names the flag that picks the second)."""
    reach: dict[str, list[str]] = {}
    for name in typed.group_names():
        grp = typed.loaded_group(name)
        for verb, cmd in grp.commands.items():
            if getattr(cmd, "shorthand_for", None):
                continue
            for decl in cmd.declarations:
                words = f"re {name} {verb}" + (f" {decl.row.option}" if decl.row.option else "")
                reach.setdefault(_key(decl), []).append(words)
    return reach


def test_every_request_reachable_through_exactly_one_command():
    wanted = {f"{r['method']} {r['path']}" for r in catalog.requests()}
    reach = _canonical_commands()

    assert len(wanted) == 221
    assert set(reach) == wanted
    doubles = {k: v for k, v in reach.items() if len(v) != 1}
    assert doubles == {}


def test_root_lists_every_typed_group(re_run):
    listed = re_run("--help").stdout
    for name in typed.group_names():
        assert f"\n  {name} " in listed, name


@pytest.mark.parametrize("name", typed.group_names())
def test_group_help_lists_its_verbs(re_run, name):
    result = re_run(name, "--help")

    assert result.code == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    missing = [d.verb for d in DECLS if d.group == name and d.verb not in listed]
    assert missing == []


def _help_of(cmd: click.Command, path: str) -> str:
    with click.Context(cmd, info_name=path) as ctx:
        return cmd.get_help(ctx)


def test_every_command_help_has_summary_and_example():
    for name in typed.group_names():
        for verb, cmd in typed.loaded_group(name).commands.items():
            text = _help_of(cmd, f"re {name} {verb}")
            summary = text.split("\n\n")[1].strip()
            assert summary, f"re {name} {verb}"
            short = cmd.get_short_help_str(limit=200)
            assert short and "\n" not in short, f"re {name} {verb}"
            examples = text.split("Examples:")[1].strip().splitlines()
            assert f"re {name} " in examples[0], f"re {name} {verb}"


def test_deprecated_requests_stay_reachable_and_say_so(re_run):
    deprecated = [d for d in DECLS if d.deprecated]
    assert len(deprecated) == 23

    for decl in deprecated:
        cmd = typed.loaded_group(decl.group).commands[decl.verb]
        assert "deprecated" in cmd.short_help.lower()
    first = deprecated[0]
    result = re_run(first.group, first.verb, "--help")
    assert result.code == 0 and "deprecated" in result.stdout.lower()


def test_node_local_requests_take_the_node():
    local = [d for d in DECLS if d.node_local]
    assert len(local) == 7
    for decl in local:
        cmd = typed.loaded_group(decl.group).commands[decl.verb]
        assert any("--node" in p.opts for p in cmd.params), decl.verb


# ------------------------------------------------------------------ against the sandbox

MB = 1024**2
WORKERS = 4


class Api:
    """Direct HTTPS requests, to make the state the commands need (not under test)."""

    def __init__(self, box):
        import requests

        self.box = box
        self.session = requests.Session()
        self.session.auth = (box.user(), box.password())

    def __call__(self, method, path, expect=(200,), **kwargs):
        response = self.session.request(method, self.box.url + path, timeout=60,
                                        verify=str(self.box.ca_cert), **kwargs)
        assert response.status_code in expect, (method, path, response.status_code,
                                                response.text)
        return response.json() if response.content.strip() and response.headers.get(
            "Content-Type", "").startswith("application/json") else None

    def settle_bdb(self, uid, timeout=60.0) -> None:
        """Until the database is active (its last task is over) or gone; a harness
        wait, not an assertion about time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            bdb = self("GET", f"/v1/bdbs/{uid}", expect=(200, 404))
            if bdb.get("status") in ("active", None):  # None: deleted, settled too
                return
            time.sleep(0.1)
        raise AssertionError(f"bdb {uid} did not become active")

    def wait_node_action(self, node, name, timeout=60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self("GET", f"/v1/nodes/{node}/actions/{name}")["status"]
            if status in ("completed", "failed", "cancelled"):
                return
            time.sleep(0.1)
        raise AssertionError(f"node action {name} did not end")


def certificate_pem(name="re-coverage") -> tuple[str, str]:
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode())


def module_zip(path, name: str, version: str) -> str:
    meta = {"module_name": name, "version": 1, "semantic_version": version,
            "display_name": name}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("module.json", json.dumps(meta))
    return str(path)


def multipart_module(name: str, version: str) -> dict:
    data = io.BytesIO()
    module_zip(data, name, version)
    return {"files": {"module": (f"{name}.zip", data.getvalue(), "application/zip")}}


def crdb_body(name: str) -> dict:
    return {"name": name, "default_db_config": {"name": name, "memory_size": 100 * MB},
            "instances": [{"cluster": {"url": f"https://{c}.example:9443", "name": f"{c}.example",
                                       "credentials": {"username": "a", "password": "b"}}}
                          for c in ("aa1", "aa2")]}


# Passwords of the throwaway users and databases this test makes: new for every run.
USER_PASSWORD = "Cov-" + secrets.token_urlsafe(12)
SECOND_PASSWORD = "Cov-" + secrets.token_urlsafe(12)


def _new_password() -> str:
    return "Cov-" + secrets.token_urlsafe(12)
PEER = [{"uri": "redis://127.0.0.1:12000"}]


@pytest.fixture(scope="module")
def objects(sandbox, tmp_path_factory):
    """What the commands address and send, made beforehand over the API."""
    api = Api(sandbox)
    files = tmp_path_factory.mktemp("coverage-files")
    bdb = api("POST", "/v1/bdbs", json={"name": "coverage-db", "memory_size": 100 * MB,
                                        "replica_sources": PEER, "crdt_sources": PEER})
    modbdb = api("POST", "/v1/bdbs", json={"name": "coverage-mod", "memory_size": 100 * MB,
                                           "module_list": [{"module_name": "search"}]})
    users = {n: api("POST", "/v1/users", json={"email": f"{n}@example.com", "name": n,
                                               "role": "db_viewer", "password": USER_PASSWORD})
             for n in ("cov", "cov-pw", "cov-pw2")}
    api("POST", "/v1/users/password", json={"username": "cov-pw2@example.com",
                                            "old_password": USER_PASSWORD,
                                            "new_password": SECOND_PASSWORD})
    role = api("POST", "/v1/roles", json={"name": "cov-role", "management": "db_viewer"})
    acl = api("POST", "/v1/redis_acls", json={"name": "cov-acl", "acl": "+@read ~*"})
    mapping = api("POST", "/v1/ldap_mappings", json={"name": "cov-map", "dn": "cn=cov,dc=x",
                                                     "role_uids": [role["uid"]]})
    crdb_task = api("POST", "/v1/crdbs", json=crdb_body("cov-crdb"))
    modules = {n: api("POST", "/v2/modules/user-defined",
                      json={"module_name": n, "version": 1, "semantic_version": "0.0.1"})
               for n in ("cov-ud", "cov-v1", "cov-v2")}
    api("POST", "/v2/local/modules/user-defined/artifacts",
        **multipart_module("cov-artifact", "1.0.0"))
    cert, key = certificate_pem()
    api("PUT", "/v1/cluster/certificates", json={"certificates": [
        {"name": "sso_service", "certificate": cert, "key": key},
        {"name": "sso_issuer", "certificate": cert, "key": key}]})
    api("POST", "/v1/nodes/1/actions/maintenance_on",
                      json={"snapshot_name": "cov-snap"})
    api("POST", "/v1/cluster/actions/change_master", json={"node_uid": "1"})
    crdt_bdb = api("POST", "/v1/bdbs", json={"name": "coverage-crdt", "memory_size": 100 * MB,
                                             "crdt": True, "replication": True})
    for made in (bdb, modbdb, crdt_bdb):
        api.settle_bdb(made["uid"])
    # On its own database: the coverage database's passwords are replaced by another command.
    api("POST", f"/v1/bdbs/{crdt_bdb['uid']}/passwords", json={"password": SECOND_PASSWORD})
    api.wait_node_action("1", "maintenance_on")
    api("POST", "/v1/nodes/1/actions/maintenance_off")
    api.wait_node_action("1", "maintenance_off")
    crdbs = api("GET", "/v1/crdbs")
    shards = api("GET", "/v1/shards")
    search = next(m for m in api("GET", "/v1/modules") if m["module_name"] == "search")
    return {
        "api": api, "files": files, "cert": cert, "key": key,
        "bdb": str(bdb["uid"]), "modbdb": str(modbdb["uid"]), "user": str(users["cov"]["uid"]),
        "role": str(role["uid"]), "redis_acl": str(acl["uid"]), "module": search["uid"],
        "ldap_mapping": str(mapping["uid"]), "action": bdb["action_uid"],
        "crdb": next(c["guid"] for c in crdbs if c["name"] == "cov-crdb"),
        "task": crdb_task["id"], "crdt_bdb": str(crdt_bdb["uid"]),
        "modules": {n: m["uid"] for n, m in modules.items()},
        "shard": str(next(s["uid"] for s in shards if s["bdb_uid"] == bdb["uid"])),
    }


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    """A sandbox whose actions take two minutes, for the requests that cancel one that
    is still running: a node action, a cluster action, an Active-Active task."""
    from conftest import isolated_env, start_sandbox, stop_sandbox

    home = tmp_path_factory.mktemp("coverage-slow")
    (home / "sandbox").mkdir()
    box = start_sandbox(home / "sandbox", isolated_env(home), "--action-delay", "120")
    api = Api(box)
    api("POST", "/v1/nodes/1/actions/maintenance_on")
    api("POST", "/v1/cluster/actions/change_master", json={"node_uid": "1"})
    task = api("POST", "/v1/crdbs", json=crdb_body("slow-crdb"))
    # A node that has not joined a cluster yet, so that a bootstrap can start.
    api("PUT", "/sandbox/bootstrap", json={"state": "idle"})
    yield box, {"task": task["id"]}
    stop_sandbox(box)


# Requests sent to the second sandbox: cancels need work still running, and a bootstrap
# needs a node that has not joined a cluster.
SLOW = ("DELETE /v1/cluster/actions/{action}", "DELETE /v1/nodes/{node_uid}/actions/{action}",
        "POST /v1/crdb_tasks/{task_id}/actions/cancel", "POST /v1/bootstrap/{action}")


def _data(value) -> list[str]:
    return ["--data", json.dumps(value)]


def _args(o: dict) -> dict:
    """(method, path) -> the arguments after the path values, where `--data '{}'` or
    the sample values will not do."""
    pw = {"username": "cov-pw@example.com", "old_password": USER_PASSWORD}
    idp = base64.b64encode(b'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" '
                           b'entityID="https://idp.example/cov"/>').decode()
    mods = o["files"]
    return {
        "PATCH /v1/cluster/change_password_hashing_algorithm": _data({"algorithm": "PBKDF2"}),
        "PUT /v1/cm_settings": _data({"timezone": "UTC"}),
        "PUT /v1/metrics_config": _data({"expose_db_tags": True}),
        "PUT /v1/job_scheduler": _data({"backup_job_settings": {"enabled": True}}),
        "POST /v1/ldap_mappings": ["--name", "cov-map2", "--dn", "cn=c2,dc=x", "--role-uid",
                                   "1"],
        "POST /v1/redis_acls": ["--name", "cov-acl2", "--acl", "+@read ~*"],
        "POST /v1/redis_acls/validate": ["--name", "cov-acl3", "--acl", "+@read ~*"],
        "POST /v1/roles": ["--name", "cov-role2", "--management", "db_viewer"],
        "POST /v1/local/services": ["--operation", "restart", "--service", "mdns_server"],
        "POST /v1/services": ["--operation", "restart", "--service", "mdns_server"],
        "POST /v1/crdbs": _data(crdb_body("cov-crdb2")),
        "PATCH /v1/crdbs/{crdb_guid}": _data({"default_db_config": {"memory_size": 200 * MB}}),
        "POST /v1/crdbs/{crdb_guid}/updates": _data({"crdb": {"default_db_config":
                                                              {"memory_size": 200 * MB}}}),
        "POST /v1/cluster/actions/{action}": _data({"node_uid": "1"}),
        "PUT /v1/crdbs/{crdb_guid}/purge": _data({"instances": [1]}),
        "POST /v1/users": ["--email", "cov2@example.com", "--name", "cov2", "--role",
                           "db_viewer", "--password-stdin"],
        "POST /v1/users/password": _data({**pw, "new_password": _new_password()}),
        "PUT /v1/users/password": _data({**pw, "new_password": _new_password()}),
        "DELETE /v1/users/password": _data({"username": "cov-pw2@example.com",
                                            "old_password": SECOND_PASSWORD}),
        "PUT /v1/cluster/certificates": _data({"certificates": [
            {"name": "sso_service", "certificate": o["cert"], "key": o["key"]}]}),
        "PUT /v1/cluster/update_cert": _data({"name": "sso_service", "certificate": o["cert"],
                                              "key": o["key"]}),
        "POST /v1/cluster/sso/saml/metadata/idp": _data({"idp_metadata": idp}),
        "PUT /v1/license": _data({"license": "----- LICENSE START -----\ncoverage\n"
                                             "----- LICENSE END -----"}),
        "POST /v2/modules/user-defined": _data({"module_name": "cov-ud2", "version": 1,
                                                "semantic_version": "0.0.2"}),
        "POST /v1/modules": ["--module-file", module_zip(mods / "v1.zip", "cov-up1", "1.0.0")],
        "POST /v2/modules": ["--module-file", module_zip(mods / "v2.zip", "cov-up2", "1.0.0")],
        "POST /v2/local/modules/user-defined/artifacts":
            ["--module-file", module_zip(mods / "art.zip", "cov-art2", "1.0.0")],
        "POST /v1/modules/config/bdb/{uid}": _data({"modules": [
            {"module_name": "search", "module_args": "MAXSEARCHRESULTS 100"}]}),
        "POST /v1/bdbs/{uid}/modules/config": _data({"modules": [
            {"module_name": "search", "module_args": "MAXSEARCHRESULTS 200"}]}),
        "POST /v1/modules/upgrade/bdb/{uid}": _data({"modules": [
            {"current_module": o["module"], "new_module": o["module"]}]}),
        "POST /v1/bdbs/{uid}/modules/upgrade": _data({"modules": [
            {"current_module": o["module"], "new_module": o["module"]}]}),
        "POST /v1/bdbs/{uid}/passwords": ["--password-stdin"],
        "PUT /v1/bdbs/{uid}/passwords": ["--password-stdin"],
        "DELETE /v1/bdbs/{uid}/passwords": ["--password-stdin"],
        "POST /v1/bdbs/{uid}/certificates": _data({"cert": o["cert"], "private_key": o["key"]}),
        "POST /v1/bdbs/{uid}/actions/export": _data({"export_location": {
            "type": "mount_point", "path": "/tmp"}}),
        "POST /v1/bdbs/{uid}/actions/import": _data({"dataset_import_sources": [
            {"type": "mount_point", "path": "/tmp/x.rdb"}]}),
        "PUT /v1/bdbs/{uid}": ["--memory", "200MB"],
        "POST /v1/bdbs": ["--name", "cov-new", "--memory", "100MB"],
        "POST /v2/bdbs": _data({"bdb": {"name": "cov-new2", "memory_size": 100 * MB}}),
        "POST /v1/shards/{uid}/actions/migrate": ["--target-node", "1"],
        "POST /v1/shards/actions/migrate": ["--shard", o["shard"], "--target-node", "1"],
        "POST /v1/shards/actions/failover": ["--shard", o["shard"]],
    }


STDIN = {"POST /v1/users": f"Cov-{secrets.token_urlsafe(12)}\n",
         "POST /v1/bdbs/{uid}/passwords": f"Bdb-{secrets.token_urlsafe(12)}\n",
         "PUT /v1/bdbs/{uid}/passwords": f"Bdb-{secrets.token_urlsafe(12)}\n",
         "DELETE /v1/bdbs/{uid}/passwords": SECOND_PASSWORD + "\n"}
# Path values the sample logic would not pick.
PATH_VALUES = {
    "DELETE /v1/cluster/certificates/{certificate_name}": lambda o: ["sso_issuer"],
    "DELETE /v1/nodes/{uid}/snapshots/{snapshot_name}": lambda o: ["1", "cov-snap"],
    "DELETE /v2/local/modules/user-defined/artifacts/{module_name}/{version}":
        lambda o: ["cov-artifact", "1.0.0"],
    "DELETE /v2/modules/user-defined/{uid}": lambda o: [o["modules"]["cov-ud"]],
    "DELETE /v1/modules/{uid}": lambda o: [o["modules"]["cov-v1"]],
    "DELETE /v2/modules/{uid}": lambda o: [o["modules"]["cov-v2"]],
    "POST /v1/modules/config/bdb/{uid}": lambda o: [o["modbdb"]],
    "POST /v1/bdbs/{uid}/modules/config": lambda o: [o["modbdb"]],
    "POST /v1/modules/upgrade/bdb/{uid}": lambda o: [o["modbdb"]],
    "POST /v1/bdbs/{uid}/modules/upgrade": lambda o: [o["modbdb"]],
    "GET /v1/bdbs/crdt_sources/alerts/{uid}/{crdt_src_id}/{alert}":
        lambda o: [o["bdb"], "1", "bdb_crdt_src_high_syncer_lag"],
    "GET /v1/bdbs/replica_sources/alerts/{uid}/{replica_src_id}/{alert}":
        lambda o: [o["bdb"], "1", "bdb_replica_src_high_syncer_lag"],
    "GET /v1/bdbs/{uid}/syncer_state/crdt": lambda o: [o["crdt_bdb"]],
    "DELETE /v1/bdbs/{uid}/passwords": lambda o: [o["crdt_bdb"]],
    # The fixture's maintenance_on ran (and made the snapshot); turning maintenance off
    # again keeps that snapshot deletable.
    "POST /v1/nodes/{node_uid}/actions/{action}": lambda o: ["1", "maintenance_off"],
    "GET /v1/nodes/{node_uid}/actions/{action}": lambda o: ["1", "maintenance_on"],
    "DELETE /v1/nodes/{node_uid}/actions/{action}": lambda o: ["1", "maintenance_on"],
}
SAMPLE_PLAIN = {"alert": "bdb_size", "certificate_name": "syncer", "snapshot_name": "none",
                "role": "db_viewer", "name": "sandbox.local", "module_name": "none",
                "version": "1", "task_id": "00000000-0000-0000-0000-000000000000",
                "crdt_src_id": "1", "replica_src_id": "1"}
ALERTS = {"cluster": "cluster_certs_about_to_expire", "nodes": "node_aof_slow_disk_io"}


def _path_values(decl, objects: dict, specific: bool) -> list[str]:
    if _key(decl) in PATH_VALUES and specific:
        return PATH_VALUES[_key(decl)](objects)
    values = []
    for name, kind in decl.address_kinds():
        if name == "action":
            harmless = [a for a in decl.row.actions if not decl.is_destructive(a)]
            values.append((harmless or list(decl.row.actions) or ["none"])[0])
        elif name == "alert" and decl.group in ALERTS:
            values.append(ALERTS[decl.group])
        elif name == "task_id":
            values.append(objects.get("task", "none"))
        elif name == "uid" and decl.group == "actions":
            values.append(objects.get("action", "1"))
        elif kind in objects:
            values.append(objects[kind])
        elif kind == "node" or name == "uid" and decl.group in ("nodes", "proxies"):
            values.append("1")
        elif name == "uid" and decl.group == "shards":
            values.append(objects["shard"])
        else:
            values.append(SAMPLE_PLAIN.get(name, "1"))
    return values


def _argv(decl, objects: dict, args: dict, specific: bool = True) -> list[str]:
    """The command line for `decl`; `specific` picks the objects made for each request
    (a refusal needs only sample values)."""
    argv = [decl.group, decl.verb] + ([decl.row.option] if decl.row.option else [])
    argv += _path_values(decl, objects, specific)
    key = _key(decl)
    if key in args:
        argv += args[key]
    elif decl.takes_body and not decl.row.upload:
        argv += ["--data", "{}"]
    if decl.row.destructive:
        argv.append("--yes")
    if decl.waits:
        argv.append("--no-wait")
    if decl.row.show == "download":
        return argv + ["--output", "-"]  # -o names the file here, not the format
    return argv + ["-o", "json"]


def _run(box, home, role: str, argv: list[str], stdin: str | None):
    from conftest import Result, isolated_env

    env = {**isolated_env(home), **box.env(role)}
    done = subprocess.run([sys.executable, "-m", "re_cli", "-i", *argv], env=env, cwd=home,
                          input=(stdin or "").encode(), capture_output=True, timeout=120)
    return Result(done.returncode, done.stdout.decode(errors="replace"),
                  done.stderr.decode(errors="replace"), done.stdout)


def _lane(decl) -> str | None:
    """None for a read (it runs beside anything); else the lane it queues in."""
    if decl.method == "GET":
        return None
    if decl.group in ("bdbs", "shards") or any(k == "bdb" for _, k in decl.address_kinds()):
        return "bdb"
    return decl.group


def _phase(decl) -> int:
    """Harmless first; then what deletes parts of objects; the objects themselves last."""
    if decl.method == "DELETE" and decl.path.count("{") == 1 and decl.path.endswith("}"):
        return 4
    return {(False, False): 0, (False, True): 1, (True, False): 2,
            (True, True): 3}[(bool(decl.row.destructive), decl.method == "DELETE")]


def _run_all(decls, run_one, before_bdb_write=None) -> dict:
    """Every declaration's result, phase by phase; within a phase, lanes and reads run
    side by side on a few threads, each lane in order."""
    results = {}
    for phase in range(5):
        lanes: dict[str | None, list] = {}
        jobs = []
        for decl in decls:
            if _phase(decl) != phase:
                continue
            lane = _lane(decl)
            if lane is None:
                jobs.append([decl])
            else:
                lanes.setdefault(lane, []).append(decl)
        jobs += list(lanes.values())

        def work(job):
            for decl in job:
                if before_bdb_write and _lane(decl) == "bdb":
                    before_bdb_write()
                results[_key(decl)] = run_one(decl)

        with ThreadPoolExecutor(WORKERS) as pool:
            for future in [pool.submit(work, job) for job in
                           sorted(jobs, key=len, reverse=True)]:
                future.result()
    return results


@pytest.fixture(scope="module")
def permitted(sandbox, objects, slow, tmp_path_factory):
    home = tmp_path_factory.mktemp("coverage-home")
    args = _args(objects)
    slow_box, slow_objects = slow
    api = objects["api"]

    def run_one(decl):
        key = _key(decl)
        if key in SLOW:
            return _run(slow_box, home, "admin", _argv(decl, slow_objects, args), None)
        return _run(sandbox, home, "admin", _argv(decl, objects, args), STDIN.get(key))

    def settle():
        for uid in (objects["bdb"], objects["modbdb"], objects["crdt_bdb"]):
            api.settle_bdb(uid)

    return _run_all(DECLS, run_one, settle)


def _status(result) -> int | None:
    """The status of the last response `re -i` showed (lookups come before it)."""
    found = regex.findall(r"^HTTP/[\d.]+ (\d{3})", result.stderr, flags=regex.MULTILINE)
    return int(found[-1]) if found else None


@pytest.mark.parametrize("decl", RUN_ORDER, ids=_key)
def test_command_succeeds_for_a_permitted_role(permitted, decl):
    result = permitted[_key(decl)]

    assert result.code == 0, result.stderr
    documented = [s for s in decl.request["status_codes"] if 200 <= s < 300] or [200]
    assert _status(result) in documented, result.stderr
    body = result.stdout.strip()
    if body and decl.row.show == "json":
        json.loads(body)


def _lacking_role(permission: str | None) -> str | None:
    if not permission:
        return None
    held = catalog.role_permissions()
    return next((r for r in ROLES if permission not in held.get(r, [])), None)


LIMITED = [d for d in RUN_ORDER if _lacking_role(d.permission)]


@pytest.fixture(scope="module")
def refused(sandbox, objects, tmp_path_factory):
    """Every limited command as a role that lacks its permission; a refusal changes
    nothing, so all run side by side."""
    home = tmp_path_factory.mktemp("coverage-refused")
    numeric = {**objects, **{k: "1" for k in ("bdb", "user", "role", "redis_acl", "shard")}}
    args = _args(objects)

    def run_one(decl):
        return decl, _run(sandbox, home, _lacking_role(decl.permission),
                          _argv(decl, numeric, args, specific=False), STDIN.get(_key(decl)))

    with ThreadPoolExecutor(WORKERS) as pool:
        return {_key(d): r for d, r in pool.map(run_one, LIMITED)}


@pytest.mark.parametrize("decl", LIMITED, ids=_key)
def test_command_is_refused_for_a_role_lacking_the_permission(refused, decl):
    result = refused[_key(decl)]

    assert result.code == 4, (_lacking_role(decl.permission), result.stderr)
    assert "403" in result.stderr
