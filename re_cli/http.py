"""The HTTP layer: one requests session per run, errors as exit codes, -v traces."""

import json as jsonlib
import re
import sys
import time
from contextlib import contextmanager

from re_cli import __version__, errors

# Paths that are left as they are; others get /v1 in front. /sandbox/ is the local
# sandbox's own control API.
KEEP_PATH = re.compile(r"^/(v\d+|sandbox)(/|$)")
BUSY_TRIES = 3
BUSY_PAUSES = (0.5, 1.5)  # three tries spread over about two seconds
TRACE_BODY_LIMIT = 64 * 1024
SECRET_KEY = re.compile(r"pass|secret|token|private_key|key_pem", re.IGNORECASE)


def api_path(path: str) -> str:
    """`/bdbs`, `bdbs` and `/v1/bdbs` all mean `/v1/bdbs`; other versions stay."""
    if not path.startswith("/"):
        path = "/" + path
    if KEEP_PATH.match(path):
        return path
    return "/v1" + path


class Response:
    """What the server answered: the exact bytes, and their JSON when they are JSON."""

    _unparsed = object()

    def __init__(self, status: int, reason: str, headers, content: bytes,
                 http_version: str = "HTTP/1.1", elapsed: float = 0.0,
                 method: str = "", path: str = ""):
        self.status = status
        self.reason = reason or ""
        self.headers = headers
        self.content = content
        self.http_version = http_version
        self.elapsed = elapsed
        self.method = method
        self.path = path
        self.head_shown = False
        self._parsed = self._unparsed

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def status_line(self) -> str:
        return f"{self.status} {self.reason}".strip()

    @property
    def is_json(self) -> bool:
        self.json()
        return self._is_json

    def json(self):
        """The parsed body; None when it is empty or not JSON (see `is_json`)."""
        if self._parsed is self._unparsed:
            try:
                self._parsed = jsonlib.loads(self.content) if self.content.strip() else None
                self._is_json = bool(self.content.strip())
            except (ValueError, UnicodeDecodeError):
                self._parsed = None
                self._is_json = False
        return self._parsed


def error_from(response: Response) -> errors.ApiError:
    """One error for a response that is not 2xx, whatever its body looks like."""
    body = response.json()
    error_code = message = None
    if isinstance(body, dict):
        error_code = _text(body.get("error_code"))
        message = _text(body.get("message") or body.get("description") or body.get("detail"))
    elif body is None and response.content.strip():
        message = _first_line(response.content)
    return errors.ApiError(response.status, response.reason, response.method, response.path,
                           error_code, message)


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else jsonlib.dumps(value)


def _first_line(content: bytes) -> str | None:
    text = content.decode("utf-8", errors="replace").strip()
    if text.lstrip().startswith("<"):  # an HTML error page says nothing useful in one line
        return None
    line = text.splitlines()[0] if text else ""
    return line[:200] or None


