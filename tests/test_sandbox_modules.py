"""Module uploads (multipart zip), user-defined modules and local artifacts."""

import io
import json
import uuid
import zipfile

from sandbox_client import session


def _package(name: str, semver: str = "1.0.0") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("module.json", json.dumps({
            "module_name": name, "version": 10000, "semantic_version": semver,
            "display_name": name.title(), "capabilities": ["types"]}))
        archive.writestr(f"{name}.so", b"\x7fELF not really")
    return buffer.getvalue()


def test_upload_list_and_delete_a_module(sandbox):
    s = session(sandbox)
    name = f"mod{uuid.uuid4().hex[:6]}"
    up = s.post(f"{sandbox.url}/v1/modules", files={"module": ("m.zip", _package(name))})
    assert up.status_code == 200, up.text
    module = up.json()
    assert module["module_name"] == name and module["is_bundled"] is False
    assert any(m["uid"] == module["uid"] for m in s.get(f"{sandbox.url}/v1/modules").json())

    again = s.post(f"{sandbox.url}/v1/modules", files={"module": ("m.zip", _package(name))})
    assert again.status_code == 400 and again.json()["error_code"] == "module_exists"
    junk = s.post(f"{sandbox.url}/v1/modules", files={"module": ("m.zip", b"not a zip")})
    assert junk.status_code == 400 and junk.json()["error_code"] == "invalid_module"
    none = s.post(f"{sandbox.url}/v1/modules", files={"other": ("m.zip", b"x")})
    assert none.status_code == 400 and none.json()["error_code"] == "no_module"

    v2 = s.post(f"{sandbox.url}/v2/modules", files={"module": ("m.zip", _package(name, "2.0.0"))})
    assert v2.status_code == 200 and v2.json()["action_uid"]
    assert s.delete(f"{sandbox.url}/v1/modules/{module['uid']}").status_code == 200
    assert s.get(f"{sandbox.url}/v1/modules/{module['uid']}").status_code == 404
    assert s.delete(f"{sandbox.url}/v2/modules/{v2.json()['uid']}").json()["action_uid"]
    assert s.delete(f"{sandbox.url}/v1/modules/{module['uid']}").status_code == 404


def test_user_defined_modules_and_artifacts(sandbox):
    s = session(sandbox)
    name = f"udm{uuid.uuid4().hex[:6]}"
    made = s.post(f"{sandbox.url}/v2/modules/user-defined",
                  json={"module_name": name, "version": 1, "semantic_version": "0.0.1"})
    assert made.status_code == 200
    assert s.post(f"{sandbox.url}/v2/modules/user-defined",
                  json={"module_name": name}).status_code == 406
    bundled = next(m for m in s.get(f"{sandbox.url}/v1/modules").json() if m["is_bundled"])
    assert s.delete(f"{sandbox.url}/v2/modules/user-defined/{bundled['uid']}").status_code == 406
    assert s.delete(f"{sandbox.url}/v2/modules/user-defined/{made.json()['uid']}").ok

    art = s.post(f"{sandbox.url}/v2/local/modules/user-defined/artifacts",
                 files={"module": ("a.zip", _package(name, "3.1.4"))})
    assert art.status_code == 200 and art.json()["version"] == "3.1.4"
    listed = s.get(f"{sandbox.url}/v2/local/modules/user-defined/artifacts").json()
    assert any(a["module_name"] == name for a in listed)
    path = f"/v2/local/modules/user-defined/artifacts/{name}/3.1.4"
    assert s.delete(sandbox.url + path).status_code == 200
    assert s.delete(sandbox.url + path).status_code == 404


def test_module_arguments_of_a_missing_database(sandbox):
    s = session(sandbox)
    r = s.post(f"{sandbox.url}/v1/modules/config/bdb/424242",
               json={"modules": [{"module_name": "search", "module_args": "MAXSEARCHRESULTS 5"}]})
    assert r.status_code == 404 and r.json()["error_code"] == "db_not_exist"
    assert s.post(f"{sandbox.url}/v1/modules/config/bdb/1", json={"x": 1}).status_code == 400
