"""Man pages in roff, made from the click command tree: re(1) for the whole program
(global options, commands, environment, files, exit status) and one page per
top-level command (re-bdbs(1), ...) with every subcommand and its options.

The output carries no date, so the same tree always gives the same bytes and a test
can compare the committed pages with what the tree makes.
"""

import inspect

import click

from re_cli import __version__, errors, help_topics

MANUAL = "re manual"


def escape(text: str) -> str:
    """Text safe inside a roff line: backslashes, hyphens (as \\- so that options
    copy and paste as typed), non-ASCII characters."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "".join(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in text)


def _line(text: str) -> str:
    """One input line of text: a leading dot or quote would read as a request."""
    text = escape(text)
    return "\\&" + text if text.startswith((".", "'")) else text


def _bold(text: str) -> str:
    return f"\\fB{escape(text)}\\fR"


def _italic(text: str) -> str:
    return f"\\fI{escape(text)}\\fR"


def _header(name: str, summary: str) -> list[str]:
    return [
        f'.TH {escape(name.upper())} 1 "" "re {__version__}" "{MANUAL}"',
        # Options and paths read better unhyphenated and ragged-right.
        ".nh",
        ".ad l",
        ".SH NAME",
        f"{escape(name)} \\- {escape(_strip_period(summary))}",
    ]


def _strip_period(text: str) -> str:
    return text[:-1] if text.endswith(".") else text


def _help_blocks(text: str | None) -> list[tuple[str, str]]:
    """Click help text as ("p", paragraph) and ("pre", lines) blocks; `\\b` marks a
    paragraph that must keep its line breaks, `\\f` ends what users see."""
    if not text:
        return []
    text = inspect.cleandoc(text).split("\f", 1)[0]
    blocks = []
    for para in text.split("\n\n"):
        if not para.strip():
            continue
        if para.startswith("\b"):
            blocks.append(("pre", para[1:].strip("\n")))
        else:
            blocks.append(("p", " ".join(para.split())))
    return blocks


def _render_blocks(blocks) -> list[str]:
    """Blocks of help_topics or of click help as roff lines."""
    out = []
    for kind, content in blocks:
        if kind == "p":
            out += [".PP", _line(content)]
        elif kind == "pre":
            out += [".PP", ".nf", ".RS 4"]
            out += [_line(line) if line.strip() else "\\&" for line in content.splitlines()]
            out += [".RE", ".fi"]
        else:
            for term, text in content:
                out += [".TP", _bold(term), _line(text)]
    return out


def walk(command: click.Command, ctx: click.Context, path: list[str]):
    """(path, context) for `command` and, depth first, every visible command below it."""
    yield path, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            yield from walk(sub, click.Context(sub, info_name=name, parent=ctx),
                                 path + [name])


def _global_records(root_ctx: click.Context) -> set:
    return {p.get_help_record(root_ctx) for p in root_ctx.command.params
            if isinstance(p, click.Option)}


def _options(ctx: click.Context, skip: set) -> list[str]:
    out = []
    help_option = ctx.command.get_help_option(ctx)
    for param in ctx.command.get_params(ctx):
        if param is help_option or getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None or record in skip:
            continue
        out += [".TP", _bold(record[0]), _line(record[1]) if record[1] else "\\&"]
    return out


def _usage(ctx: click.Context) -> str:
    pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
    return f"{_bold(ctx.command_path)} {escape(pieces)}".rstrip()


def _exit_status() -> list[str]:
    out = [".SH EXIT STATUS"]
    for code, text in errors.EXIT_CODES:
        out += [".TP", _bold(str(code)), _line(text)]
    return out


def root_page(root: click.Group, root_ctx: click.Context, groups: dict) -> str:
    """re(1)."""
    lines = _header("re", root.get_short_help_str(limit=200))
    lines += [".SH SYNOPSIS", f"{_bold('re')} [{_italic('OPTIONS')}] {_italic('COMMAND')} "
              f"[{_italic('ARGS')}]...", ".SH DESCRIPTION"]
    lines += _render_blocks(_help_blocks(root.help))
    lines += [".SH OPTIONS",
              _line("These options are accepted before the command and after it alike "
                    "(re -o json bdbs list, or re bdbs list -o json).")]
    lines += _options(root_ctx, skip=set())
    lines += [".SH COMMANDS"]
    for name, (_command, summary) in groups.items():
        lines += [".TP", _bold(f"re {name}"),
                  f"{escape(summary)} See \\fBre\\-{escape(name)}\\fR(1)."]
    for title, topic in (("CONFIGURATION", "config"), ("TLS", "tls")):
        lines += [f".SH {title}"] + _render_blocks(help_topics.TOPICS[topic][1])
    lines += [".SH ENVIRONMENT"]
    lines += _render_blocks(help_topics.TOPICS["environment"][1])
    lines += [".SH FILES"]
    for path, text in help_topics.FILES:
        lines += [".TP", _italic(path), _line(text)]
    lines += _exit_status()
    lines += _see_also(groups, exclude=None)
    return "\n".join(lines) + "\n"


def group_page(name: str, summary: str, command: click.Command, root_ctx: click.Context,
               groups: dict) -> str:
    """re-NAME(1): the top-level command NAME and everything below it."""
    ctx = click.Context(command, info_name=name, parent=root_ctx)
    skip = _global_records(root_ctx)
    lines = _header(f"re-{name}", summary)
    lines += [".SH SYNOPSIS", _usage(ctx), ".SH DESCRIPTION"]
    lines += _render_blocks(_help_blocks(command.help))
    own = _options(ctx, skip)
    if own:
        lines += [".SH OPTIONS"] + own
    subcommands = list(walk(command, ctx, ["re", name]))[1:]
    if subcommands:
        lines += [".SH COMMANDS"]
    for _path, sub_ctx in subcommands:
        lines += [".SS " + escape(sub_ctx.command_path), ".PP", _usage(sub_ctx)]
        lines += _render_blocks(_help_blocks(sub_ctx.command.help))
        lines += _options(sub_ctx, skip)
    lines += [".SH GLOBAL OPTIONS",
              _line("Every command also takes the global options -p/--profile, -o/--output, "
                    "-i/--include, -v/--verbose, --insecure, --ca-cert, --timeout and "
                    "--no-color; see re(1), which also lists the environment variables "
                    "and files.")]
    lines += _exit_status()
    lines += _see_also(groups, exclude=name)
    return "\n".join(lines) + "\n"


def _see_also(groups: dict, exclude: str | None) -> list[str]:
    pages = [("re", "1")] if exclude else []
    pages += [(f"re-{name}", "1") for name in groups if name != exclude]
    refs = [f".BR {escape(page)} ({section})," for page, section in pages]
    if refs:
        refs[-1] = refs[-1].rstrip(",")
    return [".SH SEE ALSO"] + refs


def load_tree(root: click.Group | None = None):
    """(root, root context, {name: (command, summary)}) for every top-level command that
    loads; a command whose module does not import is left out and named in `failed`."""
    from re_cli import cli as cli_module

    root = root or cli_module.cli
    root_ctx = click.Context(root, info_name="re", **root.context_settings)
    groups, failed = {}, []
    for name in root.list_commands(root_ctx):
        try:
            command = root.get_command(root_ctx, name)
        except Exception as exc:  # noqa: BLE001 - a half-written module must not stop the rest
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if command is None or command.hidden:
            continue
        summary = cli_module.GROUPS.get(name, (None, command.get_short_help_str(200)))[1]
        groups[name] = (command, summary)
    return root, root_ctx, groups, failed


def pages() -> tuple[dict[str, str], list[str]]:
    """{file name: roff text} for every page, and the commands that failed to load."""
    root, root_ctx, groups, failed = load_tree()
    made = {"re.1": root_page(root, root_ctx, groups)}
    for name, (command, summary) in groups.items():
        made[f"re-{name}.1"] = group_page(name, summary, command, root_ctx, groups)
    return made, failed
