"""Asking before destructive work: on a terminal the user agrees (for a database,
by typing its name); without a terminal only `--yes` lets the command act."""

import sys

from re_cli.errors import UsageError


def on_terminal() -> bool:
    return sys.stdin.isatty()


def require_yes_off_terminal(what: str, yes: bool) -> None:
    """Refuse at once, before any request, when nobody can be asked."""
    if not yes and not on_terminal():
        raise UsageError(f"{what} is destructive: add --yes to do it without a terminal; "
                         "nothing was done")


def ask(what: str, yes: bool, type_to_confirm: str | None = None) -> None:
    """Return when the user agreed; otherwise UsageError (exit 2) and nothing is done."""
    if yes:
        return
    require_yes_off_terminal(what, yes)
    import click

    if type_to_confirm is not None:
        answer = click.prompt(f"{what}: type `{type_to_confirm}` to confirm",
                              default="", show_default=False)
        if answer.strip() != type_to_confirm:
            raise UsageError("the name did not match; nothing was done")
        return
    if not click.confirm(f"{what}?", default=False):
        raise UsageError("declined; nothing was done")
