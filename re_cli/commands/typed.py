"""The factory that turns the declarations (spec.py joined with the catalog) into
click groups and commands. A group module is just `cli = typed.group("nodes")`."""

from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import lru_cache, partial
from urllib.parse import quote

import click

from re_cli.commands import spec
from re_cli.commands.examples import decorate as with_own_help

STATS_INTERVALS = ("1sec", "10sec", "5min", "15min", "1hour", "12hour", "1week")
# Query parameters whose flag differs from the parameter's name.
RENAMED_QUERY = {"stime": "since", "etime": "until", "verbose": "detailed"}
# A family's own uid parameter, by catalog group.
FAMILY_KIND = {
    "bdbs": "bdb", "nodes": "node", "users": "user", "roles": "role",
    "redis_acls": "redis_acl", "ldap_mappings": "ldap_mapping", "modules": "module",
}
METAVARS = {"bdb": "DB", "node": "NODE", "user": "USER", "role": "ROLE",
            "redis_acl": "ACL", "ldap_mapping": "MAPPING", "module": "MODULE", "crdb": "CRDB"}


@dataclass(frozen=True)
class Declaration:
    """One typed command: the spec row and the catalog's facts about its request."""

    row: spec.Row
    request: dict

    @property
    def method(self) -> str:
        return self.request["method"]

    @property
    def path(self) -> str:
        return self.request["path"]

    @property
    def group(self) -> str:
        return self.row.group

    @property
    def verb(self) -> str:
        return self.row.verb

    @property
    def summary(self) -> str:
        return self.request["summary"]

    @property
    def deprecated(self) -> bool:
        return bool(self.request["deprecated"])

    @property
    def node_local(self) -> bool:
        return self.path.startswith(("/v1/local/", "/v2/local/"))

    @property
    def takes_body(self) -> bool:
        return bool(self.request["takes_body"])

    @property
    def waits(self) -> str | None:
        return self.request["async"]

    @property
    def query_names(self) -> list[str]:
        return [q["name"] for q in self.request["query_params"]]

    @property
    def dry_run(self) -> bool:
        return "dry_run" in self.query_names

    @property
    def permission(self) -> str | None:
        return self.request["permission"]

    def address_kinds(self) -> list[tuple[str, str | None]]:
        """(path parameter, object kind or None) in path order."""
        segments = self.path.split("/")
        kinds, addressed = [], False
        for i, segment in enumerate(segments):
            if not segment.startswith("{"):
                continue
            name = segment[1:-1]
            before = segments[i - 1]
            kind = None
            if name == "bdb_uid":
                kind = "bdb"
            elif name == "node_uid":
                kind = "node"
            elif name == "crdb_guid":
                kind = "crdb"
            elif name == "uid" and not addressed:
                kind = "bdb" if before in ("bdb", "db") else FAMILY_KIND.get(
                    self.request["group"])
            addressed = addressed or kind is not None
            kinds.append((name, kind))
        return kinds

    def is_destructive(self, action: str | None) -> bool:
        if self.row.destructive is True:
            return True
        return bool(self.row.destructive) and action in self.row.destructive


@lru_cache(maxsize=1)
def declarations() -> list[Declaration]:
    from re_cli import catalog

    by_key = {f"{r['method']} {r['path']}": r for r in catalog.requests()}
    return [Declaration(row, by_key[row.key]) for row in spec.rows()]


def group_names() -> list[str]:
    return sorted(spec.GROUP_HELP)


def loaded_group(name: str) -> click.Group:
    """The group `re NAME` as its module builds it, hand-written commands included."""
    import importlib

    return importlib.import_module(f"re_cli.commands.{name.replace('-', '_')}").cli


# ---------------------------------------------------------------- click parameters

