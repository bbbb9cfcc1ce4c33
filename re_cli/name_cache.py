"""Live names for tab completion: database names and uids, node uids and addresses,
user emails, role, ACL and module names of the current profile's cluster.

Commands that list objects call `remember()`; completion reads a small JSON file per
profile in the user's cache dir. When that is older than TTL seconds, completion asks
the cluster once, bounded to about a second in all, and never prompts: the password
comes from RE_PASSWORD, the keyring or the profile's password_command only. Any
failure falls back, silently, to what the cache has: completion must never print into
the command line, and must work when the cluster is down.

Only the standard library and click are imported here; requests only on a refresh.
"""

import json
import os
import sys
import threading
import time
from pathlib import Path

TTL = 60.0
# Seconds for the whole refresh (password, connect, read); RE_COMPLETION_TIMEOUT
# raises it for a slow link.
REFRESH_BUDGET = 1.0

# kind -> (path of the list request, fields kept; the first ones are completed on)
KINDS = {
    "bdb": ("/v1/bdbs?fields=uid,name", ("uid", "name")),
    "node": ("/v1/nodes", ("uid", "addr")),
    "user": ("/v1/users", ("email",)),
    "role": ("/v1/roles", ("name",)),
    "redis_acl": ("/v1/redis_acls", ("name",)),
    "module": ("/v1/modules", ("module_name",)),
}


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "re"


def cache_file(where) -> Path:
    """The names file for a profile name, or for a Settings object (its profile, or its
    host and port when it has none, as with RE_HOST)."""
    from urllib.parse import quote

    if isinstance(where, str) or where is None:
        key = where or "_default"
    elif where.profile:
        key = where.profile
    else:
        key = f"_{where.host}_{where.port}"
    return cache_root() / quote(key, safe="") / "names.json"


def remember(where, kind: str, items: list) -> None:
    """Store the names of `items` (objects as the API returns them) for completion.
    `where` is the Settings the command used (or a profile name). Safe to call after
    every listing: one that lacks a field everywhere (`--fields uid`) changes nothing,
    and a cache that cannot be written is no reason for a command to fail."""
    if kind not in KINDS or not isinstance(items, list):
        return
    fields = KINDS[kind][1]
    kept = [{f: str(obj[f]) for f in fields if obj.get(f) not in (None, "")}
            for obj in items if isinstance(obj, dict)]
    if kept and not all(any(f in obj for obj in kept) for f in fields):
        return  # a listing cut down with --fields: keep the fuller names we have
    try:
        path = cache_file(where)
        data = _read(path)
        data[kind] = {"at": time.time(), "items": [k for k in kept if k]}
        _write(path, data)
    except (OSError, ValueError, TypeError):
        pass


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".names.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def complete(kind: str, incomplete: str, ctx=None) -> list:
    """Completion items for `kind` that start with `incomplete`, for the profile that
    the command line being completed would use."""
    try:
        settings = _settings(ctx)
        entry = _read(cache_file(settings)).get(kind) or {}
        items = entry.get("items") if isinstance(entry.get("items"), list) else []
        if not isinstance(entry.get("at"), (int, float)) or time.time() - entry["at"] > TTL:
            items = _refresh(settings, kind) or items
        return _items(kind, items, incomplete)
    except Exception:  # noqa: BLE001 - completion offers nothing rather than an error
        return []


def names(kind: str):
    """A `shell_complete` callable for a parameter that takes a `kind` name."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind `{kind}`: one of {', '.join(KINDS)}")

    def shell_complete(ctx, param, incomplete):
        return complete(kind, incomplete, ctx)

    return shell_complete


def profiles(ctx, param, incomplete) -> list:
    """A `shell_complete` callable for profile names, from the config file."""
    from click.shell_completion import CompletionItem

    from re_cli import config

    try:
        table = config.read().get("profiles", {})
    except Exception:  # noqa: BLE001 - a broken config completes nothing
        return []
    if not isinstance(table, dict):
        return []
    return [CompletionItem(name, help=_profile_help(values))
            for name, values in table.items() if name.startswith(incomplete)]


def _profile_help(values) -> str | None:
    if isinstance(values, dict) and values.get("host"):
        return str(values["host"])
    return None


def _items(kind: str, items: list, incomplete: str) -> list:
    from click.shell_completion import CompletionItem

    fields = KINDS[kind][1]
    found, seen = [], set()
    for obj in items:
        if not isinstance(obj, dict):
            continue
        for field in fields:
            value = obj.get(field)
            if not isinstance(value, str) or not value.startswith(incomplete) or value in seen:
                continue
            seen.add(value)
            others = [obj[f] for f in fields if f != field and obj.get(f)]
            found.append(CompletionItem(value, help=" ".join(others) or None))
    return found


def _settings(ctx):
    from re_cli.app import App
    from re_cli.settings import resolve

    app = ctx.find_object(App) if ctx is not None else None
    return resolve(app or App())


def refresh_budget() -> float:
    try:
        seconds = float(os.environ.get("RE_COMPLETION_TIMEOUT") or REFRESH_BUDGET)
    except ValueError:
        return REFRESH_BUDGET
    return seconds if seconds > 0 else REFRESH_BUDGET


def _refresh(settings, kind: str) -> list | None:
    """Ask the cluster for the list, within refresh_budget() seconds; None on failure."""
    # Whatever the libraries below would say (an insecure-TLS warning, a keyring
    # backend's complaint) must not reach the terminal: the shell is drawing a line.
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - kept for the rest of the process
    result = {}

    def work() -> None:
        result["items"] = _fetch(settings, kind)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(refresh_budget())
    items = result.get("items")
    if items is None:
        return None
    remember(settings, kind, items)
    return _read(cache_file(settings)).get(kind, {}).get("items")


def _fetch(settings, kind: str) -> list | None:
    password = _password_without_prompt(settings)
    if password is None:
        return None
    import requests

    from re_cli import tls

    with requests.Session() as session:
        tls.configure(session, settings)
        half = refresh_budget() / 2
        response = session.get(settings.base_url + KINDS[kind][0], timeout=(half, half),
                               auth=(settings.user, password),
                               headers={"Accept": "application/json"})
        if response.status_code != 200:
            return None
        data = response.json()
    return data if isinstance(data, list) else None


def _password_without_prompt(settings) -> str | None:
    if os.environ.get("RE_PASSWORD"):
        return os.environ["RE_PASSWORD"]
    from re_cli import secrets

    if settings.profile:
        try:
            stored = secrets.keyring_get(settings.profile)
        except Exception:  # noqa: BLE001 - no keyring: try the next source
            stored = None
        if stored:
            return stored
    if settings.password_command:
        return _run_password_command(settings.password_command)
    return None


def _run_password_command(command: str) -> str | None:
    import shlex
    import subprocess

    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=refresh_budget())
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    password = done.stdout.split("\n", 1)[0].rstrip("\r")
    return password if done.returncode == 0 and password else None
