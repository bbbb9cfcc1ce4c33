"""Adding and removing modules: zip uploads (multipart), user-defined modules, local
artifacts, and module arguments of a database.

An uploaded package is a zip holding `module.json` (module_name, version,
semantic_version and the module object's other fields); the sandbox keeps the
metadata, not the binary.
"""

import hashlib
import io
import json
import time
import uuid
import zipfile
from email.parser import BytesParser
from email.policy import HTTP

from re_cli.sandbox.common import defaults_for, get_or_404, int_uid
from re_cli.sandbox.routes import ApiError, route

MODULE_FIELDS = {"author", "bigstore_version_2_support", "capabilities", "capability_name",
                 "command_line_args", "commands", "compatible_redis_version", "config_command",
                 "crdb", "dependencies", "description", "display_name", "email", "homepage",
                 "license", "min_redis_version", "module_file", "module_name",
                 "semantic_version", "sha256", "version"}


def _uploaded_zip(req) -> tuple[bytes, str]:
    """The bytes and file name of the `module` field of a multipart body."""
    ctype = req.headers.get("Content-Type") or ""
    if not ctype.lower().startswith("multipart/form-data"):
        raise ApiError(400, "no_module",
                       "Upload the module as multipart/form-data, in field `module`.")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + req.body)
    for part in message.iter_parts() if message.is_multipart() else []:
        if part.get_param("name", header="content-disposition") == "module":
            return part.get_payload(decode=True) or b"", part.get_filename() or "module.zip"
    raise ApiError(400, "no_module", "The form has no `module` file.")


