"""The database usage report: newline-delimited JSON, one line per database, whose last
line is the MD5 hash (hex) of every byte before it. Sent gzipped when asked for."""

import gzip
import hashlib
import json
import uuid
from datetime import datetime, timezone

from re_cli.sandbox.handlers._shared import parse_iso
from re_cli.sandbox.routes import Response, route

CONTENT_TYPE = "application/x-ndjson"


def report_line(bdb: dict, cluster: dict, license_: dict, date: str, shards_in_use: int,
                version: str) -> dict:
    modules = [m.get("module_name", "") for m in bdb.get("module_list") or []]
    memory = int(bdb.get("memory_size", 0))
    return {
        "cluster_name": cluster.get("name", ""),
        "cluster_uuid": cluster_uuid(cluster),
        "date": date,
        "software_version": version,
        "api_version": "1",
        "bdb_uid": str(bdb["uid"]),
        "type": "premium" if modules else "core",
        "shard_type": "normal",
        "dominant_shard_criteria": "mem",
        "provisioned_memory": memory,
        "used_memory": min(memory, 2_000_000 + 4096 * int(bdb["uid"])),
        "master_shards_count": int(bdb.get("shards_count", 1)),
        "no_eviction": bdb.get("eviction_policy", "noeviction") == "noeviction",
        "persistence": bdb.get("data_persistence", "disabled") != "disabled",
        "backup": bool(bdb.get("backup")),
        "using_redis_search": "search" in modules,
        "ops_sec": 0,
        "replication": bool(bdb.get("replication")),
        "active_active": bool(bdb.get("crdt")),
        "license": {
            "activation_date": license_.get("activation_date", ""),
            "expiration_date": license_.get("expiration_date", ""),
            "ram_shards_in_use": shards_in_use,
            "ram_shards_limit": license_.get("ram_shards_limit", 0),
            "flash_shards_in_use": 0,
            "flash_shards_limit": license_.get("flash_shards_limit", 0),
            "shards_limit": license_.get("shards_limit", 0),
        },
    }


def cluster_uuid(cluster: dict) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{cluster.get('name', '')}"
                                              f"/{cluster.get('created_time', '')}"))


def ndjson(lines: list[dict]) -> bytes:
    body = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    return body + hashlib.md5(body).hexdigest().encode() + b"\n"


@route("GET", "/v1/usage_report")
def usage_report(req):
    for name in ("stime", "etime"):
        if req.query.get(name):
            parse_iso(req.query[name], name)
    with req.sandbox.store.transaction() as tx:
        cluster = tx.get("cluster", "1") or {}
        license_ = tx.get("license", "1") or {}
        bdbs = tx.list("bdb")
        shards = len(tx.list("shard"))
        version = (tx.get("node", "1") or {}).get("software_version", "")
    date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:00.000000Z")
    body = ndjson([report_line(b, cluster, license_, date, shards, version) for b in bdbs])
    accepted = (req.headers.get("Accept-Encoding") or "").lower()
    if "gzip" in accepted:
        return Response(200, gzip.compress(body), content_type=CONTENT_TYPE,
                        headers={"Content-Encoding": "gzip"})
    return Response(200, body, content_type=CONTENT_TYPE)
