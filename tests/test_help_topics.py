"""`re help`: the topics, and the help of any command, through the command line."""

import re
from pathlib import Path

from re_cli import errors, help_topics

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_the_topics(re_run):
    done = re_run("help")
    assert done.code == 0, done.stderr
    for name in ("exit-codes", "environment", "config", "tls"):
        assert re.search(rf"^\s+{name}\s+\S", done.stdout, re.M), name


def test_exit_codes_topic_has_every_code(re_run):
    done = re_run("help", "exit-codes")
    assert done.code == 0
    for code, text in errors.EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(text.split()[0])}", done.stdout, re.M)


def test_environment_topic_names_every_variable_the_code_reads(re_run):
    done = re_run("help", "environment")
    assert done.code == 0
    read = set()
    for path in (ROOT / "re_cli").rglob("*.py"):
        if "sandbox" in path.parts:
            continue
        read |= set(re.findall(r'(?:environ(?:\.get)?\(|environ\[|_env\()"([A-Z_]+)"',
                               path.read_text(encoding="utf-8")))
    wanted = {"RE_PROFILE", "RE_CONFIG", "RE_HOST", "RE_PORT", "RE_USER", "RE_PASSWORD",
              "RE_INSECURE", "RE_CA_CERT", "NO_COLOR"}
    for name in sorted(read | wanted):
        assert re.search(rf"^\s+{name}\s", done.stdout, re.M), name


def test_config_topic_example_is_a_config_that_re_reads(re_run, home):
    done = re_run("help", "config")
    assert done.code == 0
    for key in ("host", "port", "user", "ca_cert", "fingerprint", "insecure",
                "password_command", "timeout", "default_profile"):
        assert key in done.stdout
    path = home / "example.toml"
    path.write_text(help_topics.EXAMPLE_CONFIG + "\n")
    listed = re_run("profile", "list", env={"RE_CONFIG": str(path)})
    assert listed.code == 0, listed.stderr
    for name in ("prod", "lab", "sandbox"):
        assert name in listed.stdout


def test_config_topic_shows_the_example_verbatim(re_run):
    done = re_run("help", "config")
    for line in help_topics.EXAMPLE_CONFIG.splitlines():
        assert line in done.stdout


def test_tls_topic_names_the_four_modes(re_run):
    done = re_run("help", "tls")
    assert done.code == 0
    for mode in ("system CAs", "ca_cert", "fingerprint", "insecure", "--pin-fingerprint"):
        assert mode in done.stdout


def test_help_of_a_command_is_its_own_help(re_run):
    for words in (["bdbs"], ["bdbs", "get"], ["profile", "add"], ["completion"]):
        assert re_run("help", *words).stdout == re_run(*words, "--help").stdout


def test_unknown_topic_is_one_line_and_exit_2(re_run):
    done = re_run("help", "bdbs", "frobnicate")
    assert done.code == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "frobnicate" in done.stderr and "exit-codes" in done.stderr


def test_root_help_lists_help_and_completion(re_run):
    done = re_run("--help")
    assert re.search(r"^\s+help\s+Help topics", done.stdout, re.M)
    assert re.search(r"^\s+completion\s+", done.stdout, re.M)
