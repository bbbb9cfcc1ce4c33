"""Derive re_cli/catalog/requests.json from the shared REST API catalog.

Only facts are kept (method, path, group, parameters, permission, status codes,
error codes, whether a request is deprecated or asynchronous, and our own one-line
summaries); the notes condensed from the reference stay out of the package.

    python tools/build_catalog.py ../shared/re-api
"""

import json
import sys
from pathlib import Path

KEEP = ("method", "path", "api_version", "group", "subgroup", "summary", "async")


def fact(entry: dict) -> dict:
    out = {key: entry[key] for key in KEEP}
    out["permission"] = entry["permission"][0] if entry["permission"] else None
    out["permission_inferred"] = bool(not entry["permission"] and entry.get("permission_inferred"))
    if out["permission_inferred"]:
        out["permission"] = entry["permission_inferred"][0]
    out["path_params"] = [{"name": p["name"], "type": p["type"]} for p in entry["path_params"]]
    out["query_params"] = [{"name": q["name"], "type": q["type"]} for q in entry["query_params"]]
    out["takes_body"] = bool(entry["body"])
    out["status_codes"] = sorted({s["code"] for s in entry["status_codes"]})
    out["error_codes"] = entry["error_codes"]
    out["deprecated"] = bool(entry["deprecated"])
    out["legacy"] = bool(entry.get("legacy"))
    return out


def main(source: str) -> None:
    src = Path(source)
    requests = json.loads((src / "requests.json").read_text())
    permissions = json.loads((src / "permissions.json").read_text())
    catalog = {
        "requests": [fact(e) for e in requests],
        "role_permissions": permissions["role_permissions"],
    }
    target = Path(__file__).resolve().parent.parent / "re_cli" / "catalog" / "requests.json"
    target.write_text(json.dumps(catalog, indent=1, sort_keys=True) + "\n")
    print(f"{len(catalog['requests'])} requests -> {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/re-api")
