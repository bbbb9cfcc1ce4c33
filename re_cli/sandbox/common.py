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
