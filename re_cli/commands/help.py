"""`re help`: topics (exit codes, environment, config, TLS) and any command's help."""

import click

from re_cli import help_topics
from re_cli.errors import UsageError


def _command_at(ctx: click.Context, words: tuple[str, ...]) -> click.Context:
    """The context of the command that `words` name, below the root."""
    root = ctx.find_root()
    current = click.Context(root.command, info_name=root.info_name, obj=root.obj,
                            **root.command.context_settings)
    for word in words:
        command = current.command
        sub = command.get_command(current, word) if isinstance(command, click.Group) else None
        if sub is None:
            path = " ".join(["re", *words[:words.index(word)]])
            known = ", ".join(help_topics.names())
            raise UsageError(f"`{word}` is not a command of `{path}` nor a help topic "
                             f"(topics: {known})")
        current = click.Context(sub, info_name=word, parent=current)
    return current


def _complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    from click.shell_completion import CompletionItem

    typed = tuple(ctx.params.get("words") or ())
    try:
        target = _command_at(ctx, typed)
    except UsageError:
        return []
    found = []
    if not typed:
        found += [CompletionItem(name, help=help_topics.summary(name))
                  for name in help_topics.names() if name.startswith(incomplete)]
    command = target.command
    if isinstance(command, click.Group):
        found += [CompletionItem(name) for name in command.list_commands(target)
                  if name.startswith(incomplete)]
    return found


def _topic_list(ctx: click.Context) -> str:
    formatter = ctx.make_formatter()
    with formatter.section("Help topics"):
        formatter.write_dl([(name, help_topics.summary(name)) for name in help_topics.names()])
    formatter.write_paragraph()
    formatter.write_text("`re help TOPIC` shows a topic; `re help COMMAND...` (or "
                         "`re COMMAND... --help`) shows a command's options and examples; "
                         "`re --help` lists the commands.")
    return formatter.getvalue()


@click.command("help")
@click.argument("words", nargs=-1, metavar="[TOPIC | COMMAND...]", shell_complete=_complete)
@click.pass_context
def cli(ctx: click.Context, words: tuple[str, ...]) -> None:
    """Help topics, and the help of any command.

    With no argument, lists the topics. A topic explains something that concerns every
    command: exit codes, environment variables, the config file, TLS trust.

    \b
    Examples:
      re help exit-codes
      re help environment
      re help bdbs get
    """
    if not words:
        click.echo(_topic_list(ctx), nl=False)
    elif len(words) == 1 and words[0] in help_topics.TOPICS:
        click.echo(help_topics.render_text(words[0]), nl=False)
    else:
        target = _command_at(ctx, words)
        click.echo(target.command.get_help(target))
