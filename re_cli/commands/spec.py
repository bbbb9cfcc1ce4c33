"""Every typed command, declared once: which request it sends and how people call it.

The catalog (re_cli/catalog/requests.json) holds the facts of each request: method,
path, permission, query parameters, whether it takes a body, deprecation, statuses.
This table holds only what the command line adds: the group and verb, the body flags,
whether the command is destructive, how the response is shown, and examples where
the generated one would not do. typed.py joins the two; help, man pages, completion
and the coverage test all read the result.

Naming scheme, the same in every group:
  re GROUP VERB [OBJECT] [ITEM...]
  - GROUP is the catalog's object family with dashes (`redis-acls`, `crdb-tasks`).
  - The family's own objects: `list`, `get`, `create`, `update`, `delete`,
    `stats` (one object) and `stats-all` (every object), `stats-last[-all]`.
  - A sub-resource of an object is a noun verb: reading it is the bare noun
    (`re bdbs certificates DB`), every object's at once is `NOUN-all`, one item of it
    `NOUN-one`, and changing it is `NOUN-VERB` (`re bdbs passwords-add DB`).
  - Actions keep their API names with dashes (`re bdbs export`, `re shards migrate`).
  - A request whose path ends in `{action}` is one command taking the action as an
    argument (`re nodes action-start NODE maintenance-on`); the group also answers to
    the action's own name as a shorthand (`re nodes maintenance-on NODE`).
"""

from dataclasses import dataclass, field

# Body flags: (flag, body field, kind, help). Kinds: str, int, memory, bool, list,
# modules (a list of module names), secret (one line read from stdin).
BDB_FLAGS = (
    ("--name", "name", "str", "Database name."),
    ("--memory", "memory_size", "memory", "Memory limit, with units (1GB, 512MB) or bytes."),
    ("--port", "port", "int", "TCP port of the database endpoint."),
    ("--shards", "shards_count", "int", "Number of primary shards."),
    ("--replication", "replication", "bool", "Keep a replica of every shard."),
    ("--type", "type", "str", "redis or memcached."),
    ("--module", "module_list", "modules", "Load this module (repeat for several)."),
    ("--password-stdin", "authentication_redis_pass", "secret",
     "Read the default user's password from stdin."),
)
USER_FLAGS = (
    ("--email", "email", "str", "The user's email address."),
    ("--name", "name", "str", "The user's name."),
    ("--role", "role", "str", "Management role: admin, db_viewer, cluster_member, ..."),
    ("--password-stdin", "password", "secret", "Read the password from stdin."),
)
ROLE_FLAGS = (
    ("--name", "name", "str", "Role name."),
    ("--management", "management", "str", "Management role: admin, db_viewer, none, ..."),
)
ACL_FLAGS = (
    ("--name", "name", "str", "ACL name."),
    ("--acl", "acl", "str", "The Redis ACL rule, such as '+@read ~*'."),
)
LDAP_MAPPING_FLAGS = (
    ("--name", "name", "str", "Mapping name."),
    ("--dn", "dn", "str", "The LDAP group's distinguished name."),
    ("--email", "email", "str", "Where alerts for this mapping go."),
    ("--role-uid", "role_uids", "intlist", "Role uid granted to the group (repeatable)."),
)
PASSWORD_FLAGS = (("--password-stdin", "password", "secret", "Read the password from stdin."),)
SERVICE_FLAGS = (
    ("--operation", "operation_type", "str", "start, stop or restart."),
    ("--service", "services", "list", "Service name (repeat for several)."),
)
NAME_FLAGS = (("--name", "name", "str", "Name."),)
# The cluster's name is read-only after bootstrap, so `cluster update` has no --name.
CLUSTER_FLAGS = (
    ("--email-alerts", "email_alerts", "bool", "Send alerts by email."),
    ("--rack-aware", "rack_aware", "bool", "Place replicas on other racks."),
)
MIGRATE_FLAGS = (("--target-node", "target_node_uid", "int", "Move to this node uid."),)
SHARDS_FLAGS = (("--shard", "shard_uids", "list", "Shard uid (repeat for several)."),)
TTL_FLAGS = (("--ttl", "ttl", "int", "Token lifetime in seconds."),)
USER_AUTH_FLAGS = (
    ("--username", "username", "str", "User name or email."),
    ("--password-stdin", "password", "secret", "Read the password from stdin."),
)


