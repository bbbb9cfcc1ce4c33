"""`re completion bash|zsh|fish`: the shell's completion script for `re`."""

import click

PROG_NAME = "re"
COMPLETE_VAR = "_RE_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def script(shell: str) -> str:
    """The completion script Click makes for `re` in `shell`."""
    from click.shell_completion import get_completion_class

    from re_cli.cli import cli as root

    complete_class = get_completion_class(shell)
    source = complete_class(root, {}, PROG_NAME, COMPLETE_VAR).source()
    return source if source.endswith("\n") else source + "\n"


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def cli(shell: str) -> None:
    """Print the tab-completion script for a shell.

    Tab then completes commands, options, their values, profile names and the
    current cluster's object names (databases, nodes, users, roles, ACLs), the
    latter from a short-lived cache in the user's cache dir.

    \b
    Examples:
      re completion bash > ~/.local/share/bash-completion/completions/re
      re completion zsh > "${fpath[1]}/_re"
      re completion fish > ~/.config/fish/completions/re.fish
      eval "$(re completion bash)"    # this shell only
    """
    click.echo(script(shell), nl=False)