class ActionName(click.ParamType):
    """An `{action}` path value: documented names complete, dashes or underscores."""

    name = "action"

    def __init__(self, known: tuple):
        self.known = known

    def convert(self, value, param, ctx):
        return str(value).replace("-", "_")

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        names = [k.replace("_", "-") for k in self.known]
        return [CompletionItem(n) for n in names if n.startswith(incomplete)]


# The management roles a user may hold, offered before the cluster's own role names.
MANAGEMENT_ROLES = ("admin", "cluster_member", "cluster_viewer", "db_member", "db_viewer",
                    "user_manager", "none")


def _completer(kind: str | None):
    """Live names for an argument or option that takes an object of `kind`, or None."""
    from re_cli import name_cache

    return name_cache.names(kind) if kind in name_cache.KINDS else None


def _complete_management(ctx, param, incomplete):
    from click.shell_completion import CompletionItem

    return [CompletionItem(r) for r in MANAGEMENT_ROLES if r.startswith(incomplete)]


def _complete_role(ctx, param, incomplete):
    from re_cli import name_cache

    fixed = _complete_management(ctx, param, incomplete)
    cached = name_cache.complete("role", incomplete, ctx)
    known = {item.value for item in fixed}
    return fixed + [item for item in cached if item.value not in known]


def _dash(name: str) -> str:
    return name.replace("_", "-")


def _metavar(name: str, kind: str | None) -> str:
    return METAVARS.get(kind, name.upper())


def _query_option(param: dict) -> click.Option:
    name, kind = param["name"], param["type"]
    flag = "--" + _dash(RENAMED_QUERY.get(name, name))
    dest = f"q_{name}"
    if name == "dry_run":
        return click.Option(["--dry-run", dest], is_flag=True, default=False,
                            help="Let the server validate the request; change nothing.")
    if name == "interval":
        return click.Option([flag, dest], type=click.Choice(STATS_INTERVALS),
                            help="Sample interval.")
    if name in ("stime", "etime"):
        word = "From" if name == "stime" else "Until"
        return click.Option([flag, dest], metavar="TIME",
                            help=f"{word} this time: ISO 8601 or relative (1h, 2d).")
    if name == "fields":
        from re_cli.options import _split_fields

        return click.Option([flag, dest], metavar="F1,F2", multiple=True,
                            callback=_split_fields,
                            help="Only these fields, comma-separated; the server returns "
                                 "no others.")
    if kind.startswith("boolean"):
        return click.Option([flag, dest], is_flag=True, default=False,
                            help=f"Send {name}=true.")
    if kind.startswith("integer"):
        return click.Option([flag, dest], type=int, metavar="N", help=f"Query `{name}`.")
    return click.Option([flag, dest], metavar="VALUE", help=f"Query `{name}`.")


def _body_option(flag: tuple) -> click.Option:
    name, field, kind, text = flag
    dest = f"b_{field}"
    if name == "--role":
        return click.Option([name, dest], metavar="ROLE", help=text,
                            shell_complete=_complete_role)
    if name == "--management":
        return click.Option([name, dest], metavar="ROLE", help=text,
                            shell_complete=_complete_management)
    if kind == "bool":
        return click.Option([f"{name}/--no-{name[2:]}", dest], default=None, help=text)
    if kind == "secret":
        return click.Option([name, dest], is_flag=True, default=False, help=text)
    if kind in ("list", "modules", "intlist"):
        return click.Option([name, dest], multiple=True, metavar="VALUE", help=text)
    if kind == "int":
        return click.Option([name, dest], type=int, metavar="N", help=text)
    metavar = "SIZE" if kind == "memory" else "TEXT"
    return click.Option([name, dest], metavar=metavar, help=text)


OUTPUT_FORMATS = ("auto", "table", "json")


def _not_a_format(ctx, param, value):
    """On a download, -o/--output is the file; an output format there is a mistake that
    would otherwise leave an archive named `json` behind."""
    if value in OUTPUT_FORMATS:
        from re_cli.errors import UsageError

        raise UsageError(f"-o/--output names the file to write on a download, not a format "
                         f"(the body is an archive); for a file called `{value}`, "
                         f"give `./{value}`")
    return value


