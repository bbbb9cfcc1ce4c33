"""Man pages: the committed pages are what the command tree makes, cover every
command, option, environment variable, file and exit code, and render cleanly."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from re_cli import errors, help_topics, manpages

ROOT = Path(__file__).resolve().parent.parent
MAN = ROOT / "man"


@pytest.fixture(scope="module")
def made():
    pages, failed = manpages.pages()
    assert not failed, f"commands that do not load: {failed}"
    return pages


def committed() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in MAN.glob("re*.1")}


def plain(roff: str) -> str:
    """The page's words without roff escapes, enough to look for names in it."""
    text = roff.replace("\\-", "-").replace("\\e", "\\").replace("\\&", "")
    return re.sub(r"\\f[BIR]", "", text)


def test_committed_pages_are_what_the_tree_makes(made):
    assert sorted(committed()) == sorted(made), "run `python tools/gen_man.py`"
    for name, text in made.items():
        assert committed()[name] == text, f"man/{name} is stale: run `python tools/gen_man.py`"


def test_generator_check_agrees():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_man.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_page_per_top_level_command(made):
    from re_cli.cli import GROUPS

    assert set(made) == {"re.1"} | {f"re-{name}.1" for name in GROUPS}


def test_every_command_and_option_is_on_its_page(made):
    import click

    _root, root_ctx, groups, _ = manpages.load_tree()
    for name, (command, _summary) in groups.items():
        page = plain(made[f"re-{name}.1"])
        ctx = click.Context(command, info_name=name, parent=root_ctx)
        for _path, sub_ctx in manpages.walk(command, ctx, ["re", name]):
            assert sub_ctx.command_path in page
            for param in sub_ctx.command.params:
                if isinstance(param, click.Option) and not param.hidden:
                    assert any(opt in page or opt in plain(made["re.1"])
                               for opt in param.opts), (sub_ctx.command_path, param.opts)


def test_root_page_has_environment_files_and_exit_codes(made):
    page = plain(made["re.1"])
    for variable, _text in help_topics.ENVIRONMENT:
        assert variable in page
    for path, _text in help_topics.FILES:
        assert path in page
    for code, text in errors.EXIT_CODES:
        assert f"\n{code}\n{text}" in page
    for name in ("re-bdbs", "re-api", "re-profile"):
        assert f".BR {name} (1)" in page


def test_options_hyphens_are_escaped(made):
    assert "\\-\\-output" in made["re.1"]
    for text in made.values():
        for line in text.splitlines():
            assert not line.startswith("'") and not (line.startswith(".") and "--" in line)


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
@pytest.mark.parametrize("name", sorted(p.name for p in MAN.glob("re*.1")))
def test_groff_gives_no_warnings(name):
    done = subprocess.run(["groff", "-man", "-ww", "-z", str(MAN / name)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
@pytest.mark.parametrize("name", sorted(p.name for p in MAN.glob("re*.1")))
def test_man_renders_without_warnings(name):
    done = subprocess.run(["man", "--warnings", "-l", str(MAN / name)],
                          capture_output=True, text=True, timeout=60,
                          env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                               "MANPAGER": "cat", "PAGER": "cat"})
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "EXIT STATUS" in done.stdout
