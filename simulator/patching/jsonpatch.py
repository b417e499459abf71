"""RFC 6902 JSON patch (`kubectl patch --type json`), with evanphx/json-patch's error texts as the
API server returns them (apiserver handlers/patch.go jsonPatcher)."""
from __future__ import annotations

import copy
from typing import Any

from simulator.api.errors import BadRequest, JSONPatchError
from simulator.patching.goish import gofmt, json_equal, json_kind


def _parse_pointer(path: Any) -> list[str]:
    if not isinstance(path, str):
        raise JSONPatchError(f"invalid path: {gofmt(path)}")
    if path == "":
        return []
    if not path.startswith("/"):
        raise JSONPatchError(f'add operation does not apply: doc is missing path: "{path}": missing value')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _resolve_parent(doc: Any, parts: list[str]) -> tuple[Any, str] | None:
    cur = doc
    for p in parts[:-1]:
        if isinstance(cur, dict):
            if p not in cur:
                return None
            cur = cur[p]
        elif isinstance(cur, list):
            idx = _index(p, len(cur))
            if idx is None or idx >= len(cur):
                return None
            cur = cur[idx]
        else:
            return None
    if not isinstance(cur, (dict, list)):
        return None
    return cur, parts[-1]


def _index(token: str, size: int) -> int | None:
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        return None
    return int(token)


def _get(doc: Any, parts: list[str]) -> tuple[bool, Any]:
    if not parts:
        return True, doc
    found = _resolve_parent(doc, parts)
    if found is None:
        return False, None
    con, key = found
    if isinstance(con, dict):
        return (key in con), con.get(key)
    idx = _index(key, len(con))
    if idx is None or idx >= len(con):
        return False, None
    return True, con[idx]


def _add(doc: Any, parts: list[str], value: Any, path: str, op: str = "add") -> Any:
    if not parts:
        return value
    found = _resolve_parent(doc, parts)
    if found is None:
        raise JSONPatchError(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
    con, key = found
    if isinstance(con, dict):
        con[key] = value
        return doc
    if key == "-":
        con.append(value)
        return doc
    idx = _index(key, len(con))
    if idx is None or idx > len(con):
        raise JSONPatchError(f"error in add for path: '{path}': Unable to access invalid index: {key}: "
                             "invalid index referenced")
    con.insert(idx, value)
    return doc


def _remove(doc: Any, parts: list[str], path: str, op: str = "remove") -> tuple[Any, Any]:
    if not parts:
        raise JSONPatchError(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
    found = _resolve_parent(doc, parts)
    if found is None:
        raise JSONPatchError(f'{op} operation does not apply: doc is missing path: "{path}": missing value')
    con, key = found
    if isinstance(con, dict):
        if key not in con:
            raise JSONPatchError(f"error in {op} for path: '{path}': Unable to remove nonexistent key: {key}: "
                                 "missing value")
        return doc, con.pop(key)
    idx = _index(key, len(con))
    if idx is None or idx >= len(con):
        raise JSONPatchError(f"error in {op} for path: '{path}': Unable to access invalid index: {key}: "
                             "invalid index referenced")
    return doc, con.pop(idx)


def json_patch(target: Any, ops: Any) -> Any:
    """RFC 6902 JSON patch (`kubectl patch --type json`). Raises JSONPatchError / BadRequest."""
    if not isinstance(ops, list):
        raise BadRequest(f"json: cannot unmarshal {json_kind(ops)} into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(target)
    for raw in ops:
        if not isinstance(raw, dict):
            raise BadRequest(f"json: cannot unmarshal {json_kind(raw)} into Go value of type jsonpatch.Operation")
        op = raw.get("op")
        path = raw.get("path")
        if op in ("add", "replace", "test") and "value" not in raw:
            # evanphx/json-patch: a missing value is an error, an explicit null is not
            raise JSONPatchError(f"Unexpected kind: {op}" if op is None else f"{op} operation, missing value")
        value = copy.deepcopy(raw.get("value"))
        if op == "add":
            doc = _add(doc, _parse_pointer(path), value, path)
        elif op == "remove":
            doc, _ = _remove(doc, _parse_pointer(path), path)
        elif op == "replace":
            parts = _parse_pointer(path)
            ok, _ = _get(doc, parts)
            if not ok:
                raise JSONPatchError(f"replace operation does not apply: doc is missing key: {path}: missing value")
            if not parts:
                doc = value
            else:
                doc, _ = _remove(doc, parts, path, "replace")
                doc = _add(doc, parts, value, path, "replace")
        elif op in ("move", "copy"):
            frm = raw.get("from")
            fparts = _parse_pointer(frm)
            ok, val = _get(doc, fparts)
            if not ok:
                raise JSONPatchError(f'{op} operation does not apply: doc is missing from path: "{frm}": missing value')
            if op == "move":
                doc, val = _remove(doc, fparts, frm, "move")
            doc = _add(doc, _parse_pointer(path), copy.deepcopy(val), path, op)
        elif op == "test":
            ok, val = _get(doc, _parse_pointer(path))
            if not ok and value is not None:
                raise JSONPatchError(f"testing value {path} failed: test failed")
            if ok and not json_equal(val, value):
                raise JSONPatchError(f"testing value {path} failed: test failed")
        else:
            raise JSONPatchError(f"Unexpected kind: {gofmt(op) if op is not None else 'unknown'}")
    return doc
