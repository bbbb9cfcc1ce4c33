"""Statistics for people: one row per metric with its latest value, its range and a
sparkline of its series; and the options that choose the window and the metrics.

Piped, or with `-o json`, the body goes out exactly as the server sent it.
"""

import re
from datetime import datetime, timedelta, timezone

import click

from re_cli import errors, humanize

INTERVALS = ("1sec", "10sec", "5min", "15min", "1hour", "12hour", "1week")
SPARKS = "▁▂▃▄▅▆▇█"
SPARK_POINTS = 40
NOT_METRICS = {"interval", "stime", "etime", "uid", "time", "timestamp"}

_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hour|d|day|w|week)s?(?:\s+ago)?\s*$",
                       re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600,
                 "d": 86400, "day": 86400, "w": 604800, "week": 604800}
_META_KEY = "re_stats"


# Options ---------------------------------------------------------------------------

def parse_when(text: str, now: datetime | None = None) -> str:
    """`--since`/`--until` as the ISO 8601 UTC time the API wants (`2015-05-27T12:00:00Z`).
    Takes ISO 8601 (a date alone too) or a time back from now: `90s`, `30m`, `1h`, `2d`."""
    now = now or datetime.now(timezone.utc)
    match = _RELATIVE.match(text)
    if match:
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        moment = now - timedelta(seconds=seconds)
    else:
        moment = humanize.parse_time(text)
        if moment is None:
            raise errors.UsageError(
                f"`{text}` is not a time: give ISO 8601 (2024-05-27T12:00:00Z) "
                f"or a time back from now (30m, 1h, 2d)")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_query(interval: str | None = None, since: str | None = None,
                until: str | None = None, metrics: str | None = None,
                now: datetime | None = None) -> dict:
    """The stats query parameters: interval, stime, etime, metrics."""
    params = {}
    if interval:
        params["interval"] = interval
    if since:
        params["stime"] = parse_when(since, now)
    if until:
        params["etime"] = parse_when(until, now)
    if since and until and params["stime"] > params["etime"]:
        raise errors.UsageError(f"--since {since} comes after --until {until}")
    if metrics:
        names = [name.strip() for name in metrics.split(",") if name.strip()]
        if not names:
            raise errors.UsageError("--metrics needs names, as in `--metrics used_memory`")
        params["metrics"] = ",".join(names)
    return params


def stats_options(func=None, *, interval: bool = True, metrics: bool = True):
    """`--interval`, `--since`, `--until` and `--metrics` on a command. Read the query
    they make with `query_params()`. Use as `@stats_options` or
    `@stats_options(metrics=False)` for requests that take no metric list."""

    def decorate(command):
        def keep(ctx: click.Context, param: click.Parameter, value):
            ctx.meta.setdefault(_META_KEY, {})[param.name] = value
            return value

        options = []
        if interval:
            options.append(click.option(
                "--interval", type=click.Choice(INTERVALS), expose_value=False, callback=keep,
                help="Sample length; the server keeps only the latest samples of each."))
        options += [
            click.option("--since", metavar="TIME", expose_value=False, callback=keep,
                         help="Start: ISO 8601, or back from now such as 1h, 30m, 2d."),
            click.option("--until", metavar="TIME", expose_value=False, callback=keep,
                         help="End: ISO 8601, or back from now such as 10m."),
        ]
        if metrics:
            options.append(click.option(
                "--metrics", metavar="M1,M2", expose_value=False, callback=keep,
                help="Only these metrics, comma-separated."))
        for option in reversed(options):
            command = option(command)
        return command

    return decorate(func) if func is not None else decorate


def query_params(ctx: click.Context | None = None) -> dict:
    """The query the stats options of the running command ask for."""
    ctx = ctx or click.get_current_context()
    chosen = {}
    while ctx is not None:
        chosen = {**ctx.meta.get(_META_KEY, {}), **chosen}
        ctx = ctx.parent
    return build_query(chosen.get("interval"), chosen.get("since"), chosen.get("until"),
                       chosen.get("metrics"))


# Reading stats ---------------------------------------------------------------------

def series_by_object(body) -> list[tuple[str | None, list[dict]]]:
    """(uid, samples oldest first) for each object in a stats body, whatever its shape:
    {uid, intervals}, a list of those, {uid: sample} from stats/last, or one sample."""
    if isinstance(body, list):
        found = []
        for item in body:
            found += series_by_object(item)
        return found
    if not isinstance(body, dict):
        return []
    if isinstance(body.get("intervals"), list):
        samples = [s for s in body["intervals"] if isinstance(s, dict)]
        uid = body.get("uid")
        return [(None if uid is None else str(uid), _oldest_first(samples))]
    if body and all(isinstance(v, dict) for v in body.values()):
        return [(str(uid), [sample]) for uid, sample in body.items()]
    return [(None, [body])]


