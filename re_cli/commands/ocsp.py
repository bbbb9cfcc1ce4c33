"""`re ocsp`: oCSP stapling settings and status. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("ocsp")
