"""First-start state: the cluster, three nodes, the users the sandbox hands out, the
built-in roles and Redis ACLs, a license and the bundled modules.

Seeding happens once, on a new store; a restart only notes the port it listens on, so
every object (a deleted one too, and every changed password) stays as it was.
"""

import json
import os
import platform
from datetime import datetime, timedelta, timezone
from pathlib import Path

from re_cli.sandbox import auth
from re_cli.sandbox.common import defaults_for, now_iso

ROLES = ("admin", "db_viewer", "db_member", "cluster_viewer", "cluster_member", "user_manager")
EMAIL_DOMAIN = "sandbox.local"
CLUSTER_NAME = "sandbox.local"
SOFTWARE_VERSION = "7.22.0-95"
REDIS_VERSION = "7.4"
NODE_MEMORY = 16 * 1024**3
NODE_COUNT = 3

BUILTIN_ROLES = [
    ("Admin", "admin"), ("Cluster Member", "cluster_member"),
    ("Cluster Viewer", "cluster_viewer"), ("DB Member", "db_member"),
    ("DB Viewer", "db_viewer"), ("User Manager", "user_manager"), ("None", "none"),
]
BUILTIN_ACLS = [
    ("Full Access", "+@all ~* &*"),
    ("Read Only", "+@read ~* &*"),
    ("Not Dangerous", "+@all -@dangerous ~* &*"),
]
_CAPS = ["types", "failover_migrate", "persistence_aof", "persistence_rdb", "clustering",
         "backup_restore", "reshard_rebalance", "eviction_expiry", "intershard_tls", "ipv6"]
MODULES = [
    ("search", "RediSearch", "Search and query", "2.10.5", 21005, ["crdb", *_CAPS]),
    ("ReJSON", "RedisJSON", "JSON data type", "2.8.4", 20804, ["crdb", *_CAPS]),
    ("timeseries", "RedisTimeSeries", "Time series data type", "1.12.2", 11202, _CAPS),
    ("bf", "RedisBloom", "Probabilistic data structures", "2.8.2", 20802, ["crdb", *_CAPS]),
]


def email_for(role: str) -> str:
    return f"{role}@{EMAIL_DOMAIN}"


def seed(store, data_dir: Path, port: int) -> dict[str, dict] | None:
    """Seed a new store; on later starts only note the port. Returns the new users'
    credentials on first start, None after."""
    with store.transaction() as tx:
        _cluster(tx, port)
        if tx.get("sandbox_meta", "seeded") is not None:
            return None
        tx.put("sandbox_meta", "seeded", {"time": now_iso()})
        _policy(tx)
        for uid in range(1, NODE_COUNT + 1):
            if tx.get("node", uid) is None:
                tx.put("node", uid, _node(uid))
        for uid, (name, management) in enumerate(BUILTIN_ROLES, start=1):
            if tx.get("role", uid) is None and not _named(tx, "role", name):
                tx.put("role", uid, {"uid": uid, "name": name, "management": management})
        for uid, (name, acl) in enumerate(BUILTIN_ACLS, start=1):
            if tx.get("redis_acl", uid) is None and not _named(tx, "redis_acl", name):
                tx.put("redis_acl", uid, {"uid": uid, "name": name, "acl": acl})
        if tx.get("license", "1") is None:
            tx.put("license", "1", _license())
        for module in MODULES:
            uid = _module_uid(module[0], module[3])
            if tx.get("module", uid) is None:
                tx.put("module", uid, _module(uid, *module))
        created = _users(tx)

    if created:
        _write_credentials(data_dir, created)
    return created or None


def _named(tx, kind: str, name: str) -> bool:
    return any(obj.get("name") == name for obj in tx.list(kind))


def _cluster(tx, port: int) -> None:
    cluster = tx.get("cluster", "1")
    if cluster is None:
        cluster = defaults_for("cluster")
        alerts = defaults_for("cluster.alert_settings")
        for name in ("cluster_certs_about_to_expire", "cluster_license_about_to_expire"):
            alerts[name] = {"enabled": True, "threshold": "45"}
        alerts["cluster_users_count_approaches_limit"] = {"enabled": False, "threshold": "90"}
        for name in ("node_cpu_utilization", "node_ephemeral_storage", "node_free_flash",
                     "node_memory", "node_persistent_storage"):
            alerts[name] = {"enabled": True, "threshold": "80"}
        alerts["node_net_throughput"] = {"enabled": False, "threshold": "100000000"}
        alerts["node_internal_certs_about_to_expire"] = {"enabled": True, "threshold": "45"}
        alerts["node_failed"] = True
        alerts["cluster_multiple_nodes_down"] = True
        cluster.update(
            name=CLUSTER_NAME,
            created_time=now_iso(),
            alert_settings=alerts,
            logrotate_settings=defaults_for("cluster.logrotate_settings"),
            rack_aware=False,
            cm_port=8443,
            cnm_http_port=8080,
            crdt_supported_featureset_version=8,
            crdt_supported_protocol_versions=["1.0.0", "1.1.0"],
            debuginfo_path="/tmp",
            min_control_TLS_version="1.2",
            min_data_TLS_version="1.2",
            min_sentinel_TLS_version="1.2",
            sentinel_tls_mode="disabled",
            smtp_tls_mode="none",
            reserved_ports=[],
        )
    cluster["cnm_https_port"] = port
    tx.put("cluster", "1", cluster)


