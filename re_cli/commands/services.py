"""`re services`: services on the nodes: list, start, stop, restart. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("services")
