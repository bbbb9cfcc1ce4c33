"""`re job-scheduler`: scheduled maintenance jobs. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("job-scheduler")