def _metadata(data: bytes, status: int = 400) -> dict:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            meta = json.loads(archive.read("module.json"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ApiError(status, "invalid_module",
                       "The file is not a module package: a zip with module.json.") from None
    if not isinstance(meta, dict):
        raise ApiError(status, "invalid_module", "module.json must hold an object.")
    return meta


def _new_module(tx, meta: dict, status: int, bundled: bool = False) -> dict:
    missing = [f for f in ("module_name", "version", "semantic_version") if not meta.get(f)]
    if missing:
        raise ApiError(status, "invalid_module", f"missing field(s): {', '.join(missing)}")
    if isinstance(meta["version"], bool) or not isinstance(meta["version"], int):
        raise ApiError(status, "invalid_module", "`version` must be an integer")
    for other in tx.list("module"):
        if other.get("module_name") == meta["module_name"] and \
                other.get("semantic_version") == meta["semantic_version"]:
            raise ApiError(status, "module_exists",
                           f"{meta['module_name']} {meta['semantic_version']} is already there")
    module = defaults_for("module")
    module.update({k: v for k, v in meta.items() if k in MODULE_FIELDS})
    uid = hashlib.sha1(f"{meta['module_name']}-{meta['semantic_version']}".encode())
    module.update(uid=uid.hexdigest()[:32], is_bundled=bundled)
    module.setdefault("capabilities", [])
    module.setdefault("display_name", meta["module_name"])
    return module


def _finished_action(tx, name: str, module_uid: str) -> str:
    action_uid = str(uuid.uuid4())
    tx.put("action", action_uid, {
        "action_uid": action_uid, "name": name, "action_type": "task", "status": "completed",
        "progress": 100.0, "module_uid": module_uid, "started": time.time()})
    return action_uid


@route("POST", "/v1/modules")
def upload_module_v1(req):
    data, _ = _uploaded_zip(req)
    meta = _metadata(data)
    with req.sandbox.store.transaction() as tx:
        module = _new_module(tx, meta, 400)
        tx.put("module", module["uid"], module)
    return module


@route("POST", "/v2/modules")
def upload_module_v2(req):
    data, _ = _uploaded_zip(req)
    meta = _metadata(data)
    with req.sandbox.store.transaction() as tx:
        module = _new_module(tx, meta, 400)
        tx.put("module", module["uid"], module)
        action_uid = _finished_action(tx, "module_upload", module["uid"])
    return {"action_uid": action_uid, "uid": module["uid"]}


def _delete(tx, raw_uid, user_defined: bool) -> dict:
    module = get_or_404(tx, "module", raw_uid, "module")
    if user_defined and module.get("is_bundled"):
        raise ApiError(406, "module_is_bundled", "A bundled module is not user-defined.")
    users = [str(b["uid"]) for b in tx.list("bdb")
             if any(m.get("module_name") == module["module_name"]
                    for m in b.get("module_list") or [])]
    if users:
        raise ApiError(406, "module_in_use", f"module {module['module_name']} is used by "
                                              f"database(s) {', '.join(users)}")
    tx.delete("module", module["uid"])
    return module


@route("DELETE", "/v1/modules/{uid}")
def delete_module_v1(req):
    with req.sandbox.store.transaction() as tx:
        _delete(tx, req.params["uid"], user_defined=False)
    return None


@route("DELETE", "/v2/modules/{uid}")
def delete_module_v2(req):
    with req.sandbox.store.transaction() as tx:
        module = _delete(tx, req.params["uid"], user_defined=False)
        return {"action_uid": _finished_action(tx, "module_delete", module["uid"])}


@route("POST", "/v2/modules/user-defined")
def create_user_defined(req):
    body = req.json_object()
    unknown = sorted(set(body) - MODULE_FIELDS)
    if unknown:
        raise ApiError(406, "invalid_module", f"unknown module field(s): {', '.join(unknown)}")
    with req.sandbox.store.transaction() as tx:
        module = _new_module(tx, body, 406)
        tx.put("module", module["uid"], module)
    return module


@route("DELETE", "/v2/modules/user-defined/{uid}")
def delete_user_defined(req):
    with req.sandbox.store.transaction() as tx:
        _delete(tx, req.params["uid"], user_defined=True)
    return None


@route("GET", "/v2/local/modules/user-defined/artifacts")
def list_artifacts(req):
    with req.sandbox.store.transaction() as tx:
        return [{k: v for k, v in a.items() if not k.startswith("_")}
                for a in tx.list("module_artifact")]


@route("POST", "/v2/local/modules/user-defined/artifacts")
def upload_artifact(req):
    data, filename = _uploaded_zip(req)
    meta = _metadata(data, status=406)
    if not meta.get("module_name") or not meta.get("semantic_version"):
        raise ApiError(406, "invalid_module", "module.json needs module_name and semantic_version")
    key = f"{meta['module_name']}/{meta['semantic_version']}"
    artifact = {"module_name": meta["module_name"], "version": meta["semantic_version"],
                "file_name": filename, "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest()}
    with req.sandbox.store.transaction() as tx:
        tx.put("module_artifact", key, artifact)
    return artifact


@route("DELETE", "/v2/local/modules/user-defined/artifacts/{module_name}/{version}")
def delete_artifact(req):
    key = f"{req.params['module_name']}/{req.params['version']}"
    with req.sandbox.store.transaction() as tx:
        if not tx.delete("module_artifact", key):
            raise ApiError(404, "artifact_not_found", f"no artifact {key} on this node")
    return None


@route("POST", "/v1/modules/config/bdb/{uid}")
def configure_bdb_modules(req):
    body = req.json_object()
    wanted = body.get("modules")
    if not isinstance(wanted, list) or not wanted or not all(
            isinstance(m, dict) and m.get("module_name") and "module_args" in m for m in wanted):
        raise ApiError(400, "missing_field",
                       "The body must be {\"modules\": [{\"module_name\", \"module_args\"}]}.")
    with req.sandbox.store.transaction() as tx:
        bdb = tx.get("bdb", int_uid(req.params["uid"], "bdb"))
        if bdb is None:
            raise ApiError(404, "db_not_exist", f"database {req.params['uid']} does not exist")
        modules = {m["module_name"]: m for m in tx.list("module")}
        current = {m.get("module_name"): m for m in bdb.get("module_list") or []}
        for item in wanted:
            name = item["module_name"]
            if name not in current:
                raise ApiError(404, "module_not_exist", f"the database does not use {name}")
            if not (modules.get(name) or {}).get("config_command"):
                raise ApiError(406, "param_error",
                               f"{name} does not take arguments at run time")
            current[name]["module_args"] = item["module_args"]
        tx.put("bdb", bdb["uid"], bdb)
    return None
