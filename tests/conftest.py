"""Shared test harness: `re` runs as a real process, with its own config, cache and
data dirs, against a sandbox served over real HTTPS on loopback."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROLES = ("admin", "db_viewer", "db_member", "cluster_viewer", "cluster_member", "user_manager")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(home: Path) -> dict:
    """An environment with nothing of the developer's: no RE_* variables, temp dirs,
    no colour, a fixed width, and a file keyring inside `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RE_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        NO_COLOR="1",
        COLUMNS="120",
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("FORCE_COLOR", None)
    return env


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = field(repr=False, default=b"")


@dataclass
class Sandbox:
    """A running sandbox: where it listens and the seeded users' credentials."""

    port: int
    data_dir: Path
    process: subprocess.Popen
    creds: dict = field(repr=False)  # role -> {"user": ..., "password": ...}

    host = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    @property
    def ca_cert(self) -> Path:
        return self.data_dir / "ca.pem"

    def user(self, role: str = "admin") -> str:
        return self.creds[role]["user"]

    def password(self, role: str = "admin") -> str:
        return self.creds[role]["password"]

    def env(self, role: str = "admin") -> dict:
        """RE_* variables that point `re` at this sandbox as `role`, CA-verified."""
        return {
            "RE_HOST": self.host,
            "RE_PORT": str(self.port),
            "RE_USER": self.user(role),
            "RE_PASSWORD": self.password(role),
            "RE_CA_CERT": str(self.ca_cert),
        }


def _state_pid(state: Path) -> int | None:
    try:
        return int(json.loads(state.read_text())["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def start_sandbox(data_dir: Path, env: dict, *extra: str, timeout: float = 30) -> Sandbox:
    port = free_port()
    cmd = [sys.executable, "-m", "re_cli", "sandbox", "start", "--foreground",
           "--port", str(port), "--data-dir", str(data_dir), *extra]
    log = open(data_dir.parent / f"{data_dir.name}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    state = data_dir / "sandbox.json"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sandbox exited with {proc.returncode}; see {log.name}")
        if _state_pid(state) == proc.pid:  # not a stale file a killed sandbox left
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                pass
        time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(f"sandbox did not start in {timeout}s; see {log.name}")
    creds = json.loads((data_dir / "credentials.json").read_text())
    return Sandbox(port=port, data_dir=data_dir, process=proc, creds=creds)


def stop_sandbox(box: Sandbox) -> None:
    box.process.terminate()
    try:
        box.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        box.process.kill()
        box.process.wait()


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Sandbox:
    """One sandbox for the whole session, with a short action delay."""
    home = tmp_path_factory.mktemp("sandbox-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "0.3")
    yield box
    stop_sandbox(box)


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path


@pytest.fixture
def re_run(home):
    """Run `re` as a process: re_run(*args, env={...}, input=...) -> Result."""

    def run(*args: str, env: dict | None = None, input: str | bytes | None = None,
            timeout: float = 60) -> Result:
        full_env = isolated_env(home)
        full_env.update(env or {})
        data = input.encode() if isinstance(input, str) else input
        done = subprocess.run([sys.executable, "-m", "re_cli", *args], env=full_env,
                              input=data, capture_output=True, timeout=timeout, cwd=home,
                              stdin=None if data is not None else subprocess.DEVNULL)
        return Result(done.returncode, done.stdout.decode(errors="replace"),
                      done.stderr.decode(errors="replace"), done.stdout)

    return run


@pytest.fixture
def re_tty(home):
    """Run `re` with stdout on a pseudo-terminal (isatty is true), stderr on a pipe
    unless `stderr_tty`: re_tty(*args, env={...}) -> Result, with the pty's
    CRLF line ends turned back into LF."""
    import fcntl
    import struct
    import termios
    import threading

    def run(*args: str, env: dict | None = None, stderr_tty: bool = False,
            timeout: float = 60) -> Result:
        full_env = isolated_env(home)
        full_env.update(env or {})
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        proc = subprocess.Popen([sys.executable, "-m", "re_cli", *args], env=full_env,
                                stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=slave if stderr_tty else subprocess.PIPE)
        os.close(slave)
        err_chunks: list[bytes] = []
        reader = None
        if not stderr_tty:
            reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
            reader.start()
        out_chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not data:
                break
            out_chunks.append(data)
        os.close(master)
        code = proc.wait(timeout=timeout)
        if reader is not None:
            reader.join(timeout)
            proc.stderr.close()
        out = b"".join(out_chunks).replace(b"\r\n", b"\n")
        err = b"".join(err_chunks)
        return Result(code, out.decode(errors="replace"), err.decode(errors="replace"), out)

    return run
