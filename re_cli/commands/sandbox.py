"""`re sandbox`: start, stop and inspect the local emulation of a cluster's REST API."""

import json
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import click

from re_cli import errors

DEFAULT_PORT = 9443
START_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0
PROFILE = "sandbox"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share")
    return Path(base) / "re" / "sandbox"


def _state(data_dir: Path) -> dict | None:
    """sandbox.json of a sandbox that is alive, else None."""
    from re_cli.sandbox.server import running_pid

    if running_pid(data_dir) is None:
        return None
    try:
        return json.loads((data_dir / "sandbox.json").read_text())
    except (OSError, ValueError):
        return None


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where the sandbox keeps its state, certificates and passwords "
         "[default: $XDG_DATA_HOME/re/sandbox].")


@click.group()
def cli() -> None:
    """A local emulation of a cluster's REST API, served over HTTPS.

    \b
    Examples:
      re sandbox start
      re -p sandbox api GET /v1/cluster
      re sandbox stop
    """


START_HELP = f"""Start the sandbox on 127.0.0.1 (in the background unless --foreground).

On first start it makes its own CA (ca.pem in the data dir), seeds a cluster with
three nodes and one user per management role, shows the admin password once and
keeps every password in the data dir (credentials.json, passwords/, mode 0600). It
sets up the profile `{PROFILE}` for `re`, and makes it the default when no default
profile is set.

\b
Faults, all off by default, for testing clients: --fault-latency adds seconds to
every answer; --fault-error-rate, --fault-drop-rate and --fault-truncate-rate (0 to 1)
answer that share of requests with 503, close the connection without an answer, or
cut the body short. Change them while it runs with
`PUT /sandbox/faults` and a JSON body such as {{"error_rate": 0.5}} (admin only);
GET it to read them. `PUT /sandbox/bootstrap` with {{"state": "idle"}} makes the node
one that has not joined a cluster, so that a bootstrap can be tried.

\b
Exit codes: 0 started; 8 the port is busy or a sandbox already runs with this
data dir, or it did not come up (see sandbox.log in the data dir).

\b
Examples:
  re sandbox start
  re sandbox start --port 9444 --data-dir /tmp/box
  curl --cacert ~/.local/share/re/sandbox/ca.pem -u admin@sandbox.local:PASSWORD \\
      'https://127.0.0.1:9443/v1/bdbs?fields=uid,name'
"""


@cli.command(help=START_HELP)
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True,
              help="HTTPS port on 127.0.0.1.")
@data_dir_option
@click.option("--foreground", is_flag=True, help="Serve in this process until Ctrl-C.")
@click.option("--action-delay", type=click.FloatRange(0, 600), default=2.0, show_default=True,
              metavar="SECONDS", help="How long an asynchronous action takes to complete.")
@click.option("--fault-latency", type=click.FloatRange(0, 60), default=0.0, metavar="SECONDS",
              help="Seconds added to every answer.")
@click.option("--fault-error-rate", type=click.FloatRange(0, 1), default=0.0, metavar="RATE",
              help="Share of requests answered 503.")
@click.option("--fault-drop-rate", type=click.FloatRange(0, 1), default=0.0, metavar="RATE",
              help="Share of connections closed without an answer.")
@click.option("--fault-truncate-rate", type=click.FloatRange(0, 1), default=0.0, metavar="RATE",
              help="Share of answers whose body is cut short.")
def start(port: int, data_dir: Path | None, foreground: bool, action_delay: float,
          fault_latency: float, fault_error_rate: float, fault_drop_rate: float,
          fault_truncate_rate: float) -> None:
    from re_cli.sandbox.faults import FaultSettings

    data_dir = (data_dir or default_data_dir()).expanduser().resolve()
    faults = FaultSettings(latency=fault_latency, error_rate=fault_error_rate,
                           drop_rate=fault_drop_rate, truncate_rate=fault_truncate_rate)
    if foreground:
        _serve(port, data_dir, action_delay, faults)
        return

    running = _state(data_dir)
    if running:
        raise errors.ConnectionFailed(
            f"a sandbox already runs at {running['url']} with data dir {data_dir} "
            f"(pid {running['pid']}); `re sandbox stop` stops it")
    if not _port_free("127.0.0.1", port):
        raise errors.ConnectionFailed(
            f"port {port} on 127.0.0.1 is in use; choose another with --port")

    first_start = not (data_dir / "credentials.json").exists()
    state = _spawn(port, data_dir, action_delay, faults)
    made_default = _set_profile(data_dir, port, state["admin"])
    _report(state, data_dir, first_start, made_default)


