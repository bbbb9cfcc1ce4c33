"""`re redis-acls`: redis ACL rules. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("redis-acls")
