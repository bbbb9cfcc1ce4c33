"""`re actions`: the cluster's long-running work (tasks and state machines)."""

import click

from re_cli import errors
from re_cli.app import App

pass_app = click.make_pass_decorator(App)


@click.group()
def cli() -> None:
    """Long-running actions: list them, look at one, wait for one to finish.

    Commands that start work (creating a database, a rebalance, a shard
    migration, ...) print an action uid; these commands follow it.

    \b
    Examples:
      re actions list
      re actions get 7c2bd4e0-1b8f-4a4b-9d3e-5f0c1a2b3c4d
      re actions wait 7c2bd4e0-1b8f-4a4b-9d3e-5f0c1a2b3c4d --wait-timeout 120
    """


@cli.command("list")
@click.option("--v2", "v2", is_flag=True,
              help="Ask /v2/actions: one flat list that also holds imports, exports "
                   "and backups.")
@pass_app
def list_(app: App, v2: bool) -> None:
    """List the actions the cluster tracks, running and recently finished.

    Without --v2 the server answers with two lists, `actions` (tasks) and
    `state-machines`; a table shows them together with a `kind` column.

    \b
    Examples:
      re actions list
      re actions list --v2 -o json | jq '.[] | select(.status == "running")'
    """
    out = app.out()
    response = out.client().get("/v2/actions" if v2 else "/v1/actions")
    body = response.json()
    if out.mode != "table" or not isinstance(body, dict):
        out.show(response, kind="action")
        return

    rows = [{"kind": "task", **item} for item in body.get("actions") or []
            if isinstance(item, dict)]
    rows += [{"kind": "state machine", **item} for item in body.get("state-machines") or []
             if isinstance(item, dict)]
    out.table(rows, kind="action")
    if out.stdout_tty:
        out.status(response)


@cli.command()
@click.argument("uid")
@pass_app
def get(app: App, uid: str) -> None:
    """Show one action by its uid.

    Asks /v2/actions/UID first (it knows imports, exports and backups too), then
    /v1/actions/UID for clusters that only have that.

    \b
    Example:
      re actions get 7c2bd4e0-1b8f-4a4b-9d3e-5f0c1a2b3c4d
    """
    from urllib.parse import quote

    out = app.out()
    client = out.client()
    try:
        response = client.get(f"/v2/actions/{quote(uid, safe='')}")
    except errors.ApiError as exc:
        if exc.status != 404:
            raise
        response = client.get(f"/v1/actions/{quote(uid, safe='')}")
    out.show(response, kind="action")


@cli.command()
@click.argument("uid")
@click.option("--wait-timeout", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Give up after this long (default 600); the action goes on.")
@pass_app
def wait(app: App, uid: str, wait_timeout: float | None) -> None:
    """Wait until an action finishes, then show it.

    A progress bar on stderr shows its status while on a terminal. Exits 9 when
    the action fails or the wait times out, 5 when the cluster does not know it.

    \b
    Examples:
      re actions wait 7c2bd4e0-1b8f-4a4b-9d3e-5f0c1a2b3c4d
      re bdbs create --name cache --memory 1GB --no-wait -o json \\
        | jq -r .action_uid | xargs re actions wait
    """
    from re_cli import wait as waiting

    app.out().client()  # so that -i shows the heads of the polls
    snapshot = waiting.wait_action(app, uid, wait_timeout)
    app.out().show_value(snapshot.body, kind="action")


@cli.command()
@click.argument("database")
@pass_app
def bdb(app: App, database: str) -> None:
    """List the actions of one database, by uid or by name.

    \b
    Example:
      re actions bdb cache
    """
    from re_cli.lookup import resolve_uid

    out = app.out()
    client = out.client()
    uid = resolve_uid(client, "bdbs", database, "database")
    out.show(client.get(f"/v1/actions/bdb/{uid}"), kind="action")
