"""The running sandbox: an HTTPS server on loopback whose every request goes through
one dispatch loop (faults, API version, route, credentials, permission, handler).

`serve(...)` is what `re sandbox start --foreground` runs. It binds the port first (so
a busy port fails before anything is written), then makes certificates, opens the
store, seeds it, runs the startup hooks, writes sandbox.json and serves until SIGTERM
or SIGINT.
"""

import json
import logging
import os
import signal
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from re_cli.sandbox import auth, routes
from re_cli.sandbox.faults import Faults, FaultSettings
from re_cli.sandbox.routes import ApiError, Request, Response

log = logging.getLogger("re.sandbox")

SUPPORTED_API_VERSIONS = {"1", "v1", "2", "v2", "4", "v4"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
IDLE_TIMEOUT = 60  # seconds a kept-alive connection may sit idle
MAX_BODY = 64 * 1024 * 1024
SANDBOX_PREFIX = "/sandbox/"


class PortInUse(Exception):
    pass


@dataclass
class Sandbox:
    """What handlers reach through `req.sandbox`."""

    store: object
    data_dir: Path
    port: int
    action_delay: float
    faults: Faults
    host: str = "127.0.0.1"
    started: float = field(default_factory=time.time)

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"


def error_response(status: int, error_code: str, text: str, **headers) -> Response:
    return ApiError(status, error_code, text, headers=headers).response()


def dispatch(sandbox: Sandbox, method: str, target: str, headers, body: bytes) -> Response:
    """The answer to one request, faults aside. Never raises."""
    path, query = routes.split_target(target)
    try:
        return _dispatch(sandbox, method, path, query, headers, body)
    except ApiError as exc:
        return exc.response()
    except Exception:
        log.exception("handler failed: %s %s", method, path)
        return error_response(500, "internal_error",
                              "The sandbox failed on this request; see sandbox.log.")


def _dispatch(sandbox, method, path, query, headers, body) -> Response:
    version = headers.get("x-api-version")
    if version is not None and version.strip().lower() not in SUPPORTED_API_VERSIONS:
        return error_response(505, "unsupported_api_version",
                              f"API version {version.strip()!r} is not supported; use v1.")

    if path.startswith(SANDBOX_PREFIX):
        return _sandbox_endpoint(sandbox, method, path, headers, body)

    entry, params, other_method = routes.match(method, path)
    if entry is None:
        if other_method:
            return error_response(405, "method_not_allowed",
                                  f"{method} is not allowed on {path}.")
        return error_response(404, "not_found", f"There is no API path {path}.")

    req = Request(method=method, path=path, query=query, headers=headers, body=body,
                  sandbox=sandbox, template=entry.path, params=params)
    if not _open_to_all(entry):
        req.user = auth.authenticate(sandbox.store, headers.get("Authorization"))
        if not _permitted(sandbox, req, entry):
            raise ApiError(403, "forbidden",
                           f"Your role may not {method} {entry.path}.")

    if method in BODY_METHODS and body.strip() and not _is_upload(headers):
        req.json()  # 400 for a wrong Content-Type or bad JSON, before any handler runs

    handler = routes.HANDLERS.get((entry.method, entry.path))
    if handler is None:
        return error_response(501, "not_implemented",
                              f"the sandbox does not implement {method} {entry.path} yet")
    result = handler(req)
    if isinstance(result, Response):
        return result
    return Response(200, result)


def _is_upload(headers) -> bool:
    """Module uploads are multipart forms, the one kind of body that is not JSON."""
    ctype = (headers.get("Content-Type") or "").lower()
    return ctype.startswith("multipart/form-data")


def _open_to_all(entry) -> bool:
    return entry.method == "GET" and entry.path == "/v1/bootstrap"


def _permitted(sandbox, req: Request, entry) -> bool:
    # A user may always read and change their own account (the OpenAPI spec asks no
    # permission for these; the doc pages list view_user_info/update_user).
    if entry.path == "/v1/users/{uid}" and entry.method in ("GET", "PUT"):
        if str(req.params.get("uid")) == str(req.user.get("uid")):
            return True
    return auth.may(sandbox.store, req.user, entry.info.get("permission"))


def _sandbox_endpoint(sandbox, method, path, headers, body) -> Response:
    """Sandbox-only paths, admin only: `/sandbox/faults` reads (GET) or changes (PUT)
    the fault settings; `PUT /sandbox/bootstrap {"state": "idle"}` makes the node one
    that has not joined a cluster, so that a bootstrap can be tried."""
    path = path.rstrip("/")
    allowed = {"/sandbox/faults": ("GET", "PUT"), "/sandbox/bootstrap": ("PUT",)}
    if path not in allowed:
        return error_response(404, "not_found", f"There is no sandbox path {path}.")
    if method not in allowed[path]:
        return error_response(405, "method_not_allowed", f"{method} is not allowed on {path}.")
    user = auth.authenticate(sandbox.store, headers.get("Authorization"))
    if "admin" not in auth.management_roles(sandbox.store, user):
        raise ApiError(403, "forbidden", "Only an admin may use the sandbox's own paths.")
    if method == "GET":
        return Response(200, sandbox.faults.as_dict())
    req = Request(method, path, {}, headers, body, sandbox)
    if path == "/sandbox/bootstrap":
        return _reset_bootstrap(sandbox, req.json_object())
    return Response(200, sandbox.faults.update(req.json_object()))


def _reset_bootstrap(sandbox, body: dict) -> Response:
    from re_cli.sandbox.handlers.bootstrap import make_fresh

    if body != {"state": "idle"}:
        raise ApiError(400, "invalid_param", 'the only change is {"state": "idle"}')
    with sandbox.store.transaction() as tx:
        return Response(200, make_fresh(tx))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "re-sandbox"
    timeout = IDLE_TIMEOUT

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        self.request.settimeout(IDLE_TIMEOUT)
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request.do_handshake()  # in this thread, so a slow client blocks no one
        super().setup()

    def do_GET(self):  # noqa: N802 - the names http.server looks up
        self._answer()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _answer(self) -> None:
        sandbox: Sandbox = self.server.sandbox
        body = self._read_body()
        if body is None:
            self._send(error_response(400, "invalid_header", "Bad Content-Length."), close=True)
            return

        is_sandbox_path = self.path.startswith(SANDBOX_PREFIX)
        faults = sandbox.faults.snapshot()
        if not is_sandbox_path:
            if faults.latency:
                time.sleep(faults.latency)
            if sandbox.faults.roll("drop_rate"):
                self.close_connection = True
                self._drop()
                return
            if sandbox.faults.roll("error_rate"):
                self._send(error_response(503, "service_unavailable",
                                          "Injected fault: the sandbox is unavailable."))
                return

        response = dispatch(sandbox, self.command, self.path, self.headers, body)
        truncate = not is_sandbox_path and sandbox.faults.roll("truncate_rate")
        self._send(response, truncate=truncate)

    def _drop(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, response: Response, truncate: bool = False, close: bool = False) -> None:
        payload = response.encode()
        self.send_response(response.status)
        if payload or response.body is not None:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if truncate or close:
            self.send_header("Connection", "close")
            self.close_connection = True
        # One write for the head and the body: two small writes meet the client's
        # delayed ACK and cost ~40 ms per request.
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(payload[: len(payload) // 2] if truncate else payload)
        self.wfile.write(b"".join(self._headers_buffer))
        self._headers_buffer = []
        self.wfile.flush()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        log.info("%s %s", self.address_string(), format % args)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address, ssl_context: ssl.SSLContext | None, sandbox: Sandbox | None = None):
        self.ssl_context = ssl_context
        self.sandbox = sandbox
        super().__init__(address, Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        return self.ssl_context.wrap_socket(sock, server_side=True,
                                            do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ssl.SSLError, ConnectionError, TimeoutError, OSError)):
            log.debug("connection from %s ended: %s", client_address, exc)
            return
        log.exception("unexpected error serving %s", client_address)


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


def running_pid(data_dir: Path) -> int | None:
    """The pid in sandbox.json when that process is alive."""
    try:
        state = json.loads((data_dir / "sandbox.json").read_text())
        pid = int(state["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and b"sandbox" not in cmdline.read_bytes():
        return None  # a stale file whose pid now belongs to another program
    return pid


def serve(port: int, data_dir: Path, action_delay: float, faults: FaultSettings,
          host: str = "127.0.0.1") -> None:
    """Run the sandbox in this process until SIGTERM or SIGINT."""
    import gc

    from re_cli.sandbox import handlers, seed, tls

    gc.enable()  # `re` starts with it off; a server runs long
    from re_cli.sandbox.store import Store

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    other = running_pid(data_dir)
    if other is not None and other != os.getpid():
        raise PortInUse(f"a sandbox (pid {other}) already runs with data dir {data_dir}")

    try:
        server = Server((host, port), None)
    except OSError as exc:
        raise PortInUse(f"port {port} on {host} is not free: {exc.strerror}") from None

    # Installed before anything starts, so a SIGTERM during startup still ends in the
    # shutdown hooks below (serve_forever returns at once when shutdown came first).
    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    cert, key = tls.ensure_certificates(data_dir)
    server.ssl_context = tls_context(cert, key)

    store = Store(data_dir / "sandbox.db")
    sandbox = Sandbox(store=store, data_dir=data_dir, port=port, action_delay=action_delay,
                      faults=Faults(faults), host=host)
    server.sandbox = sandbox
    handlers.load_all()
    created = seed.seed(store, data_dir, port)
    state_file = data_dir / "sandbox.json"
    try:
        for hook in routes.STARTUP:
            hook(sandbox)
        _write_state(state_file, sandbox, created)
        server.serve_forever(poll_interval=0.2)
    finally:
        log.info("sandbox stopping")
        for hook in routes.SHUTDOWN:
            try:
                hook(sandbox)
            except Exception:
                log.exception("shutdown hook %s failed", getattr(hook, "__name__", hook))
        server.server_close()
        store.close()
        try:
            if running_pid(data_dir) in (os.getpid(), None):
                state_file.unlink(missing_ok=True)
        except OSError:
            pass
        log.info("sandbox stopped")


def _write_state(state_file: Path, sandbox: Sandbox, created) -> None:
    from re_cli.sandbox import seed, tls

    data_dir = state_file.parent
    state = {"port": sandbox.port, "pid": os.getpid(), "url": sandbox.url, "host": sandbox.host,
             "admin": seed.email_for("admin"), "ca_cert": str(data_dir / tls.CA_FILE),
             "credentials": str(data_dir / "credentials.json"), "first_start": bool(created)}
    tmp = state_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    os.replace(tmp, state_file)
    log.info("sandbox listening on %s (data dir %s)", sandbox.url, data_dir)