def _params(decl: Declaration, fixed_action: str | None) -> list[click.Parameter]:
    params: list[click.Parameter] = []
    for name, kind in decl.address_kinds():
        if name == "action":
            if fixed_action is None:
                params.append(click.Argument([f"p_{name}"], metavar="ACTION",
                                             type=ActionName(decl.row.actions)))
            continue
        complete = _complete_role if name == "role" else _completer(kind)
        params.append(click.Argument([f"p_{name}"], metavar=_metavar(name, kind),
                                     shell_complete=complete))
    if decl.node_local:
        params.append(click.Option(["--node", "node"], metavar="NODE",
                                   shell_complete=_completer("node"),
                                   help="The node to ask: its address or uid "
                                        "(default: the profile's host)."))
    params.extend(_query_option(q) for q in decl.request["query_params"])
    if decl.row.upload:
        params.append(click.Option(["--module-file", "module_file"], metavar="FILE",
                                   type=click.Path(dir_okay=False),
                                   help="The module package (a zip) to upload."))
    elif decl.takes_body:
        params.append(click.Option(["-d", "--data", "data"], metavar="JSON|@FILE|@-",
                                   help="Request body; the flags below win over it."))
        params.extend(_body_option(f) for f in decl.row.flags)
    if decl.row.destructive:
        params.append(click.Option(["-y", "--yes", "yes"], is_flag=True, default=False,
                                   help="Do it without asking (needed off a terminal)."))
    if decl.waits:
        params.append(click.Option(["--wait/--no-wait", "wait"], default=None,
                                   help="Wait for the work to finish "
                                        "(default: on a terminal)."))
        params.append(click.Option(["--wait-timeout", "wait_timeout"], type=float,
                                   metavar="SECONDS", help="Give up waiting after this."))
    if decl.row.show == "download":
        params.append(click.Option(["-o", "--output", "output_file"], metavar="FILE",
                                   type=click.Path(dir_okay=False, allow_dash=True),
                                   callback=_not_a_format,
                                   help="Write the archive to FILE (`-` for stdout). Here "
                                        "-o names a file, as with curl: the archive has no "
                                        "json or table form."))
    return params


# ---------------------------------------------------------------- help

def _sample(name: str, kind: str | None, decl: Declaration) -> str:
    if name == "action":
        return _dash(decl.row.actions[0]) if decl.row.actions else "ACTION"
    if kind in ("bdb", "node", "user", "role", "redis_acl", "ldap_mapping") or name == "uid":
        return "1"
    return name.upper()


def examples(decl: Declaration, fixed_action: str | None = None,
             name: str | None = None) -> list[str]:
    if decl.row.examples and fixed_action is None:
        return list(decl.row.examples)
    words = ["re", decl.group, name or decl.verb]
    words += [_sample(n, k, decl) for n, k in decl.address_kinds()
              if not (n == "action" and fixed_action)]
    if decl.takes_body and not decl.row.flags and not decl.row.actions:
        words.append("--data @body.json")
    if decl.row.destructive is True or (fixed_action and decl.is_destructive(fixed_action)):
        words.append("--yes")
    if decl.row.show == "download":
        words.append("--output debuginfo.tar.gz")
    return [" ".join(words)]


