"""Write man/re.1 and man/re-COMMAND.1 from the command tree.

    python tools/gen_man.py          # write the pages, remove pages of gone commands
    python tools/gen_man.py --check  # exit 1 when the committed pages differ
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from re_cli import manpages  # noqa: E402 - after the path set-up above

MAN_DIR = ROOT / "man"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    made, failed = manpages.pages()
    for problem in failed:
        print(f"gen_man: a command did not load, its page is not made: {problem}",
              file=sys.stderr)
    existing = {p.name: p.read_text(encoding="utf-8") for p in MAN_DIR.glob("re*.1")}
    differ = sorted(name for name in made.keys() | existing.keys()
                    if made.get(name) != existing.get(name))
    if check:
        for name in differ:
            print(f"gen_man: man/{name} is out of date", file=sys.stderr)
        return 1 if differ or failed else 0
    MAN_DIR.mkdir(exist_ok=True)
    for name in differ:
        path = MAN_DIR / name
        if name in made:
            path.write_text(made[name], encoding="utf-8")
        else:
            path.unlink()
        print(f"{'wrote' if name in made else 'removed'} man/{name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
