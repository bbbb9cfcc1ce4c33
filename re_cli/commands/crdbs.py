"""`re crdbs`: active-Active databases. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("crdbs")
