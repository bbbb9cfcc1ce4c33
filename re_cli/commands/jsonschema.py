"""`re jsonschema`: the live JSON schema of API objects. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("jsonschema")
