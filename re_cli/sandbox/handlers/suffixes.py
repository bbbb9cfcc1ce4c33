"""DNS suffixes of the cluster, under which database endpoints are named."""

from re_cli.sandbox.routes import ApiError, route


def suffixes(tx) -> list[dict]:
    cluster = tx.get("cluster", "1") or {}
    fqdn = cluster.get("name", "cluster.local")
    base = {"mdns": False, "slaves": [], "use_aaaa_ns": False}
    return [
        {"name": fqdn, "default": True, "internal": False, **base},
        {"name": f"internal.{fqdn}", "default": False, "internal": True, **base},
    ]


@route("GET", "/v1/suffixes")
def list_suffixes(req):
    with req.sandbox.store.transaction() as tx:
        return suffixes(tx)


@route("GET", "/v1/suffix/{name}")
def get(req):
    name = req.params["name"]
    with req.sandbox.store.transaction() as tx:
        for suffix in suffixes(tx):
            if suffix["name"] == name:
                return suffix
    raise ApiError(404, "suffix_not_found", f"there is no DNS suffix named {name}")
