"""Modules stored in the cluster (read-only: the sandbox ships the bundled ones)."""

from re_cli.sandbox.common import get_or_404, select_fields
from re_cli.sandbox.routes import route


@route("GET", "/v1/modules")
def list_modules(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(tx.list("module"), req.query)


@route("GET", "/v1/modules/{uid}")
def get_module(req):
    with req.sandbox.store.transaction() as tx:
        return get_or_404(tx, "module", req.params["uid"], "module")

