"""`re cluster`: settings, certificates, LDAP, SSO, actions, health. Declared in spec.py."""

from re_cli.commands import typed

cli = typed.group("cluster")
