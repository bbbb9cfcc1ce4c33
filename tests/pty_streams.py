"""Run a process with stdout and/or stderr on a pseudo-terminal, each captured apart.

For tests of what `re` shows people (progress bars, sparklines) while the other
stream stays a plain pipe, so that a test can prove nothing leaks from one to the other.
"""

import fcntl
import os
import selectors
import struct
import subprocess
import termios
import time
from dataclasses import dataclass


@dataclass
class Streams:
    code: int
    stdout: bytes
    stderr: bytes


def _terminal() -> tuple[int, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return master, slave


def run(cmd: list[str], env: dict, stdout_tty: bool = False, stderr_tty: bool = False,
        timeout: float = 120) -> Streams:
    """Run `cmd`; the chosen streams are terminals, the others pipes. Terminal output
    comes back with its CRLF line ends turned into LF."""
    env = {**env, "TERM": env.get("TERM", "xterm")}
    ends = {}
    child_side = {}
    for name, on_tty in (("stdout", stdout_tty), ("stderr", stderr_tty)):
        if on_tty:
            master, slave = _terminal()
        else:
            master, slave = os.pipe()
        ends[name] = master
        child_side[name] = slave

    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL,
                            stdout=child_side["stdout"], stderr=child_side["stderr"])
    for fd in child_side.values():
        os.close(fd)

    chunks = {"stdout": [], "stderr": []}
    selector = selectors.DefaultSelector()
    for name, fd in ends.items():
        selector.register(fd, selectors.EVENT_READ, name)
    open_ends = len(ends)
    deadline = time.monotonic() + timeout
    while open_ends:
        if time.monotonic() > deadline:
            proc.kill()
            raise TimeoutError(f"{cmd} still ran after {timeout} s")
        for key, _ in selector.select(1.0):
            try:
                data = os.read(key.fd, 65536)
            except OSError:  # EIO: a terminal's child side is closed
                data = b""
            if data:
                chunks[key.data].append(data)
            else:
                selector.unregister(key.fd)
                os.close(key.fd)
                open_ends -= 1
    code = proc.wait(timeout=timeout)

    def joined(name: str, on_tty: bool) -> bytes:
        data = b"".join(chunks[name])
        return data.replace(b"\r\n", b"\n") if on_tty else data

    return Streams(code, joined("stdout", stdout_tty), joined("stderr", stderr_tty))
