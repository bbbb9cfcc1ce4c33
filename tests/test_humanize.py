"""Values for people: sizes, durations, times; anything unknown comes back unchanged."""

from datetime import datetime, timezone

import pytest

from re_cli import humanize

NOW = datetime(2024, 5, 27, 12, 0, tzinfo=timezone.utc).timestamp()


@pytest.mark.parametrize("value, shown", [
    (0, "0 B"),
    (1023, "1023 B"),
    (1024, "1 KB"),
    (1536, "1.5 KB"),
    (1024**3, "1 GB"),
    (10 * 1024**3, "10 GB"),
    (int(2.5 * 1024**4), "2.5 TB"),
    (1024**2 - 1, "1 MB"),  # 1023.999 KB reads better one unit up
    ("2048", "2 KB"),
    (1073741824.0, "1 GB"),
    (-2048, "-2 KB"),
])
def test_memory_in_binary_units(value, shown):
    assert humanize.memory(value) == shown


@pytest.mark.parametrize("value, shown", [
    (0, "0 s"), (0.25, "250 ms"), (45, "45 s"), (90, "1.5 min"), (3600, "1 h"),
    (3 * 3600, "3 h"), (2.5 * 86400, "2.5 d"), ("120", "2 min"),
])
def test_duration(value, shown):
    assert humanize.duration(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("2024-05-27T09:00:00Z", "3 h ago"),
    ("2024-05-27T09:00:00", "3 h ago"),  # no zone: the cluster's UTC
    ("2024-05-27T14:00:00+02:00", "just now"),
    ("2024-05-29T12:00:00Z", "in 2 d"),
    ("2024-05-27", "12 h ago"),
    (NOW - 90, "1.5 min ago"),
    ((NOW - 3600) * 1000, "1 h ago"),  # epoch milliseconds
])
def test_timestamp_relative_to_now(value, shown):
    assert humanize.timestamp(value, now=NOW) == shown


ODD = [None, True, False, "auto", "", "n/a", [1, 2], {"a": 1}, object, "12abc",
       "2024-13-45T00:00:00Z"]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("function", [humanize.memory, humanize.duration, humanize.timestamp])
def test_odd_values_come_back_unchanged(function, value):
    assert function(value) is value


@pytest.mark.parametrize("name, value, shown", [
    ("memory_size", 1024**3, "1 GB"),
    ("bigstore_ram_size", 512 * 1024**2, "512 MB"),
    ("total_memory", 16 * 1024**3, "16 GB"),
    ("uptime", 7200, "2 h"),
    ("backup_interval", 86400, "1 d"),
    ("max_aof_load_time", 3600, "1 h"),  # a duration though its name ends in _time
    ("created_time", "2024-05-27T11:00:00Z", "1 h ago"),
    ("repl_backlog_size", "auto", "auto"),
    ("name", "memory", "memory"),
    ("port", 12000, 12000),
])
def test_for_field_picks_by_name(name, value, shown):
    assert humanize.for_field(name, value, now=NOW) == shown
