"""Modules stored in the cluster (read-only: the sandbox ships the bundled ones)."""

from re_cli.sandbox.common import get_or_404, select_fields
from re_cli.sandbox.routes import ApiError, route


@route("GET", "/v1/modules")
def list_modules(req):
    with req.sandbox.store.transaction() as tx:
        return select_fields(tx.list("module"), req.query)


@route("GET", "/v1/modules/{uid}")
def get_module(req):
    with req.sandbox.store.transaction() as tx:
        return get_or_404(tx, "module", req.params["uid"], "module")


@route("DELETE", "/v1/modules/{uid}")
def delete_module(req):
    with req.sandbox.store.transaction() as tx:
        module = get_or_404(tx, "module", req.params["uid"], "module")
        users = [str(b["uid"]) for b in tx.list("bdb")
                 if any(m.get("module_name") == module["module_name"]
                        for m in b.get("module_list") or [])]
        if users:
            raise ApiError(406, "module_in_use",
                           f"module {module['module_name']} is used by database(s) "
                           f"{', '.join(users)}")
        tx.delete("module", module["uid"])
    return None
