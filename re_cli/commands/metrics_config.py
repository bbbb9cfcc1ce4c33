"""`re metrics-config`: metrics export settings. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("metrics-config")
