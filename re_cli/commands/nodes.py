"""`re nodes`: nodes: status, actions, maintenance, alerts, stats. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("nodes")
