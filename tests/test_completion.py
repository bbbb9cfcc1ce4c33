"""Tab completion: the committed scripts, Click's completion protocol, and bash itself
with the committed script sourced; profile names from the config and live database
names from the per-profile cache, with the cluster up and down."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import isolated_env, start_sandbox, stop_sandbox

ROOT = Path(__file__).resolve().parent.parent
SHELLS = ("bash", "zsh", "fish")

CONFIG = """\
default_profile = "box"

[profiles.box]
host = "127.0.0.1"
port = {port}
user = "{user}"
ca_cert = "{ca}"

[profiles.lab]
host = "lab.example.com"
user = "ops@example.com"
"""


def complete(home: Path, words: str, shell: str = "bash", env: dict | None = None,
             cword: int | str | None = None) -> subprocess.CompletedProcess:
    """Ask `re` for completions as the shell's script does, through _RE_COMPLETE."""
    full = isolated_env(home)
    full.update(env or {})
    full.update(_RE_COMPLETE=f"{shell}_complete", COMP_WORDS=words,
                COMP_CWORD=str(cword if cword is not None else len(words.split(" ")) - 1))
    return subprocess.run([sys.executable, "-m", "re_cli"], env=full, capture_output=True,
                          text=True, timeout=60)


def values(done: subprocess.CompletedProcess) -> list[str]:
    """The values of bash_complete output (lines `type,value`)."""
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if "," in line]


