"""`re usage-report`: the usage report, as newline-delimited JSON. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("usage-report")
