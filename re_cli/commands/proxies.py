"""`re proxies`: proxies. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("proxies")
