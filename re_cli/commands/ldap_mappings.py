"""`re ldap-mappings`: lDAP group to role mappings. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("ldap-mappings")
