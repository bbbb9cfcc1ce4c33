"""JSON schemas of the API objects, made from the reference's field facts (names, types,
enum values, defaults, read-only marks) kept in object_schemas.json."""

import json
from functools import lru_cache
from pathlib import Path

from re_cli.sandbox.routes import ApiError, route

SCHEMAS = Path(__file__).resolve().parent.parent / "object_schemas.json"


@lru_cache(maxsize=1)
def schemas() -> dict:
    return json.loads(SCHEMAS.read_text())


@route("GET", "/v1/jsonschema")
def get(req):
    name = req.query.get("object")
    known = schemas()
    if not name:
        return {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
                "properties": known}
    if name not in known:
        raise ApiError(406, "invalid_object",
                       f"no API object is named {name!r}; known: {', '.join(sorted(known))}")
    return known[name]
