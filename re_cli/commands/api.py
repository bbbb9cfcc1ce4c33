"""`re api METHOD PATH`: any request of the REST API, as it is."""

import json
import sys

import click

from re_cli.app import App
from re_cli.errors import UsageError
from re_cli.output import kind_of_path

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    pairs = []
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"{option} `{item}` is not key=value")
        pairs.append((key, value))
    return pairs


def read_source(value: str, option: str) -> str:
    """`@-` is stdin, `@path` a file's text, anything else the value itself."""
    if not value.startswith("@"):
        return value
    if value == "@-":
        return sys.stdin.read()
    try:
        with open(value[1:], encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"{option} {value}: cannot read `{value[1:]}`: {reason}") from None


def parse_json(text: str, what: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def typed(value: str):
    """A -F value: JSON when it reads as JSON (numbers, true, false, null, arrays,
    objects), else the text; `@file` takes the file's content the same way."""
    text = read_source(value, "-F")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text.removesuffix("\n") if value.startswith("@") else text


def parse_headers(values: tuple[str, ...]) -> dict[str, str]:
    headers = {}
    for item in values:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
            raise UsageError(f"-H `{item}` is not `Name: value`")
        headers[name.strip()] = value.strip()
    return headers


def build_body(data: str | None, strings, typed_fields) -> bytes | None:
    """The request body: -d as given (checked to be JSON), with -f/-F fields merged in."""
    fields = [(k, v) for k, v in _pairs(strings, "-f")]
    fields += [(k, typed(v)) for k, v in _pairs(typed_fields, "-F")]

    if data is None and not fields:
        return None
    if data is not None:
        text = read_source(data, "-d")
        where = "-d" if not data.startswith("@") else f"-d {data}"
        body = parse_json(text, where)
        if not fields:
            return text.encode()
        if not isinstance(body, dict):
            raise UsageError("-f/-F add fields to an object: -d must be a JSON object")
    else:
        body = {}
    body.update(fields)
    return json.dumps(body, ensure_ascii=False).encode()


@click.command()
@click.argument("method", metavar="METHOD")
@click.argument("path")
@click.option("-d", "--data", metavar="JSON|@FILE|@-",
              help="Request body: JSON text, a file's content, or stdin (@-).")
@click.option("-f", "--field", "strings", multiple=True, metavar="KEY=VALUE",
              help="A string field of the JSON body (repeatable).")
@click.option("-F", "--typed-field", "typed_fields", multiple=True, metavar="KEY=VALUE",
              help="A typed field: numbers, true, false, null, JSON, or @file.")
@click.option("-q", "--query", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable).")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="An extra request header (repeatable).")
@click.pass_obj
def cli(app: App, method: str, path: str, data, strings, typed_fields, query,
        headers) -> None:
    """Send any request of the REST API and print the answer.

    PATH may leave out its `/v1`. The body is exactly -d, or a JSON object built
    from -f/-F fields (merged into -d when both are given).

    \b
    Examples:
      re api GET /v1/cluster
      re api GET bdbs -q fields=uid,name
      re api PUT /v1/bdbs/1 -F memory_size=1073741824
      re api POST /v1/bdbs -d @bdb.json
    """
    method = method.upper()
    if method not in METHODS:
        raise UsageError(f"`{method}` is not an HTTP method: use one of {', '.join(METHODS)}")

    body = build_body(data, strings, typed_fields)
    params = _pairs(query, "-q")
    out = app.out()
    response = out.client().request(method, path, params=params or None, data=body,
                                    headers=parse_headers(headers))
    out.show(response, kind=kind_of_path(path))
