"""Help of the typed commands in our words: a better summary where the generated one
falls short, a paragraph where one line is not enough, and examples an operator would
type. Keyed by the command's path below `re` ("bdbs create").

The examples all work against `re sandbox` once the objects they name exist; the ones
that make those objects come first (`re bdbs create --name cache ...`). The names,
used the same way everywhere:

  databases   cache (1 shard), sessions (2 shards, replicated), search-db (with the
              search module), cache-replica (Replica Of cache), reports (v2 create),
              cache-geo (an Active-Active member, made by the test)
  users       jane@example.com, password in jane.pw; ops-bot@example.com
  roles       ops;  redis ACL  readers;  LDAP mapping  ops-team
  crdbs       global-cache (body in global-cache.json)
  nodes       1, 2 (127.0.0.2), 3;  modules  search, ReJSON, bf, timeseries, hello
  files       request bodies and passwords in the working dir (the test writes them)

A comment after an example that says `exit N` is the exit code it ends with.
tests/test_help_examples.py runs every example against a sandbox.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Help:
    examples: tuple[str, ...]
    summary: str = ""
    about: str = ""


def _h(*examples: str, summary: str = "", about: str = "") -> Help:
    return Help(tuple(examples), summary, about)


STATS_ABOUT = ("Samples come from the cluster's own statistics store; --interval picks the "
               "sample width and --since/--until the window (ISO 8601, or relative such "
               "as 1h or 2d).")
DOWNLOAD_ABOUT = ("The archive goes to --output (`-` for stdout); on a terminal a progress "
                  "bar shows on stderr.")
DEPRECATED = "[deprecated] "

HELP: dict[str, Help] = {
    # ---------------------------------------------------------------- actions
    "actions bdb": _h("re actions bdb cache", "re actions bdb 1 -o json",
                      summary="List the actions of one database."),
    # ---------------------------------------------------------------- bdbs
    "bdbs list": _h("re bdbs list", "re bdbs list --fields uid,name,status,memory_size",
                    "re bdbs list -o json | jq -r '.[].name'"),
    "bdbs get": _h("re bdbs get cache", "re bdbs get cache --fields uid,name,status,port",
                   "re bdbs get 1 -o json | jq .memory_size"),
    "bdbs create": _h(
        "re bdbs create --name cache --memory 1GB --wait",
        "re bdbs create --name sessions --memory 2GB --shards 2 --replication --wait",
        "re bdbs create --name search-db --memory 1GB --module search --wait",
        "re bdbs create --name cache-replica --memory 1GB --wait --data '{\"replica_sync\": "
        "\"enabled\", \"replica_sources\": [{\"uri\": \"redis://redis-12985.sandbox.local:"
        "12985\"}]}'",
        "re bdbs create --name scratch --memory 1GB --dry-run",
        summary="Create a database.",
        about="Give the name and size as flags, or a whole database object with --data; a "
              "flag wins over the same field in --data. On a terminal it waits until the "
              "database is active; a script that goes on to use the database passes --wait "
              "for the same, and --no-wait returns at once with the action's uid."),
    "bdbs create-v2": _h(
        "re bdbs create-v2 --data '{\"bdb\": {\"name\": \"reports\", "
        "\"memory_size\": 1073741824}}'",
        summary="Create a database with the v2 request (the object under `bdb`, with "
                "optional recovery plan)."),
    "bdbs update": _h("re bdbs update cache --memory 2GB --wait",
                      "re bdbs update cache --memory 3GB --dry-run",
                      "re bdbs update sessions --wait "
                      "--data '{\"eviction_policy\": \"allkeys-lru\"}'",
                      summary="Change a database's settings.",
                      about="--dry-run asks the cluster to check the change and shows what "
                            "would differ, changing nothing."),
    "bdbs delete": _h("re bdbs delete reports --yes",
                      "re bdbs delete scratch    # off a terminal, refused without --yes: exit 2",
                      summary="Delete a database and its data."),
    "bdbs action": _h("re bdbs action cache flush --yes --wait",
                      summary="Run a named database action: flush, or reset-admin-pass."),
    "bdbs flush": _h("re bdbs flush cache --yes --wait", summary="Delete every key of a database."),
    "bdbs reset-admin-pass": _h("re bdbs reset-admin-pass cache --wait",
                                summary="Reset the database's admin password."),
    "bdbs stats-all": _h("re bdbs stats-all --interval 1hour",
                         "re bdbs stats-all --interval 5min --since 1h -o json",
                         summary="Statistics of every database over time.",
                         about=STATS_ABOUT),
    "bdbs stats": _h("re bdbs stats cache --interval 5min --since 1h",
                     summary="Statistics of one database over time.", about=STATS_ABOUT),
    "bdbs stats-last-all": _h("re bdbs stats-last-all",
                              summary="The latest statistics sample of every database."),
    "bdbs stats-last": _h("re bdbs stats-last cache",
                          summary="The latest statistics sample of one database."),
    "bdbs health": _h("re bdbs health cache", summary="A health report of one database."),
    "bdbs availability": _h("re bdbs availability cache",
                            summary="Whether a database can serve requests now."),
    "bdbs availability-local": _h("re bdbs availability-local cache --node 1",
                                  summary="Whether a database's endpoint on one node can "
                                          "serve requests."),
    "bdbs shards": _h("re bdbs shards sessions", "re bdbs shards cache -o json",
                      summary="The shards of one database."),
    "bdbs export": _h(
        "re bdbs export cache --wait --data '{\"export_location\": {\"type\": \"mount_point\", "
        "\"path\": \"/var/backups/cache\"}}'",
        summary="Export a database's data to a storage location."),
    "bdbs import": _h(
        "re bdbs import cache --yes --wait --data '{\"dataset_import_sources\": [{\"type\": "
        "\"mount_point\", \"path\": \"/var/backups/cache/dump.rdb\"}]}'",
        summary="Replace a database's data with an import from storage."),
    "bdbs backup-reset-status": _h("re bdbs backup-reset-status cache",
                                   summary="Clear the status of a database's last backup."),
    "bdbs export-reset-status": _h("re bdbs export-reset-status cache",
                                   summary="Clear the status of a database's last export."),
    "bdbs import-reset-status": _h("re bdbs import-reset-status cache",
                                   summary="Clear the status of a database's last import."),
    "bdbs optimize-shards-placement": _h(
        "re bdbs optimize-shards-placement sessions",
        summary="Propose a better placement of a database's shards (changes nothing)."),
    "bdbs rebalance": _h("re bdbs rebalance sessions --wait",
                         summary="Move a database's shards to the placement the cluster "
                                 "proposes."),
    "bdbs revamp": _h("re bdbs revamp sessions --wait",
                      summary="Apply settings that need the shards to be rebuilt."),
    "bdbs recover-plan": _h("re bdbs recover-plan cache",
                            summary="Show how a failed database would be recovered."),
    "bdbs recover": _h("re bdbs recover cache --wait", summary="Recover a failed database."),
    "bdbs stop-traffic": _h("re bdbs stop-traffic cache --wait",
                            summary="Stop all client traffic to a database."),
    "bdbs resume-traffic": _h("re bdbs resume-traffic cache --wait",
                              summary="Let client traffic reach a database again."),
    "bdbs upgrade": _h("re bdbs upgrade cache --wait --data '{\"redis_version\": \"7.4\"}'",
                       summary="Upgrade a database's Redis version or modules."),
    "bdbs alerts-all": _h("re bdbs alerts-all", summary="Alert settings of every database."),
    "bdbs alerts": _h("re bdbs alerts cache", summary="Alert settings of one database."),
    "bdbs alerts-one": _h("re bdbs alerts-one cache bdb_size",
                          summary="One alert setting of a database."),
    "bdbs alerts-update": _h(
        "re bdbs alerts-update cache --data '{\"bdb_size\": {\"enabled\": true, "
        "\"threshold\": \"80\"}}'",
        summary="Change a database's alert settings."),
    "bdbs crdt-sources-alerts-all": _h("re bdbs crdt-sources-alerts-all",
                                       summary="Alerts of every Active-Active sync source."),
    "bdbs crdt-sources-alerts": _h("re bdbs crdt-sources-alerts cache-geo",
                                   summary="Alerts of one database's Active-Active sync "
                                           "sources."),
    "bdbs crdt-sources-alerts-source": _h("re bdbs crdt-sources-alerts-source cache-geo 1",
                                          summary="Alerts of one Active-Active sync source."),
    "bdbs crdt-sources-alerts-one": _h(
        "re bdbs crdt-sources-alerts-one cache-geo 1 bdb_crdt_src_syncer_connection_error",
        summary="One alert of one Active-Active sync source."),
    "bdbs replica-sources-alerts-all": _h("re bdbs replica-sources-alerts-all",
                                          summary="Alerts of every Replica Of source."),
    "bdbs replica-sources-alerts": _h("re bdbs replica-sources-alerts cache-replica",
                                      summary="Alerts of one database's Replica Of sources."),
    "bdbs replica-sources-alerts-source": _h(
        "re bdbs replica-sources-alerts-source cache-replica 1",
                                             summary="Alerts of one Replica Of source."),
    "bdbs replica-sources-alerts-one": _h(
        "re bdbs replica-sources-alerts-one cache-replica 1 "
        "bdb_replica_src_syncer_connection_error",
        summary="One alert of one Replica Of source."),
    "bdbs certificates-all": _h("re bdbs certificates-all",
                                summary="The client certificates of every database."),
    "bdbs certificates": _h("re bdbs certificates cache",
                            summary="The client certificates a database trusts."),
    "bdbs certificates-update": _h(
        "re bdbs certificates-update cache --data @cache-cert.json",
        summary="Add client certificates that a database trusts."),
    "bdbs certificates-delete": _h(
        "re bdbs certificates-delete cache --yes",
        summary="Remove client certificates from a database."),
    "bdbs debuginfo-all": _h("re bdbs debuginfo-all --output bdbs-debuginfo.tar.gz",
                             summary="Download a debug archive of every database.",
                             about=DOWNLOAD_ABOUT),
    "bdbs debuginfo": _h("re bdbs debuginfo cache --output cache-debuginfo.tar.gz",
                         summary="Download a debug archive of one database.",
                         about=DOWNLOAD_ABOUT),
    "bdbs peer-stats": _h("re bdbs peer-stats cache-geo --interval 5min",
                          summary="Statistics of an Active-Active database's peers.",
                          about=STATS_ABOUT),
    "bdbs peer-stats-one": _h("re bdbs peer-stats-one cache-geo 1",
                              summary="Statistics of one Active-Active peer.",
                              about=STATS_ABOUT),
    "bdbs sync-source-stats": _h("re bdbs sync-source-stats cache-replica --interval 5min",
                                 summary="Statistics of a database's Replica Of sources.",
                                 about=STATS_ABOUT),
    "bdbs sync-source-stats-one": _h("re bdbs sync-source-stats-one cache-replica 1",
                                     summary="Statistics of one Replica Of source.",
                                     about=STATS_ABOUT),
    "bdbs modules-config": _h(
        "re bdbs modules-config search-db --data '{\"modules\": [{\"module_name\": "
        "\"search\", \"module_args\": \"MAXSEARCHRESULTS 100\"}]}'",
        summary="Change the arguments of a database's modules."),
    "bdbs modules-upgrade": _h(
        "re bdbs modules-upgrade search-db --wait --data @search-upgrade.json",
        summary="Upgrade the modules a database uses."),
    "bdbs passwords-update": _h("re bdbs passwords-update cache --password-stdin < cache.pw",
                                summary="Replace the default user's passwords with one."),
    "bdbs passwords-add": _h("re bdbs passwords-add cache --password-stdin < cache-extra.pw",
                             summary="Add a password for the database's default user."),
    "bdbs passwords-delete": _h(
        "re bdbs passwords-delete cache --password-stdin --yes < cache-extra.pw",
        summary="Remove one of the default user's passwords."),
    "bdbs syncer-state": _h("re bdbs syncer-state cache-replica",
                            summary="The state of a database's syncer."),
    "bdbs syncer-state-crdt": _h("re bdbs syncer-state-crdt cache-geo",
                                 summary="The state of a database's Active-Active syncer."),
    "bdbs syncer-state-replica": _h("re bdbs syncer-state-replica cache-replica",
                                    summary="The state of a database's Replica Of syncer."),
    # ---------------------------------------------------------------- bootstrap
    "bootstrap get": _h("re bootstrap get",
                        summary="Where the node you call stands in joining or creating a "
                                "cluster.",
                        about="A node answers this before it belongs to a cluster, without "
                              "credentials."),
    "bootstrap start": _h(
        "re bootstrap start join-cluster --yes --data @join.json    # a node already in a "
        "cluster refuses: exit 6",
        summary="Turn the node you call into a new cluster, or join or recover one.",
        about="Only a node that is not yet part of a cluster accepts this."),
    "bootstrap create-cluster": _h(
        "re bootstrap create-cluster --yes --data @create-cluster.json    # refused on a node in a "
        "cluster: exit 6"),
    "bootstrap join-cluster": _h(
        "re bootstrap join-cluster --yes --data @join.json    # refused on a node in a "
        "cluster: exit 6"),
    "bootstrap recover-cluster": _h(
        "re bootstrap recover-cluster --yes --data @recover.json    # refused on a node in a "
        "cluster: exit 6"),
    "bootstrap validate": _h("re bootstrap validate join-cluster --data @join.json",
                             summary="Check a bootstrap request without acting on it."),
    # ---------------------------------------------------------------- cluster
    "cluster get": _h("re cluster get", "re cluster get -o json | jq -r .name"),
    "cluster update": _h("re cluster update --data '{\"email_alerts\": true}' --dry-run",
                         "re cluster update --data '{\"email_alerts\": false}'",
                         summary="Change cluster settings.",
                         about="--dry-run asks the cluster to check the change and shows "
                               "what would differ, changing nothing."),
    "cluster health": _h("re cluster health", "re cluster health --issues-only",
                         summary="A health report of the nodes, databases and license."),
    "cluster stats": _h("re cluster stats --interval 1hour --since 1d",
                        summary="Cluster statistics over time.", about=STATS_ABOUT),
    "cluster stats-last": _h("re cluster stats-last",
                             summary="The latest cluster statistics sample."),
    "cluster actions": _h("re cluster actions",
                          summary="Cluster-wide actions: running, queued and finished."),
    "cluster action": _h("re cluster action change-master",
                         summary="The status of one cluster-wide action."),
    "cluster action-start": _h(
        "re cluster action-start change-master --data '{\"node_uid\": \"2\"}' --wait",
        summary="Start a cluster-wide action, such as moving the primary role to a node."),
    "cluster action-cancel": _h(
        "re cluster action-cancel change-master",
        summary="Cancel a cluster-wide action, or clear the status of a finished one."),
    "cluster change-master": _h("re cluster change-master --data '{\"node_uid\": \"1\"}' --wait",
                                summary="Make another node the cluster's primary."),
    "cluster alerts": _h("re cluster alerts", summary="The state of every cluster alert."),
    "cluster alerts-one": _h("re cluster alerts-one cluster_certs_about_to_expire",
                             summary="The state of one cluster alert."),
    "cluster auditing": _h("re cluster auditing",
                           summary="Where database connection audit records go."),
    "cluster auditing-update": _h(
        "re cluster auditing-update --data '{\"audit_protocol\": \"TCP\", "
        "\"audit_address\": \"127.0.0.1\", \"audit_port\": 2514}'",
        summary="Send database connection audit records somewhere."),
    "cluster auditing-delete": _h("re cluster auditing-delete",
                                  summary="Stop auditing database connections."),
    "cluster certificates": _h("re cluster certificates",
                               "re cluster certificates -o json | jq 'keys'",
                               summary="The certificates the cluster uses."),
    "cluster certificates-update": _h(
        "re cluster certificates-update --data @sso-cert.json",
        summary="Replace cluster certificates (all checked before any is installed)."),
    "cluster certificates-update-v1": _h(
        "re cluster certificates-update-v1 --data @issuer-cert.json",
        summary="[deprecated] Replace one cluster certificate."),
    "cluster certificates-rotate": _h(
        "re cluster certificates-rotate",
        summary="Make new internal certificates on every node."),
    "cluster certificates-delete": _h("re cluster certificates-delete sso_issuer --yes",
                                      summary="Remove an optional cluster certificate."),
    "cluster change-password-hashing-algorithm": _h(
        "re cluster change-password-hashing-algorithm --data '{\"algorithm\": \"PBKDF2\"}'",
        summary="Pick the algorithm that hashes user passwords."),
    "cluster check": _h("re cluster check",
                        summary="Run health checks on every node."),
    "cluster debuginfo": _h("re cluster debuginfo --output cluster-debuginfo.tar.gz",
                            summary="Download a debug archive of the whole cluster.",
                            about=DOWNLOAD_ABOUT),
    "cluster ldap": _h("re cluster ldap", summary="The LDAP settings."),
    "cluster ldap-update": _h(
        "re cluster ldap-update --data '{\"uris\": [\"ldaps://ldap.example.com:636\"], "
        "\"bind_dn\": \"cn=re,dc=example,dc=com\", \"user_dn_query\": {\"base_dn\": "
        "\"ou=people,dc=example,dc=com\", \"filter\": \"(mail=%u)\"}}'",
        summary="Set or change the LDAP settings."),
    "cluster ldap-delete": _h("re cluster ldap-delete --yes",
                              summary="Remove the LDAP settings."),
    "cluster module-capabilities": _h("re cluster module-capabilities",
                                      summary="The capabilities a module may declare."),
    "cluster policy": _h("re cluster policy", summary="Cluster-wide defaults and rules."),
    "cluster policy-update": _h(
        "re cluster policy-update --data '{\"default_shards_placement\": \"sparse\"}'",
        summary="Change cluster-wide defaults and rules."),
    "cluster services-configuration": _h("re cluster services-configuration",
                                         summary="Which optional services run."),
    "cluster services-configuration-update": _h(
        "re cluster services-configuration-update "
        "--data '{\"cm_server\": {\"operating_mode\": \"enabled\"}}'",
        summary="Turn optional services on or off."),
    "cluster sso": _h("re cluster sso", summary="The single sign-on (SAML) settings."),
    "cluster sso-update": _h("re cluster sso-update --data '{\"protocol\": \"saml2\", "
                             "\"enforce_control_plane\": false}'",
                             summary="Set or change the single sign-on settings."),
    "cluster sso-delete": _h("re cluster sso-delete --yes",
                             summary="Remove the single sign-on settings."),
    "cluster sso-idp-metadata-upload": _h(
        "re cluster sso-idp-metadata-upload --data @idp-metadata.json",
        summary="Give the cluster your identity provider's SAML metadata."),
    "cluster sso-sp-metadata": _h("re cluster sso-sp-metadata > sp-metadata.xml",
                                  summary="This cluster's SAML service provider metadata, "
                                          "as XML."),
    # ---------------------------------------------------------------- small singletons
    "cm-settings get": _h("re cm-settings get", summary="Settings of the Cluster Manager UI."),
    "cm-settings update": _h("re cm-settings update --data '{\"timezone\": \"UTC\"}'",
                             summary="Change settings of the Cluster Manager UI."),
    "diagnostics get": _h("re diagnostics get",
                          summary="What the diagnostics service collects, and when."),
    "diagnostics update": _h(
        "re diagnostics update --data '{\"slowlog_target\": {\"cron_expression\": "
        "\"*/5 * * * *\", \"max_entries\": 256}}'",
        summary="Change what the diagnostics service collects, and when."),
    "job-scheduler get": _h("re job-scheduler get",
                            summary="When the cluster's background jobs run."),
    "job-scheduler update": _h(
        "re job-scheduler update --data '{\"backup_job_settings\": {\"enabled\": true}}'",
        summary="Change when the cluster's background jobs run."),
    "metrics-config get": _h("re metrics-config get",
                             summary="Settings of the metrics stream."),
    "metrics-config update": _h("re metrics-config update --data '{\"expose_db_tags\": true}'",
                                summary="Change settings of the metrics stream (lists are "
                                        "replaced whole)."),
    "license get": _h("re license get", "re license get -o json | jq .expired",
                      summary="The installed license: dates, limits and features."),
    "license update": _h("re license update --data @license.json",
                         summary="Install a new license key."),
    "ocsp get": _h("re ocsp get", summary="The OCSP settings."),
    "ocsp update": _h("re ocsp update --data '{\"ocsp_functionality\": false}'",
                      summary="Change the OCSP settings."),
    "ocsp status": _h("re ocsp status",
                      summary="The last known OCSP status of the proxy certificate."),
    "ocsp test": _h("re ocsp test",
                    summary="Ask the OCSP responder about the proxy certificate now."),
    "jsonschema get": _h("re jsonschema get --object bdb",
                         "re jsonschema get -o json | jq 'keys'",
                         summary="The JSON schema of API objects, as this cluster knows it."),
    "logs list": _h("re logs list --limit 10 --order desc", "re logs list --since 1h",
                    summary="The cluster's event log."),
    "migrations get": _h("re migrations get 1",
                         summary="The state of a Replica Of migration into a database."),
    "usage-report get": _h("re usage-report get",
                           "re usage-report get > usage.ndjson",
                           summary="Per-database usage, one JSON object per line."),
    "endpoints stats": _h("re endpoints stats --interval 1hour",
                          summary="[deprecated] Statistics of each endpoint on each proxy.",
                          about=STATS_ABOUT),
    "suffixes list": _h("re suffixes list", summary="The cluster's DNS suffixes."),
    "suffixes get": _h("re suffixes get sandbox.local", summary="One DNS suffix."),
    # ---------------------------------------------------------------- crdbs
    "crdb-tasks list": _h("re crdb-tasks list",
                          summary="Tasks that change Active-Active databases."),
    "crdb-tasks get": _h("re crdb-tasks list -o json | jq -r '.[0].id' | xargs re crdb-tasks get",
                         summary="The progress of one Active-Active task."),
    "crdb-tasks cancel": _h(
        "re crdbs create --data @edge-cache.json --no-wait -o json | jq -r .id "
        "| xargs re crdb-tasks cancel",
        summary="Cancel an Active-Active task that has not yet committed."),
    "crdbs list": _h("re crdbs list", "re crdbs list -o json | jq -r '.[].guid'",
                     summary="The Active-Active databases this cluster takes part in."),
    "crdbs create": _h("re crdbs create --data @global-cache.json --wait",
                       summary="Create an Active-Active database across clusters.",
                       about="The body names the participating clusters and the database "
                             "settings; on a terminal it waits for the task to finish."),
    "crdbs get": _h("re crdbs get global-cache", summary="One Active-Active database."),
    "crdbs update": _h(
        "re crdbs update global-cache --wait --data '{\"default_db_config\": "
        "{\"memory_size\": 2147483648}}'",
        summary="Change an Active-Active database's settings."),
    "crdbs purge": _h("re crdbs purge global-cache --yes --data '{\"instances\": [1]}'",
                      summary="Remove what a removed instance still holds."),
    "crdbs delete": _h("re crdbs delete global-cache --yes",
                       summary="Delete an Active-Active database on every cluster."),
    "crdbs flush": _h("re crdbs flush global-cache --yes --wait",
                      summary="Delete every key of an Active-Active database, everywhere."),
    "crdbs health-report": _h("re crdbs health-report global-cache",
                              summary="A health report of an Active-Active database."),
    "crdbs updates": _h(
        "re crdbs updates global-cache --wait --data '{\"crdb\": {\"default_db_config\": "
        "{\"memory_size\": 1073741824}}}'",
        summary="Change an Active-Active database: add or remove instances, or settings."),
    "crdbs upgrade": _h("re crdbs upgrade global-cache --wait "
                        "--data '{\"redis_version\": \"7.4\"}'",
                        summary="Upgrade Redis and modules on every instance."),
    # ---------------------------------------------------------------- debuginfo
    "debuginfo all": _h("re debuginfo all --output all-debuginfo.tar.gz",
                        summary="[deprecated] Download a debug archive of every node.",
                        about=DOWNLOAD_ABOUT),
    "debuginfo all-bdb": _h("re debuginfo all-bdb 1 --output cache-all.tar.gz",
                            summary="[deprecated] Download a debug archive of one database "
                                    "from every node.", about=DOWNLOAD_ABOUT),
    "debuginfo node": _h("re debuginfo node --output node-debuginfo.tar.gz",
                         summary="[deprecated] Download a debug archive of the node you "
                                 "call.", about=DOWNLOAD_ABOUT),
    "debuginfo node-bdb": _h("re debuginfo node-bdb 1 --output cache-node.tar.gz",
                             summary="[deprecated] Download a debug archive of one database "
                                     "from the node you call.", about=DOWNLOAD_ABOUT),
    # ---------------------------------------------------------------- ldap mappings
    "ldap-mappings list": _h("re ldap-mappings list", summary="LDAP groups and their roles."),
    "ldap-mappings create": _h(
        "re ldap-mappings create --name ops-team --dn 'cn=ops,ou=groups,dc=example,dc=com' "
        "--role-uid 4",
        summary="Grant roles to the members of an LDAP group."),
    "ldap-mappings get": _h("re ldap-mappings get ops-team",
                            summary="One LDAP group mapping."),
    "ldap-mappings update": _h("re ldap-mappings update ops-team --role-uid 4 --role-uid 5",
                               summary="Change an LDAP group mapping."),
    "ldap-mappings delete": _h("re ldap-mappings delete ops-team --yes",
                               summary="Delete an LDAP group mapping."),
    # ---------------------------------------------------------------- modules
    "modules list": _h("re modules list",
                       "re modules list -o json | jq -r '.[].module_name'",
                       summary="The modules the cluster holds."),
    "modules get": _h("re modules get search", summary="One module."),
    "modules create": _h("re modules create --data @custom-module.json",
                         summary="Register a custom module (its artifact goes to each node "
                                 "with `artifacts-upload`)."),
    "modules delete": _h("re modules delete hello --yes",
                         summary="Unregister a custom module."),
    "modules upload": _h("re modules upload --module-file rate-limiter-1.0.0.zip",
                         summary="[deprecated] Upload a module package."),
    "modules upload-v1": _h("re modules upload-v1 --module-file rate-limiter-1.1.0.zip",
                            summary="[deprecated] Upload a module package (v1)."),
    "modules delete-v2": _h("re modules delete-v2 bf --yes",
                            summary="[deprecated] Delete a module."),
    "modules delete-v1": _h("re modules delete-v1 timeseries --yes",
                            summary="[deprecated] Delete a module (v1)."),
    "modules config": _h(
        "re modules config search-db --data '{\"modules\": [{\"module_name\": \"search\", "
        "\"module_args\": \"MAXSEARCHRESULTS 100\"}]}'",
        summary="Change the arguments of a database's modules."),
    "modules upgrade": _h(
        "re modules upgrade search-db --wait --data @search-upgrade.json",
        summary="[deprecated] Upgrade the modules a database uses."),
    "modules artifacts": _h("re modules artifacts", "re modules artifacts --node 1",
                            summary="Custom module files on one node."),
    "modules artifacts-upload": _h(
        "re modules artifacts-upload --module-file hello-1.0.0.zip",
        summary="Upload a custom module file to one node."),
    "modules artifacts-delete": _h("re modules artifacts-delete hello 1.0.0 --yes",
                                   summary="Delete a custom module file from one node."),
    # ---------------------------------------------------------------- nodes
    "nodes list": _h("re nodes list", "re nodes list -o json | jq -r '.[].addr'"),
    "nodes get": _h("re nodes get 1", "re nodes get 127.0.0.2 -o json | jq .status"),
    "nodes update": _h("re nodes update 3 --data '{\"accept_servers\": true}'",
                       summary="Change a node's settings."),
    "nodes stats-all": _h("re nodes stats-all --interval 1hour",
                          summary="[deprecated] Statistics of every node over time.",
                          about=STATS_ABOUT),
    "nodes stats": _h("re nodes stats 1 --interval 5min --since 1h",
                      summary="[deprecated] Statistics of one node over time.",
                      about=STATS_ABOUT),
    "nodes stats-last-all": _h("re nodes stats-last-all",
                               summary="[deprecated] The latest sample of every node."),
    "nodes stats-last": _h("re nodes stats-last 1",
                           summary="[deprecated] The latest sample of one node."),
    "nodes status-all": _h("re nodes status-all",
                           summary="Host name, role and state of every node."),
    "nodes status": _h("re nodes status 127.0.0.2",
                       summary="Host name, role and state of one node."),
    "nodes actions-all": _h("re nodes actions-all", summary="Actions on every node."),
    "nodes actions": _h("re nodes actions 2", summary="Actions on one node."),
    "nodes action": _h("re nodes action 127.0.0.2 maintenance-on",
                       summary="The status of one action on a node."),
    "nodes action-start": _h("re nodes action-start 127.0.0.2 maintenance-on --wait",
                             summary="Start an action on a node: maintenance on or off, "
                                     "remove, or enslave-node.",
                             about="The action name also works as a command of its own: "
                                   "`re nodes maintenance-on NODE`."),
    "nodes maintenance-on": _h("re nodes maintenance-on 127.0.0.2 --wait",
                               summary="Move the shards off a node and keep new ones away."),
    "nodes maintenance-off": _h("re nodes maintenance-off 127.0.0.2 --wait",
                                summary="Let a node take shards again after maintenance."),
    "nodes enslave-node": _h("re nodes enslave-node 2 --wait",
                             summary="Make every shard on a node a replica."),
    "nodes remove": _h("re nodes remove 3 --yes", summary="Remove a node from the cluster."),
    "nodes action-cancel": _h("re nodes action-cancel 2 maintenance-off",
                              summary="Cancel an action on a node, or clear a finished "
                                      "one's status."),
    "nodes alerts-all": _h("re nodes alerts-all", summary="Alert states of every node."),
    "nodes alerts": _h("re nodes alerts 1", summary="Alert states of one node."),
    "nodes alerts-one": _h("re nodes alerts-one 1 node_aof_slow_disk_io",
                           summary="One alert state of a node."),
    "nodes check": _h("re nodes check 1", summary="Run health checks on one node."),
    "nodes debuginfo-all": _h("re nodes debuginfo-all --output nodes-debuginfo.tar.gz",
                              summary="Download a debug archive of every node.",
                              about=DOWNLOAD_ABOUT),
    "nodes debuginfo": _h("re nodes debuginfo 2 --output node2-debuginfo.tar.gz",
                          summary="Download a debug archive of one node.",
                          about=DOWNLOAD_ABOUT),
    "nodes snapshots": _h("re nodes snapshots 2", summary="Snapshots kept for a node."),
    "nodes snapshots-delete": _h("re nodes snapshots-delete 2 nightly --yes    # exit 5 when "
                                 "the node has no such snapshot",
                                 summary="Delete a node snapshot."),
    "nodes master-healthcheck": _h("re nodes master-healthcheck",
                                   "re nodes master-healthcheck --node 1",
                                   summary="Whether a node can reach the primary node."),
    # ---------------------------------------------------------------- proxies
    "proxies list": _h("re proxies list", summary="The proxies, one on each node."),
    "proxies get": _h("re proxies get 1", summary="One proxy (its uid is its node's)."),
    "proxies update": _h("re proxies update 1 --data '{\"max_threads\": 8}'",
                         summary="Change one proxy's settings."),
    "proxies update-all": _h(
        "re proxies update-all --data '{\"proxy\": {\"max_threads\": 8}}'",
        summary="Change the settings of every proxy."),
    # ---------------------------------------------------------------- acls and roles
    "redis-acls list": _h("re redis-acls list", summary="Redis ACL rules."),
    "redis-acls create": _h("re redis-acls create --name readers --acl '+@read ~*'",
                            summary="Create a Redis ACL rule."),
    "redis-acls validate": _h("re redis-acls validate --name writers --acl '+@write ~app:*'",
                              summary="[deprecated] Check a Redis ACL rule without saving "
                                      "it."),
    "redis-acls get": _h("re redis-acls get readers", summary="One Redis ACL rule."),
    "redis-acls update": _h("re redis-acls update readers --acl '+@read ~cache:*'",
                            summary="Change a Redis ACL rule."),
    "redis-acls delete": _h("re redis-acls delete readers --yes",
                            summary="Delete a Redis ACL rule."),
    "roles list": _h("re roles list", summary="Roles."),
    "roles create": _h("re roles create --name ops --management db_member",
                       summary="Create a role."),
    "roles get": _h("re roles get ops", summary="One role."),
    "roles update": _h("re roles update ops --management cluster_viewer",
                       summary="Change a role."),
    "roles delete": _h("re roles delete ops --yes", summary="Delete a role."),
    # ---------------------------------------------------------------- services
    "services list": _h("re services list", "re services list --node 1",
                        summary="Services on one node, and their state."),
    "services apply": _h("re services apply --operation restart --service mdns_server",
                         summary="Start, stop or restart services on the primary node."),
    "services apply-local": _h(
        "re services apply-local --operation restart --service mdns_server --node 1",
        summary="Start, stop or restart services on one node."),
    # ---------------------------------------------------------------- shards
    "shards list": _h("re shards list", "re shards list -o json | jq '.[] | {uid, role}'",
                      summary="Every shard in the cluster."),
    "shards get": _h("re shards get 1", summary="One shard."),
    "shards stats-all": _h("re shards stats-all --interval 1hour",
                           summary="[deprecated] Statistics of every shard over time.",
                           about=STATS_ABOUT),
    "shards stats": _h("re shards stats 1 --interval 5min",
                       summary="[deprecated] Statistics of one shard over time.",
                       about=STATS_ABOUT),
    "shards stats-last-all": _h("re shards stats-last-all",
                                summary="[deprecated] The latest sample of every shard."),
    "shards stats-last": _h("re shards stats-last 1",
                            summary="[deprecated] The latest sample of one shard."),
    "shards failover": _h("re shards failover 2 --wait",
                          summary="Promote a primary shard's replica (for tests and "
                                  "maintenance)."),
    "shards migrate": _h("re shards migrate 2 --target-node 3 --wait",
                         summary="Move one shard to another node."),
    "shards failover-many": _h("re shards failover-many --shard 2 --shard 4 --wait",
                               summary="Promote the replicas of several primary shards."),
    "shards migrate-many": _h("re shards migrate-many --shard 2 --shard 3 --target-node 2 --wait",
                              summary="Move several shards to one node."),
    # ---------------------------------------------------------------- users
    "users list": _h("re users list", "re users list -o json | jq -r '.[].email'"),
    "users create": _h(
        "re users create --email jane@example.com --name Jane --role db_viewer "
        "--password-stdin < jane.pw",
        "re users create --email ops-bot@example.com --name ops-bot --role db_member "
        "--password-stdin < jane.pw",
        summary="Create a user.",
        about="The password is read from stdin, never from an argument."),
    "users get": _h("re users get jane@example.com", "re users get 1 -o json | jq -r .email"),
    "users update": _h("re users update jane@example.com --role db_member",
                       "re users update jane@example.com --name 'Jane Doe' --dry-run",
                       summary="Change a user."),
    "users delete": _h("re users delete ops-bot@example.com --yes", summary="Delete a user."),
    "users authorize": _h(
        "re users authorize --username jane@example.com --password-stdin < jane.pw",
        "re users authorize --username jane@example.com --ttl 600 --password-stdin "
        "< jane.pw -o json | jq -r .access_token",
        summary="Trade a user's name and password for a token (JWT)."),
    "users refresh-jwt": _h("re users refresh-jwt --ttl 600",
                            summary="Trade a valid token for a new one."),
    "users password-add": _h("re users password-add --data @jane-second-password.json",
                             summary="Give a user one more password (your own by default).",
                             about="The body names the user (`username`) and the "
                                   "`new_password`; keep it in a file, not on the command "
                                   "line."),
    "users password-delete": _h("re users password-delete --yes --data @jane-old-password.json",
                                summary="Remove one of a user's passwords (never the last)."),
    "users password-update": _h("re users password-update --data @ops-bot-password.json",
                                summary="Replace all of a user's passwords with one."),
    "users permissions": _h("re users permissions",
                            summary="What each management role may do."),
    "users permissions-one": _h("re users permissions-one db_viewer",
                                summary="What one management role may do."),
    "users role": _h("re users role", summary="Your own management role."),
}


def entry(path: str) -> Help | None:
    """Our help for the command `re PATH`, if the table has it."""
    return HELP.get(path)


def _replace_examples(text: str, lines: tuple[str, ...]) -> str:
    marker = "\b\nExamples:\n"
    head, found, tail = text.partition(marker)
    if not found:
        return text + "\n\n" + marker + "\n".join(f"  {e}" for e in lines)
    _, _, rest = tail.partition("\n\n")
    block = marker + "\n".join(f"  {e}" for e in lines)
    return head + block + ("\n\n" + rest if rest else "")


def decorate(cmd, path: str):
    """Put our summary, paragraph and examples into a generated command's help."""
    own = entry(path)
    if own is None:
        return cmd
    text = cmd.help or ""
    if own.summary:
        first, _, rest = text.partition("\n")
        summary = own.summary
        if first.startswith(DEPRECATED) and not summary.startswith(DEPRECATED):
            summary = DEPRECATED + summary
        text = summary + "\n" + rest
        cmd.short_help = summary
    if own.about:
        first, _, rest = text.partition("\n\n")
        text = f"{first}\n\n{own.about}\n\n{rest}"
    cmd.help = _replace_examples(text, own.examples)
    return cmd
