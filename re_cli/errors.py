"""Expected failures and the exit codes they map to.

Every failure the user can cause or meet ends as one line on stderr and one of
these codes; README.md and `re help exit-codes` document the same table.
"""

OK = 0
UNEXPECTED = 1
USAGE = 2
CONFIG = 3
AUTH = 4
NOT_FOUND = 5
REQUEST = 6
SERVER = 7
CONNECTION = 8
ACTION = 9
INTERRUPTED = 130

EXIT_CODES = [
    (OK, "success"),
    (UNEXPECTED, "unexpected error"),
    (USAGE, "usage error: bad flag, argument or input; a declined confirmation"),
    (CONFIG, "configuration, profile or missing password"),
    (AUTH, "authentication or permission refused (401, 403)"),
    (NOT_FOUND, "not found (404)"),
    (REQUEST, "other request errors (other 4xx, 505)"),
    (SERVER, "server error (5xx)"),
    (CONNECTION, "connection, TLS or timeout"),
    (ACTION, "an action failed or a wait timed out"),
    (INTERRUPTED, "interrupted (Ctrl-C)"),
]


class ReError(Exception):
    """An expected failure: printed as one line on stderr, then exit with `code`."""

    code = UNEXPECTED

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code


class UsageError(ReError):
    code = USAGE


class ConfigError(ReError):
    code = CONFIG


class ConnectionFailed(ReError):
    code = CONNECTION


class ActionFailed(ReError):
    code = ACTION


def code_for_status(status: int) -> int:
    if status in (401, 403):
        return AUTH
    if status == 404:
        return NOT_FOUND
    if status >= 500 and status != 505:
        return SERVER
    return REQUEST


class ApiError(ReError):
    """A response that was not 2xx."""

    def __init__(self, status: int, reason: str, method: str, path: str,
                 error_code: str | None = None, message: str | None = None):
        self.status = status
        self.reason = reason
        self.method = method
        self.path = path
        self.error_code = error_code
        self.server_message = message
        parts = [f"{status} {reason}".strip()]
        if error_code:
            parts.append(error_code)
        if message:
            parts.append(message)
        super().__init__(f"{': '.join(parts)} ({method} {path})", code_for_status(status))
