"""`re cm-settings`: cluster Manager UI settings. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("cm-settings")
