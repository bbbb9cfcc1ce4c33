"""Every request of the catalog is reachable through exactly one typed command, and
each command works against the sandbox: as a role holding the permission (success,
JSON that parses) and, where a permission is documented, as a role lacking it (403,
exit 4). Requests the sandbox does not answer yet (501) are expected failures, each
named, so the count stays visible."""

import json

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

@pytest.fixture(scope="module")
def objects(sandbox, tmp_path_factory):
    """Objects the commands can address, made through `re` itself."""
    import subprocess
    import sys

    from conftest import isolated_env

    home = tmp_path_factory.mktemp("coverage-home")

    def re(*args, stdin=None):
        env = isolated_env(home)
        env.update(sandbox.env("admin"))
        done = subprocess.run([sys.executable, "-m", "re_cli", *args, "-o", "json"],
                              env=env, capture_output=True, text=True, input=stdin,
                              timeout=120)
        assert done.returncode == 0, (args, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else None

    bdb = re("api", "POST", "/v1/bdbs", "-d",
             json.dumps({"name": "coverage-db", "memory_size": 100 * 1024**2}))
    user = re("users", "create", "--email", "cov@example.com", "--name", "cov",
              "--role", "db_viewer", "--password-stdin", stdin="Cov-Pass-123\n")
    role = re("roles", "create", "--name", "cov-role", "--management", "db_viewer")
    acl = re("redis-acls", "create", "--name", "cov-acl", "--acl", "+@read ~*")
    mapping = re("ldap-mappings", "create", "--name", "cov-map", "--dn", "cn=cov,dc=x",
                 "--role-uid", str(role["uid"]))
    crdb = re("crdbs", "create", "--data", json.dumps(CRDB))
    modules = re("modules", "list")
    shards = re("shards", "list")
    crdbs = re("crdbs", "list")
    tasks = re("crdb-tasks", "list")
    return {
        "bdb": str(bdb["uid"]), "user": str(user["uid"]), "role": str(role["uid"]),
        "redis_acl": str(acl["uid"]), "module": str(modules[0]["uid"]),
        "ldap_mapping": str(mapping["uid"]), "action": bdb["action_uid"],
        "crdb": crdbs[0]["guid"] if crdbs else "none",
        "task": (crdb or {}).get("id") or (tasks[0]["id"] if tasks else "none"),
        "shard": str(next(s["uid"] for s in shards if s["bdb_uid"] == bdb["uid"])),
    }


CRDB = {"name": "cov-crdb", "default_db_config": {"name": "cov-crdb",
                                                   "memory_size": 100 * 1024**2},
        "instances": [{"cluster": {"url": "https://127.0.0.1:9443", "name": "sandbox.local",
                                   "credentials": {"username": "a", "password": "b"}}}]}
# Bodies and arguments the sandbox needs where `--data '{}'` or sample values will not do.
ARGS = {
    "PATCH /v1/cluster/change_password_hashing_algorithm": ["--data", '{"algorithm": "SHA-256"}'],
    "PUT /v1/cm_settings": ["--data", '{"timezone": "UTC"}'],
    "PUT /v1/metrics_config": ["--data", '{"expose_db_tags": true}'],
    "PUT /v1/job_scheduler": ["--data", '{"backup_job_settings": {"enabled": true}}'],
    "POST /v1/ldap_mappings": ["--name", "cov-map2", "--dn", "cn=c2,dc=x", "--role-uid", "1"],
    "POST /v1/redis_acls": ["--name", "cov-acl2", "--acl", "+@read ~*"],
    "POST /v1/redis_acls/validate": ["--name", "cov-acl3", "--acl", "+@read ~*"],
    "POST /v1/roles": ["--name", "cov-role2", "--management", "db_viewer"],
    "POST /v1/local/services": ["--operation", "restart", "--service", "mdns_server"],
    "POST /v1/services": ["--operation", "restart", "--service", "mdns_server"],
    "POST /v1/crdbs": ["--data", json.dumps({**CRDB, "name": "cov-crdb2"})],
    "POST /v1/cluster/actions/{action}": ["--data", '{"node_uid": "1"}'],
    "PUT /v1/crdbs/{crdb_guid}/purge": ["--data", '{"instances": [1]}'],
}
STDIN = {"POST /v1/users": "Cov-Pass-456\n"}
ARGS["POST /v1/users"] = ["--email", "cov2@example.com", "--name", "cov2", "--role",
                          "db_viewer", "--password-stdin"]
# Requests whose success needs cluster state these tests do not make (named, so the
# count stays visible): a second node, installed certificates, a running action.
NEEDS_STATE = {
    "PUT /v1/cluster/certificates": "a certificate and key to install",
    "PUT /v1/cluster/update_cert": "a certificate and key to install",
    "POST /v1/cluster/sso/saml/metadata/idp": "an identity provider's SAML metadata",
    "GET /v1/cluster/sso/saml/metadata/sp": "an installed sso_service certificate",
    "PUT /v1/license": "a license the sandbox accepts",
    "POST /v1/bootstrap/{action}": "a node that is not yet in a cluster",
    "DELETE /v1/cluster/certificates/{certificate_name}": "a certificate that may be removed",
    "DELETE /v1/nodes/{uid}/snapshots/{snapshot_name}": "a node snapshot",
    "DELETE /v2/local/modules/user-defined/artifacts/{module_name}/{version}":
        "an uploaded module artifact",
    "DELETE /v2/modules/user-defined/{uid}": "a user-defined module",
    "GET /v1/cluster/actions/{action}": "a cluster action that has run",
    "DELETE /v1/cluster/actions/{action}": "a running cluster action",
    "GET /v1/nodes/{node_uid}/actions/{action}": "a node action that has run",
    "DELETE /v1/nodes/{node_uid}/actions/{action}": "a running node action",
    "POST /v1/users/password": "a user whose old password the test knows",
    "PUT /v1/users/password": "a user whose old password the test knows",
    "DELETE /v1/users/password": "a user with a second password",
    "DELETE /v2/modules/{uid}": "a module that may be removed",
    "DELETE /v1/modules/{uid}": "a module that may be removed",
}

SAMPLE_PLAIN = {"alert": "bdb_size", "certificate_name": "syncer", "snapshot_name": "none",
                "role": "db_viewer", "name": "sandbox.local", "module_name": "none",
                "version": "1", "task_id": "00000000-0000-0000-0000-000000000000",
                "crdt_src_id": "1", "replica_src_id": "1"}


ALERTS = {"cluster": "cluster_certs_about_to_expire", "nodes": "node_aof_slow_disk_io"}


def _argv(decl, objects: dict) -> list[str]:
    args = [decl.group, decl.verb] + ([decl.row.option] if decl.row.option else [])
    for name, kind in decl.address_kinds():
        if name == "action":
            harmless = [a for a in decl.row.actions if not decl.is_destructive(a)]
            args.append((harmless or list(decl.row.actions) or ["none"])[0])
        elif name == "alert" and decl.group in ALERTS:
            args.append(ALERTS[decl.group])
        elif name == "task_id":
            args.append(objects.get("task", "none"))
        elif name == "uid" and decl.group == "actions":
            args.append(objects.get("action", "1"))
        elif kind in objects:
            args.append(objects[kind])
        elif kind == "node" or name == "uid" and decl.group in ("nodes", "proxies"):
            args.append("1")
        elif name == "uid" and decl.group == "shards":
            args.append(objects["shard"])
        else:
            args.append(SAMPLE_PLAIN.get(name, "1"))
    key = f"{decl.method} {decl.path}"
    if key in ARGS:
        args += ARGS[key]
    elif decl.takes_body:
        args += ["--data", "{}"]
    if decl.row.destructive:
        args.append("--yes")
    if decl.waits:
        args.append("--no-wait")
    if decl.row.show == "download":
        args += ["--output", "-"]
    return args + ["-o", "json"]


def _expect_answered(decl, result) -> None:
    if result.code != 0 and " 501 " in f" {result.stderr} ":
        pytest.xfail(f"the sandbox does not answer {decl.method} {decl.path} yet (501)")


@pytest.mark.parametrize("decl", RUN_ORDER, ids=_key)
def test_command_succeeds_for_a_permitted_role(sandbox, re_run, objects, decl):
    if _key(decl) in NEEDS_STATE:
        pytest.xfail(f"{_key(decl)} needs {NEEDS_STATE[_key(decl)]}")
    result = re_run(*_argv(decl, objects), env=sandbox.env("admin"),
                    input=STDIN.get(_key(decl)))

    _expect_answered(decl, result)
    assert result.code == 0, result.stderr
    body = result.stdout.strip()
    if body and decl.row.show == "json":
        json.loads(body)


def _lacking_role(permission: str | None) -> str | None:
    if not permission:
        return None
    held = catalog.role_permissions()
    return next((r for r in ROLES if permission not in held.get(r, [])), None)


LIMITED = [d for d in RUN_ORDER if _lacking_role(d.permission)]


@pytest.mark.parametrize("decl", LIMITED, ids=_key)
def test_command_is_refused_for_a_role_lacking_the_permission(sandbox, re_run, objects,
                                                              decl):
    numeric = {**objects, **{k: "1" for k in ("bdb", "user", "role", "redis_acl", "shard")}}
    role = _lacking_role(decl.permission)
    result = re_run(*_argv(decl, numeric), env=sandbox.env(role), input=STDIN.get(_key(decl)))

    _expect_answered(decl, result)
    assert result.code == 4, (role, result.stderr)
    assert "403" in result.stderr
