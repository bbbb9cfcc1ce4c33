"""`re migrations`: database migrations. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("migrations")