@dataclass(frozen=True)
class Row:
    key: str  # "METHOD /path", as in the catalog
    group: str
    verb: str
    flags: tuple = ()
    destructive: bool | tuple = False  # True, or the {action} values that destroy
    show: str = "json"  # json | stats | download | text | ndjson
    kind: str | None = None  # object type for tables (bdb, node, user, ...)
    actions: tuple = ()  # known values of an {action} path parameter
    examples: tuple = ()
    # The flag that picks this request on a command another row shares (`--v2`).
    option: str | None = None
    upload: str | None = None  # the multipart field that --module-file fills
    extra: dict = field(default_factory=dict)


def _rows() -> list[Row]:
    R = Row
    return [
        # actions
        # `list` and `get` are written by hand in actions.py: one command each for the
        # v1 and v2 requests, the flag picking the other one.
        R("GET /v1/actions", "actions", "list", kind="action"),
        R("GET /v2/actions", "actions", "list", kind="action", option="--v2"),
        R("GET /v2/actions/{uid}", "actions", "get", kind="action"),
        R("GET /v1/actions/{uid}", "actions", "get", kind="action", option="--v1"),
        R("GET /v1/actions/bdb/{bdb_uid}", "actions", "bdb", kind="action"),
        # bdbs: the family's own objects
        R("GET /v1/bdbs", "bdbs", "list", kind="bdb",
          examples=("re bdbs list", "re bdbs list --fields uid,name -o json")),
        R("GET /v1/bdbs/{uid}", "bdbs", "get", kind="bdb",
          examples=("re bdbs get 1", "re bdbs get cache --fields uid,name,status")),
        R("POST /v1/bdbs", "bdbs", "create", BDB_FLAGS, kind="bdb",
          examples=("re bdbs create --name cache --memory 1GB",
                    "re bdbs create --name cache --memory 1GB --dry-run",
                    "echo secret | re bdbs create --name s --memory 100MB --password-stdin")),
        R("POST /v2/bdbs", "bdbs", "create-v2", kind="bdb",
          examples=("re bdbs create-v2 --data '{\"bdb\": {\"name\": \"c2\", "
                    "\"memory_size\": 1073741824}}'",)),
        R("PUT /v1/bdbs/{uid}", "bdbs", "update", BDB_FLAGS, kind="bdb",
          examples=("re bdbs update cache --memory 2GB",
                    "re bdbs update cache --memory 2GB --dry-run")),
        R("DELETE /v1/bdbs/{uid}", "bdbs", "delete", destructive=True,
          examples=("re bdbs delete cache --yes",)),
        R("PUT /v1/bdbs/{uid}/{action}", "bdbs", "action", destructive=("flush",),
          actions=("flush", "reset_admin_pass"),
          examples=("re bdbs action cache flush --yes", "re bdbs flush cache --yes")),
        R("GET /v1/bdbs/stats", "bdbs", "stats-all", show="stats"),
        R("GET /v1/bdbs/stats/{uid}", "bdbs", "stats", show="stats"),
        R("GET /v1/bdbs/stats/last", "bdbs", "stats-last-all", show="stats"),
        R("GET /v1/bdbs/stats/last/{uid}", "bdbs", "stats-last", show="stats"),
        R("GET /v4/db/{uid}/health", "bdbs", "health"),
        R("GET /v1/bdbs/{uid}/availability", "bdbs", "availability"),
        R("GET /v1/local/bdbs/{uid}/endpoint/availability", "bdbs", "availability-local"),
        R("GET /v1/bdbs/{bdb_uid}/shards", "bdbs", "shards", kind="shard"),
        # bdbs: actions
        R("POST /v1/bdbs/{uid}/actions/export", "bdbs", "export",
          examples=("re bdbs export 1 --data '{\"export_location\": {\"type\": "
                    "\"mount_point\", \"path\": \"/tmp\"}}'",)),
        R("POST /v1/bdbs/{uid}/actions/import", "bdbs", "import", destructive=True,
          examples=("re bdbs import 1 --yes --data '{\"dataset_import_sources\": "
                    "[{\"type\": \"mount_point\", \"path\": \"/tmp/x.rdb\"}]}'",)),
        R("PUT /v1/bdbs/{uid}/actions/backup_reset_status", "bdbs", "backup-reset-status"),
        R("PUT /v1/bdbs/{uid}/actions/export_reset_status", "bdbs", "export-reset-status"),
        R("PUT /v1/bdbs/{uid}/actions/import_reset_status", "bdbs", "import-reset-status"),
        R("GET /v1/bdbs/{uid}/actions/optimize_shards_placement", "bdbs",
          "optimize-shards-placement"),
        R("PUT /v1/bdbs/{uid}/actions/rebalance", "bdbs", "rebalance"),
        R("PUT /v1/bdbs/{uid}/actions/revamp", "bdbs", "revamp"),
        R("GET /v1/bdbs/{uid}/actions/recover", "bdbs", "recover-plan"),
        R("POST /v1/bdbs/{uid}/actions/recover", "bdbs", "recover"),
        R("POST /v1/bdbs/{uid}/actions/stop_traffic", "bdbs", "stop-traffic"),
        R("POST /v1/bdbs/{uid}/actions/resume_traffic", "bdbs", "resume-traffic"),
        R("POST /v1/bdbs/{uid}/upgrade", "bdbs", "upgrade"),
        # bdbs: sub-resources
        R("GET /v1/bdbs/alerts", "bdbs", "alerts-all"),
        R("GET /v1/bdbs/alerts/{uid}", "bdbs", "alerts"),
        R("GET /v1/bdbs/alerts/{uid}/{alert}", "bdbs", "alerts-one"),
        R("POST /v1/bdbs/alerts/{uid}", "bdbs", "alerts-update"),
        R("GET /v1/bdbs/crdt_sources/alerts", "bdbs", "crdt-sources-alerts-all"),
        R("GET /v1/bdbs/crdt_sources/alerts/{uid}", "bdbs", "crdt-sources-alerts"),
        R("GET /v1/bdbs/crdt_sources/alerts/{uid}/{crdt_src_id}", "bdbs",
          "crdt-sources-alerts-source"),
        R("GET /v1/bdbs/crdt_sources/alerts/{uid}/{crdt_src_id}/{alert}", "bdbs",
          "crdt-sources-alerts-one"),
        R("GET /v1/bdbs/replica_sources/alerts", "bdbs", "replica-sources-alerts-all"),
        R("GET /v1/bdbs/replica_sources/alerts/{uid}", "bdbs", "replica-sources-alerts"),
        R("GET /v1/bdbs/replica_sources/alerts/{uid}/{replica_src_id}", "bdbs",
          "replica-sources-alerts-source"),
        R("GET /v1/bdbs/replica_sources/alerts/{uid}/{replica_src_id}/{alert}", "bdbs",
          "replica-sources-alerts-one"),
        R("GET /v1/bdbs/certificates", "bdbs", "certificates-all"),
        R("GET /v1/bdbs/{uid}/certificates", "bdbs", "certificates"),
        R("POST /v1/bdbs/{uid}/certificates", "bdbs", "certificates-update"),
        R("DELETE /v1/bdbs/{uid}/certificates", "bdbs", "certificates-delete",
          destructive=True),
        R("GET /v1/bdbs/debuginfo", "bdbs", "debuginfo-all", show="download"),
        R("GET /v1/bdbs/{bdb_uid}/debuginfo", "bdbs", "debuginfo", show="download"),
        R("GET /v1/bdbs/{bdb_uid}/peer_stats", "bdbs", "peer-stats", show="stats"),
        R("GET /v1/bdbs/{bdb_uid}/peer_stats/{uid}", "bdbs", "peer-stats-one", show="stats"),
        R("GET /v1/bdbs/{bdb_uid}/sync_source_stats", "bdbs", "sync-source-stats",
          show="stats"),
        R("GET /v1/bdbs/{bdb_uid}/sync_source_stats/{uid}", "bdbs", "sync-source-stats-one",
          show="stats"),
        R("POST /v1/bdbs/{uid}/modules/config", "bdbs", "modules-config"),
        R("POST /v1/bdbs/{uid}/modules/upgrade", "bdbs", "modules-upgrade"),
        R("POST /v1/bdbs/{uid}/passwords", "bdbs", "passwords-add", PASSWORD_FLAGS,
          examples=("echo s3cret | re bdbs passwords-add cache --password-stdin",)),
        R("PUT /v1/bdbs/{uid}/passwords", "bdbs", "passwords-update", PASSWORD_FLAGS,
          examples=("echo s3cret | re bdbs passwords-update cache --password-stdin",)),
        R("DELETE /v1/bdbs/{uid}/passwords", "bdbs", "passwords-delete", PASSWORD_FLAGS,
          destructive=True,
          examples=("echo s3cret | re bdbs passwords-delete cache --password-stdin --yes",)),
        R("GET /v1/bdbs/{uid}/syncer_state", "bdbs", "syncer-state"),
        R("GET /v1/bdbs/{uid}/syncer_state/crdt", "bdbs", "syncer-state-crdt"),
        R("GET /v1/bdbs/{uid}/syncer_state/replica", "bdbs", "syncer-state-replica"),
        # bootstrap
        R("GET /v1/bootstrap", "bootstrap", "get"),
        R("POST /v1/bootstrap/{action}", "bootstrap", "start", destructive=True,
          actions=("create_cluster", "join_cluster", "recover_cluster"),
          examples=("re bootstrap start create-cluster --yes --data @bootstrap.json",)),
        R("POST /v1/bootstrap/validate/{action}", "bootstrap", "validate",
          actions=("create_cluster", "join_cluster", "recover_cluster"),
          examples=("re bootstrap validate join-cluster --data @bootstrap.json",)),
        # cluster
        R("GET /v1/cluster", "cluster", "get", kind="cluster"),
        R("PUT /v1/cluster", "cluster", "update", CLUSTER_FLAGS, kind="cluster",
          examples=("re cluster update --email-alerts --dry-run",)),
        R("GET /v4/cluster/health", "cluster", "health"),
        R("GET /v1/cluster/stats", "cluster", "stats", show="stats"),
        R("GET /v1/cluster/stats/last", "cluster", "stats-last", show="stats"),
        R("GET /v1/cluster/actions", "cluster", "actions"),
        R("GET /v1/cluster/actions/{action}", "cluster", "action",
          actions=("change_master",)),
        R("POST /v1/cluster/actions/{action}", "cluster", "action-start",
          actions=("change_master",),
          examples=("re cluster action-start change-master --data '{\"node_uid\": \"1\"}'",)),
        R("DELETE /v1/cluster/actions/{action}", "cluster", "action-cancel",
          actions=("change_master",)),
        R("GET /v1/cluster/alerts", "cluster", "alerts"),
        R("GET /v1/cluster/alerts/{alert}", "cluster", "alerts-one"),
        R("GET /v1/cluster/auditing/db_conns", "cluster", "auditing"),
        R("PUT /v1/cluster/auditing/db_conns", "cluster", "auditing-update"),
        R("DELETE /v1/cluster/auditing/db_conns", "cluster", "auditing-delete"),
        R("GET /v1/cluster/certificates", "cluster", "certificates"),
        R("PUT /v1/cluster/certificates", "cluster", "certificates-update"),
        R("POST /v1/cluster/certificates/rotate", "cluster", "certificates-rotate"),
        R("DELETE /v1/cluster/certificates/{certificate_name}", "cluster",
          "certificates-delete", destructive=True),
        R("PUT /v1/cluster/update_cert", "cluster", "certificates-update-v1"),
        R("PATCH /v1/cluster/change_password_hashing_algorithm", "cluster",
          "change-password-hashing-algorithm",
          examples=("re cluster change-password-hashing-algorithm "
                    "--data '{\"algorithm\": \"PBKDF2\"}'",)),
        R("GET /v1/cluster/check", "cluster", "check"),
        R("GET /v1/cluster/debuginfo", "cluster", "debuginfo", show="download"),
        R("GET /v1/cluster/ldap", "cluster", "ldap"),
        R("PUT /v1/cluster/ldap", "cluster", "ldap-update"),
        R("DELETE /v1/cluster/ldap", "cluster", "ldap-delete", destructive=True),
        R("GET /v1/cluster/module-capabilities", "cluster", "module-capabilities"),
        R("GET /v1/cluster/policy", "cluster", "policy"),
        R("PUT /v1/cluster/policy", "cluster", "policy-update"),
        R("GET /v1/cluster/services_configuration", "cluster", "services-configuration"),
        R("PUT /v1/cluster/services_configuration", "cluster",
          "services-configuration-update"),
        R("GET /v1/cluster/sso", "cluster", "sso"),
        R("PUT /v1/cluster/sso", "cluster", "sso-update"),
        R("DELETE /v1/cluster/sso", "cluster", "sso-delete", destructive=True),
        R("POST /v1/cluster/sso/saml/metadata/idp", "cluster", "sso-idp-metadata-upload"),
        R("GET /v1/cluster/sso/saml/metadata/sp", "cluster", "sso-sp-metadata", show="text"),
        # small singletons
        R("GET /v1/cm_settings", "cm-settings", "get"),
        R("PUT /v1/cm_settings", "cm-settings", "update"),
        R("GET /v1/diagnostics", "diagnostics", "get"),
        R("PUT /v1/diagnostics", "diagnostics", "update"),
        R("GET /v1/job_scheduler", "job-scheduler", "get"),
        R("PUT /v1/job_scheduler", "job-scheduler", "update"),
        R("GET /v1/metrics_config", "metrics-config", "get"),
        R("PUT /v1/metrics_config", "metrics-config", "update"),
        R("GET /v1/license", "license", "get"),
        R("PUT /v1/license", "license", "update",
          examples=("re license update --data @license.json",)),
        R("GET /v1/ocsp", "ocsp", "get"),
        R("PUT /v1/ocsp", "ocsp", "update"),
        R("GET /v1/ocsp/status", "ocsp", "status"),
        R("POST /v1/ocsp/test", "ocsp", "test"),
        R("GET /v1/jsonschema", "jsonschema", "get",
          examples=("re jsonschema get --object bdb",)),
        R("GET /v1/logs", "logs", "list", examples=("re logs list --limit 10 --order desc",)),
        R("GET /v1/migrations/{uid}", "migrations", "get"),
        R("GET /v1/usage_report", "usage-report", "get", show="ndjson"),
        R("GET /v1/endpoints/stats", "endpoints", "stats", show="stats"),
        R("GET /v1/suffixes", "suffixes", "list"),
        R("GET /v1/suffix/{name}", "suffixes", "get"),
        # crdb tasks and crdbs
        R("GET /v1/crdb_tasks", "crdb-tasks", "list"),
        R("GET /v1/crdb_tasks/{task_id}", "crdb-tasks", "get"),
        R("POST /v1/crdb_tasks/{task_id}/actions/cancel", "crdb-tasks", "cancel"),
        R("GET /v1/crdbs", "crdbs", "list"),
        R("POST /v1/crdbs", "crdbs", "create", NAME_FLAGS),
        R("GET /v1/crdbs/{crdb_guid}", "crdbs", "get"),
        R("PATCH /v1/crdbs/{crdb_guid}", "crdbs", "update"),
        R("DELETE /v1/crdbs/{crdb_guid}", "crdbs", "delete", destructive=True),
        R("PUT /v1/crdbs/{crdb_guid}/flush", "crdbs", "flush", destructive=True),
        R("GET /v1/crdbs/{crdb_guid}/health_report", "crdbs", "health-report"),
        R("PUT /v1/crdbs/{crdb_guid}/purge", "crdbs", "purge", destructive=True),
        R("POST /v1/crdbs/{crdb_guid}/updates", "crdbs", "updates"),
        R("POST /v1/crdbs/{crdb_guid}/upgrade", "crdbs", "upgrade"),
        # debuginfo
        R("GET /v1/debuginfo/all", "debuginfo", "all", show="download"),
        R("GET /v1/debuginfo/all/bdb/{bdb_uid}", "debuginfo", "all-bdb", show="download"),
        R("GET /v1/debuginfo/node", "debuginfo", "node", show="download"),
        R("GET /v1/debuginfo/node/bdb/{bdb_uid}", "debuginfo", "node-bdb", show="download"),
        # ldap mappings
        R("GET /v1/ldap_mappings", "ldap-mappings", "list"),
        R("POST /v1/ldap_mappings", "ldap-mappings", "create", LDAP_MAPPING_FLAGS,
          examples=("re ldap-mappings create --name ops --dn 'cn=ops,dc=example,dc=com' "
                    "--role-uid 1",)),
        R("GET /v1/ldap_mappings/{uid}", "ldap-mappings", "get"),
        R("PUT /v1/ldap_mappings/{uid}", "ldap-mappings", "update", LDAP_MAPPING_FLAGS),
        R("DELETE /v1/ldap_mappings/{uid}", "ldap-mappings", "delete", destructive=True),
        # modules
        R("GET /v1/modules", "modules", "list", kind="module"),
        R("GET /v1/modules/{uid}", "modules", "get", kind="module"),
        R("POST /v2/modules/user-defined", "modules", "create"),
        R("DELETE /v2/modules/user-defined/{uid}", "modules", "delete", destructive=True),
        R("POST /v2/modules", "modules", "upload", upload="module",
          examples=("re modules upload --module-file redisbloom.zip",)),
        R("POST /v1/modules", "modules", "upload-v1", upload="module",
          examples=("re modules upload-v1 --module-file redisbloom.zip",)),
        R("DELETE /v2/modules/{uid}", "modules", "delete-v2", destructive=True),
        R("DELETE /v1/modules/{uid}", "modules", "delete-v1", destructive=True),
        R("POST /v1/modules/config/bdb/{uid}", "modules", "config"),
        R("POST /v1/modules/upgrade/bdb/{uid}", "modules", "upgrade"),
        R("GET /v2/local/modules/user-defined/artifacts", "modules", "artifacts"),
        R("POST /v2/local/modules/user-defined/artifacts", "modules", "artifacts-upload",
          upload="module",
          examples=("re modules artifacts-upload --module-file custom-module.zip",)),
        R("DELETE /v2/local/modules/user-defined/artifacts/{module_name}/{version}",
          "modules", "artifacts-delete", destructive=True),
        # nodes
        R("GET /v1/nodes", "nodes", "list", kind="node"),
        R("GET /v1/nodes/{uid}", "nodes", "get", kind="node"),
        R("PUT /v1/nodes/{uid}", "nodes", "update", kind="node"),
        R("GET /v1/nodes/stats", "nodes", "stats-all", show="stats"),
        R("GET /v1/nodes/stats/{uid}", "nodes", "stats", show="stats"),
        R("GET /v1/nodes/stats/last", "nodes", "stats-last-all", show="stats"),
        R("GET /v1/nodes/stats/last/{uid}", "nodes", "stats-last", show="stats"),
        R("GET /v1/nodes/status", "nodes", "status-all"),
        R("GET /v1/nodes/{uid}/status", "nodes", "status"),
        R("GET /v1/nodes/actions", "nodes", "actions-all"),
        R("GET /v1/nodes/{node_uid}/actions", "nodes", "actions"),
        R("GET /v1/nodes/{node_uid}/actions/{action}", "nodes", "action",
          actions=("remove", "maintenance_on", "maintenance_off", "enslave_node")),
        R("POST /v1/nodes/{node_uid}/actions/{action}", "nodes", "action-start",
          destructive=("remove",),
          actions=("remove", "maintenance_on", "maintenance_off", "enslave_node"),
          examples=("re nodes action-start 1 maintenance-on", "re nodes maintenance-on 1")),
        R("DELETE /v1/nodes/{node_uid}/actions/{action}", "nodes", "action-cancel",
          actions=("remove", "maintenance_on", "maintenance_off", "enslave_node")),
        R("GET /v1/nodes/alerts", "nodes", "alerts-all"),
        R("GET /v1/nodes/alerts/{uid}", "nodes", "alerts"),
        R("GET /v1/nodes/alerts/{uid}/{alert}", "nodes", "alerts-one"),
        R("GET /v1/nodes/check/{uid}", "nodes", "check"),
        R("GET /v1/nodes/debuginfo", "nodes", "debuginfo-all", show="download"),
        R("GET /v1/nodes/{node_uid}/debuginfo", "nodes", "debuginfo", show="download"),
        R("GET /v1/nodes/{uid}/snapshots", "nodes", "snapshots"),
        R("DELETE /v1/nodes/{uid}/snapshots/{snapshot_name}", "nodes", "snapshots-delete",
          destructive=True),
        R("GET /v1/local/node/master_healthcheck", "nodes", "master-healthcheck"),
        # proxies
        R("GET /v1/proxies", "proxies", "list"),
        R("PUT /v1/proxies", "proxies", "update-all"),
        R("GET /v1/proxies/{uid}", "proxies", "get"),
        R("PUT /v1/proxies/{uid}", "proxies", "update"),
        # redis acls and roles
        R("GET /v1/redis_acls", "redis-acls", "list", kind="redis_acl"),
        R("POST /v1/redis_acls", "redis-acls", "create", ACL_FLAGS, kind="redis_acl",
          examples=("re redis-acls create --name readers --acl '+@read ~*'",)),
        R("POST /v1/redis_acls/validate", "redis-acls", "validate", ACL_FLAGS,
          examples=("re redis-acls validate --name readers --acl '+@read ~*'",)),
        R("GET /v1/redis_acls/{uid}", "redis-acls", "get", kind="redis_acl"),
        R("PUT /v1/redis_acls/{uid}", "redis-acls", "update", ACL_FLAGS, kind="redis_acl"),
        R("DELETE /v1/redis_acls/{uid}", "redis-acls", "delete", destructive=True),
        R("GET /v1/roles", "roles", "list", kind="role"),
        R("POST /v1/roles", "roles", "create", ROLE_FLAGS, kind="role",
          examples=("re roles create --name ops --management db_member",)),
        R("GET /v1/roles/{uid}", "roles", "get", kind="role"),
        R("PUT /v1/roles/{uid}", "roles", "update", ROLE_FLAGS, kind="role"),
        R("DELETE /v1/roles/{uid}", "roles", "delete", destructive=True),
        # services
        R("GET /v1/local/services", "services", "list"),
        R("POST /v1/local/services", "services", "apply-local", SERVICE_FLAGS,
          examples=("re services apply-local --operation restart --service mdns_server",)),
        R("POST /v1/services", "services", "apply", SERVICE_FLAGS,
          examples=("re services apply --operation restart --service mdns_server",)),
        # shards
        R("GET /v1/shards", "shards", "list", kind="shard"),
        R("GET /v1/shards/{uid}", "shards", "get", kind="shard"),
        R("GET /v1/shards/stats", "shards", "stats-all", show="stats"),
        R("GET /v1/shards/stats/{uid}", "shards", "stats", show="stats"),
        R("GET /v1/shards/stats/last", "shards", "stats-last-all", show="stats"),
        R("GET /v1/shards/stats/last/{uid}", "shards", "stats-last", show="stats"),
        R("POST /v1/shards/{uid}/actions/failover", "shards", "failover"),
        R("POST /v1/shards/{uid}/actions/migrate", "shards", "migrate", MIGRATE_FLAGS),
        R("POST /v1/shards/actions/failover", "shards", "failover-many", SHARDS_FLAGS,
          examples=("re shards failover-many --shard 1 --shard 2",)),
        R("POST /v1/shards/actions/migrate", "shards", "migrate-many",
          SHARDS_FLAGS + MIGRATE_FLAGS,
          examples=("re shards migrate-many --shard 1 --target-node 2",)),
        # users
        R("GET /v1/users", "users", "list", kind="user"),
        R("POST /v1/users", "users", "create", USER_FLAGS, kind="user",
          examples=("echo s3cret | re users create --email ann@example.com --name ann "
                    "--role db_viewer --password-stdin",)),
        R("GET /v1/users/{uid}", "users", "get", kind="user",
          examples=("re users get 1", "re users get ann@example.com")),
        R("PUT /v1/users/{uid}", "users", "update", USER_FLAGS, kind="user",
          examples=("re users update ann@example.com --role db_member --dry-run",)),
        R("DELETE /v1/users/{uid}", "users", "delete", destructive=True),
        R("POST /v1/users/authorize", "users", "authorize", USER_AUTH_FLAGS + TTL_FLAGS,
          examples=("echo s3cret | re users authorize --username ann@example.com "
                    "--password-stdin",)),
        R("POST /v1/users/refresh_jwt", "users", "refresh-jwt", TTL_FLAGS),
        R("POST /v1/users/password", "users", "password-add"),
        R("PUT /v1/users/password", "users", "password-update"),
        R("DELETE /v1/users/password", "users", "password-delete", destructive=True),
        R("GET /v1/users/permissions", "users", "permissions"),
        R("GET /v1/users/permissions/{role}", "users", "permissions-one"),
        R("GET /v1/users/role", "users", "role"),
    ]


