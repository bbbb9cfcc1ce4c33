"""What people type, turned into what the API takes: bodies and memory sizes.

Every failure here is a UsageError: one line on stderr, exit 2, before any request.
"""

import json
import re
import sys

from re_cli.errors import UsageError

# Binary units, as the Cluster Manager counts memory: 1GB is 1024**3 bytes.
_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(I?B)?\s*$", re.IGNORECASE)


def parse_memory(text: str, flag: str = "--memory") -> int:
    """`1GB`, `512MB`, `1.5G`, `2GiB` or plain bytes, as bytes."""
    match = _SIZE.match(text or "")
    if not match:
        raise UsageError(f"{flag}: `{text}` is not a size; use bytes or a unit: "
                         "KB, MB, GB, TB (1GB = 1024**3 bytes)")
    number, unit = float(match.group(1)), match.group(2).upper()
    return int(number * _UNITS[unit])


def _read_stdin_once(what: str) -> str:
    if getattr(_read_stdin_once, "used", None):
        raise UsageError(f"{what} wants stdin, but {_read_stdin_once.used} already read it")
    _read_stdin_once.used = what
    return sys.stdin.read()


def parse_data(text: str) -> object:
    """The value of `--data`: JSON itself, `@file` or `@-` (stdin)."""
    source = "--data"
    if text.startswith("@"):
        name = text[1:]
        if name == "-":
            text = _read_stdin_once("--data @-")
        else:
            try:
                with open(name, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as exc:
                raise UsageError(f"--data: cannot read `{name}`: {exc.strerror}") from None
            source = f"--data @{name}"
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source}: invalid JSON at line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None


def read_secret(flag: str) -> str:
    """One line from stdin: the password given with `--password-stdin`."""
    value = _read_stdin_once(flag).rstrip("\r\n")
    if not value:
        raise UsageError(f"{flag}: nothing was read from stdin")
    return value


def flag_value(kind: str, flag: str, value):
    """A body flag's value in the type the API wants."""
    if kind == "memory":
        return parse_memory(value, flag)
    if kind == "modules":
        return [{"module_name": name} for name in value]
    if kind == "list":
        return list(value)
    if kind == "intlist":
        return [int(v) for v in value]
    if kind == "secret":
        return read_secret(flag)
    return value


def merge_body(data, flags: dict):
    """`--data` and the body flags together; a flag wins over the same field in `--data`."""
    if data is None:
        return flags or None
    if flags and not isinstance(data, dict):
        raise UsageError("--data must be a JSON object when body flags are given too")
    if isinstance(data, dict):
        return {**data, **flags}
    return data
