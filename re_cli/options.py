"""Options shared by many commands, declared once so every command offers them alike."""

import click


def _split_fields(ctx, param, value) -> list[str] | None:
    if not value:
        return None
    names = [name.strip() for chunk in value for name in chunk.split(",")]
    names = [name for name in names if name]
    if not names:
        raise click.BadParameter("give at least one field name, as in `--fields uid,name`")
    return names


def fields_option(func):
    """`--fields uid,name`: ask the server for these fields only (and show them)."""
    return click.option(
        "--fields", metavar="F1,F2", multiple=True, callback=_split_fields,
        help="Only these fields, comma-separated; the server returns no others.",
    )(func)


def fields_query(fields: list[str] | None) -> dict:
    """The query parameters that carry `--fields` to the server."""
    return {"fields": ",".join(fields)} if fields else {}
