"""`re suffixes`: dNS suffixes. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("suffixes")
