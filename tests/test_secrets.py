"""Where the password comes from, a missing keyring, and the password in no output."""

import base64
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import click
import pytest
from conftest import isolated_env, start_sandbox, stop_sandbox
from terminal import run_on_terminal

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def add(re_run, sandbox, name="dev", *extra, password=None, env=None):
    return re_run("profile", "add", name, "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(), "--ca-cert", str(sandbox.ca_cert), *extra,
                  input=None if password is None else password + "\n", env=env)


def add_without_password(re_run, sandbox, name="dev", *extra):
    done = add(re_run, sandbox, name, "--no-check", *extra)
    assert done.code == 0, done.stderr


def env_without_password(sandbox) -> dict:
    env = sandbox.env()
    del env["RE_PASSWORD"]
    return env


def keyring_entry(home, env_extra: dict, name: str):
    """What the keyring holds for profile `name`, read with keyring itself."""
    env = {**isolated_env(home), **env_extra}
    done = subprocess.run([sys.executable, "-c",
                           f"import keyring; print(keyring.get_password('re', {name!r}))"],
                          env=env, capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


def test_re_password(re_run, sandbox):
    assert re_run("bdbs", "list", "-o", "json", env=sandbox.env()).code == 0


def test_password_stdin_before_and_after_the_command(re_run, sandbox):
    env = env_without_password(sandbox)
    for args in (["--password-stdin", "bdbs", "list"], ["bdbs", "list", "--password-stdin"]):
        done = re_run(*args, "-o", "json", env=env, input=sandbox.password() + "\n")
        assert done.code == 0, done.stderr

    empty = re_run("--password-stdin", "bdbs", "list", env=env, input="")
    assert empty.code == 3 and "stdin was empty" in empty.stderr


def test_keyring_one_entry_per_profile(re_run, sandbox, home):
    assert add(re_run, sandbox, "dev", "--password-stdin", password=sandbox.password()).code == 0
    assert keyring_entry(home, {}, "dev") == sandbox.password()
    assert keyring_entry(home, {}, "other") == "None"
    done = re_run("bdbs", "list", "-o", "json")
    assert done.code == 0, done.stderr


def test_password_command(re_run, sandbox):
    add_without_password(re_run, sandbox, "cmd", "--password-command", "printenv PW_FOR_TEST")
    shown = json.loads(re_run("profile", "show", "cmd", "-o", "json").stdout)
    assert shown["password"] == "password_command"
    assert shown["password_command"] == "printenv PW_FOR_TEST"

    done = re_run("bdbs", "list", "-o", "json", env={"PW_FOR_TEST": sandbox.password()})
    assert done.code == 0, done.stderr

    failing = re_run("bdbs", "list")  # printenv exits 1: the variable is not set
    assert failing.code == 3 and "password_command exited with status 1" in failing.stderr

    add_without_password(re_run, sandbox, "missing", "--password-command", "no-such-tool-x")
    missing = re_run("-p", "missing", "bdbs", "list")
    assert missing.code == 3 and "password_command cannot run" in missing.stderr


def test_prompt_on_a_terminal(sandbox, home):
    secret = sandbox.password()
    session = run_on_terminal(["profile", "test"], {**isolated_env(home),
                                                    **env_without_password(sandbox)},
                              [(f"Password for {sandbox.user()} at {sandbox.host}: ", secret)])
    assert session.code == 0, session.output
    assert secret not in session.output
    assert "cluster" in session.output


def test_no_source_off_a_terminal_exits_3(re_run, sandbox):
    done = re_run("bdbs", "list", env=env_without_password(sandbox))
    assert done.code == 3
    for source in ("RE_PASSWORD", "--password-stdin", "password_command"):
        assert source in done.stderr


def test_the_order_of_the_sources(re_run, sandbox, home):
    right, wrong = sandbox.password(), "not-the-password"
    add_without_password(re_run, sandbox, "dev", "--password-command", "printenv PW_FOR_TEST")
    store = re_run("profile", "set-password", "--password-stdin", input=wrong + "\n")
    assert store.code == 0

    # RE_PASSWORD beats --password-stdin, which beats the keyring
    assert re_run("profile", "test", "--password-stdin", input=wrong + "\n",
                  env={"RE_PASSWORD": right}).code == 0
    assert re_run("profile", "test", "--password-stdin", input=right + "\n").code == 0
    # the keyring beats password_command
    assert re_run("profile", "test", env={"PW_FOR_TEST": right}).code == 4
    assert re_run("profile", "set-password", "--password-stdin", input=right + "\n").code == 0
    assert re_run("profile", "test", env={"PW_FOR_TEST": wrong}).code == 0

    # password_command beats the prompt: no prompt on a terminal
    assert re_run("profile", "remove", "dev").code == 0
    add_without_password(re_run, sandbox, "dev", "--password-command", "printenv PW_FOR_TEST")
    session = run_on_terminal(["profile", "test"], {**isolated_env(home), "PW_FOR_TEST": right})
    assert session.code == 0, session.output
    assert "Password" not in session.output


def test_profile_remove_deletes_the_keyring_entry(re_run, sandbox, home):
    assert add(re_run, sandbox, "dev", "--password-stdin", password=sandbox.password()).code == 0
    assert keyring_entry(home, {}, "dev") == sandbox.password()
    assert re_run("profile", "remove", "dev").code == 0
    assert keyring_entry(home, {}, "dev") == "None"


def test_no_keyring_backend(re_run, sandbox, home):
    stored = add(re_run, sandbox, "dev", "--password-stdin", password=sandbox.password(),
                 env=NO_KEYRING)
    assert stored.code == 3
    assert "no keyring" in stored.stderr
    for source in ("RE_PASSWORD", "--password-stdin", "password_command"):
        assert source in stored.stderr
    assert len(stored.stderr.splitlines()) == 1
    assert not (home / "config" / "re" / "config.toml").exists()

    add_without_password(re_run, sandbox, "dev")
    needed = re_run("bdbs", "list", env=NO_KEYRING)
    assert needed.code == 3
    assert "no keyring" in needed.stderr and "RE_PASSWORD" in needed.stderr
    assert "Traceback" not in needed.stderr

    other_source = re_run("bdbs", "list", "-o", "json",
                          env={**NO_KEYRING, "RE_PASSWORD": sandbox.password()})
    assert other_source.code == 0
    listed = re_run("profile", "list", "-o", "json", env=NO_KEYRING)
    assert listed.code == 0 and json.loads(listed.stdout)[0]["password"] == "prompt"
    setting = re_run("profile", "set-password", "--password-stdin", input="x\n", env=NO_KEYRING)
    assert setting.code == 3 and "no keyring" in setting.stderr
    removed = re_run("profile", "remove", "dev", env=NO_KEYRING)
    assert removed.code == 0 and "keyring not checked" in removed.stderr


def test_a_keyring_backend_that_cannot_load(re_run, sandbox):
    add_without_password(re_run, sandbox, "dev")
    broken = {"PYTHON_KEYRING_BACKEND": "no_such_module.Keyring"}
    done = re_run("bdbs", "list", env=broken)
    assert done.code == 3
    assert "no keyring" in done.stderr and "Traceback" not in done.stderr
    assert re_run("bdbs", "list", "-o", "json",
                  env={**broken, "RE_PASSWORD": sandbox.password()}).code == 0


# ---- the password in no output, with -vv, for every command there is

@pytest.fixture(scope="module")
def leak_sandbox(tmp_path_factory):
    """A sandbox of its own: every command runs against it, destructive ones too."""
    home = tmp_path_factory.mktemp("leak-sandbox-home")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "0.1")
    yield box
    stop_sandbox(box)


