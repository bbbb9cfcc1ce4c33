"""`re bootstrap`: create a cluster, join or recover a node. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("bootstrap")
