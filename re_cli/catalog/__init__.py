"""The REST API's requests as facts: method, path, permission, parameters, statuses.

Derived from the shared catalog by tools/build_catalog.py. The sandbox reads it for
permissions and for the requests it does not implement; commands read it for help.
"""

import json
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("requests.json")


@lru_cache(maxsize=1)
def load() -> dict:
    return json.loads(_FILE.read_text())


def requests() -> list[dict]:
    return load()["requests"]


def role_permissions() -> dict[str, list[str]]:
    return load()["role_permissions"]