def _oldest_first(samples: list[dict]) -> list[dict]:
    if all(isinstance(s.get("stime"), str) for s in samples):
        return sorted(samples, key=lambda s: s["stime"])
    return samples


def metric_series(samples: list[dict]) -> dict[str, list[float | None]]:
    """Each numeric metric's values across the samples (None where a sample lacks it)."""
    names = []
    for sample in samples:
        for name, value in sample.items():
            if name not in NOT_METRICS and name not in names and _number(value) is not None:
                names.append(name)
    return {name: [_number(sample.get(name)) for sample in samples] for name in names}


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def sparkline(values: list[float | None], width: int = SPARK_POINTS) -> str:
    """`▁▃▅█` for a series, squeezed to `width` marks by averaging neighbours; a gap is
    a space; a flat series sits on the lowest bar."""
    values = squeeze(values, width)
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    marks = []
    for value in values:
        if value is None:
            marks.append(" ")
        elif span == 0:
            marks.append(SPARKS[0])
        else:
            marks.append(SPARKS[round((value - low) / span * (len(SPARKS) - 1))])
    return "".join(marks)


def squeeze(values: list[float | None], width: int) -> list[float | None]:
    """At most `width` values, each the mean of its share of the series."""
    if len(values) <= width:
        return list(values)
    squeezed = []
    for index in range(width):
        share = values[index * len(values) // width:(index + 1) * len(values) // width]
        known = [v for v in share if v is not None]
        squeezed.append(sum(known) / len(known) if known else None)
    return squeezed


# Metrics in bytes, and metrics in bytes per second, by name.
_BYTE_RATES = re.compile(r"(ingress|egress|_read|_write)_bytes$")
_BYTES = re.compile(r"memory|_flash$|^bigstore_free$|storage_(avail|free)$|^used_(ram|bigstore)$|"
                    r"^ram_overhead$|^mem_size|^mem_not_counted")


def format_metric(name: str, value: float | None) -> str:
    """A metric value for people: sizes for byte counts, `/s` for byte rates."""
    if value is None:
        return "-"
    if _BYTE_RATES.search(name):
        return f"{humanize.memory(value)}/s"
    if _BYTES.search(name) and not name.startswith(("big_", "bigstore_objs")):
        return humanize.memory(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


# Showing stats ---------------------------------------------------------------------

def show(app, response) -> None:
    """Print a stats response: tables with sparklines for people, the body for pipes."""
    out = app.out()
    body = response.json() if response.content.strip() else None
    objects = series_by_object(body) if out.mode == "table" else []
    if not objects or not any(metric_series(samples) for _, samples in objects):
        out.show(response)
        return

    from rich.console import Console
    from rich.text import Text

    console = Console(no_color=not out.color, highlight=False, soft_wrap=False)
    for index, (uid, samples) in enumerate(objects):
        title = heading(uid, samples)
        if index:
            console.print()
        if title:
            console.print(Text(title, style="bold"))
        console.print(metrics_table(samples))
    if out.stdout_tty:
        out.status(response)


def heading(uid: str | None, samples: list[dict]) -> str:
    """`uid 1: every 5min, from ... to ...`."""
    parts = [f"uid {uid}" if uid else None, _window(samples)]
    return ": ".join(p for p in parts if p)


def metrics_table(samples: list[dict]):
    """A rich table, one row per metric: its latest value, and with several samples
    its min-max range and a sparkline of its series."""
    from rich.table import Table
    from rich.text import Text

    series = len(samples) > 1
    table = Table(header_style="bold", box=None, pad_edge=False)
    table.add_column("metric")
    table.add_column("latest" if series else "value", justify="right")
    if series:
        table.add_column("min - max", justify="right")
        table.add_column(f"trend ({len(samples)} samples)")
    for name, values in sorted(metric_series(samples).items()):
        known = [v for v in values if v is not None]
        latest = next((v for v in reversed(values) if v is not None), None)
        row = [Text(name), format_metric(name, latest)]
        if series:
            row += [f"{format_metric(name, min(known))} - {format_metric(name, max(known))}",
                    sparkline(values)]
        table.add_row(*row)
    return table


def _window(samples: list[dict]) -> str | None:
    if not samples:
        return "no samples"
    first, last = samples[0], samples[-1]
    interval = last.get("interval")
    start, end = first.get("stime"), last.get("etime")
    parts = [f"every {interval}" if interval else None,
             f"from {start} to {end}" if start and end else None]
    return ", ".join(p for p in parts if p) or None
