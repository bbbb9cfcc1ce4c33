"""Finding an object by uid or by name, for commands that accept either."""

from re_cli import errors


def resolve_uid(client, collection: str, ref: str, noun: str) -> str:
    """The uid of the object in `collection` (such as `bdbs`) that `ref` names.

    A number is taken as a uid as it is. A name is looked up by listing uids and
    names; no match is exit 5, several matches are a usage error (exit 2) that lists
    them, so the user can pick by uid.
    """
    if ref.isdigit():
        return ref

    with client.lookups():
        listing = client.get(f"/v1/{collection}", params={"fields": "uid,name"}).json()
    if not isinstance(listing, list):
        raise errors.ReError(f"the server's list of {collection} is not a list")
    matches = [obj for obj in listing if isinstance(obj, dict) and obj.get("name") == ref]
    if not matches:
        raise errors.ReError(f"no {noun} named `{ref}`", errors.NOT_FOUND)
    if len(matches) > 1:
        uids = ", ".join(str(obj.get("uid")) for obj in matches)
        raise errors.UsageError(
            f"{len(matches)} {collection} are named `{ref}` (uids {uids}): give the uid")
    return str(matches[0].get("uid"))