def _help(decl: Declaration, fixed_action: str | None, name: str) -> str:
    notes = []
    if fixed_action:
        notes.append(f"Shorthand for `re {decl.group} {decl.verb} ... {_dash(fixed_action)}`.")
    if decl.deprecated:
        notes.append("Deprecated by the API; it still works on clusters that have it.")
    if decl.node_local:
        notes.append("Acts on one node only: --node names it (address or uid).")
    if decl.row.destructive is True or (fixed_action and decl.is_destructive(fixed_action)):
        notes.append("Destructive: asks first on a terminal; off a terminal it needs --yes.")
    elif decl.row.destructive and not fixed_action:
        acts = ", ".join(_dash(a) for a in decl.row.destructive)
        notes.append(f"Destructive for {acts}: asks first, or needs --yes off a terminal.")
    if decl.waits:
        notes.append("Waits for the work to finish on a terminal (--wait/--no-wait).")
    if decl.row.upload:
        notes.append("The package goes up as multipart/form-data, from --module-file.")
    elif decl.takes_body:
        notes.append("The body comes from --data and the flags; a flag wins over --data.")
    lines = [("[deprecated] " if decl.deprecated else "") + decl.summary, ""]
    if notes:
        lines += [" ".join(notes), ""]
    lines += ["\b", "Examples:"] + [f"  {e}" for e in examples(decl, fixed_action, name)]
    permission = f", permission {decl.permission}" if decl.permission else ""
    lines += ["", f"Request: {decl.method} {decl.path}{permission}."]
    return "\n".join(lines)


# ---------------------------------------------------------------- running

def _path_values(decl, client, kwargs, fixed_action) -> dict:
    from re_cli import addressing

    values = {}
    for name, kind in decl.address_kinds():
        if name == "action":
            values[name] = fixed_action or kwargs[f"p_{name}"]
            continue
        values[name] = addressing.resolve(client, kind, kwargs[f"p_{name}"])
    return values


def _query(decl, kwargs) -> dict:
    query = {}
    for name in decl.query_names:
        value = kwargs.get(f"q_{name}")
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = "true"
        elif name == "fields":
            value = ",".join(value)
        elif name in ("stime", "etime"):
            from re_cli.stats_view import parse_when

            value = parse_when(value)
        query[name] = value
    return query


def _body(decl, kwargs):
    from re_cli.commands.inputs import flag_value, merge_body, parse_data

    if not decl.takes_body:
        return None
    data = parse_data(kwargs["data"]) if kwargs.get("data") is not None else None
    flags = {}
    for name, field, kind, _ in decl.row.flags:
        value = kwargs.get(f"b_{field}")
        if value is None or value is False or value == ():
            continue
        flags[field] = flag_value(kind, name, value)
    return merge_body(data, flags)


def _client_for(app, decl, kwargs):
    client = app.out().client()
    if not decl.node_local or not kwargs.get("node"):
        return client
    import dataclasses

    from re_cli import addressing
    from re_cli.http import Client

    address = addressing.node_address(client, kwargs["node"])
    settings = dataclasses.replace(app.settings(), host=address)
    local = Client(settings, verbose=app.verbose)
    local.on_response = client.on_response
    return local


def _confirm(decl, client, values, kwargs, action) -> None:
    from re_cli import confirm

    what = f"{decl.group} {decl.verb}" + (f" {_dash(action)}" if action else "")
    confirm.require_yes_off_terminal(f"`re {what}`", kwargs.get("yes", False))
    if kwargs.get("yes"):
        return
    target = " ".join(v for k, v in values.items() if k != "action")
    name = None
    if decl.group == "bdbs" and "uid" in values:
        bdb = client.request("GET", f"/v1/bdbs/{values['uid']}",
                             params={"fields": "uid,name"}).json()
        name = bdb.get("name") if isinstance(bdb, dict) else None
    confirm.ask(f"{what} {target}".strip(), False, type_to_confirm=name)


def _current(decl, client, path):
    """The object as it is now, for a dry run's diff (updates only)."""
    if decl.method not in ("PUT", "PATCH"):
        return None
    has_get = any(d.method == "GET" and d.path == decl.path for d in declarations())
    if not has_get:
        return None
    current = client.request("GET", path).json()
    return current if isinstance(current, dict) else None