def _policy(tx) -> None:
    if tx.get("cluster_policy", "1") is not None:
        return
    policy = defaults_for("cluster_settings")
    policy.update(
        default_non_sharded_proxy_policy="single",
        default_sharded_proxy_policy="all-master-shards",
        default_shards_placement="dense",
        default_provisioned_redis_version=REDIS_VERSION,
        failure_detection_sensitivity="high",
        rack_aware=False,
        shards_overbooking=False,
        slave_ha=False,
        slave_ha_grace_period=600,
        slave_ha_cooldown_period=3600,
        slave_ha_bdb_cooldown_period=7200,
        show_internals=False,
        persistent_node_removal=False,
    )
    tx.put("cluster_policy", "1", policy)


def _node(uid: int) -> dict:
    node = defaults_for("node")
    node.update(
        uid=uid,
        addr=f"127.0.0.{uid}",
        external_addr=[f"127.0.0.{uid}"],
        architecture=platform.machine() or "x86_64",
        bigredis_storage_path="/var/opt/redislabs/flash",
        bigstore_enabled=False,
        bigstore_size=0,
        cores=4,
        ephemeral_storage_path="/var/opt/redislabs/tmp",
        ephemeral_storage_size=64 * 1024**3,
        persistent_storage_path="/var/opt/redislabs/persist",
        persistent_storage_size=128 * 1024**3,
        max_listeners=100,
        max_redis_servers=100,
        os_family="ubuntu",
        os_name="ubuntu",
        os_semantic_version="22.04.4",
        os_version="Ubuntu 22.04.4 LTS",
        rack_id="",
        recovery_path="/var/opt/redislabs/recovery",
        shard_count=0,
        shard_list=[],
        software_version=SOFTWARE_VERSION,
        status="active",
        supported_database_versions=[{"db_type": "redis", "version": "7.2"},
                                     {"db_type": "redis", "version": REDIS_VERSION}],
        total_memory=NODE_MEMORY,
        _started=datetime.now(timezone.utc).timestamp(),
    )
    return node


def _license() -> dict:
    now = datetime.now(timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "license": "----- LICENSE START -----\nsandbox trial license\n----- LICENSE END -----\n",
        "expired": False,
        "activation_date": now.strftime(fmt),
        "expiration_date": (now + timedelta(days=30)).strftime(fmt),
        "shards_limit": 4,
        "ram_shards_limit": 4,
        "ram_shards_in_use": 0,
        "flash_shards_limit": 0,
        "flash_shards_in_use": 0,
        "features": [],
        "owner": "Redis sandbox",
        "cluster_name": CLUSTER_NAME,
    }


def _module_uid(name: str, version: str) -> str:
    import hashlib

    return hashlib.sha1(f"{name}-{version}".encode()).hexdigest()[:32]


def _module(uid, name, display, description, semver, version, capabilities) -> dict:
    module = defaults_for("module")
    module.update(
        uid=uid, module_name=name, display_name=display, description=description,
        semantic_version=semver, version=version, capabilities=capabilities,
        author="Redis", email="redis@redis.com", homepage="https://redis.io/",
        license="Redis Source Available License", is_bundled=True,
        min_redis_version="7.4", compatible_redis_version="7.4",
        module_file=f"{name.lower()}.Linux-ubuntu22.04-x86_64.{semver}.zip",
        command_line_args="", config_command="" if name != "search" else "FT.CONFIG SET",
        dependencies={}, crdb={}, sha256=uid * 2,
    )
    return module


def _users(tx) -> dict[str, dict]:
    created = {}
    for role in ROLES:
        email = email_for(role)
        if auth.find_user_by_email(tx, email) is not None:
            continue
        password = auth.new_password()
        uid = tx.next_uid("user")
        user = defaults_for("user")
        user.update(
            uid=uid, email=email, name=role.replace("_", " ").title(), role=role,
            role_uids=[], status="active", auth_method="regular",
            password_issue_date=now_iso(), email_alerts=False,
            bdbs_email_alerts=[], cluster_email_alerts=False,
            _password_hashes=[auth.hash_password(password)],
        )
        tx.put("user", uid, user)
        created[role] = {"user": email, "password": password}
    return created


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _write_credentials(data_dir: Path, created: dict[str, dict]) -> None:
    """credentials.json (role -> user, password) and passwords/<role>, all mode 0600."""
    path = data_dir / "credentials.json"
    known = {}
    if path.exists():
        known = json.loads(path.read_text())
    known.update(created)
    _write_private(path, json.dumps(known, indent=2) + "\n")
    folder = data_dir / "passwords"
    folder.mkdir(mode=0o700, exist_ok=True)
    for role, cred in created.items():
        _write_private(folder / role, cred["password"])
