"""The deprecated debug info downloads under /v1/cluster and /v1/nodes, served from
the same packages as /v1/debuginfo."""

import time

from re_cli.sandbox.common import int_uid
from re_cli.sandbox.handlers.debuginfo import collect, download, node_files, package
from re_cli.sandbox.routes import ApiError, route


@route("GET", "/v1/cluster/debuginfo")
def cluster_debuginfo(req):
    return collect(req, all_nodes=True, bdb_uid=None)


@route("GET", "/v1/nodes/debuginfo")
def local_node_debuginfo(req):
    return collect(req, all_nodes=False, bdb_uid=None)


@route("GET", "/v1/nodes/{node_uid}/debuginfo")
def node_debuginfo(req):
    with req.sandbox.store.transaction() as tx:
        node = tx.get("node", int_uid(req.params["node_uid"], "node"))
        bdbs = tx.list("bdb")
    if node is None:
        raise ApiError(404, "node_not_found", f"node {req.params['node_uid']} does not exist")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    files = node_files(node, bdbs)
    return download(package(files, f"debuginfo_node_{node['uid']}_{stamp}"), "debuginfo.tar.gz")