def every_command() -> list[list[str]]:
    """The path of every leaf command of `re`, walking the click tree as it is now."""
    from re_cli.cli import cli

    ctx = click.Context(cli)

    def walk(command, path):
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])
        else:
            yield path, command

    found = []
    for path, command in walk(cli, []):
        # the sandbox is the server these commands talk to; profile runs on its own below
        if path[0] in ("sandbox", "profile"):
            continue
        values = {"method": "GET", "path": "/v1/cluster"}
        args = [values.get(p.name, "1") for p in command.params
                if isinstance(p, click.Argument) and p.required]
        found.append([*path, *args])
    return found


def run_captured(args: list[str], env: dict, stdin: bytes = b"") -> tuple[bytes, bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "re_cli", *args], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(stdin, timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out, err


@pytest.mark.timeout(900)  # nearly two hundred processes on a shared machine
def test_the_password_reaches_no_output_and_no_file(leak_sandbox, home):
    box = leak_sandbox
    secret = box.password().encode()
    basic = base64.b64encode(f"{box.user()}:{box.password()}".encode())
    env = isolated_env(home)

    add = ["profile", "add", "leak", "--host", box.host, "--port", str(box.port),
           "--user", box.user(), "--ca-cert", str(box.ca_cert), "--password-stdin", "-vv"]
    out, err = run_captured(add, env, secret + b"\n")
    assert b"added profile" in err, err
    outputs = [(add, out, err)]

    commands = [[*path, "-vv"] for path in every_command()]
    assert len(commands) > 3  # at the least api, bdbs list and bdbs get
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda args: (args, *run_captured(args, env)), commands)
        outputs += list(results)

    by_source = [
        (["--password-stdin", "bdbs", "list", "-vv"], secret + b"\n", {}),
        (["api", "GET", "/v1/users", "-vv", "-i"], b"", {"RE_PASSWORD": box.password()}),
        (["profile", "list", "-vv"], b"", {}),
        (["profile", "show", "-vv"], b"", {}),
        (["profile", "test", "-vv"], b"", {}),
        (["profile", "test", "-vv", "-o", "json"], b"", {"RE_PASSWORD": box.password()}),
        (["profile", "set-password", "--password-stdin", "-vv"], secret + b"\n", {}),
        (["profile", "use", "leak", "-vv"], b"", {}),
        (["profile", "test", "-vv", "--password-stdin"], b"wrong\n", {}),
        (["profile", "remove", "leak", "-vv"], b"", {}),
    ]
    for args, stdin, extra in by_source:
        outputs.append((args, *run_captured(args, {**env, **extra}, stdin)))

    for args, out, err in outputs:
        for leaked in (secret, basic):
            assert leaked not in out, f"`re {' '.join(args)}` printed the password on stdout"
            assert leaked not in err, f"`re {' '.join(args)}` printed the password on stderr"
    # most commands really sent a request (the rest stopped at their own usage checks)
    sent = sum(b"Authorization: Basic [redacted]" in err for _, _, err in outputs)
    assert sent > len(commands) // 2

    for folder in (home / "config", home / "cache"):
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file():
                data = path.read_bytes()
                assert secret not in data and basic not in data, f"the password is in {path}"


def test_replacing_with_a_password_command_forgets_the_stored_password(re_run, sandbox, home):
    assert add(re_run, sandbox, "dev", "--password-stdin", "--no-check",
               password="stale").code == 0
    assert keyring_entry(home, {}, "dev") == "stale"
    replaced = add(re_run, sandbox, "dev", "--password-command", "printenv PW_FOR_TEST",
                   env={"PW_FOR_TEST": sandbox.password()})
    assert replaced.code == 0, replaced.stderr
    assert keyring_entry(home, {}, "dev") == "None"
    assert re_run("profile", "test", env={"PW_FOR_TEST": sandbox.password()}).code == 0
