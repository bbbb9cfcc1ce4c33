"""`re profile`: named connections in the config file, their passwords in the keyring."""

import os
import sys

import click

from re_cli import config, errors
from re_cli.app import App

TLS_NAMES = {"system": "system", "ca": "ca_cert", "pinned": "fingerprint",
             "insecure": "insecure"}


def _say(message: str) -> None:
    """A message for people: stderr, printed as it is."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def _check_name(name: str) -> str:
    if not name or name != name.strip() or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise errors.UsageError(f"`{name}` cannot be a profile name: use visible characters, "
                                f"no leading or trailing spaces")
    return name


def _current_name(app: App, name: str | None) -> str:
    """NAME if given, else -p, RE_PROFILE or the default profile."""
    name = name or app.profile or os.environ.get("RE_PROFILE") or config.default_profile()
    if not name:
        raise errors.ConfigError("no profile given and no default profile: "
                                 "name one, or run `re profile use NAME`")
    if name not in config.profiles():
        raise errors.ConfigError(f"no profile named `{name}` in {config.config_path()}")
    return name


def _tls_name(values: dict) -> str:
    if values.get("insecure"):
        return "insecure"
    if values.get("fingerprint"):
        return "fingerprint"
    if values.get("ca_cert"):
        return "ca_cert"
    return "system"


def _describe(name: str, values: dict, default: str | None) -> dict:
    from re_cli import secrets

    host = values.get("host", "")
    port = values.get("port", config.DEFAULT_PORT)
    shown_host = f"[{host}]" if ":" in host else host
    row = {
        "name": name,
        "default": name == default,
        "url": f"https://{shown_host}:{port}",
        "host": host,
        "port": port,
        "user": values.get("user", ""),
        "tls": _tls_name(values),
        "password": secrets.password_source(name, values),
    }
    for key in ("ca_cert", "fingerprint", "password_command", "timeout"):
        if key in values:
            row[key] = values[key]
    return row


def _print_rows(app: App, rows, columns: list[str]) -> None:
    """JSON when piped or asked with -o json; otherwise aligned columns."""
    out = app.out()
    if out.mode != "table":
        out.show_value(rows)
        return
    table = [[c.upper() for c in columns]]
    table += [[_cell(row, c) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def _cell(row: dict, column: str) -> str:
    if column == "default":
        return "*" if row["default"] else ""
    return str(row.get(column, ""))


def _print_fields(app: App, row: dict) -> None:
    out = app.out()
    if out.mode != "table":
        out.show_value(row)
        return
    width = max(len(k) for k in row)
    for key, value in row.items():
        shown = ("yes" if value else "no") if isinstance(value, bool) else value
        click.echo(f"{key.ljust(width)}  {shown}")


@click.group()
def cli() -> None:
    """Connection profiles: where a cluster is, who you are, how to trust it.

    \b
    Profiles live in ~/.config/re/config.toml (or the file in RE_CONFIG).
    Each setting comes from the first of: a flag, the environment (RE_PROFILE,
    RE_HOST, RE_PORT, RE_USER, RE_CA_CERT, RE_INSECURE), the profile, the default.
    With RE_HOST and RE_USER set, no config file is needed.
    The password comes from RE_PASSWORD, then --password-stdin, the keyring,
    the profile's password_command, and last a hidden prompt on a terminal.
    A profile trusts the server through the system's CAs, a CA file
    (ca_cert), a pinned SHA-256 fingerprint, or not at all (insecure).

    \b
    Examples:
      re profile add prod --host cluster.example.com --user admin@example.com --no-check
      re profile add local --host 127.0.0.1 --port 9443 --user admin@sandbox.local \\
          --ca-cert ~/.local/share/re/sandbox/ca.pem --password-stdin < admin.pw
      re profile list
      re -p local profile test
    """


@cli.command("list")
@click.pass_obj
def list_profiles(app: App) -> None:
    """The profiles: URL, user, TLS mode, where the password comes from (* = default).

    \b
    Examples:
      re profile list
      re profile list -o json | jq -r '.[].name'
    """
    cfg = config.read()
    default = cfg.get("default_profile")
    rows = [_describe(name, values, default)
            for name, values in cfg.get("profiles", {}).items()]
    if not rows and app.out().mode == "table":
        _say(f"no profiles in {config.config_path()}; add one with `re profile add`")
        return
    _print_rows(app, rows, ["default", "name", "url", "user", "tls", "password"])


@cli.command()
@click.argument("name", required=False)
@click.pass_obj
def show(app: App, name: str | None) -> None:
    """One profile's settings (the default profile without NAME).

    \b
    Examples:
      re profile show local
      re profile show
    """
    name = _current_name(app, name)
    cfg = config.read()
    row = _describe(name, cfg["profiles"][name], cfg.get("default_profile"))
    row["config_file"] = str(config.config_path())
    _print_fields(app, row)


@cli.command()
@click.argument("name")
@click.pass_obj
def use(app: App, name: str) -> None:
    """Make NAME the default profile.

    \b
    Example:
      re profile use local
    """
    config.use_profile(name)
    _say(f"default profile: {name}")


@cli.command()
@click.argument("name")
@click.pass_obj
def remove(app: App, name: str) -> None:
    """Remove a profile from the config file and its password from the keyring.

    \b
    Example:
      re profile remove staging
    """
    from re_cli import secrets

    was_default = config.remove_profile(name)
    try:
        deleted = secrets.keyring_delete(name)
        kept = "its keyring entry deleted" if deleted else "it had no keyring entry"
    except secrets.KeyringUnavailable as exc:
        kept = f"keyring not checked: {exc.reason}"
    note = "; there is no default profile now" if was_default else ""
    _say(f"removed profile `{name}` ({kept}){note}")


@cli.command("set-password")
@click.argument("name", required=False)
@click.pass_obj
def set_password(app: App, name: str | None) -> None:
    """Store a profile's password in the keyring (asked on a terminal, or --password-stdin).

    \b
    Example:
      re profile set-password local --password-stdin < admin.pw
    """
    from re_cli import secrets

    name = _current_name(app, name)
    if getattr(app, "password_stdin", False):
        password = secrets.read_stdin_password()
    elif secrets.on_terminal():
        password = secrets.prompt_password(f"New password for profile `{name}`", confirm=True)
    else:
        raise errors.ConfigError("set-password reads the password on a terminal, "
                                 "or from stdin with --password-stdin")
    secrets.keyring_set(name, password)
    _say(f"stored the password of profile `{name}` in the keyring")


@cli.command()
@click.argument("name", required=False)
@click.pass_obj
def test(app: App, name: str | None) -> None:
    """Connect with a profile; print the cluster's name, version, nodes and round trip.

    The exit code tells the outcome: 0 connected, 3 no password or bad profile,
    4 credentials refused, 8 no connection or the certificate is not trusted.

    \b
    Examples:
      re profile test local
      re -p local profile test
    """
    if name:
        _current_name(app, name)
        app.profile = name
    settings = app.settings()
    client = app.client()
    cluster = client.get("/v1/cluster")
    nodes = client.get("/v1/nodes").json() or []
    body = cluster.json() if isinstance(cluster.json(), dict) else {}
    versions = sorted({n.get("software_version") for n in nodes
                       if isinstance(n, dict) and n.get("software_version")})
    _print_fields(app, {
        "profile": settings.profile or "(environment)",
        "url": settings.base_url,
        "cluster": body.get("name", ""),
        "version": ", ".join(versions) or "unknown",
        "nodes": len(nodes),
        "round_trip_ms": round(cluster.elapsed * 1000, 1),
    })


@cli.command()
@click.argument("name")
@click.option("--host", required=True, help="The cluster's address (a node or its FQDN).")
@click.option("--port", type=click.IntRange(1, 65535), default=config.DEFAULT_PORT,
              show_default=True, help="The REST API port.")
@click.option("--user", required=True, help="The user's email or name.")
@click.option("--ca-cert", "ca_cert", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False),
              help="Trust the server through this CA file.")
@click.option("--pin-fingerprint", "fingerprint", metavar="SHA256",
              help="Trust exactly the certificate with this SHA-256 fingerprint.")
@click.option("--insecure", is_flag=True, default=None,
              help="Trust any certificate (not recommended).")
@click.option("--password-command", metavar="CMD",
              help="Take the password from this command's output instead of the keyring.")
@click.option("--no-check", is_flag=True, help="Save without connecting to the cluster.")
@click.option("--default", "make_default", is_flag=True, help="Make it the default profile.")
@click.pass_obj
def add(app: App, name: str, host: str, port: int, user: str, ca_cert: str | None,
        fingerprint: str | None, insecure: bool | None, password_command: str | None,
        no_check: bool, make_default: bool) -> None:
    """Add (or replace) a profile, store its password in the keyring, and connect once
    (GET /v1/cluster) to prove it works.

    \b
    The password is read from --password-stdin, else asked on a terminal, and
    stored in the keyring. With --password-command nothing is stored; off a
    terminal, RE_PASSWORD serves for the check only.
    When the certificate does not verify, its fingerprint is shown and, on a
    terminal, you may pin it; scripts pass --pin-fingerprint.
    The first profile becomes the default one.

    \b
    Examples:
      re profile add local --host 127.0.0.1 --port 9443 --user admin@sandbox.local \\
          --ca-cert ~/.local/share/re/sandbox/ca.pem --password-stdin < admin.pw
      re profile add staging --host 127.0.0.1 --port 9443 --user admin@sandbox.local \\
          --insecure --no-check
    """
    from re_cli import secrets, tls
    from re_cli.settings import Settings

    _check_name(name)
    ca_cert = ca_cert or app.ca_cert
    insecure = insecure or app.insecure
    chosen = [flag for flag, value in (("--ca-cert", ca_cert), ("--pin-fingerprint", fingerprint),
                                       ("--insecure", insecure)) if value]
    if len(chosen) > 1:
        raise errors.UsageError(f"{' and '.join(chosen)} exclude each other: "
                                f"choose one way to trust the server")
    if fingerprint:
        fingerprint = tls.normalize_fingerprint(fingerprint)
    if ca_cert:
        ca_cert = os.path.abspath(os.path.expanduser(ca_cert))

    replaced = name in config.profiles()
    timeout = app.timeout or 30.0
    if not no_check and not (insecure or fingerprint):
        fingerprint = _trust_on_first_use(name, host, port, ca_cert, timeout)

    password, store = _password_for_add(app, name, password_command, no_check)
    mode = "insecure" if insecure else "pinned" if fingerprint else "ca" if ca_cert else "system"
    settings = Settings(profile=name, host=host, port=port, user=user, tls=mode,
                        ca_cert=ca_cert, fingerprint=fingerprint, timeout=timeout,
                        password_command=password_command, secret=password)
    if not no_check:
        _prove(app, settings, name)

    if store:
        secrets.keyring_set(name, password)
    elif password_command and replaced:
        _forget_stored_password(name)  # it would win over the new command
    values = {"host": host, "port": port, "user": user, "ca_cert": ca_cert,
              "fingerprint": fingerprint, "insecure": True if insecure else None,
              "password_command": password_command}
    config.set_profile(name, values, make_default=make_default)

    where = ("password in the keyring" if store else
             "password from its password_command" if password_command else
             "no password stored")
    verb = "replaced" if replaced else "added"
    _say(f"{verb} profile `{name}`: {settings.base_url} as {user}, TLS {TLS_NAMES[mode]}, "
         f"{where}")


def _forget_stored_password(name: str) -> None:
    from re_cli import secrets

    try:
        secrets.keyring_delete(name)
    except secrets.KeyringUnavailable:
        pass


def _password_for_add(app: App, name: str, password_command: str | None,
                      no_check: bool) -> tuple[str | None, bool]:
    """(password, store it in the keyring?) for `re profile add`."""
    from re_cli import secrets

    if getattr(app, "password_stdin", False):
        return secrets.read_stdin_password(), True
    if password_command:
        return (None if no_check else secrets.run_password_command(password_command)), False
    if secrets.on_terminal():
        return secrets.prompt_password(f"Password for profile `{name}`", confirm=no_check), True
    if os.environ.get("RE_PASSWORD"):
        return os.environ["RE_PASSWORD"], False
    if no_check:
        return None, False
    raise errors.ConfigError("no password to check the profile with: pipe it with "
                             "--password-stdin, run on a terminal, give --password-command, "
                             "or save without a check (--no-check)")


def _trust_on_first_use(name: str, host: str, port: int, ca_cert: str | None,
                        timeout: float) -> str | None:
    """A fingerprint to pin when the server's certificate does not verify and the
    user accepts it; None when it verifies."""
    from re_cli import tls

    problem = tls.verification_problem(host, port, ca_cert, timeout)
    if problem is None:
        return None
    cert = tls.fetch_certificate(host, port, timeout)
    expiry = cert.not_after.strftime("%Y-%m-%d %H:%M UTC")
    _say(f"The certificate of {host}:{port} does not verify: {problem}")
    _say(f"  SHA256 fingerprint: {cert.fingerprint}")
    _say(f"  subject:            {cert.subject}")
    _say(f"  issuer:             {cert.issuer}")
    _say(f"  expires:            {expiry}{' (EXPIRED)' if cert.expired else ''}")
    if sys.stdin.isatty():
        if click.confirm(f"Pin this certificate for profile `{name}`?", default=False,
                         err=True):
            return cert.fingerprint
        raise errors.ConnectionFailed(f"the certificate of {host}:{port} is not trusted; "
                                      f"profile `{name}` was not saved")
    raise errors.ConnectionFailed(
        f"the certificate of {host}:{port} does not verify ({problem}); compare the "
        f"fingerprint above with the cluster's, then add the profile again with "
        f"--pin-fingerprint {cert.fingerprint}, or --ca-cert FILE")


def _prove(app: App, settings, name: str) -> None:
    """Connect once with the new settings; any failure keeps its exit code."""
    from re_cli.http import Client

    try:
        Client(settings, verbose=app.verbose).get("/v1/cluster")
    except errors.ReError as exc:
        raise errors.ReError(f"{exc}; profile `{name}` was not saved (--no-check saves it "
                             f"without connecting)", exc.code) from None