def _serve(port: int, data_dir: Path, action_delay: float, faults) -> None:
    from re_cli.sandbox.server import PortInUse, serve

    try:
        serve(port, data_dir, action_delay, faults)
    except PortInUse as exc:
        raise errors.ConnectionFailed(str(exc)) from None


def _spawn(port: int, data_dir: Path, action_delay: float, faults) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_path = data_dir / "sandbox.log"
    cmd = [sys.executable, "-m", "re_cli", "sandbox", "start", "--foreground",
           "--port", str(port), "--data-dir", str(data_dir),
           "--action-delay", str(action_delay),
           "--fault-latency", str(faults.latency),
           "--fault-error-rate", str(faults.error_rate),
           "--fault-drop-rate", str(faults.drop_rate),
           "--fault-truncate-rate", str(faults.truncate_rate)]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, close_fds=True)

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            raise errors.ReError(f"the sandbox did not start: {_last_line(log_path)}",
                                 code if code > 1 else errors.CONNECTION)
        state = _state(data_dir)
        if state and state.get("pid") == proc.pid and _listening("127.0.0.1", port):
            return state
        time.sleep(0.1)
    proc.terminate()
    raise errors.ConnectionFailed(
        f"the sandbox did not start within {START_TIMEOUT:g}s; see {log_path}")


def _last_line(path: Path) -> str:
    try:
        lines = [ln for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return f"see {path}"
    return lines[-1].removeprefix("re: ") if lines else f"see {path}"


def _set_profile(data_dir: Path, port: int, admin: str) -> bool:
    """Point the `sandbox` profile at this sandbox; True when it became the default."""
    from re_cli import config

    had_default = "default_profile" in config.read()
    password_file = data_dir / "passwords" / "admin"
    config.set_profile(PROFILE, {
        "host": "127.0.0.1",
        "port": port,
        "user": admin,
        "ca_cert": str(data_dir / "ca.pem"),
        "password_command": f"cat {shlex.quote(str(password_file))}",
    })
    return not had_default


def _report(state: dict, data_dir: Path, first_start: bool, made_default: bool) -> None:
    lines = [f"Sandbox running at {state['url']} (pid {state['pid']})",
             f"  admin user:   {state['admin']}"]
    if first_start:
        creds = json.loads((data_dir / "credentials.json").read_text())
        lines.append(f"  password:     {creds['admin']['password']}  (shown once)")
    lines += [
        f"  passwords:    {data_dir / 'credentials.json'} and {data_dir / 'passwords'}/",
        f"  CA cert:      {data_dir / 'ca.pem'}",
        f"  profile:      {PROFILE}" + (" (now the default)" if made_default else ""),
        f"  log:          {data_dir / 'sandbox.log'}",
        f"Try: re -p {PROFILE} api GET /v1/cluster    Stop: re sandbox stop",
    ]
    click.echo("\n".join(lines))


@cli.command(help="""Stop the sandbox that runs with the data dir.

\b
Examples:
  re sandbox stop
  re sandbox stop --data-dir /tmp/box
""")
@data_dir_option
def stop(data_dir: Path | None) -> None:
    import signal

    data_dir = (data_dir or default_data_dir()).expanduser().resolve()
    state = _state(data_dir)
    if state is None:
        click.echo(f"No sandbox is running with data dir {data_dir}.", err=True)
        return
    pid = int(state["pid"])
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise errors.ReError(f"the sandbox (pid {pid}) did not stop within {STOP_TIMEOUT:g}s")
    click.echo(f"Stopped the sandbox at {state['url']}.", err=True)


@cli.command(help="""Say whether the sandbox runs, and where.

\b
Exit codes: 0 running, 1 not running.

\b
Examples:
  re sandbox status
""")
@data_dir_option
def status(data_dir: Path | None) -> None:
    data_dir = (data_dir or default_data_dir()).expanduser().resolve()
    state = _state(data_dir)
    if state is None or not _listening(state.get("host", "127.0.0.1"), int(state["port"])):
        click.echo(f"not running (data dir {data_dir})")
        # SystemExit, not click's Exit: `re`'s runner drops the code click returns for it.
        sys.exit(1)
    click.echo(f"running at {state['url']} (pid {state['pid']}, data dir {data_dir})")
