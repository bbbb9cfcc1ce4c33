"""Derive re_cli/sandbox/defaults.json from the shared catalog's objects.json.

The sandbox fills fields a create request leaves out with the documented defaults.
Only defaults that read as a plain value of the field's type are kept: a default such
as "takes the cluster setting" describes behaviour, not a value.

    python tools/build_sandbox_defaults.py [/work/shared/re-api/objects.json]
"""

import json
import sys
from pathlib import Path

SOURCE = Path("/work/shared/re-api/objects.json")
TARGET = Path(__file__).resolve().parent.parent / "re_cli" / "sandbox" / "defaults.json"


def typed_default(kind: str, raw: str):
    """The default as a JSON value of the field's type, or None when it is prose."""
    kind = kind.split(",")[0].strip()
    text = raw.strip()
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.lower())
    if kind in ("integer", "number"):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return None
    if kind in ("enum", "string"):
        return text if " " not in text else None
    return None


def build(source: Path) -> dict:
    objects = json.loads(source.read_text())["objects"]
    out = {}
    for obj in objects:
        defaults = {}
        for fld in obj.get("fields", []):
            if fld.get("default") is None:
                continue
            value = typed_default(fld["type"], str(fld["default"]))
            if value is not None:
                defaults[fld["name"]] = value
        if defaults:
            out[obj["name"]] = defaults
    return out


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    data = build(source)
    TARGET.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{TARGET}: defaults for {len(data)} objects")


if __name__ == "__main__":
    main()
