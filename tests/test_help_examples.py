"""Every command's help has a one-line summary and at least one example, and every
example runs, as written, against a sandbox: a real `re` process started by bash (so
pipes, `<` and `$(...)` work), stdout a pipe, admin credentials from the environment.

The sandbox is started with `re sandbox start` in the default data dir of a temporary
home, so `re sandbox status`, `re -p sandbox` and `~/.local/share/re/sandbox/ca.pem` mean
it; the one liberty taken is that the sandbox's default port 9443 in an example is
replaced with the port it really listens on.
Examples that make the objects others name run first, reads run concurrently, and
deletions run last."""

import json
import os
import re
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from conftest import free_port, isolated_env

from re_cli.cli import cli
from re_cli.commands import examples as table

EXAMPLE_HEAD = re.compile(r"^\s*Examples?:\s*$")
RUNS_RE = re.compile(r"(^|\|\s*|xargs\s+|\$\()re\s")
# `re bdbs COMMAND --help` in a group's help is a pattern, not an example to run.
PATTERN = re.compile(r"\bCOMMAND\b")
COMMENT = re.compile(r"\s{2,}#\s(.*)$")
EXIT = re.compile(r"exit (\d+)")
CREATING = {"create", "create-v2", "add"}
REMOVING = ("delete", "remove", "purge")  # a verb that starts or ends so
# Examples left out, each with its reason; the report counts them.
NOT_RUN = {
    "re sandbox start": "binds the default port 9443, which this shared machine may use",
    "re sandbox start --port 9444 --data-dir /tmp/box": "a fixed port and a shared dir",
    "re sandbox stop --data-dir /tmp/box": "goes with the example above",
    're completion zsh > "${fpath[1]}/_re"': "zsh's fpath means nothing to bash",
    "re cluster action-cancel change-master":
        "only a running action can be cancelled, and the sandbox's finish in 0.3 s",
    "re nodes action-cancel 2 maintenance-off":
        "only a running action can be cancelled, and the sandbox's finish in 0.3 s",
    "re crdbs create --data @edge-cache.json --no-wait -o json | jq -r .id "
    "| xargs re crdb-tasks cancel":
        "the sandbox's crdb tasks commit before a second command can cancel them",
}
LAST = "re sandbox stop"

# Passwords of the throwaway users the examples make: new for every run.
PASSWORD = "Jane-" + secrets.token_urlsafe(12)
CRDB_INSTANCE = {"cluster": {"url": "https://127.0.0.1:9443", "name": "sandbox.local",
                             "credentials": {"username": "admin@sandbox.local",
                                             "password": "unused"}}}


def _crdb(name: str) -> dict:
    return {"name": name, "default_db_config": {"name": name, "memory_size": 1024**3},
            "instances": [CRDB_INSTANCE]}


CACHE_GEO = {"name": "cache-geo", "memory_size": 1024**3, "replication": True, "crdt": True,
             "crdt_sources": [{"uri": "redis://redis-12000.eu.example.com:12000"}]}
# Files the examples read, made in their working dir.
FILES = {
    "jane.pw": PASSWORD + "\n",
    "jane-second-password.json": {"username": "jane@example.com",
                                  "new_password": "Jane-" + secrets.token_urlsafe(12)},
    "jane-old-password.json": {"username": "jane@example.com", "old_password": PASSWORD},
    "ops-bot-password.json": {"username": "ops-bot@example.com",
                              "new_password": "Bot-" + secrets.token_urlsafe(12)},
    "global-cache.json": _crdb("global-cache"),
    "edge-cache.json": _crdb("edge-cache"),
    "custom-module.json": {"module_name": "hello", "version": 1,
                           "semantic_version": "1.0.0"},
    "bdb.json": {"name": "api-made", "memory_size": 256 * 1024**2},
    "cache.pw": f"Cache-{secrets.token_urlsafe(12)}\n",
    "cache-extra.pw": f"Cache-{secrets.token_urlsafe(12)}\n",
    "license.json": {"license": "----- LICENSE START -----\nexample-key\n"
                                "----- LICENSE END -----\n"},
    "join.json": {"action": "join_cluster", "cluster": {"nodes": ["127.0.0.1"]},
                  "credentials": {"username": "admin@sandbox.local", "password": "unused"}},
    "create-cluster.json": {"action": "create_cluster", "cluster": {"name": "east.example.com"},
                            "credentials": {"username": "admin@example.com",
                                            "password": "unused"}},
    "recover.json": {"action": "recover_cluster",
                     "recovery_filename": "/var/opt/redislabs/persist/ccs/ccs-redis.rdb"},
}


