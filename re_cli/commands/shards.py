"""`re shards`: shards: list, failover, migrate, stats. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("shards")
