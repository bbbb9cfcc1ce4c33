"""`re logs`: cluster event log. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("logs")
