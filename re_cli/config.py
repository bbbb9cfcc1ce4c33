"""The config file: named profiles in TOML.

Reads use the standard library's tomllib (fast, for every run); edits go through
tomlkit so that the user's comments and key order survive, and replace the file
atomically with mode 0600.
"""

import os
import tempfile
from pathlib import Path

from re_cli.errors import ConfigError

DEFAULT_PORT = 9443


def config_path() -> Path:
    if os.environ.get("RE_CONFIG"):
        return Path(os.environ["RE_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "re" / "config.toml"


def read() -> dict:
    """The config as plain data; {} when there is no file."""
    import tomllib

    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _load_document():
    import tomlkit

    path = config_path()
    read()  # validates first, with a message that names the file and line
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return tomlkit.document()


def _write_document(doc) -> None:
    import tomlkit

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(tomlkit.dumps(doc))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def set_profile(name: str, values: dict, make_default: bool = False) -> None:
    """Create or update profile `name` with `values` (None removes a key)."""
    import tomlkit

    doc = _load_document()
    profiles = doc.setdefault("profiles", tomlkit.table(is_super_table=True))
    table = profiles.get(name)
    if table is None:
        table = tomlkit.table()
        profiles[name] = table
    for key, value in values.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    if make_default or "default_profile" not in doc:
        doc["default_profile"] = name
    _write_document(doc)
