"""Write completions/re.bash, re.zsh and re.fish, as `re completion SHELL` prints them.

    python tools/gen_completions.py          # write the scripts
    python tools/gen_completions.py --check  # exit 1 when a committed script differs
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from re_cli.commands import completion  # noqa: E402 - after the path set-up above

OUT_DIR = ROOT / "completions"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = 0
    for shell in completion.SHELLS:
        path = OUT_DIR / f"re.{shell}"
        text = completion.script(shell)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale += 1
        if check:
            print(f"gen_completions: completions/{path.name} is out of date", file=sys.stderr)
        else:
            OUT_DIR.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote completions/{path.name}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
