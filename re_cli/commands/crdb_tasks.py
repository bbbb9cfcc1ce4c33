"""`re crdb-tasks`: tasks of Active-Active databases. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("crdb-tasks")
