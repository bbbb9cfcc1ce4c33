"""Everything `re` prints: data on stdout, messages on stderr."""

import os
import sys


def error_line(message: str) -> None:
    """One line on stderr, printed as it is (no markup is interpreted)."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def quiet_broken_pipe() -> None:
    """The reader went away (`re ... | head -1`): stop without a second error at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
