"""Where the password comes from, in order: RE_PASSWORD, --password-stdin, the keyring
(one entry per profile), the profile's password_command, a hidden prompt on a terminal.

The password is never taken from a flag that holds it, nor from the config file, and
it is never printed. keyring is imported only when it is asked.
"""

import os
import sys

from re_cli.errors import ConfigError

SERVICE = "re"
OTHER_SOURCES = ("RE_PASSWORD, --password-stdin, a password_command in the profile, "
                 "or the prompt on a terminal")


class KeyringUnavailable(ConfigError):
    """No keyring backend, or the backend failed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"no keyring is available ({reason}); use {OTHER_SOURCES} instead")


def _keyring():
    """The keyring module, once it is known to have a working backend."""
    try:
        import keyring
        from keyring.backends import fail
    except Exception as exc:  # noqa: BLE001 - a broken install is reported, not a crash
        raise KeyringUnavailable(f"keyring cannot load: {type(exc).__name__}") from None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a bad PYTHON_KEYRING_BACKEND and the like
        raise KeyringUnavailable(f"the backend cannot start: {type(exc).__name__}") from None
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable("no keyring backend is installed or configured")
    return keyring


def _backend_failed(exc: Exception) -> KeyringUnavailable:
    # The message of a backend error may quote what it was given; name only its type.
    return KeyringUnavailable(f"the keyring backend failed: {type(exc).__name__}")


def keyring_get(profile: str) -> str | None:
    keyring = _keyring()
    try:
        return keyring.get_password(SERVICE, profile)
    except Exception as exc:  # noqa: BLE001 - every backend raises its own kinds
        raise _backend_failed(exc) from None


def keyring_set(profile: str, password: str) -> None:
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, profile, password)
    except Exception as exc:  # noqa: BLE001
        raise _backend_failed(exc) from None


def keyring_delete(profile: str) -> bool:
    """Delete the profile's entry; False when there was none."""
    keyring = _keyring()
    from keyring.errors import PasswordDeleteError

    try:
        if keyring.get_password(SERVICE, profile) is None:
            return False
        keyring.delete_password(SERVICE, profile)
        return True
    except PasswordDeleteError:
        return False
    except Exception as exc:  # noqa: BLE001
        raise _backend_failed(exc) from None


def read_stdin_password() -> str:
    """The first line of stdin, as `docker login --password-stdin` reads it."""
    if sys.stdin is None or sys.stdin.isatty():
        raise ConfigError("--password-stdin needs the password piped on stdin")
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise ConfigError("--password-stdin: stdin was empty")
    return line


def prompt_password(label: str, confirm: bool = False) -> str:
    """Ask on the terminal without echo; Ctrl-C or Ctrl-D gives up."""
    import getpass

    try:
        first = getpass.getpass(f"{label}: ", stream=sys.stderr)
        if confirm:
            again = getpass.getpass("Again, to confirm: ", stream=sys.stderr)
            if again != first:
                raise ConfigError("the two passwords differ; nothing was stored")
    except EOFError:
        raise ConfigError("no password was entered") from None
    if not first:
        raise ConfigError("no password was entered")
    return first


def on_terminal() -> bool:
    return bool(sys.stdin and sys.stdin.isatty())


def run_password_command(command: str) -> str:
    """The first line of the command's stdout; its stderr goes to the user's terminal."""
    import shlex
    import subprocess

    try:
        done = subprocess.run(shlex.split(command), stdout=subprocess.PIPE, text=True,
                              stdin=subprocess.DEVNULL, timeout=60)
    except subprocess.TimeoutExpired:
        raise ConfigError("password_command did not finish within 60 seconds") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"password_command cannot run: {reason}") from None
    if done.returncode != 0:
        raise ConfigError(f"password_command exited with status {done.returncode}")
    password = done.stdout.split("\n", 1)[0].rstrip("\r")
    if not password:
        raise ConfigError("password_command printed nothing")
    return password


def get_password(settings) -> str:
    """The password for `settings`, from the first source that has one."""
    if os.environ.get("RE_PASSWORD"):
        return os.environ["RE_PASSWORD"]
    if getattr(settings, "password_stdin", False):
        return read_stdin_password()

    keyring_problem = None
    if settings.profile:
        try:
            stored = keyring_get(settings.profile)
        except KeyringUnavailable as exc:
            stored, keyring_problem = None, exc.reason
        if stored:
            return stored

    if settings.password_command:
        return run_password_command(settings.password_command)
    if on_terminal():
        return prompt_password(f"Password for {settings.user} at {settings.host}")

    where = f"profile `{settings.profile}`" if settings.profile else settings.user
    hint = (f"store it with `re profile set-password {settings.profile}`, or "
            if settings.profile and not keyring_problem else "")
    note = f" (no keyring: {keyring_problem})" if keyring_problem else ""
    raise ConfigError(f"no password for {where}{note}: {hint}set RE_PASSWORD, pipe it "
                      f"with --password-stdin, or give the profile a password_command")


def password_source(profile: str | None, values: dict) -> str:
    """Where a profile's password would come from now, for `re profile list`."""
    if os.environ.get("RE_PASSWORD"):
        return "RE_PASSWORD"
    if profile:
        try:
            if keyring_get(profile):
                return "keyring"
        except KeyringUnavailable:
            pass
    if values.get("password_command"):
        return "password_command"
    return "prompt"
