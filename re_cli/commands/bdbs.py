"""`re bdbs`: databases."""

import click

from re_cli.app import App
from re_cli.lookup import resolve_uid
from re_cli.options import fields_option, fields_query

pass_app = click.make_pass_decorator(App)


@click.group()
def cli() -> None:
    """Databases (bdbs).

    \b
    Examples:
      re bdbs list
      re bdbs list --fields uid,name,status -o json
      re bdbs get cache
    """


@cli.command("list")
@fields_option
@pass_app
def list_(app: App, fields) -> None:
    """List the databases.

    \b
    Example:
      re bdbs list --fields uid,name,memory_size
    """
    out = app.out()
    response = out.client().get("/v1/bdbs", params=fields_query(fields))
    out.show(response, kind="bdb", fields=fields)


@cli.command()
@click.argument("database")
@fields_option
@pass_app
def get(app: App, database: str, fields) -> None:
    """Show one database, by uid or by name.

    A name that several databases share is refused (exit 2) with their uids.

    \b
    Example:
      re bdbs get 1 --fields name,status,port
    """
    out = app.out()
    client = out.client()
    uid = resolve_uid(client, "bdbs", database, "database")
    response = client.get(f"/v1/bdbs/{uid}", params=fields_query(fields))
    out.show(response, kind="bdb", fields=fields)
