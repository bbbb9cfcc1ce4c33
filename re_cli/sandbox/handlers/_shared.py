"""Small helpers for the handler modules of the smaller object groups: settings objects
kept as one stored singleton, partial updates checked against a field table, and
times in the forms the reference writes them."""

import copy
from datetime import datetime, timezone

from re_cli.sandbox.routes import ApiError

SINGLETON_UID = "1"

TYPE_NAMES = {bool: "a boolean", int: "an integer", str: "a string", list: "an array",
              dict: "an object", float: "a number"}


def action_delay(req) -> float:
    """Seconds an asynchronous task of this sandbox takes from queued to done."""
    box = req.sandbox
    for owner in (box, getattr(box, "settings", None), getattr(box, "options", None)):
        value = getattr(owner, "action_delay", None) if owner is not None else None
        if value is not None:
            return max(float(value), 0.0)
    return 1.0


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str, name: str) -> float:
    """An ISO 8601 time from a query parameter as epoch seconds; 400 when unreadable."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "invalid_param",
                       f"`{name}` must be an ISO 8601 time such as 2024-01-31T12:00:00Z") from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.timestamp()


def load_singleton(tx, kind: str, initial) -> dict:
    """The stored settings object of `kind`, created from `initial()` on first use."""
    obj = tx.get(kind, SINGLETON_UID)
    if obj is None:
        obj = tx.put(kind, SINGLETON_UID, initial())
    return obj


def is_type(value, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, expected)


def check_fields(body: dict, table: dict, what: str, error_code: str = "invalid_param") -> None:
    """400 for a field the table does not know or a value of the wrong type.

    `table` maps a field name to a type, to a tuple of allowed values, or to a nested
    table for a sub-object."""
    for name, value in body.items():
        if name not in table:
            raise ApiError(400, error_code, f"`{name}` is not a field of {what}")
        spec = table[name]
        if isinstance(spec, dict):
            if not isinstance(value, dict):
                raise ApiError(400, error_code, f"`{name}` must be an object")
            check_fields(value, spec, f"{what}.{name}", error_code)
        elif isinstance(spec, tuple):
            if value not in spec:
                allowed = ", ".join(str(v) for v in spec)
                raise ApiError(400, error_code, f"`{name}` must be one of: {allowed}")
        elif not is_type(value, spec):
            raise ApiError(400, error_code, f"`{name}` must be {TYPE_NAMES[spec]}")


def deep_merge(base: dict, changes: dict) -> dict:
    """A copy of `base` with `changes` applied, sub-objects merged key by key."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def public(obj: dict) -> dict:
    """The object without the sandbox's private bookkeeping fields (named `_...`)."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def check_cron(expression, name: str) -> None:
    """400 unless `expression` looks like a five-field cron expression."""
    if not isinstance(expression, str) or len(expression.split()) != 5:
        raise ApiError(400, "invalid_param",
                       f"`{name}` must be a cron expression of five fields, such as '*/5 * * * *'")