# Group name -> one-line help, for the root command's listing (cli.GROUPS repeats
# these so that `re --help` need not import this module).
GROUP_HELP = {
    "actions": "Long-running actions: list, inspect, wait.",
    "bdbs": "Databases.",
    "bootstrap": "Create a cluster, join or recover a node.",
    "cluster": "The cluster: settings, certificates, LDAP, SSO, actions, health.",
    "cm-settings": "Cluster Manager UI settings.",
    "crdb-tasks": "Tasks of Active-Active databases.",
    "crdbs": "Active-Active databases.",
    "debuginfo": "Debug info archives of the cluster and its nodes.",
    "diagnostics": "Diagnostics settings.",
    "endpoints": "Endpoint statistics.",
    "job-scheduler": "Scheduled maintenance jobs.",
    "jsonschema": "The live JSON schema of API objects.",
    "ldap-mappings": "LDAP group to role mappings.",
    "license": "The cluster license.",
    "logs": "Cluster event log.",
    "metrics-config": "Metrics export settings.",
    "migrations": "Database migrations.",
    "modules": "Redis modules and custom module artifacts.",
    "nodes": "Nodes: status, actions, maintenance, alerts, stats.",
    "ocsp": "OCSP stapling settings and status.",
    "proxies": "Proxies.",
    "redis-acls": "Redis ACL rules.",
    "roles": "Roles.",
    "services": "Services on the nodes: list, start, stop, restart.",
    "shards": "Shards: list, failover, migrate, stats.",
    "suffixes": "DNS suffixes.",
    "usage-report": "The usage report, as newline-delimited JSON.",
    "users": "Users, passwords, tokens and permissions.",
}


def rows() -> list[Row]:
    return _rows()
