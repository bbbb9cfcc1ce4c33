"""Values shown for people: sizes, durations and times in short words.

Only terminal tables use these; JSON output keeps the server's values exactly.
Every function returns its input unchanged when it is not something it knows how
to read (None, a bool, a word such as "auto", a nested object).

Sizes use binary units: 1 KB = 1024 bytes, 1 GB = 1024**3 bytes, as the cluster's
own UI counts memory.
"""

import re
import time
from datetime import datetime, timezone

_SIZE_UNITS = ("B", "KB", "MB", "GB", "TB", "PB", "EB")

# (seconds in the unit, its short name), largest first.
_TIME_UNITS = ((86400 * 365, "y"), (86400, "d"), (3600, "h"), (60, "min"), (1, "s"))

# Epoch values above this are taken to be in milliseconds (the year 5138 in seconds).
_EPOCH_MS_FROM = 10**11


def _number(value) -> float | None:
    """`value` as a number, or None. Booleans are not numbers here; numeric strings are."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        return float(value)
    return None


def _short(amount: float) -> str:
    """At most one decimal, none when it would be `.0`: 1, 1.5, 12, 1024."""
    if abs(amount) >= 10 or amount == int(amount):
        return str(int(round(amount)))
    text = f"{amount:.1f}"
    return text[:-2] if text.endswith(".0") else text


def memory(value):
    """Bytes as `1 GB`, `512 MB`, `1.5 KB` (binary units)."""
    amount = _number(value)
    if amount is None:
        return value

    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    unit = 0
    while amount >= 1024 and unit < len(_SIZE_UNITS) - 1:
        amount /= 1024
        unit += 1
    # 1023.96 KB rounds to "1024 KB"; say "1 MB" instead.
    if _short(amount) == "1024" and unit < len(_SIZE_UNITS) - 1:
        amount, unit = 1.0, unit + 1
    return f"{sign}{_short(amount)} {_SIZE_UNITS[unit]}"


def duration(value):
    """Seconds as `45 s`, `12 min`, `3 h`, `2 d`; below a second, `250 ms`."""
    seconds = _number(value)
    if seconds is None:
        return value

    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if 0 < seconds < 1:
        return f"{sign}{_short(seconds * 1000)} ms"
    for size, name in _TIME_UNITS:
        if seconds >= size:
            return f"{sign}{_short(seconds / size)} {name}"
    return "0 s"


def parse_time(value) -> datetime | None:
    """An ISO 8601 string or an epoch number (seconds or milliseconds) as an aware
    datetime in UTC, or None when `value` is neither. Naive ISO times count as UTC,
    which is what the cluster sends."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        epoch = value / 1000 if abs(value) >= _EPOCH_MS_FROM else value
        try:
            return datetime.fromtimestamp(epoch, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not re.match(r"\s*\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def timestamp(value, now: float | None = None):
    """A point in time as `3 h ago` or `in 2 d`, relative to `now` (epoch seconds)."""
    moment = parse_time(value)
    if moment is None:
        return value

    now = time.time() if now is None else now
    delta = now - moment.timestamp()
    if abs(delta) < 1:
        return "just now"
    words = duration(abs(delta))
    return f"{words} ago" if delta > 0 else f"in {words}"


# Field names (as the API spells them) whose values are bytes, seconds or times.
_MEMORY_FIELDS = re.compile(
    r"(^|_)(memory_size|memory|ram_size|total_memory|free_memory|available_memory|"
    r"used_memory|bigstore_size|storage_size|maxmemory_clients|max_aof_file_size|"
    r"rdb_size|backlog_size|provisional_memory|ephemeral_storage_avail|"
    r"persistent_storage_avail|ephemeral_storage_free|persistent_storage_free)$"
)
_DURATION_FIELDS = re.compile(
    r"(^|_)(uptime|backup_interval|backup_interval_offset|recovery_wait_time|"
    r"max_aof_load_time|ttl|cache_ttl|retry_time)$|_seconds$|_period$"
)
_TIME_FIELDS = re.compile(
    r"(_time|_timestamp|^stime|^etime|^started|^ended|_at|^last_update|^next_update|"
    r"this_update|^last_login|^expiration_date|^expire_time)$"
)


def for_field(name: str, value, now: float | None = None):
    """`value` shown for people, chosen by its field name; unchanged when the name
    says nothing or the value does not fit (such as `repl_backlog_size: "auto"`)."""
    if not isinstance(name, str):
        return value
    if _MEMORY_FIELDS.search(name):
        return memory(value)
    if _DURATION_FIELDS.search(name):
        return duration(value)
    if _TIME_FIELDS.search(name):
        # Times are only ever strings or epochs; a number under a `_time` name that
        # is small is a duration in disguise (max_aof_load_time), so leave it be.
        if isinstance(value, str) or (_number(value) or 0) > 10**9:
            return timestamp(value, now)
    return value
