"""How fast `re` starts and lists databases, against curl and a minimal requests script.

Starts a sandbox on a free port (its own temp dirs), creates a few databases, then
times interleaved runs and prints medians and ratios:

  re bdbs list --fields uid,name -o json   vs  curl  vs  a minimal requests script,
      with the password from RE_PASSWORD, and again from the keyring
      (keyrings.alt's file backend, through PYTHON_KEYRING_BACKEND);
  re --help                                vs  python -c "import click".

Targets: re bdbs list at most 1.2x the requests script; re --help at most 1.5x the
click import. A script, not a test: it asserts nothing.

    python bench/bench_core.py [--runs 15]
"""

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"list": 1.2, "help": 1.5}

REQUESTS_SCRIPT = """\
import os, sys
import requests
{password}
r = requests.get("{url}/v1/bdbs", params={{"fields": "uid,name"}},
                 auth=("{user}", password), verify="{ca}", timeout=30)
r.raise_for_status()
sys.stdout.buffer.write(r.content)
"""
PASSWORD_FROM_ENV = 'password = os.environ["RE_PASSWORD"]'
PASSWORD_FROM_KEYRING = 'import keyring\npassword = keyring.get_password("re", "bench")'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RE_", "XDG_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
               NO_COLOR="1", PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    # As installed: compiled bytecode is kept (the warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def start_sandbox(home: Path, env: dict):
    port = free_port()
    data_dir = home / "sandbox"
    log = open(home / "sandbox.log", "wb")  # noqa: SIM115 - kept open for the process
    proc = subprocess.Popen([sys.executable, "-m", "re_cli", "sandbox", "start", "--foreground",
                             "--port", str(port), "--data-dir", str(data_dir),
                             "--action-delay", "0"], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the sandbox exited with {proc.returncode}; see {log.name}")
        if (data_dir / "credentials.json").exists():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                pass
        time.sleep(0.1)
    else:
        proc.kill()
        sys.exit("the sandbox did not start")
    admin = json.loads((data_dir / "credentials.json").read_text())["admin"]
    return proc, port, data_dir / "ca.pem", admin["user"], admin["password"]


def create_bdbs(url: str, user: str, password: str, ca: Path, count: int) -> None:
    import requests

    for n in range(count):
        response = requests.post(f"{url}/v1/bdbs", auth=(user, password), verify=str(ca),
                                 json={"name": f"bench-{n}", "memory_size": 104857600},
                                 timeout=30)
        response.raise_for_status()


def re_command() -> list[str]:
    """The installed `re` script next to this Python (what a user runs), else -m."""
    script = Path(sys.executable).parent / "re"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "re_cli"]


def timed(command: list[str], env: dict, stdin: bytes | None = None) -> float:
    """Wall-clock seconds of one run of `command`."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = proc.communicate(stdin)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{command[:3]} failed ({proc.returncode}): {err.decode()[:300]}")
    return elapsed


def cpu_timed(command: list[str], env: dict, stdin: bytes | None = None) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run. CPU time is the steadier
    figure on a busy machine: it leaves out the time spent waiting for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command, env, stdin)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(cases: dict, runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds per case; the cases take turns, so that noise hits
    them alike."""
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for command, env, stdin in cases.values():  # one warm-up each (writes bytecode)
        timed(command, env, stdin)
    for _ in range(runs):
        for name, (command, env, stdin) in cases.items():
            wall, cpu = cpu_timed(command, env, stdin)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]))
            for name in cases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per case (>= 10)")
    parser.add_argument("--bdbs", type=int, default=5, help="databases to create")
    args = parser.parse_args()
    runs = max(args.runs, 10)

    home = Path(tempfile.mkdtemp(prefix="re-bench-"))
    env = clean_env(home)
    proc, port, ca, user, password = start_sandbox(home, env)
    url = f"https://127.0.0.1:{port}"
    try:
        create_bdbs(url, user, password, ca, args.bdbs)
        figures = run_cases(home, env, url, port, ca, user, password, runs)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(home, ignore_errors=True)
    report(figures, runs)


def run_cases(home, env, url, port, ca, user, password, runs) -> dict[str, float]:
    # The keyring case: a profile in a config file, its password in the file keyring.
    config = home / "config.toml"
    config.write_text(f'default_profile = "bench"\n\n[profiles.bench]\n'
                      f'host = "127.0.0.1"\nport = {port}\nuser = "{user}"\n'
                      f'ca_cert = "{ca}"\n')
    subprocess.run([sys.executable, "-c",
                    "import keyring, sys; keyring.set_password('re', 'bench', sys.stdin.read())"],
                   env=env, input=password.encode(), check=True)

    env_password = {**env, "RE_HOST": "127.0.0.1", "RE_PORT": str(port), "RE_USER": user,
                    "RE_CA_CERT": str(ca), "RE_PASSWORD": password}
    env_keyring = {**env, "RE_CONFIG": str(config)}

    scripts = {}
    for name, source in (("env", PASSWORD_FROM_ENV), ("keyring", PASSWORD_FROM_KEYRING)):
        path = home / f"minimal_{name}.py"
        path.write_text(REQUESTS_SCRIPT.format(password=source, url=url, user=user, ca=ca))
        scripts[name] = [sys.executable, str(path)]

    curl = ["curl", "-sS", "--fail", "--cacert", str(ca), "-K", "-",
            f"{url}/v1/bdbs?fields=uid,name"]
    curl_config = f'user = "{user}:{password}"\n'.encode()  # on stdin, not in argv
    re_list = [*re_command(), "bdbs", "list", "--fields", "uid,name", "-o", "json"]

    cases = {
        "re list (RE_PASSWORD)": (re_list, env_password, None),
        "re list (keyring)": (re_list, env_keyring, None),
        "requests script (env)": (scripts["env"], env_password, None),
        "requests script (keyring)": (scripts["keyring"], env_keyring, None),
        "curl": (curl, env, curl_config),
        "re --help": ([*re_command(), "--help"], env, None),
        "python -c 'import click'": ([sys.executable, "-c", "import click"], env, None),
        "python -c pass": ([sys.executable, "-c", "pass"], env, None),
    }
    if shutil.which("curl") is None:
        del cases["curl"]
    return measure(cases, runs)


def report(medians: dict[str, tuple[float, float]], runs: int) -> None:
    print(f"medians over {runs} interleaved runs (after one warm-up each); re is "
          f"`{' '.join(re_command())}`; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs\n")
    print(f"  {'':<28} {'wall':>9} {'CPU':>9}")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<28} {wall * 1000:6.1f} ms {cpu * 1000:6.1f} ms")

    def ratio(a: str, b: str, target: float | None = None) -> None:
        if a not in medians or b not in medians:
            return
        wall = medians[a][0] / medians[b][0]
        cpu = medians[a][1] / medians[b][1] if medians[b][1] else float("nan")
        goal = "" if target is None else f"   target <= {target}: " + \
            ("ok" if wall <= target else "over") + " (wall), " + \
            ("ok" if cpu <= target else "over") + " (CPU)"
        print(f"  {a} / {b}: wall {wall:.2f}, CPU {cpu:.2f}{goal}")

    print("\nratios")
    ratio("re list (RE_PASSWORD)", "requests script (env)", TARGETS["list"])
    ratio("re list (keyring)", "requests script (keyring)", TARGETS["list"])
    ratio("re list (keyring)", "requests script (env)")
    ratio("re list (RE_PASSWORD)", "curl")
    ratio("requests script (env)", "curl")
    ratio("re --help", "python -c 'import click'", TARGETS["help"])


if __name__ == "__main__":
    main()
