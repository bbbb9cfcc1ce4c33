"""Connection settings, each taken from the first place that has it:
flag, then environment, then profile, then default."""

import os
from dataclasses import dataclass

from re_cli import config
from re_cli.errors import ConfigError

TRUE = ("1", "true", "yes", "on")


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

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    def password(self) -> str:
        from re_cli.secrets import get_password

        return get_password(self)


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def resolve(app) -> Settings:
    cfg = config.read()
    name = app.profile or _env("RE_PROFILE") or cfg.get("default_profile")
    profiles = cfg.get("profiles", {})
    if app.profile or _env("RE_PROFILE"):
        if name not in profiles:
            raise ConfigError(f"no profile named `{name}` in {config.config_path()}")
    profile = profiles.get(name, {}) if name else {}
    if not isinstance(profile, dict):
        raise ConfigError(f"profile `{name}` in {config.config_path()} is not a table")

    host = _env("RE_HOST") or profile.get("host")
    user = _env("RE_USER") or profile.get("user")
    if not host or not user:
        missing = "host" if not host else "user"
        raise ConfigError(
            f"no {missing} to connect with: add a profile (`re profile add`) "
            f"or set RE_HOST and RE_USER"
        )
    port = _env("RE_PORT") or profile.get("port", config.DEFAULT_PORT)
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise ConfigError(f"port `{port}` is not a number") from None

    ca_cert = app.ca_cert or _env("RE_CA_CERT") or profile.get("ca_cert")
    insecure = app.insecure
    if insecure is None and _env("RE_INSECURE"):
        insecure = os.environ["RE_INSECURE"].lower() in TRUE
    if insecure is None:
        insecure = bool(profile.get("insecure", False))
    fingerprint = profile.get("fingerprint")
    if insecure:
        tls = "insecure"
    elif app.ca_cert or _env("RE_CA_CERT"):
        tls = "ca"
    elif fingerprint:
        tls = "pinned"
    elif ca_cert:
        tls = "ca"
    else:
        tls = "system"

    timeout = app.timeout or profile.get("timeout") or 30.0
    return Settings(
        profile=name if name in profiles else None,
        host=str(host),
        port=port,
        user=str(user),
        tls=tls,
        ca_cert=os.path.expanduser(str(ca_cert)) if ca_cert else None,
        fingerprint=fingerprint,
        timeout=float(timeout),
        password_command=profile.get("password_command"),
    )


