"""`re license`: the cluster license. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("license")
