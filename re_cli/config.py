"""The config file: named profiles in TOML.

Reads use the standard library's tomllib (fast, for every run); edits go through
tomlkit so that the user's comments and key order survive, and replace the file
atomically with mode 0600. A file that does not parse is never rewritten.
"""

import os
import re
from pathlib import Path

from re_cli.errors import ConfigError

DEFAULT_PORT = 9443

# Keys a profile may hold, and the TOML type each one needs.
PROFILE_KEYS = {
    "host": str,
    "port": int,
    "user": str,
    "ca_cert": str,
    "fingerprint": str,
    "insecure": bool,
    "password_command": str,
    "timeout": (int, float),
}
TLS_KEYS = ("ca_cert", "fingerprint", "insecure")

_WHERE = re.compile(r"^(?P<problem>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def config_path() -> Path:
    if os.environ.get("RE_CONFIG"):
        return Path(os.environ["RE_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "re" / "config.toml"


def read() -> dict:
    """The config as plain data, checked; {} when there is no file."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_parse_problem(path, str(exc))) from None
    _check(path, text, data)
    return data


def _parse_problem(path: Path, message: str) -> str:
    found = _WHERE.match(message)
    if not found:
        return f"config file {path}: {message}"
    problem = found["problem"][:1].lower() + found["problem"][1:]
    return f"config file {path}, line {found['line']}: {problem} (column {found['column']})"


def _line_of(text: str, key: str, after: str | None = None) -> str:
    """`, line N` of the first `key = ...` (after the line holding `after`); a best
    effort, as tomllib reports no positions for values that parse."""
    assignment = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=')
    started = after is None
    for number, line in enumerate(text.splitlines(), 1):
        if not started:
            started = after in line
        elif assignment.match(line):
            return f", line {number}"
    return ""


def _check(path: Path, text: str, data: dict) -> None:
    """The shape `re` needs: a table of profile tables with keys of the right types."""
    default = data.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"config file {path}{_line_of(text, 'default_profile')}: "
                          f"default_profile must be a string")
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"config file {path}{_line_of(text, 'profiles')}: "
                          f"`profiles` must be a table of [profiles.NAME] tables")
    for name, profile in profiles.items():
        if not isinstance(profile, dict):
            raise ConfigError(f"config file {path}: "
                              f"profile `{name}` must be a table")
        for key, value in profile.items():
            wanted = PROFILE_KEYS.get(key)
            if wanted is None:
                raise ConfigError(
                    f"config file {path}{_line_of(text, key, name)}: profile `{name}` has "
                    f"an unknown key `{key}` (known: {', '.join(PROFILE_KEYS)})")
            if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
                kind = {str: "a string", int: "an integer", bool: "true or false"}.get(
                    wanted, "a number")
                raise ConfigError(f"config file {path}{_line_of(text, key, name)}: `{key}` of "
                                  f"profile `{name}` must be {kind}")
        tls = [key for key in TLS_KEYS if profile.get(key) not in (None, False)]
        if len(tls) > 1:
            raise ConfigError(f"config file {path}: profile `{name}` sets {' and '.join(tls)}; "
                              f"choose one way to trust the server")


def profiles() -> dict:
    return read().get("profiles", {})


def default_profile() -> str | None:
    return read().get("default_profile")


def _load_document():
    import tomlkit

    path = config_path()
    read()  # check first: a broken file is reported, never rewritten
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return tomlkit.document()


def _write_document(doc) -> None:
    import tempfile

    import tomlkit

    path = config_path()
    text = tomlkit.dumps(doc)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ConfigError(f"cannot write config file {path}: {exc.strerror or exc}; "
                          f"the file was left as it was") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def set_profile(name: str, values: dict, make_default: bool = False) -> None:
    """Create or update profile `name` with `values` (None removes a key)."""
    import tomlkit

    doc = _load_document()
    if "profiles" not in doc:
        doc["profiles"] = tomlkit.table(is_super_table=True)
    profiles_table = doc["profiles"]
    if name not in profiles_table:
        profiles_table[name] = tomlkit.table()
    table = profiles_table[name]
    for key, value in values.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    if make_default or "default_profile" not in doc:
        doc["default_profile"] = name  # tomlkit puts it before the first table
    _write_document(doc)


def remove_profile(name: str) -> bool:
    """Remove profile `name`; True when it was the default (which is then unset)."""
    doc = _load_document()
    profiles_table = doc.get("profiles")
    if profiles_table is None or name not in profiles_table:
        raise ConfigError(f"no profile named `{name}` in {config_path()}")
    del profiles_table[name]
    was_default = doc.get("default_profile") == name
    if was_default:
        del doc["default_profile"]
    _write_document(doc)
    return was_default


def use_profile(name: str) -> None:
    doc = _load_document()
    if name not in doc.get("profiles", {}):
        raise ConfigError(f"no profile named `{name}` in {config_path()}")
    doc["default_profile"] = name
    _write_document(doc)