def _display(app, decl, response, fields) -> None:
    if decl.row.show == "stats":
        from re_cli import stats_view

        stats_view.show(app, response)
    elif decl.row.show in ("text", "ndjson"):
        from re_cli import download

        download.show_text(app, response)
    else:
        app.out().show(response, kind=decl.row.kind, fields=fields)


def _download(app, decl, client, path, query, kwargs) -> None:
    """Archives stream to --output with a progress bar; node-local ones come whole."""
    from re_cli import download

    if client is app.client():
        download.save(app, download.fetch(app, path, query or None), kwargs.get("output_file"))
        return
    response = client.request("GET", path, params=query or None)
    download.show(app, response, kwargs.get("output_file"))


def _upload(decl, client, path, query, kwargs):
    """Send the package as multipart/form-data, in the field the API names."""
    import os

    from urllib3 import encode_multipart_formdata

    from re_cli.errors import UsageError

    name = kwargs.get("module_file")
    if not name:
        raise UsageError(f"`re {decl.group} {decl.verb}` needs --module-file FILE")
    try:
        with open(name, "rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise UsageError(f"--module-file: cannot read `{name}`: {exc.strerror}") from None
    data, content_type = encode_multipart_formdata(
        {decl.row.upload: (os.path.basename(name), content, "application/zip")})
    return client.request(decl.method, path, params=query or None, data=data,
                          headers={"Content-Type": content_type})


def _follow(app, decl, response, path) -> None:
    from re_cli import wait

    wait.follow(app, response, {**decl.request, "resolved_path": path})


def _run(decl: Declaration, fixed_action: str | None, kwargs: dict) -> None:
    from re_cli import confirm
    from re_cli.app import App

    app = click.get_current_context().find_object(App)
    action = fixed_action or kwargs.get("p_action")
    destructive = decl.is_destructive(action)
    if destructive:  # refuse off a terminal before any request or stdin read
        confirm.require_yes_off_terminal(f"`re {decl.group} {decl.verb}`",
                                         kwargs.get("yes", False))
    if kwargs.get("wait") is not None:
        app.wait = kwargs["wait"]
    if kwargs.get("wait_timeout") is not None:
        app.wait_timeout = kwargs["wait_timeout"]

    query = _query(decl, kwargs)
    body = _body(decl, kwargs)
    fields = kwargs.get("q_fields") or None
    client = app.out().client()
    values = _path_values(decl, client, kwargs, fixed_action)
    path = decl.path.format(**{k: quote(str(v), safe="") for k, v in values.items()})
    if destructive:
        _confirm(decl, client, values, kwargs, action)
    client = _client_for(app, decl, kwargs)

    if decl.row.show == "download":
        _download(app, decl, client, path, query, kwargs)
        return
    current = _current(decl, client, path) if query.get("dry_run") else None
    if decl.row.upload:
        response = _upload(decl, client, path, query, kwargs)
    else:
        response = client.request(decl.method, path, params=query or None, json=body)
    if query.get("dry_run"):
        from re_cli import dryrun

        dryrun.show(app, response, current, body)
        return
    _display(app, decl, response, fields)
    if decl.waits:
        _follow(app, decl, response, path)


def command(decl: Declaration, fixed_action: str | None = None,
            name: str | None = None) -> click.Command:
    name = name or decl.verb
    summary = ("[deprecated] " if decl.deprecated else "") + decl.summary
    if fixed_action:
        summary = f"The same as `{decl.verb} ... {_dash(fixed_action)}`."

    def callback(**kwargs):
        _run(decl, fixed_action, kwargs)

    cmd = click.Command(name, callback=callback, params=_params(decl, fixed_action),
                        help=_help(decl, fixed_action, name), short_help=summary,
                        context_settings={"help_option_names": ["-h", "--help"]})
    cmd.declaration, cmd.declarations = decl, (decl,)
    cmd.shorthand_for = decl.verb if fixed_action else None
    return with_own_help(cmd, f"{decl.group} {name}")


def _shorthands(decl: Declaration) -> list[tuple[str, str]]:
    """(command name, action) for a request that starts a named action."""
    if not decl.row.actions or decl.method in ("GET", "DELETE") or decl.verb == "validate":
        return []
    return [(_dash(a), a) for a in decl.row.actions]


class TypedGroup(click.Group):
    """A command group whose commands come from the declarations."""

    def format_commands(self, ctx, formatter) -> None:
        main, short = [], []
        for name in self.list_commands(ctx):
            cmd = self.commands[name]
            if cmd.hidden:
                continue
            row = (name, cmd.get_short_help_str(limit=formatter.width - 30))
            (short if getattr(cmd, "shorthand_for", None) else main).append(row)
        with formatter.section("Commands"):
            formatter.write_dl(main)
        if short:
            with formatter.section("Shorthands"):
                formatter.write_dl(short)


class LazyCommands(MutableMapping):
    """A group's commands by name, each built the first time it is looked up: a run
    builds the one command it invokes, not the group's dozens (startup time)."""

    def __init__(self):
        self._factories: dict = {}
        self._built: dict = {}
        self._hooks: list = []

    def add_factory(self, name: str, factory) -> None:
        self._factories[name] = factory

    def when_built(self, hook) -> None:
        """Call hook(command) on every command, now for those built, later for the rest."""
        self._hooks.append(hook)
        for cmd in self._built.values():
            hook(cmd)

    def __getitem__(self, name):
        if name not in self._built:
            cmd = self._factories[name]()
            for hook in self._hooks:
                hook(cmd)
            self._built[name] = cmd
        return self._built[name]

    def __setitem__(self, name, cmd) -> None:
        self._factories[name] = lambda: cmd

    def __delitem__(self, name) -> None:
        self._factories.pop(name)
        self._built.pop(name, None)

    def __iter__(self):
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def __contains__(self, name) -> bool:
        return name in self._factories


def group(name: str, own: tuple = ()) -> click.Group:
    """The click group `re NAME`, with one command per declared request.

    `own` holds commands written by hand; each takes over the declarations of its verb
    (several rows may share a verb when a flag picks the request, as `--v2` does)."""
    decls = [d for d in declarations() if d.group == name]
    if not decls:
        raise ValueError(f"no declarations for group `{name}`")
    grp = TypedGroup(name, help=spec.GROUP_HELP[name] + _group_examples(name, decls),
                     short_help=spec.GROUP_HELP[name],
                     context_settings={"help_option_names": ["-h", "--help"]})
    commands = grp.commands = LazyCommands()
    by_verb: dict[str, list[Declaration]] = {}
    for decl in decls:
        by_verb.setdefault(decl.verb, []).append(decl)
    hand_written = {cmd.name: cmd for cmd in own}
    for verb, shared in by_verb.items():
        cmd = hand_written.pop(verb, None)
        if cmd is None and len(shared) > 1:
            raise ValueError(f"`re {name} {verb}` is declared {len(shared)} times")
        commands.add_factory(verb, _declared(shared, cmd))
    for cmd in hand_written.values():  # commands that wrap no single request
        commands.add_factory(cmd.name, _declared((), cmd))
    for decl in decls:
        for alias, action in _shorthands(decl):
            if alias not in commands:
                commands.add_factory(alias, partial(command, decl, action, alias))
    return grp


def _declared(shared, cmd: click.Command | None):
    """A factory for the command of `shared` declarations: `cmd` when written by hand."""

    def build() -> click.Command:
        built = cmd if cmd is not None else command(shared[0])
        built.declaration = shared[0] if shared else None
        built.declarations = tuple(shared)
        return built

    return build


def _group_examples(name: str, decls: list[Declaration]) -> str:
    first = examples(decls[0])[0]
    return f"\n\n\b\nExamples:\n  {first}\n  re {name} COMMAND --help"
