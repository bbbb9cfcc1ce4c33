"""How much of the catalog the sandbox implements, and that the rest says so (501)."""

from sandbox_client import fill_path, session

import re_cli.sandbox.handlers as handlers
from re_cli.sandbox import routes


def test_every_unimplemented_request_answers_501(sandbox, capsys):
    handlers.load_all()
    done = routes.implemented()
    missing = [e for e in routes.ENTRIES if (e.method, e.path) not in done]
    with capsys.disabled():
        print(f"\nsandbox implements {len(done)} of {len(routes.ENTRIES)} catalog requests; "
              f"{len(missing)} answer 501")

    s = session(sandbox)
    wrong = []
    for entry in missing:
        r = s.request(entry.method, sandbox.url + fill_path(entry.path))
        body = r.json() if r.headers.get("Content-Type") == "application/json" else {}
        if r.status_code != 501 or body.get("error_code") != "not_implemented":
            wrong.append((entry.method, entry.path, r.status_code))
    assert not wrong
