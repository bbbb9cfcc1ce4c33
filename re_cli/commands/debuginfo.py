"""`re debuginfo`: debug info archives of the cluster and its nodes. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("debuginfo")
