"""Stats for people and for pipes: the query the options make, the sparklines, and
`re nodes stats` on a terminal and piped against the sandbox."""

import json
import sys
from datetime import datetime, timezone

import click
import pytest
from click.testing import CliRunner
from conftest import isolated_env
from pty_streams import run as run_streams

from re_cli import errors, stats_view

NOW = datetime(2024, 5, 27, 12, 0, tzinfo=timezone.utc)


# The query ------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("1h", "2024-05-27T11:00:00Z"),
    ("30m", "2024-05-27T11:30:00Z"),
    ("2d", "2024-05-25T12:00:00Z"),
    ("90s", "2024-05-27T11:58:30Z"),
    ("1 week", "2024-05-20T12:00:00Z"),
    ("3 hours ago", "2024-05-27T09:00:00Z"),
    ("2024-05-01T08:30:00Z", "2024-05-01T08:30:00Z"),
    ("2024-05-01T10:30:00+02:00", "2024-05-01T08:30:00Z"),
    ("2024-05-01", "2024-05-01T00:00:00Z"),
])
def test_since_and_until_become_iso_8601_utc(text, iso):
    assert stats_view.parse_when(text, now=NOW) == iso


@pytest.mark.parametrize("text", ["yesterday", "1y", "", "h1", "2024-99-01"])
def test_a_time_that_is_not_one_is_a_usage_error(text):
    with pytest.raises(errors.UsageError) as caught:
        stats_view.parse_when(text, now=NOW)
    assert "ISO 8601" in str(caught.value)


def test_build_query_names_the_api_parameters():
    query = stats_view.build_query("5min", "1h", "10m", "used_memory, total_req", now=NOW)

    assert query == {"interval": "5min", "stime": "2024-05-27T11:00:00Z",
                     "etime": "2024-05-27T11:50:00Z", "metrics": "used_memory,total_req"}


def test_since_after_until_is_refused():
    with pytest.raises(errors.UsageError):
        stats_view.build_query(since="10m", until="1h", now=NOW)


def test_the_option_decorator_gives_the_query_to_the_command():
    seen = {}

    @click.command()
    @stats_view.stats_options
    def stats():
        seen.update(stats_view.query_params())

    result = CliRunner().invoke(stats, ["--interval", "1hour", "--since", "2024-05-01",
                                        "--metrics", "conns"])

    assert result.exit_code == 0, result.output
    assert seen == {"interval": "1hour", "stime": "2024-05-01T00:00:00Z", "metrics": "conns"}


def test_the_option_decorator_can_leave_out_metrics():
    @click.command()
    @stats_view.stats_options(metrics=False)
    def stats():
        pass

    names = {p.name for p in stats.params}
    assert names == {"interval", "since", "until"}


def test_a_bad_interval_is_refused_by_click():
    @click.command()
    @stats_view.stats_options
    def stats():
        pass

    assert CliRunner().invoke(stats, ["--interval", "2min"]).exit_code == 2


# Reading and drawing --------------------------------------------------------------

def test_sparkline_spans_lowest_to_highest():
    assert stats_view.sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert stats_view.sparkline([5, 5, 5]) == "▁▁▁"
    assert stats_view.sparkline([1, None, 3]) == "▁ █"
    assert stats_view.sparkline([None, None]) == ""


def test_a_long_series_is_squeezed_to_the_width():
    line = stats_view.sparkline(list(range(168)), width=40)

    assert len(line) == 40
    assert line[0] == "▁" and line[-1] == "█"


def test_every_stats_shape_gives_series_per_object():
    interval = {"uid": "1", "intervals": [
        {"interval": "5min", "stime": "2024-01-01T00:05:00Z", "etime": "b", "conns": 2},
        {"interval": "5min", "stime": "2024-01-01T00:00:00Z", "etime": "a", "conns": 1},
    ]}
    last = {"1": {"stime": "x", "conns": 3}, "2": {"stime": "x", "conns": 4}}
    flat = {"stime": "x", "etime": "y", "conns": 5}

    (uid, samples), = stats_view.series_by_object(interval)
    assert uid == "1"
    assert stats_view.metric_series(samples) == {"conns": [1.0, 2.0]}  # oldest first
    assert [u for u, _ in stats_view.series_by_object([interval, interval])] == ["1", "1"]
    assert [u for u, _ in stats_view.series_by_object(last)] == ["1", "2"]
    assert stats_view.series_by_object(flat) == [(None, [flat])]
    assert stats_view.series_by_object("odd") == []


def test_metric_values_read_for_people():
    assert stats_view.format_metric("used_memory", 1024**3) == "1 GB"
    assert stats_view.format_metric("ingress_bytes", 2048) == "2 KB/s"
    assert stats_view.format_metric("total_req", 12345) == "12,345"
    assert stats_view.format_metric("cpu_user", 0.12345) == "0.123"
    assert stats_view.format_metric("conns", None) == "-"


# Against the sandbox --------------------------------------------------------------

def run_re(home, box, *args, stdout_tty=False):
    env = {**isolated_env(home), **box.env()}
    return run_streams([sys.executable, "-m", "re_cli", *args], env, stdout_tty=stdout_tty)


def test_stats_on_a_terminal_show_sparklines(sandbox, home):
    shown = run_re(home, sandbox, "nodes", "stats", "1", "--interval", "5min",
                   stdout_tty=True)

    assert shown.code == 0, shown.stderr
    text = shown.stdout.decode()
    assert "uid 1: every 5min" in text
    assert "min - max" in text and "trend (" in text
    rows = [line for line in text.splitlines() if line.startswith("cpu_user")]
    assert len(rows) == 1
    assert any(mark in rows[0] for mark in "▁▂▃▄▅▆▇█")
    assert rows[0].rstrip()[-1] in stats_view.SPARKS


def test_stats_piped_are_the_body_exactly(sandbox, home):
    import requests

    piped = run_re(home, sandbox, "nodes", "stats", "1", "--interval", "1hour")

    assert piped.code == 0, piped.stderr
    direct = requests.get(f"{sandbox.url}/v1/nodes/stats/1", params={"interval": "1hour"},
                          auth=(sandbox.user(), sandbox.password()),
                          verify=str(sandbox.ca_cert), timeout=30)
    body = json.loads(piped.stdout)
    assert set(body) == set(direct.json())
    assert "▁" not in piped.stdout.decode()


def test_stats_with_json_on_a_terminal_are_json(sandbox, home):
    shown = run_re(home, sandbox, "nodes", "stats", "1", "-o", "json", stdout_tty=True)

    assert shown.code == 0, shown.stderr
    assert json.loads(shown.stdout)["uid"] == "1"


def test_since_reaches_the_server_as_stime(sandbox, home):
    piped = run_re(home, sandbox, "nodes", "stats", "1", "--interval", "5min",
                   "--since", "30m")

    assert piped.code == 0, piped.stderr
    intervals = json.loads(piped.stdout)["intervals"]
    assert 1 <= len(intervals) <= 7  # half an hour of five-minute samples, not the last 12


def test_latest_sample_on_a_terminal_shows_values_without_trend(sandbox, home):
    shown = run_re(home, sandbox, "nodes", "stats-last", "1", stdout_tty=True)

    assert shown.code == 0, shown.stderr
    text = shown.stdout.decode()
    assert "value" in text
    assert "trend" not in text
