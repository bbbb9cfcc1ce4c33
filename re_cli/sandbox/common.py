"""Helpers every handler module may use: field selection, lookups that answer 404,
documented defaults, and timestamps in the reference's format."""

import copy
import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from re_cli.sandbox.routes import ApiError

_DEFAULTS_FILE = Path(__file__).with_name("defaults.json")


@lru_cache(maxsize=1)
def _defaults() -> dict:
    return json.loads(_DEFAULTS_FILE.read_text())


def defaults_for(object_name: str) -> dict:
    """The documented defaults of an object's fields (a fresh copy), {} when none."""
    return copy.deepcopy(_defaults().get(object_name, {}))


def requested_fields(query: dict) -> list[str] | None:
    """The names in `?fields=a,b`, or None when the parameter is absent or empty."""
    raw = query.get("fields")
    if not raw:
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    return names or None


def select_fields(obj, query: dict):
    """`obj` (a dict or a list of dicts) reduced to the fields `?fields=` names."""
    names = requested_fields(query)
    if names is None:
        return obj
    if isinstance(obj, list):
        return [{k: item[k] for k in names if k in item} for item in obj]
    return {k: obj[k] for k in names if k in obj}


def get_or_404(tx, kind: str, uid, what: str | None = None) -> dict:
    """The stored object, or a 404 ApiError that names it."""
    obj = tx.get(kind, uid)
    if obj is None:
        label = what or kind
        raise ApiError(404, f"{kind}_not_found" if what is None else "not_found",
                       f"{label} {uid} does not exist")
    return obj


def store_new(tx, kind: str, obj: dict, body: dict, taken_status: int = 400,
              taken_code: str = "invalid_param") -> dict:
    """Store a new object under the uid the body gives (refused when taken) or the next
    free one."""
    if "uid" in body:
        if not isinstance(body["uid"], int) or tx.get(kind, body["uid"]) is not None:
            raise ApiError(taken_status, taken_code, f"{kind} uid {body['uid']} is taken")
        tx.note_uid(kind, body["uid"])
        obj["uid"] = body["uid"]
    else:
        obj["uid"] = tx.next_uid(kind)
    return tx.put(kind, obj["uid"], obj)


def int_uid(value, what: str = "uid") -> int:
    """A path uid as an integer; 404 for a value that cannot name an object."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(404, "not_found", f"{what} {value!r} does not exist") from None


def now_iso() -> str:
    """The current time as the reference writes timestamps: 2024-01-31T12:00:00Z."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def reject_read_only(body: dict, read_only: set[str], what: str) -> None:
    """400 when an update tries to set a field the reference marks read-only."""
    touched = sorted(read_only.intersection(body))
    if touched:
        raise ApiError(400, "invalid_param",
                       f"{what} field(s) {', '.join(touched)} cannot be changed")


# interval name -> (seconds per sample, samples kept), as the reference lists them
STATS_INTERVALS = {
    "1sec": (1, 10), "10sec": (10, 30), "5min": (300, 12), "15min": (900, 96),
    "1hour": (3600, 168), "12hour": (43200, 62), "1week": (604800, 53),
}
DEFAULT_STATS_INTERVAL = "5min"


def parse_time(value: str, name: str, status: int = 400) -> datetime:
    """An ISO 8601 query value; `status` (400 by default) when it is not one."""
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(status, "invalid_param",
                       f"`{name}` must be an ISO 8601 time such as 2024-01-31T12:00:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def stats_window(query: dict, status: int = 400) -> tuple[str, list[datetime]]:
    """The interval asked for and the start time of each sample in the window.

    Samples end at the last whole interval before `etime` (default now) and reach back
    to `stime`, but never further than the number of samples the reference keeps."""
    interval = query.get("interval") or DEFAULT_STATS_INTERVAL
    if interval not in STATS_INTERVALS:
        raise ApiError(status, "invalid_param",
                       f"`interval` must be one of {', '.join(STATS_INTERVALS)}")
    step, kept = STATS_INTERVALS[interval]
    now = datetime.now(timezone.utc)
    end = min(parse_time(query["etime"], "etime", status), now) if query.get("etime") else now
    last_start = int(end.timestamp()) // step * step - step
    first_start = last_start - (kept - 1) * step
    if query.get("stime"):
        first_start = max(first_start, int(parse_time(query["stime"], "stime", status)
                                           .timestamp()) // step * step)
    starts = range(first_start, last_start + 1, step)
    return interval, [datetime.fromtimestamp(s, timezone.utc) for s in starts]


def _wobble(key: str, when: int) -> float:
    """A repeatable value in [0, 1) for a metric at a time: the same query answers alike."""
    import hashlib

    digest = hashlib.blake2b(f"{key}:{when}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32


def stats_samples(key: str, query: dict, metrics: dict[str, tuple[float, float]],
                  status: int = 400) -> list[dict]:
    """Plausible samples: each metric wanders within (low, high) over the window."""
    interval, starts = stats_window(query, status)
    step = STATS_INTERVALS[interval][0]
    wanted = query.get("metrics")
    names = [m.strip() for m in wanted.split(",")] if wanted else list(metrics)
    samples = []
    for start in starts:
        ts = int(start.timestamp())
        sample = {"interval": interval, "stime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "etime": datetime.fromtimestamp(ts + step, timezone.utc)
                  .strftime("%Y-%m-%dT%H:%M:%SZ")}
        for name in names:
            if name in metrics:
                low, high = metrics[name]
                sample[name] = low + (high - low) * _wobble(f"{key}:{name}", ts)
        samples.append(sample)
    return samples
