"""Real `redis-server` processes behind the sandbox's databases.

Each served bdb gets one `redis-server` bound to 127.0.0.1 on the bdb's port, with its
working directory at DATA_DIR/redis/bdb-UID. The configuration, password included, is
written to the server's stdin (`redis-server -`), so the password never shows in the
process list. On Linux each server asks the kernel for SIGTERM when the sandbox thread
that started it ends, so a killed sandbox takes its servers along. A pid file next to
the directory lets a later sandbox find and end a server left behind all the same (by
a crash between start and that request, or on another system); the process's working
directory proves the pid still belongs to us before anything is signalled.

Without `redis-server` on PATH nothing is started, and `note()` says why.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

READY_TIMEOUT = 5.0
STOP_TIMEOUT = 5.0


class RedisServers:
    def __init__(self, data_dir: Path):
        self.root = Path(data_dir) / "redis"
        self.binary = shutil.which("redis-server")
        self._lock = threading.RLock()
        self._procs: dict[str, subprocess.Popen] = {}
        self._ports: dict[str, int] = {}
        self._problems: dict[str, str] = {}
        self._closed = False

    @property
    def available(self) -> bool:
        return self.binary is not None

    # Reads take no lock, so that showing a bdb never waits for a server that is starting.
    def serving(self, uid) -> bool:
        proc = self._procs.get(str(uid))
        return proc is not None and proc.poll() is None

    def note(self, uid) -> str | None:
        """Why bdb `uid` has no server, or None when it has one."""
        if not self.available:
            return "not served: redis-server is not on PATH"
        if self.serving(uid):
            return None
        return self._problems.get(str(uid), "not served: the database is not active")

    def start(self, uid, port: int, password: str | None) -> bool:
        """Start (or restart on a new port) the server of bdb `uid`; True once it answers."""
        uid = str(uid)
        if not self.available:
            return False
        with self._lock:
            if self._closed:
                return False
            if self.serving(uid) and self._ports.get(uid) == port:
                return True
            self._stop_locked(uid)
            workdir = self.root / f"bdb-{uid}"
            workdir.mkdir(parents=True, exist_ok=True)
            self._reap_pidfile(uid)
            proc = subprocess.Popen(
                [self.binary, "-"], cwd=workdir, stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent(),  # noqa: PLW1509 - one prctl call, no locks
            )
            proc.stdin.write(_config(port, password, workdir).encode())
            proc.stdin.close()
            self._pidfile(uid).write_text(str(proc.pid))
            self._procs[uid] = proc
            self._ports[uid] = port
            if _wait_ready(proc, port):
                self._problems.pop(uid, None)
                return True
            self._stop_locked(uid)
            self._problems[uid] = f"not served: redis-server could not listen on port {port}"
            return False

    def set_password(self, uid, old: str | None, new: str | None) -> bool:
        """Change the running server's password in place."""
        with self._lock:
            port = self._ports.get(str(uid))
            if port is None or not self.serving(uid):
                return False
        commands = []
        if old:
            commands.append(["AUTH", old])
        commands.append(["CONFIG", "SET", "requirepass", new or ""])
        try:
            replies = _send(port, commands)
        except OSError:
            return False
        return replies[-1].startswith(b"+OK")

    def flush(self, uid, password: str | None) -> bool:
        """Empty the running server's data (FLUSHALL)."""
        with self._lock:
            port = self._ports.get(str(uid))
            if port is None or not self.serving(uid):
                return False
        commands = [["AUTH", password]] if password else []
        try:
            replies = _send(port, [*commands, ["FLUSHALL"]])
        except OSError:
            return False
        return replies[-1].startswith(b"+OK")

    def stop(self, uid) -> None:
        with self._lock:
            self._stop_locked(str(uid))
            self._problems.pop(str(uid), None)

    def stop_all(self) -> None:
        """Stop every server, for good: a request still in flight starts none again."""
        with self._lock:
            self._closed = True
            for uid in list(self._procs):
                self._stop_locked(uid)

    def reap_stale(self) -> int:
        """End servers that an earlier, killed sandbox left running; how many were found."""
        found = 0
        if not self.root.is_dir():
            return 0
        for pidfile in self.root.glob("bdb-*.pid"):
            uid = pidfile.stem.removeprefix("bdb-")
            with self._lock:
                if uid in self._procs:
                    continue
                found += self._reap_pidfile(uid)
        return found

    def _pidfile(self, uid: str) -> Path:
        return self.root / f"bdb-{uid}.pid"

    def _reap_pidfile(self, uid: str) -> int:
        pidfile = self._pidfile(uid)
        try:
            pid = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            return 0
        pidfile.unlink(missing_ok=True)
        if not _is_ours(pid, self.root / f"bdb-{uid}"):
            return 0
        _end_pid(pid)
        return 1

    def _stop_locked(self, uid: str) -> None:
        proc = self._procs.pop(uid, None)
        self._ports.pop(uid, None)
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._pidfile(uid).unlink(missing_ok=True)


def _die_with_parent():
    """A preexec function that ties the child to the starting thread's life, or None
    where the kernel offers no such request."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, int(signal.SIGTERM))


def _config(port: int, password: str | None, workdir: Path) -> str:
    lines = [
        "bind 127.0.0.1",
        f"port {port}",
        'save ""',
        "appendonly no",
        f'dir "{workdir}"',
        'logfile "redis.log"',
        "daemonize no",
    ]
    if password:
        lines.append("requirepass " + _quote(password))
    return "\n".join(lines) + "\n"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wait_ready(proc: subprocess.Popen, port: int) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.01)
    return False


def _send(port: int, commands: list[list[str]]) -> list[bytes]:
    """Send RESP commands and return the first line of each reply."""
    replies = []
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        stream = sock.makefile("rb")
        for command in commands:
            parts = [f"*{len(command)}\r\n".encode()]
            for arg in command:
                raw = arg.encode()
                parts.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
            sock.sendall(b"".join(parts))
            replies.append(stream.readline())
    return replies


def _is_ours(pid: int, workdir: Path) -> bool:
    """True when pid is a redis-server whose working directory is `workdir`."""
    try:
        cwd = os.readlink(f"/proc/{pid}/cwd")
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"redis-server" in cmdline and Path(cwd) == workdir.resolve()


def _end_pid(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if not _alive(pid):
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    """True while pid runs; a zombie (ended, not yet reaped by its parent) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