@pytest.fixture
def bash_re(tmp_path):
    """Run bash with completions/re.bash sourced and `re` on PATH; return COMPREPLY."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    wrapper = bindir / "re"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m re_cli "$@"\n')
    wrapper.chmod(0o755)

    def run(line: str, env: dict | None = None) -> tuple[list[str], str]:
        words = line.split(" ")
        script = (f"source {ROOT / 'completions' / 're.bash'}\n"
                  f"COMP_WORDS=({' '.join(_bash_word(w) for w in words)})\n"
                  f"COMP_CWORD={len(words) - 1}\n"
                  "_re_completion re\n"
                  'printf "%s\\n" "${COMPREPLY[@]}"\n')
        full = isolated_env(tmp_path)
        full.update(env or {})
        full["PATH"] = f"{bindir}{os.pathsep}{full.get('PATH', '')}"
        done = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=full,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return [w for w in done.stdout.splitlines() if w], done.stderr

    return run


def _bash_word(word: str) -> str:
    return "''" if word == "" else f"'{word}'"


def write_config(home: Path, port: int = 9443, user: str = "admin@example.com",
                 ca: str = "/nonexistent/ca.pem") -> None:
    path = home / "config" / "re" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONFIG.format(port=port, user=user, ca=ca))


# -- the committed scripts -------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
def test_committed_script_is_what_the_command_prints(re_run, shell):
    done = re_run("completion", shell)
    assert done.code == 0, done.stderr
    committed = (ROOT / "completions" / f"re.{shell}").read_text()
    assert done.stdout == committed, f"run `python tools/gen_completions.py` ({shell})"
    assert "_RE_COMPLETE" in done.stdout


def test_generator_check_agrees():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_completions.py"),
                           "--check"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_unknown_shell_is_a_usage_error(re_run):
    done = re_run("completion", "tcsh")
    assert done.code == 2
    assert "tcsh" in done.stderr
    assert "Traceback" not in done.stderr


# -- Click's completion protocol --------------------------------------------------------


def test_commands(home):
    assert values(complete(home, "re bdbs ge")) == ["get"]
    top = values(complete(home, "re "))
    assert {"bdbs", "api", "profile", "help", "completion"} <= set(top)


def test_options_of_a_subcommand_include_the_global_ones(home):
    found = values(complete(home, "re bdbs list --"))
    assert "--fields" in found
    assert {"--profile", "--output", "--ca-cert"} <= set(found)


def test_option_values_come_from_choices(home):
    assert values(complete(home, "re bdbs list -o ")) == ["auto", "table", "json"]
    assert values(complete(home, "re -o j")) == ["json"]


def test_help_topics_and_commands(home):
    found = values(complete(home, "re help "))
    assert {"exit-codes", "environment", "config", "tls", "bdbs"} <= set(found)
    assert values(complete(home, "re help bdbs l")) == ["list"]


def test_profile_names_from_the_config(home):
    write_config(home)
    assert values(complete(home, "re -p ")) == ["box", "lab"]
    assert values(complete(home, "re bdbs list --profile l")) == ["lab"]


def test_zsh_and_fish_protocols_carry_descriptions(home):
    write_config(home)
    zsh = complete(home, "re -p ", shell="zsh").stdout.splitlines()
    assert zsh[:3] == ["plain", "box", "127.0.0.1"]
    # fish passes the word being completed itself, not its index.
    fish = complete(home, "re -p l", shell="fish", cword="l").stdout.splitlines()
    assert fish == ["plain", "lab", "lab.example.com"]


def test_a_broken_config_completes_nothing_and_prints_nothing(home):
    path = home / "config" / "re" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[profiles.box\nhost = ")
    done = complete(home, "re -p ")
    assert done.returncode == 0
    assert done.stdout.strip() == "" and done.stderr == ""


# -- bash itself, with the committed script ---------------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_and_values(bash_re):
    assert bash_re("re bdbs ge")[0] == ["get"]
    assert "--fields" in bash_re("re bdbs get --f")[0]
    assert bash_re("re --output t")[0] == ["table"]
    topics_and_commands = bash_re("re help e")[0]
    assert {"exit-codes", "environment"} <= set(topics_and_commands)
    assert all(word.startswith("e") for word in topics_and_commands)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_profile_names(bash_re, tmp_path):
    write_config(tmp_path)
    assert bash_re("re -p ")[0] == ["box", "lab"]
    assert bash_re("re bdbs list -p b")[0] == ["box"]


# -- live names, from a sandbox of our own that the tests stop --------------------------


@pytest.fixture(scope="module")
def own_sandbox(tmp_path_factory):
    home = tmp_path_factory.mktemp("completion-sandbox")
    data_dir = home / "sandbox"
    data_dir.mkdir()
    box = start_sandbox(data_dir, isolated_env(home), "--action-delay", "0.1")
    for name in ("orders", "orders-cache", "sessions"):
        response = requests.post(f"{box.url}/v1/bdbs", verify=str(box.ca_cert), timeout=30,
                                 auth=(box.user(), box.password()),
                                 json={"name": name, "memory_size": 100 * 1024 * 1024})
        assert response.status_code == 200, response.text
    yield box
    if box.process.poll() is None:
        stop_sandbox(box)


# The refresh is bounded to a second by default; a loaded test machine gets longer,
# so that these tests check what is fetched, not how fast.
PATIENT = {"RE_COMPLETION_TIMEOUT": "30"}


def _names_file(home: Path, profile: str = "box") -> Path:
    return home / "cache" / "re" / profile / "names.json"


def _uids(box) -> dict:
    response = requests.get(f"{box.url}/v1/bdbs", verify=str(box.ca_cert), timeout=30,
                            auth=(box.user(), box.password()))
    return {db["name"]: str(db["uid"]) for db in response.json()}


def _complete_bdbs(home: Path, incomplete: str, env: dict) -> subprocess.CompletedProcess:
    """name_cache.complete as a shell_complete callable sees it, in a process of its own
    (as every completion is)."""
    code = ("import sys\nfrom re_cli import name_cache\n"
            "for item in name_cache.complete('bdb', sys.argv[1]):\n"
            "    print(item.value, item.help or '', sep='\\t')\n")
    full = isolated_env(home)
    full.update(env)
    return subprocess.run([sys.executable, "-c", code, incomplete], env=full,
                          capture_output=True, text=True, timeout=60)


def test_password_from_the_keyring_without_a_prompt(own_sandbox, tmp_path):
    box = own_sandbox
    write_config(tmp_path, port=box.port, user=box.user(), ca=str(box.ca_cert))
    subprocess.run([sys.executable, "-c",
                    "import sys, keyring; keyring.set_password('re', 'box', sys.stdin.read())"],
                   input=box.password(), text=True, env=isolated_env(tmp_path), check=True,
                   timeout=60)

    done = _complete_bdbs(tmp_path, "sess", PATIENT)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.split("\t")[0] == "sessions"


def test_password_from_the_password_command(own_sandbox, tmp_path):
    box = own_sandbox
    secret_file = tmp_path / "pw"
    secret_file.write_text(box.password() + "\n")
    write_config(tmp_path, port=box.port, user=box.user(), ca=str(box.ca_cert))
    config = tmp_path / "config" / "re" / "config.toml"
    config.write_text(config.read_text().replace(
        'ca_cert = ', f'password_command = "cat {secret_file}"\nca_cert = ', 1))

    done = _complete_bdbs(tmp_path, "orders-", PATIENT)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.split("\t")[0] == "orders-cache"


def test_a_wrong_password_keeps_what_the_cache_has(own_sandbox, tmp_path):
    box = own_sandbox
    write_config(tmp_path, port=box.port, user=box.user(), ca=str(box.ca_cert))
    _seed_cache(tmp_path, "box", [{"uid": 99, "name": "old-name"}], age=3600)

    done = _complete_bdbs(tmp_path, "", {"RE_PASSWORD": "wrong", **PATIENT})
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == ["99\told-name", "old-name\t99"]


def test_live_names_cached_then_offered_when_the_cluster_is_down(own_sandbox, tmp_path):
    box = own_sandbox
    write_config(tmp_path, port=box.port, user=box.user(), ca=str(box.ca_cert))
    env = {"RE_PASSWORD": box.password(), **PATIENT}
    uids = _uids(box)

    done = _complete_bdbs(tmp_path, "ord", env)
    assert done.returncode == 0 and done.stderr == ""
    assert [line.split("\t") for line in done.stdout.splitlines()] == [
        ["orders", uids["orders"]], ["orders-cache", uids["orders-cache"]]]

    cached = json.loads(_names_file(tmp_path).read_text())
    assert {item["name"] for item in cached["bdb"]["items"]} == set(uids)
    assert box.password() not in _names_file(tmp_path).read_text()

    uid_done = _complete_bdbs(tmp_path, uids["sessions"], env)
    assert uid_done.stdout.splitlines()[0] == f"{uids['sessions']}\tsessions"

    stop_sandbox(box)
    # Age the entry past its time to live, so that completion tries the cluster first.
    cached["bdb"]["at"] = time.time() - 3600
    _names_file(tmp_path).write_text(json.dumps(cached))

    down = _complete_bdbs(tmp_path, "s", env)
    assert down.returncode == 0
    assert down.stderr == ""
    assert down.stdout.splitlines() == [f"sessions\t{uids['sessions']}"]



def test_no_cache_and_no_cluster_offers_nothing_quietly(tmp_path):
    write_config(tmp_path, port=1)
    done = _complete_bdbs(tmp_path, "", {"RE_PASSWORD": "not-used"})
    assert done.returncode == 0
    assert done.stdout == "" and done.stderr == ""


def test_no_password_source_means_no_request_and_no_prompt(tmp_path):
    write_config(tmp_path, port=1)
    done = subprocess.run(
        [sys.executable, "-c",
         "from re_cli import name_cache; print(len(name_cache.complete('bdb', '')))"],
        env=isolated_env(tmp_path) | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.stdout == "0\n" and done.stderr == ""


def _seed_cache(home: Path, profile: str, items: list, age: float = 0) -> None:
    """Fill the cache the way a listing command does, through name_cache.remember;
    `age` seconds old."""
    code = ("import json, sys\nfrom re_cli import name_cache\n"
            "name_cache.remember(sys.argv[1], 'bdb', json.loads(sys.argv[2]))\n")
    subprocess.run([sys.executable, "-c", code, profile, json.dumps(items)],
                   env=isolated_env(home), check=True, timeout=60)
    if age:
        path = _names_file(home, profile)
        data = json.loads(path.read_text())
        data["bdb"]["at"] -= age
        path.write_text(json.dumps(data))


def test_re_bdbs_get_offers_cached_names_with_the_cluster_down(tmp_path, bash_re):
    """Needs `re bdbs get` to declare shell_complete=name_cache.names("bdb")."""
    write_config(tmp_path, port=1)
    _seed_cache(tmp_path, "box", [{"uid": 1, "name": "orders"}, {"uid": 7, "name": "sessions"}])
    env = {"RE_PASSWORD": "not-used"}

    done = complete(tmp_path, "re bdbs get s", env=env)
    assert done.returncode == 0 and done.stderr == ""
    assert values(done) == ["sessions"], "wire name_cache.names('bdb') into `re bdbs get`"
    assert values(complete(tmp_path, "re bdbs get 7", env=env)) == ["7"]
    assert bash_re("re bdbs get o", env=env) == (["orders"], "")
    assert bash_re("re -p box bdbs get ", env=env)[0] == ["1", "orders", "7", "sessions"]


def test_a_cluster_that_never_answers_gives_the_cache(tmp_path):
    """A listener that accepts connections and then says nothing: completion gives up
    after its bound (the default) and offers the cache; it would hang without one."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        write_config(tmp_path, port=silent.getsockname()[1])
        _seed_cache(tmp_path, "box", [{"uid": 5, "name": "stale-db"}], age=3600)
        done = _complete_bdbs(tmp_path, "st", {"RE_PASSWORD": "any"})
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == ["stale-db\t5"]


def test_a_listing_cut_down_with_fields_keeps_the_cached_names(tmp_path):
    write_config(tmp_path, port=1)
    _seed_cache(tmp_path, "box", [{"uid": 1, "name": "orders"}])
    _seed_cache(tmp_path, "box", [{"uid": 1, "status": "active"}, {"uid": 2}])
    done = _complete_bdbs(tmp_path, "", {"RE_PASSWORD": "any"})
    assert done.stdout.splitlines() == ["1\torders", "orders\t1"]

    _seed_cache(tmp_path, "box", [])
    assert _complete_bdbs(tmp_path, "", {"RE_PASSWORD": "any"}).stdout == ""
