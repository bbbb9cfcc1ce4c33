"""`re actions`: the cluster's long-running work (tasks and state machines).

`list`, `get` and `wait` are written here by hand: `list` and `get` each send one of
two requests (v1 or v2, a flag picks), and `wait` polls. `bdb` is declared in spec.py.
"""

import click

from re_cli import errors
from re_cli.app import App
from re_cli.commands import typed

pass_app = click.make_pass_decorator(App)
SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.command("list", context_settings=SETTINGS)
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


@click.command(context_settings=SETTINGS)
@click.argument("uid")
@click.option("--v1", "v1", is_flag=True,
              help="Ask /v1/actions/UID only: the older view, without imports, exports "
                   "and backups.")
@pass_app
def get(app: App, uid: str, v1: bool) -> None:
    """Show one action by its uid.

    Asks /v2/actions/UID first (it knows imports, exports and backups too), then
    /v1/actions/UID for clusters that only have that.

    \b
    Examples:
      re actions list --v2 -o json | jq -r '.[0].action_uid' | xargs re actions get
      re actions list -o json | jq -r '.["state-machines"][0].action_uid' \\
        | xargs re actions get --v1
    """
    from urllib.parse import quote

    out = app.out()
    client = out.client()
    v1_path = f"/v1/actions/{quote(uid, safe='')}"
    if v1:
        out.show(client.get(v1_path), kind="action")
        return
    try:
        response = client.get(f"/v2/actions/{quote(uid, safe='')}")
    except errors.ApiError as exc:
        if exc.status != 404:
            raise
        response = client.get(v1_path)
    out.show(response, kind="action")


@click.command(context_settings=SETTINGS)
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
      re actions list --v2 -o json | jq -r '.[-1].action_uid' \\
        | xargs re actions wait --wait-timeout 120
      re bdbs update cache --memory 3GB --no-wait -o json \\
        | jq -r .action_uid | xargs re actions wait
    """
    from re_cli import wait as waiting

    app.out().client()  # so that -i shows the heads of the polls
    snapshot = waiting.wait_action(app, uid, wait_timeout)
    app.out().show_value(snapshot.body, kind="action")


cli = typed.group("actions", own=(list_, get, wait))
