"""Derive re_cli/sandbox/object_schemas.json from the shared catalog's objects.json.

`GET /v1/jsonschema` answers with a JSON schema per API object. Only facts are kept:
field names, types, enum values, defaults and read-only marks. The catalog's prose
(notes, summaries) stays out of the package.

    python tools/build_sandbox_schemas.py [/work/shared/re-api/objects.json]
"""

import json
import re
import sys
from pathlib import Path

SOURCE = Path("/work/shared/re-api/objects.json")
TARGET = Path(__file__).resolve().parent.parent / "re_cli" / "sandbox" / "object_schemas.json"

SCALARS = {
    "string": "string",
    "integer": "integer",
    "boolean": "boolean",
    "float": "number",
    "number": "number",
    "number/float": "number",
}


def all_fields(obj: dict) -> list[dict]:
    fields = list(obj.get("fields", []))
    for section in obj.get("sections") or []:
        fields.extend(section.get("fields", []))
    return [f for f in fields if "." not in f["name"]]


def typed_default(kind: str, raw):
    text = str(raw).strip()
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
    if kind == "string":
        return text if " " not in text else None
    if kind == "array" and text == "[]":
        return []
    return None


class Builder:
    def __init__(self, objects: list[dict]):
        self.by_name = {o["name"]: o for o in objects}

    def sub_object(self, owner: str, label: str) -> str | None:
        """The objects.json name a type such as `CRDB database_config object` refers to."""
        sub = re.sub(r"^crdb ", "", label.lower()).strip().replace(" ", "_")
        root = owner.split(".")[0]
        for candidate in (f"{owner}.{sub}", f"{root}.{sub}", sub):
            if candidate in self.by_name:
                return candidate
        matches = [n for n in self.by_name if n.endswith("." + sub)]
        return matches[0] if len(matches) == 1 else None

    def field_schema(self, owner: str, fld: dict, seen: frozenset) -> dict:
        read_only = fld["name"] in self.by_name[owner].get("read_only_fields", [])
        raw = fld["type"].strip()
        kind = raw.split(",")[0].strip()
        schema: dict
        if kind == "enum":
            values = fld.get("values") or []
            schema = {"type": "string"}
            if values:
                schema["enum"] = values
        elif kind in SCALARS:
            schema = {"type": SCALARS[kind]}
        elif kind.startswith("date"):
            schema = {"type": "string", "format": "date-time"}
        elif kind.startswith("array"):
            inner = kind[len("array"):].removeprefix(" of ").strip()
            schema = {"type": "array"}
            items = self.item_schema(owner, inner, seen)
            if items:
                schema["items"] = items
        elif kind.endswith(" object") or kind.endswith(" objects"):
            label = re.sub(r" objects?$", "", kind)
            target = self.sub_object(owner, label)
            if target and target not in seen:
                schema = self.object_schema(target, seen | {target})
            else:
                schema = {"type": "object"}
        else:
            schema = {"type": "object"}
        default = fld.get("default")
        if default is not None:
            value = typed_default(schema.get("type", ""), default)
            if value is not None:
                schema["default"] = value
        if fld.get("read_only") or read_only:
            schema["readOnly"] = True
        if fld.get("deprecated"):
            schema["deprecated"] = True
        return schema

    def item_schema(self, owner: str, inner: str, seen: frozenset) -> dict | None:
        if not inner:
            return None
        singular = inner.removesuffix("s")
        if singular in SCALARS:
            return {"type": SCALARS[singular]}
        if inner in ("objects", "object"):
            return {"type": "object"}
        label = re.sub(r" objects?$", "", inner)
        target = self.sub_object(owner, label)
        if target and target not in seen:
            return self.object_schema(target, seen | {target})
        return {"type": "object"}

    def object_schema(self, name: str, seen: frozenset) -> dict:
        obj = self.by_name[name]
        props = {f["name"]: self.field_schema(name, f, seen) for f in all_fields(obj)}
        return {"type": "object", "properties": props, "additionalProperties": True}

    def build(self) -> dict:
        out = {}
        for name in self.by_name:
            if "." in name:
                continue
            schema = self.object_schema(name, frozenset({name}))
            schema = {"$schema": "http://json-schema.org/draft-04/schema#",
                      "title": name, **schema}
            out[name] = schema
        return out


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    objects = json.loads(source.read_text())["objects"]
    data = Builder(objects).build()
    TARGET.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"{TARGET}: schemas for {len(data)} objects")


if __name__ == "__main__":
    main()
