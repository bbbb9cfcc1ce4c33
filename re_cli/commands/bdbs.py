"""`re bdbs`: databases. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("bdbs")
