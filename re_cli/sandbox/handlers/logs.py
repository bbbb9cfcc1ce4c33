"""The cluster's event log. Events come from the objects themselves (nodes joining,
databases created and changed) and from any `event` objects other handlers store."""

from re_cli.sandbox.handlers._shared import parse_iso
from re_cli.sandbox.routes import ApiError, route

EVENT_KIND = "event"


def derived_events(tx) -> list[dict]:
    cluster = tx.get("cluster", "1") or {}
    created = cluster.get("created_time", "")
    events = [{"time": created, "type": "cluster_created", "severity": "INFO",
               "cluster_name": cluster.get("name", "")}] if created else []
    for node in tx.list("node"):
        events.append({"time": created, "type": "cluster_node_joined", "severity": "INFO",
                       "node_uid": node["uid"]})
    for bdb in tx.list("bdb"):
        when = bdb.get("created_time") or created
        events.append({"time": when, "type": "cluster_bdb_created", "severity": "INFO",
                       "bdb_uid": str(bdb["uid"]), "bdb_name": bdb.get("name", "")})
        changed = bdb.get("last_changed_time")
        if changed and changed != when:
            events.append({"time": changed, "type": "bdb_updated", "severity": "INFO",
                           "bdb_uid": str(bdb["uid"])})
    return events


def event_time(event: dict) -> float | None:
    try:
        return parse_iso(str(event.get("time", "")), "time")
    except ApiError:
        return None


def int_param(query: dict, name: str) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise ApiError(400, "invalid_param", f"`{name}` must be a whole number")
    return int(raw)


@route("GET", "/v1/logs")
def list_events(req):
    query = req.query
    order = query.get("order", "asc").lower()
    if order not in ("asc", "desc"):
        raise ApiError(400, "invalid_param", "`order` must be asc or desc")
    limit = int_param(query, "limit")
    offset = int_param(query, "offset") or 0
    start = parse_iso(query["stime"], "stime") if query.get("stime") else None
    end = parse_iso(query["etime"], "etime") if query.get("etime") else None

    with req.sandbox.store.transaction() as tx:
        events = derived_events(tx) + tx.list(EVENT_KIND)
    stamped = [(t, e) for e in events if (t := event_time(e)) is not None]
    if start is not None:
        stamped = [(t, e) for t, e in stamped if t >= start]
    if end is not None:
        stamped = [(t, e) for t, e in stamped if t <= end]
    stamped.sort(key=lambda pair: pair[0], reverse=order == "desc")
    chosen = [e for _, e in stamped][offset:]
    return chosen if limit is None else chosen[:limit]
