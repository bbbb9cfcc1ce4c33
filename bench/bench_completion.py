"""Time tab completion of `re bdbs get <Tab>` from a warm name cache against
`python -c "import click"`.

Each round runs both once, in alternating order, as separate processes, the way a
shell runs them; the figures are medians over the rounds. The cache is refreshed
(not timed) before every completion, so that none of them goes to the network.

    python bench/bench_completion.py [--rounds 20]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from re_cli import name_cache  # noqa: E402 - after the path set-up above

DATABASES = [{"uid": uid, "name": f"db-{uid:03d}"} for uid in range(1, 51)]


def re_command() -> list[str]:
    """The installed `re` script next to this Python when there is one (what a shell
    runs), else `python -m re_cli`."""
    script = Path(sys.executable).with_name("re")
    return [str(script)] if script.exists() else [sys.executable, "-m", "re_cli"]


def environment(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RE_", "XDG_"))}
    env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    config = home / "config" / "re" / "config.toml"
    config.parent.mkdir(parents=True)
    # Port 1 on loopback: were the cache ever stale, the refresh would fail at once.
    config.write_text('default_profile = "bench"\n\n[profiles.bench]\n'
                      'host = "127.0.0.1"\nport = 1\nuser = "bench@example.com"\n')
    return env


def timed(command: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = max(10, parser.parse_args().rounds)

    home = Path(tempfile.mkdtemp(prefix="re-bench-"))
    try:
        env = environment(home)
        complete_env = dict(env, _RE_COMPLETE="bash_complete", COMP_WORDS="re bdbs get ",
                            COMP_CWORD="3")
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        completion, click_import, offered = [], [], ""
        for round_ in range(rounds + 1):
            name_cache.remember("bench", "bdb", DATABASES)
            pair = [("re", re_command(), complete_env),
                    ("click", [sys.executable, "-c", "import click"], env)]
            if round_ % 2:
                pair.reverse()
            for label, command, run_env in pair:
                seconds, out = timed(command, run_env)
                if round_ == 0:
                    continue  # warm the OS caches; not counted
                if label == "re":
                    completion.append(seconds)
                    offered = out
                else:
                    click_import.append(seconds)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    re_median = statistics.median(completion)
    click_median = statistics.median(click_import)
    names = [line.split(",", 1)[1] for line in offered.splitlines() if "," in line]
    print(f"rounds: {rounds} (interleaved, plus one warm-up round)")
    print(f"completion command: {' '.join(re_command())} (COMP_WORDS='re bdbs get ')")
    print(f"names offered: {len(names)}"
          + ("" if names else "  (re bdbs get has no name completion wired yet)"))
    print(f"re bdbs get <Tab>, warm cache: median {re_median * 1000:7.1f} ms")
    print(f'python -c "import click":      median {click_median * 1000:7.1f} ms')
    print(f"ratio: {re_median / click_median:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
