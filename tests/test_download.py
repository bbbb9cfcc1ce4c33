"""Bodies that are not JSON: debug-info archives saved to a file, the usage report
and XML printed as they came."""

import hashlib
import io
import json
import sys
import tarfile

import pytest
from conftest import isolated_env
from pty_streams import run as run_streams


def members(data: bytes) -> list[str]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getnames()


def test_debuginfo_is_written_to_the_file_and_opens_with_tarfile(re_run, sandbox, tmp_path):
    target = tmp_path / "debug.tar.gz"

    result = re_run("debuginfo", "all", "--output", str(target), env=sandbox.env())

    assert result.code == 0, result.stderr
    assert result.stdout == ""
    with tarfile.open(target, mode="r:gz") as tar:
        names = tar.getnames()
    assert any(name.endswith("README.txt") for name in names)
    assert any("node_1/" in name for name in names)
    assert "saved" in result.stderr and str(target) in result.stderr


def test_the_download_leaves_no_partial_file_and_replaces_an_old_one(re_run, sandbox,
                                                                     tmp_path):
    target = tmp_path / "debug.tar.gz"
    target.write_bytes(b"an older file, longer than nothing" * 1000)

    result = re_run("debuginfo", "node", "-o", str(target), env=sandbox.env())

    assert result.code == 0, result.stderr
    assert members(target.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["debug.tar.gz"]


def test_progress_is_shown_on_a_terminal(sandbox, home, tmp_path):
    target = tmp_path / "debug.tar.gz"
    env = {**isolated_env(home), **sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "debuginfo", "all", "--output",
                           str(target)], env, stderr_tty=True)

    assert streams.code == 0, streams.stderr
    assert streams.stdout == b""
    shown = streams.stderr.decode()
    assert "downloading debug.tar.gz" in shown
    assert "saved" in shown
    assert members(target.read_bytes())


def test_dash_writes_the_archive_to_stdout(re_run, sandbox):
    result = re_run("debuginfo", "all", "--output", "-", env=sandbox.env())

    assert result.code == 0, result.stderr
    assert any(name.endswith("README.txt") for name in members(result.stdout_bytes))


def test_an_archive_is_not_sent_to_a_terminal(sandbox, home):
    env = {**isolated_env(home), **sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "debuginfo", "all"], env,
                          stdout_tty=True)

    assert streams.code == 2
    assert b"--output FILE" in streams.stderr
    assert streams.stdout == b""


def test_a_missing_directory_is_a_usage_error(re_run, sandbox, tmp_path):
    target = tmp_path / "nowhere" / "debug.tar.gz"

    result = re_run("debuginfo", "all", "--output", str(target), env=sandbox.env())

    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.parent.exists()


def test_a_refused_download_writes_no_file(re_run, sandbox, tmp_path):
    target = tmp_path / "debug.tar.gz"

    result = re_run("debuginfo", "node-bdb", "987654", "--output", str(target),
                    env=sandbox.env())

    assert result.code == 5
    assert list(tmp_path.iterdir()) == []


def assert_report_intact(data: bytes) -> None:
    """NDJSON lines, then the MD5 of every byte before the last line: a hash that still
    matches proves the text went out byte for byte."""
    text = data.rstrip(b"\n")
    start = text.rfind(b"\n") + 1  # 0 when the hash is the only line
    before, last = text[:start], text[start:]
    assert last.decode() == hashlib.md5(before).hexdigest()
    for line in before.splitlines():
        assert isinstance(json.loads(line), dict)


def test_the_usage_report_is_printed_as_it_came(re_run, sandbox):
    result = re_run("usage-report", "get", env=sandbox.env())

    assert result.code == 0, result.stderr
    assert_report_intact(result.stdout_bytes)


@pytest.mark.parametrize("flag", [[], ["-o", "table"]])
def test_the_usage_report_on_a_terminal_is_the_same_text(sandbox, home, flag):
    env = {**isolated_env(home), **sandbox.env()}

    streams = run_streams([sys.executable, "-m", "re_cli", "usage-report", "get", *flag], env,
                          stdout_tty=True)

    assert streams.code == 0, streams.stderr
    assert_report_intact(streams.stdout)