@dataclass
class Example:
    path: str  # the command's path below `re`
    line: str  # as the help shows it
    command: str  # without its comment
    expected: int


def _walk(cmd: click.Command, words: list[str], ctx: click.Context):
    yield " ".join(words), cmd
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            yield from _walk(cmd.get_command(ctx, name), [*words, name], ctx)


def commands() -> list[tuple[str, click.Command]]:
    """(path below `re`, command) for the root (path ""), every group and command."""
    return list(_walk(cli, [], click.Context(cli)))


def example_lines(text: str) -> list[str]:
    """The lines of the help's Examples block, continued lines joined."""
    found, inside, pending = [], False, ""
    for raw in text.splitlines():
        line = raw.strip()
        if EXAMPLE_HEAD.match(raw):
            inside = True
            continue
        if not inside:
            continue
        if not line:
            if found or pending:
                break
            continue
        pending += line
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip() + " "
            continue
        found.append(pending)
        pending = ""
    return found


def examples_of(path: str, cmd: click.Command) -> list[Example]:
    found = []
    for line in example_lines(cmd.help or ""):
        comment = COMMENT.search(line)
        command = line[:comment.start()] if comment else line
        if not RUNS_RE.search(command) or PATTERN.search(command):
            continue
        code = EXIT.search(comment.group(1)) if comment else None
        found.append(Example(path, line, command.strip(), int(code.group(1)) if code else 0))
    return found


ALL = commands()


def test_every_command_has_a_summary_and_an_example():
    lacking = []
    for path, cmd in ALL:
        summary = cmd.get_short_help_str(limit=200)
        first = (cmd.help or "").strip().splitlines()[0] if cmd.help else ""
        if not summary.strip() or not first.strip() or not examples_of(path, cmd):
            lacking.append(path)

    assert len(ALL) > 200
    assert lacking == []


def test_the_table_names_only_real_commands():
    paths = {path for path, _ in ALL}

    assert sorted(set(table.HELP) - paths) == []


def test_the_table_has_one_line_summaries_and_examples_of_its_own_command():
    for path, own in table.HELP.items():
        assert own.examples, path
        assert "\n" not in own.summary and len(own.summary) < 100, path
        assert not own.summary or own.summary.endswith("."), path
        assert all(f"re {path}" in e for e in own.examples), path


def test_every_example_left_out_exists():
    shown = {e.command for path, cmd in ALL for e in examples_of(path, cmd)}

    assert sorted(set(NOT_RUN) - shown) == []


# ------------------------------------------------------------------ running them

def _phase(example: Example, cmd: click.Command) -> int:
    verb = example.path.split()[-1] if example.path else ""
    decl = getattr(cmd, "declaration", None)
    if example.command == LAST:
        return 4
    if verb in CREATING:
        return 0
    if verb.startswith(REMOVING) or verb.endswith(REMOVING):
        return 3
    reads = (decl is not None and decl.method == "GET") or example.path in (
        "help", "completion", "profile list", "profile show", "profile test",
        "sandbox status", "actions wait")
    return 2 if reads else 1


def _order(path: str) -> int:
    keys = list(table.HELP)
    return keys.index(path) if path in keys else len(keys)


