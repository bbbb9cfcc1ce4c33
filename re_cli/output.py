"""Everything `re` prints: data on stdout, messages on stderr.

Data goes out in one of three ways: the body exactly as the server sent it (piped, or
`-o json` into a pipe), pretty JSON (`-o json` on a terminal), or a table for people
(a terminal, or `-o table`). rich is imported only to draw tables.
"""

import json
import os
import sys

from re_cli import errors

DIM = "\x1b[2m"
RESET = "\x1b[0m"


def error_line(message: str) -> None:
    """One line on stderr, printed as it is (no markup is interpreted)."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


def quiet_broken_pipe() -> None:
    """The reader went away (`re ... | head -1`): stop without a second error at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class ReaderGone(errors.ReError):
    """stdout's reader closed it (`re ... | head -1`): stop quietly, with success."""

    code = errors.OK

    def __init__(self):
        super().__init__("")


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Output:
    """The output facade the commands use; one per run, from `app.out()`."""

    def __init__(self, app):
        self.app = app
        self.stdout_tty = _isatty(sys.stdout)
        self.stderr_tty = _isatty(sys.stderr)

    # ---- how data is shown

    @property
    def mode(self) -> str:
        """`raw` (the exact body), `pretty` (indented JSON) or `table`."""
        chosen = self.app.output or "auto"
        if chosen == "table" or (chosen == "auto" and self.stdout_tty):
            return "table"
        if chosen == "json" and self.stdout_tty:
            return "pretty"
        return "raw"

    @property
    def color(self) -> bool:
        return not self.app.no_color and not os.environ.get("NO_COLOR")

    def client(self):
        """The app's HTTP client, printing response heads on stderr when -i asks."""
        client = self.app.client()
        if self.app.include and client.on_response is None:
            client.on_response = self.head
        return client

    def show(self, response, kind: str | None = None, fields=None) -> None:
        """Print a response's body in the chosen way, then its status for people."""
        if self.app.include and not response.head_shown:
            self.head(response)

        mode = self.mode
        if mode == "raw" or not response.content.strip():
            self.write_bytes(response.content)
        elif not response.is_json:
            self.write_bytes(response.content)
            if not response.content.endswith(b"\n") and self.stdout_tty:
                self.write_bytes(b"\n")
        elif mode == "pretty":
            self.write_text(pretty_json(response.json()))
        else:
            self.table(response.json(), kind=kind, fields=fields)

        if self.stdout_tty:
            self.status(response)
        self._remember_names(response, kind)

    def _remember_names(self, response, kind: str | None) -> None:
        """A listing of databases, nodes, users, ... refreshes the names that tab
        completion offers; it costs a small file write and never fails a command."""
        from re_cli import name_cache

        if kind not in name_cache.KINDS or not 200 <= response.status < 300:
            return
        try:
            body = response.json() if response.is_json else None
            if isinstance(body, list):
                name_cache.remember(self.app.settings(), kind, body)
        except Exception:  # noqa: BLE001 - the cache is a convenience, never a failure
            pass

    def show_value(self, value, kind: str | None = None, fields=None) -> None:
        """Print data that `re` made itself (not a server body): JSON or a table."""
        if self.mode == "table":
            self.table(value, kind=kind, fields=fields)
        elif self.mode == "pretty":
            self.write_text(pretty_json(value))
        else:
            self.write_text(json.dumps(value, ensure_ascii=False) + "\n")

    def table(self, value, kind: str | None = None, fields=None) -> None:
        from re_cli import render

        render.print_value(value, kind=kind, fields=fields, color=self.color)

    def write_bytes(self, data: bytes) -> None:
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # Handled here: click would turn it into exit 1 before run() saw it.
            quiet_broken_pipe()
            raise ReaderGone() from None

    def write_text(self, text: str) -> None:
        self.write_bytes(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))

    # ---- messages on stderr

    def head(self, response) -> None:
        """The status line and headers, as `curl -i` shows them, on stderr."""
        lines = [f"{response.http_version} {response.status_line}"]
        lines += [f"{name}: {value}" for name, value in response.headers.items()]
        sys.stderr.write("\n".join(lines) + "\n\n")
        sys.stderr.flush()
        response.head_shown = True

    def status(self, response) -> None:
        self.dim(response.status_line)

    def dim(self, message: str) -> None:
        if self.stderr_tty and self.color:
            message = f"{DIM}{message}{RESET}"
        error_line(message)

    def info(self, message: str) -> None:
        """A message for people, on stderr."""
        error_line(message)

    def warn(self, message: str) -> None:
        error_line(f"re: warning: {message}")

    def detail(self, message: str, level: int = 1) -> None:
        """A message only with -v (or -vv for level 2)."""
        if self.app.verbose >= level:
            error_line(message)


def kind_of_path(path: str) -> str | None:
    """The object kind a path's collection holds: /v1/bdbs/3 -> bdb."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if parts and parts[0][:1] == "v" and parts[0][1:].isdigit():
        parts = parts[1:]
    if not parts:
        return None
    name = parts[0]
    return name[:-1] if name.endswith("s") else name


def pretty_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
