"""The `re` command: global options, lazily loaded command groups, exit codes."""

import gc
import importlib
import os
import sys

# A run of `re` is short and imports far more than it frees: the cycle collector's
# passes over the imported modules cost about a tenth of the start-up (bench/) and find
# nothing. Commands that run long (the sandbox server, waiting on actions) turn it on.
gc.disable()

# After gc.disable(), so that these imports are not slowed either.
import click  # noqa: E402

from re_cli import __version__, errors  # noqa: E402
from re_cli.app import App  # noqa: E402

# name -> (module, one-line help). Modules are imported only when their group runs,
# so `re --help` and tab completion stay cheap.
GROUPS = {
    "actions": ("re_cli.commands.actions", "Long-running actions: list, show, wait for one."),
    "api": ("re_cli.commands.api", "Send any request of the REST API."),
    "bdbs": ("re_cli.commands.bdbs", "Databases."),
    "completion": ("re_cli.commands.completion", "Print the tab-completion script for a shell."),
    "help": ("re_cli.commands.help", "Help topics (exit codes, environment, config, TLS)."),
    "profile": ("re_cli.commands.profile", "Connection profiles and their passwords."),
    "sandbox": ("re_cli.commands.sandbox", "A local emulation of a cluster's REST API."),
    # Typed command groups, declared in re_cli/commands/spec.py.
    "bootstrap": ("re_cli.commands.bootstrap", "Create a cluster, join or recover a node."),
    "cluster": ("re_cli.commands.cluster",
               "The cluster: settings, certificates, LDAP, SSO, actions, health."),
    "cm-settings": ("re_cli.commands.cm_settings", "Cluster Manager UI settings."),
    "crdb-tasks": ("re_cli.commands.crdb_tasks", "Tasks of Active-Active databases."),
    "crdbs": ("re_cli.commands.crdbs", "Active-Active databases."),
    "debuginfo": ("re_cli.commands.debuginfo", "Debug info archives of the cluster and its nodes."),
    "diagnostics": ("re_cli.commands.diagnostics", "Diagnostics settings."),
    "endpoints": ("re_cli.commands.endpoints", "Endpoint statistics."),
    "job-scheduler": ("re_cli.commands.job_scheduler", "Scheduled maintenance jobs."),
    "jsonschema": ("re_cli.commands.jsonschema", "The live JSON schema of API objects."),
    "ldap-mappings": ("re_cli.commands.ldap_mappings", "LDAP group to role mappings."),
    "license": ("re_cli.commands.license", "The cluster license."),
    "logs": ("re_cli.commands.logs", "Cluster event log."),
    "metrics-config": ("re_cli.commands.metrics_config", "Metrics export settings."),
    "migrations": ("re_cli.commands.migrations", "Database migrations."),
    "modules": ("re_cli.commands.modules", "Redis modules and custom module artifacts."),
    "nodes": ("re_cli.commands.nodes", "Nodes: status, actions, maintenance, alerts, stats."),
    "ocsp": ("re_cli.commands.ocsp", "OCSP stapling settings and status."),
    "proxies": ("re_cli.commands.proxies", "Proxies."),
    "redis-acls": ("re_cli.commands.redis_acls", "Redis ACL rules."),
    "roles": ("re_cli.commands.roles", "Roles."),
    "services": ("re_cli.commands.services", "Services on the nodes: list, start, stop, restart."),
    "shards": ("re_cli.commands.shards", "Shards: list, failover, migrate, stats."),
    "suffixes": ("re_cli.commands.suffixes", "DNS suffixes."),
    "usage-report": ("re_cli.commands.usage_report",
                    "The usage report, as newline-delimited JSON."),
    "users": ("re_cli.commands.users", "Users, passwords, tokens and permissions."),
}


def _set(attr, value_filter=None):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value is None or value is False or value == 0 or value == ():
            return
        app = ctx.find_object(App)
        if attr == "verbose":
            app.verbose += value
        else:
            setattr(app, attr, value)

    return callback


def _complete_profiles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    from re_cli import name_cache

    return name_cache.profiles(ctx, param, incomplete)


