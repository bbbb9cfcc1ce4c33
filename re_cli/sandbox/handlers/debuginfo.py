"""Debug info downloads: a tar.gz with a few text files per node (and per database when
one is asked for), made in memory, in the shape of a real support package."""

import io
import json
import tarfile
import time

from re_cli.sandbox.handlers._shared import iso
from re_cli.sandbox.routes import ApiError, Response, route

LOCAL_NODE = "1"


def add_text(tar: tarfile.TarFile, name: str, text: str, when: float) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(when)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def node_files(node: dict, bdbs: list[dict]) -> dict[str, str]:
    uid = node["uid"]
    lines = [f"node:{uid} addr={node.get('addr', '')} status={node.get('status', '')}",
             f"software_version={node.get('software_version', '')}",
             f"os={node.get('os_version', '')} cores={node.get('cores', '')}",
             f"total_memory={node.get('total_memory', '')}"]
    status = "\n".join(f"db:{b['uid']} {b.get('name', '')} {b.get('status', '')} "
                       f"port={b.get('port', '')}" for b in bdbs)
    return {
        f"node_{uid}/node_info.txt": "\n".join(lines) + "\n",
        f"node_{uid}/rladmin_status.txt": (status or "no databases") + "\n",
        f"node_{uid}/node.json": json.dumps(public(node), indent=2, sort_keys=True) + "\n",
    }


def public(obj: dict) -> dict:
    return {k: v for k, v in obj.items()
            if not k.startswith("_") and "pass" not in k and "key" not in k}


def bdb_files(bdb: dict) -> dict[str, str]:
    uid = bdb["uid"]
    return {f"bdb_{uid}/bdb.json": json.dumps(public(bdb), indent=2, sort_keys=True) + "\n"}


def package(files: dict[str, str], prefix: str) -> bytes:
    now = time.time()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        add_text(tar, f"{prefix}/README.txt",
                 f"Redis Enterprise sandbox debug info, collected {iso(now)}\n", now)
        for name, text in sorted(files.items()):
            add_text(tar, f"{prefix}/{name}", text, now)
    return buf.getvalue()


def download(data: bytes, filename: str) -> Response:
    return Response(200, data, content_type="application/x-gzip",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def collect(req, all_nodes: bool, bdb_uid: str | None) -> Response:
    with req.sandbox.store.transaction() as tx:
        nodes = tx.list("node")
        bdbs = tx.list("bdb")
        if bdb_uid is not None:
            bdb = tx.get("bdb", bdb_uid) if bdb_uid.isdigit() else None
            if bdb is None:
                raise ApiError(404, "bdb_not_found", f"database {bdb_uid} does not exist")
            bdbs = [bdb]
    if not all_nodes:
        nodes = [n for n in nodes if str(n["uid"]) == LOCAL_NODE]
    files = {}
    for node in nodes:
        files.update(node_files(node, bdbs))
    if bdb_uid is not None:
        files.update(bdb_files(bdbs[0]))
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    scope = "all" if all_nodes else f"node_{LOCAL_NODE}"
    if bdb_uid is not None:
        scope += f"_bdb_{bdb_uid}"
    return download(package(files, f"debuginfo_{scope}_{stamp}"), "debuginfo.tar.gz")


@route("GET", "/v1/debuginfo/all")
def all_nodes(req):
    return collect(req, all_nodes=True, bdb_uid=None)


@route("GET", "/v1/debuginfo/all/bdb/{bdb_uid}")
def all_nodes_bdb(req):
    return collect(req, all_nodes=True, bdb_uid=req.params["bdb_uid"])


@route("GET", "/v1/debuginfo/node")
def local_node(req):
    return collect(req, all_nodes=False, bdb_uid=None)


@route("GET", "/v1/debuginfo/node/bdb/{bdb_uid}")
def local_node_bdb(req):
    return collect(req, all_nodes=False, bdb_uid=req.params["bdb_uid"])
