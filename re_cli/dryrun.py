"""A dry run's outcome: the server's verdict, and for an update the fields that
would change, old and new side by side."""

import json
import sys


def _changes(current: dict | None, body) -> list[tuple[str, object, object]]:
    if not isinstance(current, dict) or not isinstance(body, dict):
        return []
    return [(name, current.get(name), new) for name, new in body.items()
            if current.get(name) != new]


def _compact(value) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False)


def _body(response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.content.decode(errors="replace")


def show(app, response, current: dict | None = None, body=None) -> None:
    """Print the verdict and the would-be changes (as JSON with `-o json`)."""
    changes = _changes(current, body)
    verdict = f"{response.status} {response.reason}".strip()

    if app.output == "json":
        result = {"dry_run": True, "status": response.status, "response": _body(response)}
        if current is not None:
            result["changes"] = {n: {"old": old, "new": new} for n, old, new in changes}
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return

    lines = [f"dry run: the server accepts this request ({verdict}); nothing was changed"]
    server_says = _body(response)
    if current is None and server_says not in (None, "", {}, []):
        lines.append("server: " + _compact(server_says))
    if current is not None:
        if changes:
            rows = [("field", "current", "new")]
            rows += [(n, _compact(old), _compact(new)) for n, old, new in changes]
            widths = [max(len(r[i]) for r in rows) for i in range(2)]
            for n, old, new in rows:
                lines.append(f"  {n.ljust(widths[0])}  {old.ljust(widths[1])}  {new}")
        else:
            lines.append("no field would change")
    sys.stdout.write("\n".join(lines) + "\n")
