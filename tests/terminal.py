"""Run `re` on a real pseudo-terminal and answer its prompts, as a person would.

The child gets the pty as its controlling terminal (stdin, stdout and stderr), so
getpass and click's prompts behave exactly as they do for a user.
"""

import os
import pty
import select
import signal
import sys
import time
from dataclasses import dataclass


@dataclass
class Session:
    code: int
    output: str  # everything the terminal showed, stdout and stderr interleaved


class PromptMissing(AssertionError):
    pass


def run_on_terminal(args: list[str], env: dict, answers: list[tuple[str, str]] = (),
                    timeout: float = 60) -> Session:
    """Run `re ARGS`; for each (prompt, reply), wait for `prompt` on the terminal and
    type `reply` and Enter."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: become `re`
        try:
            os.execve(sys.executable, [sys.executable, "-m", "re_cli", *args], env)
        finally:
            os._exit(127)

    seen = b""
    deadline = time.monotonic() + timeout
    try:
        for prompt, reply in answers:
            start = len(seen)
            while prompt.encode() not in seen[start:]:
                chunk = _read(fd, deadline)
                if chunk is None:
                    raise PromptMissing(f"no prompt {prompt!r}; the terminal showed:\n"
                                        f"{seen.decode(errors='replace')}")
                seen += chunk
            os.write(fd, reply.encode() + b"\r")
        while (chunk := _read(fd, deadline)) is not None:
            seen += chunk
    finally:
        os.close(fd)
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    return Session(os.waitstatus_to_exitcode(status),
                   seen.replace(b"\r\n", b"\n").decode(errors="replace"))


def _read(fd: int, deadline: float) -> bytes | None:
    """The next bytes from the terminal; None at its end or at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    ready, _, _ = select.select([fd], [], [], remaining)
    if not ready:
        return None
    try:
        data = os.read(fd, 65536)
    except OSError:  # EIO: the child closed the terminal
        return None
    return data or None
