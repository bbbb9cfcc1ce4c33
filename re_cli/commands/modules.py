"""`re modules`: redis modules and custom module artifacts. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("modules")