def _global_params() -> list[click.Option]:
    """Options that `re` accepts before and after the subcommand alike."""
    return [
        click.Option(["-p", "--profile"], metavar="NAME", expose_value=False,
                     callback=_set("profile"), help="Profile from the config file.",
                     shell_complete=_complete_profiles),
        click.Option(["-o", "--output"], type=click.Choice(["auto", "table", "json"]),
                     expose_value=False, callback=_set("output"),
                     help="Tables on a terminal, the raw body when piped (auto)."),
        click.Option(["-i", "--include"], is_flag=True, default=None, expose_value=False,
                     callback=_set("include"),
                     help="Print the status line and response headers on stderr."),
        click.Option(["-v", "--verbose"], count=True, expose_value=False,
                     callback=_set("verbose"), help="Show requests and responses on stderr."),
        click.Option(["--insecure"], is_flag=True, default=None, expose_value=False,
                     callback=_set("insecure"), help="Do not verify the server's certificate."),
        click.Option(["--ca-cert"], metavar="FILE", expose_value=False,
                     callback=_set("ca_cert"), help="Verify the server with this CA file."),
        click.Option(["--timeout"], type=float, metavar="SECONDS", expose_value=False,
                     callback=_set("timeout"), help="Connect and read timeout."),
        click.Option(["--no-color"], is_flag=True, default=None, expose_value=False,
                     callback=_set("no_color"), help="No colour in output."),
        click.Option(["--curl"], is_flag=True, default=None, expose_value=False,
                     callback=_set("curl"),
                     help="Print the equivalent curl command instead of sending the request."),
        click.Option(["--password-stdin"], is_flag=True, default=None, expose_value=False,
                     callback=_set("password_stdin"),
                     help="Read the password from the first line of stdin."),
    ]


def add_global_options(cmd: click.Command) -> click.Command:
    """Give `cmd` the global options it does not define itself; recurse into groups."""
    if getattr(cmd, "_re_globals", False):
        return cmd
    taken = {opt for p in cmd.params for opt in getattr(p, "opts", [])}
    for param in _global_params():
        if not taken.intersection(param.opts):
            cmd.params.append(param)
    cmd._re_globals = True
    if isinstance(cmd, click.Group) and not isinstance(cmd, LazyGroup):
        if hasattr(cmd.commands, "when_built"):  # typed groups build commands on demand
            cmd.commands.when_built(add_global_options)
        else:
            for sub in cmd.commands.values():
                add_global_options(sub)
    return cmd


class LazyGroup(click.Group):
    """The root group: subcommands load on first use, and get the global options."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(GROUPS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in GROUPS:
            return None
        module = importlib.import_module(GROUPS[name][0])
        return add_global_options(module.cli)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, GROUPS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(code), text) for code, text in errors.EXIT_CODES])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="re")
def cli() -> None:
    """Work with a Redis Enterprise cluster through its REST API.

    \b
    Examples:
      re sandbox start            # a local cluster API to try things on
      re bdbs list --fields uid,name
      re api GET /v1/cluster
    """


cli.params.extend(_global_params())
cli._re_globals = True


def _fail(message: str, code: int) -> int:
    from re_cli.output import error_line

    error_line(message)
    return code


def _unexpected(exc: BaseException) -> int:
    """One line; the traceback only when RE_DEBUG asks for it."""
    if os.environ.get("RE_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    detail = str(exc).splitlines()[0][:300] if str(exc) else ""
    name = type(exc).__name__
    hint = "" if os.environ.get("RE_DEBUG") else " (RE_DEBUG=1 shows the traceback)"
    return _fail(f"re: unexpected error: {name}{': ' + detail if detail else ''}{hint}",
                 errors.UNEXPECTED)


def run(argv: list[str] | None = None) -> int:
    """Run `re` and return its exit code instead of raising."""
    try:
        try:
            # Without standalone mode click returns ctx.exit()'s code instead of raising.
            returned = cli.main(args=argv, prog_name="re", obj=App(), standalone_mode=False)
        finally:
            # Flush here, where a closed pipe is still ours to handle, not at exit.
            sys.stdout.flush()
        if isinstance(returned, int) and not isinstance(returned, bool):
            return returned
        return 0
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt) or isinstance(
                exc.__context__, KeyboardInterrupt):
            return errors.INTERRUPTED
        return _fail("re: aborted, nothing was done", errors.USAGE)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except errors.ReError as exc:
        return _fail(f"re: {exc}", exc.code) if str(exc) else exc.code
    except KeyboardInterrupt:
        return errors.INTERRUPTED
    except BrokenPipeError:
        from re_cli.output import quiet_broken_pipe

        quiet_broken_pipe()
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        return _unexpected(exc)


def main() -> None:
    try:
        code = run()
    except KeyboardInterrupt:  # a second Ctrl-C while the first one is handled
        code = errors.INTERRUPTED
    sys.exit(code)
