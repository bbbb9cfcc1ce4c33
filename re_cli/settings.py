"""Connection settings, each taken from the first place that has it:
flag, then environment, then profile, then default."""

import os
from dataclasses import dataclass, field

from re_cli import config
from re_cli.errors import ConfigError

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")
DEFAULT_TIMEOUT = 30.0


@dataclass
class Settings:
    profile: str | None
    host: str
    port: int
    user: str
    tls: str  # system | ca | pinned | insecure
    ca_cert: str | None = None
    fingerprint: str | None = None
    timeout: float = 30.0
    password_command: str | None = None
    password_stdin: bool = False
    # Filled by password() on first use, or by `re profile add` with the password it
    # just read; kept out of repr so it cannot reach a traceback or a log.
    secret: str | None = field(default=None, repr=False, compare=False)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    def password(self) -> str:
        if self.secret is None:
            from re_cli.secrets import get_password

            self.secret = get_password(self)
        return self.secret


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _flag_env(name: str) -> bool | None:
    value = _env(name)
    if value is None:
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ConfigError(f"{name}=`{value}` is not a yes/no value (use 1 or 0)")


def _port(value) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if not 0 < port < 65536:
        raise ConfigError(f"port `{value}` is not a port number (1-65535)")
    return port


def _tls_mode(app, profile: dict) -> tuple[str, str | None]:
    """(mode, CA file): a flag beats the environment, which beats the profile."""
    insecure = app.insecure if app.insecure is not None else _flag_env("RE_INSECURE")
    if insecure:
        return "insecure", None
    ca_cert = app.ca_cert or _env("RE_CA_CERT")
    if ca_cert:
        return "ca", ca_cert
    if insecure is None and profile.get("insecure"):
        return "insecure", None
    if profile.get("fingerprint"):
        return "pinned", None
    if profile.get("ca_cert"):
        return "ca", profile["ca_cert"]
    return "system", None


def resolve(app) -> Settings:
    cfg = config.read()
    profiles = cfg.get("profiles", {})
    asked = app.profile or _env("RE_PROFILE")
    name = asked or cfg.get("default_profile")
    if name and name not in profiles:
        if asked:
            raise ConfigError(f"no profile named `{name}` in {config.config_path()}")
        if not (_env("RE_HOST") and _env("RE_USER")):
            raise ConfigError(f"default_profile `{name}` is not a profile in "
                              f"{config.config_path()}; run `re profile use NAME`")
        name = None
    if not name and profiles and not (_env("RE_HOST") and _env("RE_USER")):
        raise ConfigError(f"no profile chosen and no default_profile in {config.config_path()}: "
                          f"pass -p NAME or run `re profile use NAME`")
    profile = profiles.get(name, {}) if name else {}

    host = _env("RE_HOST") or profile.get("host")
    user = _env("RE_USER") or profile.get("user")
    if not host or not user:
        missing = "host" if not host else "user"
        where = f"profile `{name}` has no {missing}" if name else f"no {missing} to connect with"
        raise ConfigError(f"{where}: add a profile (`re profile add`) or set RE_HOST and RE_USER")

    tls, ca_cert = _tls_mode(app, profile)
    timeout = app.timeout or profile.get("timeout") or DEFAULT_TIMEOUT
    if timeout <= 0:
        raise ConfigError(f"timeout `{timeout}` must be more than 0 seconds")
    return Settings(
        profile=name,
        host=str(host),
        port=_port(_env("RE_PORT") or profile.get("port", config.DEFAULT_PORT)),
        user=str(user),
        tls=tls,
        ca_cert=os.path.expanduser(ca_cert) if ca_cert else None,
        fingerprint=profile.get("fingerprint") if tls == "pinned" else None,
        timeout=float(timeout),
        password_command=profile.get("password_command"),
        password_stdin=bool(getattr(app, "password_stdin", False)),
    )
