"""Responses that are not JSON: archives saved to a file, text printed as it is.

Debug info comes as a tar.gz: `save` writes it to `--output FILE` through a temporary
file in the same directory, renamed into place only when complete, with a progress bar
on a terminal. The usage report (newline-delimited JSON) and XML metadata are text:
`show_text` prints them unchanged.
"""

import gzip
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from re_cli import errors, humanize

CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def fetch(app, path: str, params: dict | None = None):
    """GET `path` without reading the body yet: a requests.Response to hand to `save`.
    A status that is not 2xx raises errors.ApiError, as every other request does."""
    import requests

    from re_cli import http

    client = app.client()
    settings = client.settings
    path = http.api_path(path)
    session = client.session()
    app.out().detail(f"> GET {settings.base_url}{path} (streamed)")
    try:
        raw = session.get(settings.base_url + path, params=params, stream=True,
                          timeout=(settings.timeout, settings.timeout), allow_redirects=False)
    except requests.exceptions.RequestException as exc:
        raise http.connection_failed(exc, settings) from None

    head = http.Response(raw.status_code, raw.reason, raw.headers, b"", method="GET",
                         path=path)
    if client.on_response is not None:
        client.on_response(head)
    if not 200 <= raw.status_code < 300:
        head.content = raw.content
        raise http.error_from(head)
    return raw


def save(app, source, path: str | None) -> int:
    """Write a body to `path` atomically; the number of bytes written.

    `source` is an http.Response (read already) or a streamed requests.Response from
    `fetch`. `-` means stdout; no path writes to stdout only when it is not a terminal.
    """
    if path in (None, "-"):
        if path is None and sys.stdout.isatty():
            raise errors.UsageError(
                "the response is an archive; give `--output FILE` (or pipe it somewhere)")
        return _copy(app, source, sys.stdout.buffer, "stdout")

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise errors.UsageError(f"cannot write `{path}`: no directory `{folder}`")

    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
        dir=folder, prefix=f".{target.name}.", suffix=".part", delete=False)
    try:
        with handle:
            written = _copy(app, source, handle, target.name)
        os.chmod(handle.name, 0o666 & ~_umask())  # as open() would have made it
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise

    app.out().info(f"saved {humanize.memory(written)} to {target}")
    return written


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _copy(app, source, sink, label: str) -> int:
    """Copy the body in chunks, with a progress bar on a terminal."""
    total = _length(source)
    written = 0
    with _progress(app, label, total) as advance:
        for chunk in _chunks(source):
            sink.write(chunk)
            written += len(chunk)
            advance(len(chunk))
    sink.flush()
    return written


def _chunks(source):
    if hasattr(source, "iter_content"):
        import requests

        try:
            yield from (c for c in source.iter_content(CHUNK) if c)
        except requests.exceptions.RequestException as exc:
            raise errors.ConnectionFailed(f"the download broke off: {exc}") from None
        return
    content = source.content
    for start in range(0, len(content), CHUNK):
        yield content[start:start + CHUNK]


def _length(source) -> int | None:
    if not hasattr(source, "iter_content"):
        return len(source.content)
    value = source.headers.get("Content-Length")
    # With Content-Encoding the header counts compressed bytes and iter_content
    # gives them decoded, so a total would be wrong.
    if not value or not value.isdigit() or source.headers.get("Content-Encoding"):
        return None
    return int(value)


@contextmanager
def _progress(app, label: str, total: int | None):
    """A download bar on stderr when it is a terminal; gives `advance(bytes)`."""
    if not sys.stderr.isatty():
        yield lambda amount: None
        return

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    console = Console(stderr=True, no_color=bool(getattr(app, "no_color", False)))
    bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                   DownloadColumn(binary_units=True), TransferSpeedColumn(),
                   TimeElapsedColumn(), console=console)
    task = bar.add_task(f"downloading {label}", total=total)
    bar.start()
    try:
        yield lambda amount: bar.update(task, advance=amount)
    finally:
        bar.stop()


def show_text(app, response) -> None:
    """Print a text body as it came (NDJSON, XML), unzipped when it is gzip."""
    out = app.out()
    if out.app.include and not response.head_shown:
        out.head(response)
    content = response.content
    if content.startswith(GZIP_MAGIC):
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError):
            pass  # not gzip after all: print what came
    out.write_bytes(content)
    if out.stdout_tty and content and not content.endswith(b"\n"):
        out.write_bytes(b"\n")
    if out.stdout_tty:
        out.status(response)


def show(app, response, path: str | None = None) -> None:
    """Print or save any non-JSON body by what it is: archives go to a file."""
    if is_archive(response):
        save(app, response, path)
    elif response.content.strip() and getattr(response, "is_json", False):
        app.out().show(response)
    else:
        show_text(app, response)


def is_archive(response) -> bool:
    kind = (response.headers.get("Content-Type") or "").lower()
    binary = any(word in kind for word in ("gzip", "tar", "zip", "octet-stream"))
    disposition = (response.headers.get("Content-Disposition") or "").lower()
    return binary or "attachment" in disposition
