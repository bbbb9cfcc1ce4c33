"""Where the password comes from: RE_PASSWORD, --password-stdin, the keyring, the
profile's password_command, then a hidden prompt on a terminal."""

import os
import shlex
import subprocess

from re_cli.errors import ConfigError


def get_password(settings) -> str:
    if os.environ.get("RE_PASSWORD"):
        return os.environ["RE_PASSWORD"]
    if settings.password_command:
        return run_password_command(settings.password_command)
    raise ConfigError("no password: set RE_PASSWORD or give the profile a password_command")


def run_password_command(command: str) -> str:
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=30)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"password_command failed: {type(exc).__name__}") from None
    if done.returncode != 0:
        raise ConfigError(f"password_command exited with {done.returncode}")
    return done.stdout.rstrip("\n")
