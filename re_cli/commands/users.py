"""`re users`: users, passwords, tokens and permissions. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("users")
