"""Routing for the sandbox: the catalog's requests, the handlers that implement them,
and the request, response and error types the handlers use.

A handler module registers itself with `@route(METHOD, PATH)`, PATH spelled exactly as
in the catalog. `dispatch` finds the catalog entry for a request, checks credentials
and the permission, then calls the handler; a catalog request without a handler gets
501, so nothing the sandbox lacks is ever answered with a silent 404 or 200.
"""

import json
import re
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import parse_qsl, unquote, urlsplit

from re_cli import catalog

HANDLERS: dict[tuple[str, str], object] = {}


def route(method: str, path: str):
    def register(fn):
        HANDLERS[(method, path)] = fn
        return fn

    return register


class ApiError(Exception):
    """An error answer: `{"error_code": ..., "message" or "description": ...}`."""

    def __init__(self, status: int, error_code: str, text: str, key: str = "message",
                 headers: dict | None = None):
        super().__init__(text)
        self.status = status
        self.error_code = error_code
        self.text = text
        self.key = key
        self.headers = headers or {}

    def response(self) -> "Response":
        return Response(self.status, {"error_code": self.error_code, self.key: self.text},
                        headers=self.headers)


@dataclass
class Response:
    status: int = 200
    body: object = None  # JSON-serialisable, or bytes sent as they are
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: Message
    body: bytes
    sandbox: object  # the running Sandbox: store, settings, redis processes
    template: str = ""
    params: dict[str, str] = field(default_factory=dict)
    user: dict | None = None

    def json(self, required: bool = True):
        """The body as JSON; 400 for a missing body, a wrong Content-Type or bad JSON."""
        if not self.body.strip():
            if required:
                raise ApiError(400, "missing_body", "This request needs a JSON body.")
            return None
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise ApiError(400, "invalid_content_type",
                           "The body must be sent with Content-Type: application/json.")
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "invalid_json", f"The body is not valid JSON: {exc}") from None

    def json_object(self, required: bool = True) -> dict:
        data = self.json(required)
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_json", "The body must be a JSON object.")
        return data

    def flag(self, name: str) -> bool:
        """A bare query flag such as `?dry_run`, also accepted as `dry_run=true`."""
        if name not in self.query:
            return False
        return self.query[name].lower() not in ("false", "0", "no")


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    pattern: re.Pattern
    literal_segments: int
    info: dict


def _compile(path: str) -> tuple[re.Pattern, int]:
    parts = []
    literals = 0
    for seg in path.strip("/").split("/"):
        name = re.fullmatch(r"\{(\w+)\}", seg)
        if name:
            parts.append(f"(?P<{name.group(1)}>[^/]+)")
        else:
            parts.append(re.escape(seg))
            literals += 1
    return re.compile("^/" + "/".join(parts) + "/?$"), literals


def _entries() -> list[Entry]:
    out = []
    for info in catalog.requests():
        pattern, literals = _compile(info["path"])
        out.append(Entry(info["method"], info["path"], pattern, literals, info))
    return out


ENTRIES = _entries()


def match(method: str, path: str) -> tuple[Entry | None, dict, bool]:
    """The catalog entry for (method, path), its path parameters, and whether the path
    exists for some other method. Literal segments win over placeholders."""
    best = None
    other_method = False
    for entry in ENTRIES:
        m = entry.pattern.match(path)
        if not m:
            continue
        if entry.method != method:
            other_method = True
            continue
        if best is None or entry.literal_segments > best[0].literal_segments:
            best = (entry, {k: unquote(v) for k, v in m.groupdict().items()})
    if best is None:
        return None, {}, other_method
    return best[0], best[1], other_method


def split_target(target: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(target)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


def implemented() -> set[tuple[str, str]]:
    return {(e.method, e.path) for e in ENTRIES if (e.method, e.path) in HANDLERS}


STARTUP: list = []
SHUTDOWN: list = []


def on_startup(fn):
    """Run fn(sandbox) once the store is open, before the first request is served."""
    STARTUP.append(fn)
    return fn


def on_shutdown(fn):
    """Run fn(sandbox) when the sandbox stops (SIGTERM, SIGINT or `re sandbox stop`)."""
    SHUTDOWN.append(fn)
    return fn
