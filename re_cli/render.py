"""Tables for people: a list of objects as rows, one object as field/value pairs.

Nothing here interprets markup: every cell is a rich Text, so `[prod]` and `[/x]`
print as they are. Imported only when a table is drawn (it imports rich).
"""

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from re_cli import humanize

CELL_LIMIT = 60  # nested values in list rows are cut here; the object view shows all
GENERIC_COLUMN_LIMIT = 6


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], Any]
    field: str = ""  # the field it comes from, for humanizing


def field(name: str, header: str | None = None) -> Column:
    return Column(header or name, lambda obj: obj.get(name), name)


def _endpoint_port(bdb: dict):
    endpoints = bdb.get("endpoints")
    if isinstance(endpoints, list):
        for endpoint in endpoints:
            if isinstance(endpoint, dict) and endpoint.get("port") is not None:
                return endpoint["port"]
    return bdb.get("port")


# Default columns per kind of object (the API's singular object name). A kind that is
# not here gets the first scalar fields of its objects.
COLUMNS: dict[str, list[Column]] = {
    "bdb": [
        field("uid"), field("name"), field("type"), field("status"),
        Column("memory", lambda o: o.get("memory_size"), "memory_size"),
        Column("port", _endpoint_port),
        Column("shards", lambda o: o.get("shards_count")),
    ],
    "node": [
        field("uid"), field("addr"), field("status"), field("shard_count", "shards"),
        field("total_memory", "memory"), field("software_version", "version"),
        field("rack_id", "rack"),
    ],
    "user": [
        field("uid"), field("name"), field("email"), field("role"), field("status"),
        field("auth_method", "auth"),
    ],
}


def cell(value, limit: int | None = None) -> str:
    """One value as short text: JSON spellings for scalars, compact JSON for the rest."""
    if value is None:
        return "-"
    if value == [] or value == {}:
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)):
        text = str(value)
    elif isinstance(value, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        text = ", ".join(str(v) for v in value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if limit and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def human_cell(name: str, value, limit: int | None = None) -> str:
    return cell(humanize.for_field(name, value) if name else value, limit)


def columns_for(rows: list[dict], kind: str | None, fields) -> list[Column]:
    if fields:
        return [field(name) for name in fields]
    if kind in COLUMNS:
        return COLUMNS[kind]
    names: list[str] = []
    for row in rows:
        for name, value in row.items():
            if name not in names and not isinstance(value, (dict, list)):
                names.append(name)
    names.sort(key=lambda n: (n != "uid", n != "name"))
    return [field(name) for name in names[:GENERIC_COLUMN_LIMIT]]


def unwrap(value, kind: str | None):
    """`{"actions": [...]}` is shown as the list it wraps, as kind `action`."""
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if isinstance(inner, list):
            return inner, key[:-1] if key.endswith("s") else key
    return value, kind


def list_table(rows: list, kind: str | None, fields) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    objects = [row for row in rows if isinstance(row, dict)]
    if len(objects) != len(rows):  # scalars, or a mix: one value per row
        table.add_column(Text("value"))
        for row in rows:
            table.add_row(Text(cell(row, CELL_LIMIT)))
        return table

    columns = columns_for(objects, kind, fields)
    for column in columns:
        table.add_column(Text(column.header), overflow="fold", min_width=len(column.header))
    for obj in objects:
        table.add_row(*(Text(human_cell(c.field, c.value(obj), CELL_LIMIT)) for c in columns))
    return table


def object_table(obj: dict, fields) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    table.add_column(Text("field"), no_wrap=True)
    table.add_column(Text("value"), overflow="fold")
    names = list(fields) if fields else list(obj)
    for name in names:
        table.add_row(Text(str(name)), Text(human_cell(str(name), obj.get(name))))
    return table


def print_value(value, kind: str | None = None, fields=None, color: bool = True) -> None:
    """Print a parsed body as a table (or as plain text when it is a bare scalar)."""
    console = Console(file=sys.stdout, no_color=not color, highlight=False, markup=False,
                      emoji=False, soft_wrap=False,
                      color_system="auto" if color else None)
    value, kind = unwrap(value, kind)

    if isinstance(value, list):
        if not value:
            sys.stderr.write("(no items)\n")
            return
        shown = list_table(value, kind, fields)
    elif isinstance(value, dict):
        shown = object_table(value, fields)
    else:
        shown = Text(cell(value))
    try:
        console.print(shown)
    except SystemExit:  # rich's answer to a closed stdout: it has already muted it
        from re_cli.output import ReaderGone

        raise ReaderGone() from None