@dataclass
class Box:
    home: Path
    env: dict  # the environment every example runs in
    port: int
    data_dir: Path

    def re(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "re_cli", *args], env=self.env,
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """A sandbox started the way people start it, in the temp home's default data dir."""
    home = tmp_path_factory.mktemp("examples-home")
    env = isolated_env(home)
    env.update(XDG_DATA_HOME=str(home / ".local" / "share"),
               PATH=f"{home / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    data_dir = home / ".local" / "share" / "re" / "sandbox"
    port = free_port()
    started = subprocess.run([sys.executable, "-m", "re_cli", "sandbox", "start", "--port",
                              str(port), "--action-delay", "0.3"], env=env, capture_output=True,
                             text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert started.returncode == 0, started.stderr
    creds = json.loads((data_dir / "credentials.json").read_text())["admin"]
    env.update(RE_HOST="127.0.0.1", RE_PORT=str(port), RE_USER=creds["user"],
               RE_PASSWORD=creds["password"], RE_CA_CERT=str(data_dir / "ca.pem"))
    yield Box(home, env, port, data_dir)
    subprocess.run([sys.executable, "-m", "re_cli", "sandbox", "stop"], env=env,
                   capture_output=True, timeout=60, stdin=subprocess.DEVNULL)


def _certificate(name: str) -> tuple[str, str]:
    """A self-signed certificate and its key, PEM."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def _module_zip(path: Path, name: str, version: str) -> None:
    import zipfile

    major, minor, patch = (int(n) for n in version.split("."))
    meta = {"module_name": name, "semantic_version": version,
            "version": major * 10000 + minor * 100 + patch}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("module.json", json.dumps(meta))
        archive.writestr(f"{name}.so", b"\0")


def _prepare(box: Box) -> Path:
    """The working dir with the files the examples read, and the objects they name
    that no example makes."""
    import base64

    work = box.home / "work"
    work.mkdir()
    files = dict(FILES)
    files["admin.pw"] = box.env["RE_PASSWORD"] + "\n"
    cert, key = _certificate("cache.example.com")
    files["cache-cert.json"] = {"cert": cert, "private_key": key}
    files["sso-cert.json"] = {"certificates": [
        {"name": "sso_service", "certificate": cert, "key": key}]}
    files["issuer-cert.json"] = {"name": "sso_issuer", "certificate": cert, "key": key}
    metadata = ('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
                'entityID="https://idp.example.com/saml"/>')
    files["idp-metadata.json"] = {"idp_metadata": base64.b64encode(metadata.encode()).decode()}
    modules = json.loads(box.re("modules", "list", "-o", "json").stdout)
    search = next(m["uid"] for m in modules if m["module_name"] == "search")
    files["search-upgrade.json"] = {"modules": [{"current_module": search,
                                                 "new_module": search}]}
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (work / name).write_text(text)
    _module_zip(work / "rate-limiter-1.0.0.zip", "rate-limiter", "1.0.0")
    _module_zip(work / "rate-limiter-1.1.0.zip", "rate-limiter", "1.1.0")
    _module_zip(work / "hello-1.0.0.zip", "hello", "1.0.0")
    for folder in (".local/share/bash-completion/completions", ".config/fish/completions"):
        (box.home / folder).mkdir(parents=True, exist_ok=True)
    bin_dir = box.home / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "re"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m re_cli "$@"\n')
    launcher.chmod(0o755)

    # An Active-Active member database with a peer, as a crdb would leave on a cluster.
    geo = box.re("api", "POST", "/v1/bdbs", "-d", json.dumps(CACHE_GEO))
    assert geo.returncode == 0, geo.stderr
    return work


@pytest.fixture(scope="module")
def results(box):
    work = _prepare(box)

    def run(example: Example) -> tuple[Example, subprocess.CompletedProcess]:
        line = example.command.replace("9443", str(box.port))
        done = subprocess.run(["bash", "-c", line], env=box.env, cwd=work,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              timeout=120)
        return example, done

    by_phase: dict[int, list[Example]] = {}
    seen = set()
    for path, cmd in ALL:
        for example in examples_of(path, cmd):
            if example.command not in NOT_RUN and example.line not in seen:
                seen.add(example.line)
                by_phase.setdefault(_phase(example, cmd), []).append(example)
    outcome = {}
    for phase in sorted(by_phase):
        batch = sorted(by_phase[phase], key=lambda e: _order(e.path))
        if phase == 2:
            with ThreadPoolExecutor(max_workers=8) as pool:
                outcome.update((e.line, d) for e, d in pool.map(run, batch))
        else:
            outcome.update((e.line, d) for e, d in map(run, batch))
    return outcome


EXAMPLES = [e for path, cmd in ALL for e in examples_of(path, cmd)
            if e.command not in NOT_RUN]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.path}: {e.line[:80]}")
def test_example_works_against_the_sandbox(results, example):
    done = results[example.line]

    assert done.returncode == example.expected, done.stderr