class Client:
    """Sends requests to the cluster named by `settings`."""

    def __init__(self, settings, verbose: int = 0, curl: bool = False):
        self.settings = settings
        self.verbose = verbose
        self.curl = curl  # print the curl command for the request instead of sending it
        self._lookups = 0
        self.on_response = None  # called with every Response before it is returned or raised
        self._session = None

    def request(self, method: str, path: str, params=None, json=None, data=None,
                headers=None, retry_busy: bool | None = None) -> Response:
        """Send one request; anything but 2xx raises errors.ApiError.

        A 409 (the object is busy) is tried again briefly for reads, and for writes
        only when the caller says the request is a documented reattempt.
        """
        method = method.upper()
        path = api_path(path)
        if retry_busy is None:
            retry_busy = method == "GET"
        body, content_type = _body(json, data)
        tries = BUSY_TRIES if retry_busy else 1

        for attempt in range(tries):
            response = self._send(method, path, params, body, content_type, headers)
            if response.status != 409 or attempt == tries - 1:
                break
            self._trace(f"* 409: busy, trying again in {BUSY_PAUSES[attempt]} s")
            time.sleep(BUSY_PAUSES[attempt])

        if self.on_response is not None:
            self.on_response(response)
        if not response.ok:
            raise error_from(response)
        return response

    @contextmanager
    def lookups(self):
        """Requests made inside (resolving a name to a uid) are sent even with --curl,
        so that the curl command printed is the one for the request the user asked."""
        self._lookups += 1
        try:
            yield
        finally:
            self._lookups -= 1

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def session(self):
        """The run's session, made on the first request (the password is asked then)."""
        if self._session is None:
            import requests

            from re_cli import tls

            session = requests.Session()
            session.auth = (self.settings.user, self.settings.password())
            session.headers.update({
                "Accept": "application/json",
                "User-Agent": f"re/{__version__}",
            })
            tls.configure(session, self.settings)
            self._session = session
        return self._session

    def _send(self, method, path, params, body, content_type, headers) -> Response:
        import requests

        request_headers = {"Content-Type": content_type} if content_type else {}
        request_headers.update(headers or {})
        if self.curl and not self._lookups:
            self._print_curl(method, path, params, body, request_headers)
        session = self.session()
        # An Authorization header given by the caller (a JWT, say) replaces ours.
        own_auth = any(name.lower() == "authorization" for name in request_headers)
        prepared = session.prepare_request(requests.Request(
            method, self.settings.base_url + path, params=params, data=body,
            headers=request_headers, auth=_keep_headers if own_auth else None))
        if self.verbose:
            self._trace_request(prepared)

        sent = session.merge_environment_settings(prepared.url, {}, None, None, None)
        started = time.perf_counter()
        try:
            raw = session.send(prepared, timeout=(self.settings.timeout, self.settings.timeout),
                               allow_redirects=False, **sent)
            content = raw.content
        except requests.exceptions.RequestException as exc:
            raise connection_failed(exc, self.settings) from None
        elapsed = time.perf_counter() - started

        version = {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(
            getattr(raw.raw, "version", 11), "HTTP/1.1")
        response = Response(raw.status_code, raw.reason, raw.headers, content, version,
                            elapsed, method, path)
        if self.verbose:
            self._trace_response(response)
        return response

    def _print_curl(self, method, path, params, body, request_headers) -> None:
        """Print the equivalent curl command and end the run; no password is asked."""
        import click
        import requests

        from re_cli import curl

        headers = {"Accept": "application/json", **request_headers}
        prepared = requests.Request(method, self.settings.base_url + path, params=params,
                                    data=body, headers=headers).prepare()
        certificate = curl.server_certificate(self.settings)
        click.echo(curl.to_curl(self.settings, method, prepared.url, dict(prepared.headers),
                                prepared.body, certificate=certificate))
        raise click.exceptions.Exit(0)

    def _trace(self, line: str) -> None:
        if self.verbose:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def _trace_request(self, prepared) -> None:
        lines = [f"> {prepared.method} {prepared.url}"]
        for name, value in prepared.headers.items():
            lines.append(f"> {name}: {redact_header(name, value)}")
        lines.append(">")
        if self.verbose > 1 and prepared.body:
            lines.append(trace_body(prepared.body))
        self._trace("\n".join(lines))

    def _trace_response(self, response: Response) -> None:
        lines = [f"< {response.http_version} {response.status_line} "
                 f"({response.elapsed * 1000:.0f} ms)"]
        for name, value in response.headers.items():
            lines.append(f"< {name}: {redact_header(name, value)}")
        lines.append("<")
        if self.verbose > 1 and response.content:
            lines.append(trace_body(response.content))
        self._trace("\n".join(lines))


def _keep_headers(prepared):
    return prepared


def _body(json, data) -> tuple[bytes | None, str | None]:
    if json is not None:
        return jsonlib.dumps(json).encode(), "application/json"
    if data is not None:
        return (data.encode() if isinstance(data, str) else data), "application/json"
    return None, None


def redact_header(name: str, value: str) -> str:
    lowered = name.lower()
    if lowered in ("authorization", "proxy-authorization"):
        scheme = value.split(" ", 1)[0] if " " in value else ""
        return f"{scheme} [redacted]".strip()
    if lowered in ("cookie", "set-cookie"):
        return "[redacted]"
    return value


def trace_body(body) -> str:
    """A body for -vv: JSON with secret-looking fields masked, cut at a size."""
    raw = body if isinstance(body, bytes) else str(body).encode()
    try:
        text = jsonlib.dumps(_mask(jsonlib.loads(raw)), indent=2, ensure_ascii=False)
    except (ValueError, UnicodeDecodeError):
        text = raw[:TRACE_BODY_LIMIT].decode("utf-8", errors="replace")
    if len(text) > TRACE_BODY_LIMIT:
        text = text[:TRACE_BODY_LIMIT] + f"\n[... {len(raw)} bytes in all]"
    return text


def _mask(value):
    if isinstance(value, dict):
        return {k: "[redacted]" if SECRET_KEY.search(str(k)) and v not in (None, "", [])
                else _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def connection_failed(exc, settings) -> errors.ConnectionFailed:
    """One line for a request that got no answer: what failed, where, and why."""
    import requests

    where = settings.base_url
    if isinstance(exc, requests.exceptions.SSLError):
        return errors.ConnectionFailed(f"TLS failed with {where}: {_root_reason(exc)}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return errors.ConnectionFailed(
            f"timed out after {settings.timeout:g} s connecting to {where}")
    if isinstance(exc, requests.exceptions.Timeout):
        return errors.ConnectionFailed(
            f"{where} did not answer within {settings.timeout:g} s")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return errors.ConnectionFailed(f"cannot connect to {where}: {_root_reason(exc)}")
    return errors.ConnectionFailed(f"request to {where} failed: {_root_reason(exc)}")


def _root_reason(exc: BaseException) -> str:
    """The innermost cause, without urllib3's wrapping (pool repr, retries, ...)."""
    import ssl

    seen = set()
    current = exc
    best = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current.verify_message or "certificate verify failed"
        if isinstance(current, ssl.SSLError):
            best = current.reason or str(current)
        elif isinstance(current, OSError) and current.strerror and best is None:
            best = current.strerror
        nested = getattr(current, "reason", None)
        if isinstance(nested, BaseException):
            current = nested
        elif current.args and isinstance(current.args[0], BaseException):
            current = current.args[0]
        else:
            current = current.__cause__ or current.__context__
    if best:
        return best
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    return match.group(1).strip() if match else text.splitlines()[0][:200]
