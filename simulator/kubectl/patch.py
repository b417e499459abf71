"""Patches: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge patch, and the
three-way patch `kubectl apply` sends, plus the last-applied-configuration annotation.

Strategic merge follows apimachinery pkg/util/strategicpatch/patch.go: `mergeMap`,
`mergeSlice`, `mergeSliceWithSpecialElements`, `normalizeElementOrder`/`mergeSortedSlice`
(order of merged lists), `mergePatchIntoOriginal` ($setElementOrder), `applyRetainKeysDirective`,
`preprocessDeletionListForMerging` ($deleteFromPrimitiveList), and for the diff side
`diffMaps`/`diffLists`/`diffListsOfMaps`/`diffListsOfScalars`/`CreateThreeWayMergePatch`.
The list metadata comes from the `patchStrategy`/`patchMergeKey` tags of kubernetes/api types
(SCHEMAS below).

All functions take and return plain dicts; inputs are never mutated.
"""
from __future__ import annotations

import copy
import json
import re
from typing import Any

from simulator.api.errors import BadRequest, CLIError, KubeError, StatusError
from simulator.gofmt import go_quote as _go_quote

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

_DIRECTIVE = "$patch"
_RETAIN_KEYS = "$retainKeys"
_SET_ORDER = "$setElementOrder/"
_DELETE_PRIMITIVE = "$deleteFromPrimitiveList/"


class ServerError(StatusError):
    """A non-Status error from the server (metav1.StatusReasonUnknown): kubectl prints
    `Error from server: <msg>` (kubectl pkg/cmd/util/helpers.go StandardErrorMessage)."""

    reason, code = "", 500

    def render(self) -> str:
        return f"Error from server: {self.message}"


class JSONPatchError(KubeError):
    """A JSON patch (RFC 6902) that does not apply.

    The apiserver answers 422 via NewGenericServerResponse ("the server rejected our request due
    to an error in our request", empty details), which kubectl prints as `The request is invalid`.
    `detail` keeps the evanphx/json-patch text, which kubectl shows as `error: <detail>` when it
    patches locally (`--local`; see kubernetes/kubernetes#63247 for a transcript).
    """

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def render(self) -> str:
        # kubectl pkg/cmd/util/helpers.go checkErr (v1.33+): no kind/name and no causes, so the
        # Status message is appended
        return "The request is invalid: the server rejected our request due to an error in our request"

    def local(self) -> CLIError:
        return CLIError(self.detail)


# =============================================================================== schema
def _f(strategies: str = "", key: str = "", child: dict | None = None):
    return (tuple(s for s in strategies.split(",") if s), key, child)


_OBJECT_META = {"finalizers": _f("merge"), "ownerReferences": _f("merge", "uid")}
_CONTAINER = {
    "ports": _f("merge", "containerPort"), "env": _f("merge", "name"),
    "volumeMounts": _f("merge", "mountPath"), "volumeDevices": _f("merge", "devicePath"),
}
_POD_SPEC = {
    "volumes": _f("merge,retainKeys", "name"),
    "initContainers": _f("merge", "name", _CONTAINER),
    "containers": _f("merge", "name", _CONTAINER),
    "ephemeralContainers": _f("merge", "name", _CONTAINER),
    "imagePullSecrets": _f("merge", "name"),
    "hostAliases": _f("merge", "ip"),
    "topologySpreadConstraints": _f("merge", "topologyKey"),
    "resourceClaims": _f("merge,retainKeys", "name"),
    "schedulingGates": _f("merge", "name"),
}
_POD_TEMPLATE = {"metadata": _f("", "", _OBJECT_META), "spec": _f("", "", _POD_SPEC)}
_CONDITIONS = _f("merge", "type")
_STATUS_WITH_CONDITIONS = {"conditions": _CONDITIONS}

SCHEMAS: dict[str, dict] = {
    "Deployment": {
        "metadata": _f("", "", _OBJECT_META),
        "spec": _f("", "", {"template": _f("", "", _POD_TEMPLATE), "strategy": _f("retainKeys")}),
        "status": _f("", "", _STATUS_WITH_CONDITIONS),
    },
    "ReplicaSet": {
        "metadata": _f("", "", _OBJECT_META),
        "spec": _f("", "", {"template": _f("", "", _POD_TEMPLATE)}),
        "status": _f("", "", _STATUS_WITH_CONDITIONS),
    },
    "ReplicationController": {
        "metadata": _f("", "", _OBJECT_META),
        "spec": _f("", "", {"template": _f("", "", _POD_TEMPLATE)}),
        "status": _f("", "", _STATUS_WITH_CONDITIONS),
    },
    "Pod": {
        "metadata": _f("", "", _OBJECT_META),
        "spec": _f("", "", _POD_SPEC),
        "status": _f("", "", {"conditions": _CONDITIONS, "podIPs": _f("merge", "ip"),
                              "hostIPs": _f("merge", "ip")}),
    },
    "Service": {
        "metadata": _f("", "", _OBJECT_META),
        "spec": _f("", "", {"ports": _f("merge", "port")}),
        "status": _f("", "", _STATUS_WITH_CONDITIONS),
    },
    "Namespace": {"metadata": _f("", "", _OBJECT_META), "status": _f("", "", _STATUS_WITH_CONDITIONS)},
}
_GENERIC = {"metadata": _f("", "", _OBJECT_META)}


def _schema(kind: str | None) -> dict:
    return SCHEMAS.get(kind or "", _GENERIC)


def _lookup(node: dict | None, field: str) -> tuple[tuple[str, ...], str, dict | None]:
    # untagged (or unknown) fields: lists are replaced, maps are merged
    if node and field in node:
        return node[field]
    return ((), "", None)


def _strategy(strategies: tuple[str, ...]) -> tuple[bool, str]:
    """extractRetainKeysPatchStrategy: (retainKeys?, the other strategy)."""
    retain = "retainKeys" in strategies
    rest = [s for s in strategies if s != "retainKeys"]
    return retain, (rest[0] if rest else "")


# =============================================================================== small Go-isms
def _kind_of(v: Any) -> str:
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return "string" if isinstance(v, str) else "other"


def _gofmt(v: Any) -> str:
    """fmt.Sprintf("%v") for JSON values, as the sort helpers use it."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_gofmt(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(_gofmt(x) for x in v) + "]"
    return str(v)


def _go_map_repr(m: dict) -> str:
    return "map[" + " ".join(f"{k}:{_gofmt(m[k])}" for k in sorted(m)) + "]"


# =============================================================================== RFC 7386
def json_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (`kubectl patch --type merge`): maps merge recursively,
    null deletes, anything else (lists included) replaces."""
    return _merge_patch(copy.deepcopy(target), copy.deepcopy(patch))


def _merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = _merge_patch(target.get(k), v)
    return target


# =============================================================================== RFC 6902
def _parse_pointer(path: Any) -> list[str]:
    if not isinstance(path, str):
        raise JSONPatchError(f"invalid path: {_gofmt(path)}")
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
        raise BadRequest(f"json: cannot unmarshal {_json_kind(ops)} into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(target)
    for raw in ops:
        if not isinstance(raw, dict):
            raise BadRequest(f"json: cannot unmarshal {_json_kind(raw)} into Go value of type jsonpatch.Operation")
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
            if ok and not _json_equal(val, value):
                raise JSONPatchError(f"testing value {path} failed: test failed")
        else:
            raise JSONPatchError(f"Unexpected kind: {_gofmt(op) if op is not None else 'unknown'}")
    return doc


def _json_kind(v: Any) -> str:
    return {"map": "object", "slice": "array", "nil": "null", "bool": "bool", "number": "number",
            "string": "string"}.get(_kind_of(v), "value")


def _json_equal(a: Any, b: Any) -> bool:
    if _kind_of(a) != _kind_of(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    return a == b


# =============================================================================== strategic merge
def strategic_merge_patch(target: dict, patch: dict, kind: str | None) -> dict:
    """Apply a strategic merge patch to an object (StrategicMergeMapPatch: MergeParallelList and
    IgnoreUnmatchedNulls both on)."""
    if not isinstance(patch, dict):
        raise BadRequest(f"json: cannot unmarshal {_json_kind(patch)} into Go value of type map[string]interface {{}}")
    if not isinstance(target, dict):
        target = {}
    try:
        return _merge_map(copy.deepcopy(target), copy.deepcopy(patch), _schema(kind), True, True)
    except RecursionError:
        raise BadRequest("patch is too deeply nested") from None


def _bad_patch_type(t: Any, m: dict) -> ServerError:
    return ServerError(f"unknown patch type: {_gofmt(t)} in map: {_go_map_repr(m)}")


def _merge_map(original: Any, patch: dict, node: dict | None, parallel: bool, ignore_nulls: bool) -> dict:
    if _DIRECTIVE in patch:
        d = patch[_DIRECTIVE]
        if d == "replace":
            del patch[_DIRECTIVE]
            return patch
        if d == "delete":
            return {}
        raise _bad_patch_type(d, patch)
    if not isinstance(original, dict):
        original = {}
    _apply_retain_keys(original, patch, parallel)
    _merge_set_element_order(original, patch, node, parallel)

    for k in list(patch):
        pv = patch[k]
        is_delete_list = False
        if k.startswith(_DELETE_PRIMITIVE):
            if not parallel:
                original[k] = pv
                continue
            k = k[len(_DELETE_PRIMITIVE):]
            is_delete_list = True
        if pv is None:
            original.pop(k, None)
            if ignore_nulls:
                continue
        if k not in original:
            if not is_delete_list:
                original[k] = _fresh_value(pv, k, node, parallel, ignore_nulls)
            continue
        ov = original[k]
        if _kind_of(ov) != _kind_of(pv):
            if not is_delete_list:
                original[k] = _fresh_value(pv, k, node, parallel, ignore_nulls)
            continue
        strategies, merge_key, child = _lookup(node, k)
        _, strategy = _strategy(strategies)
        if isinstance(ov, dict):
            original[k] = pv if strategy == "replace" else _merge_map(ov, pv, child, parallel, ignore_nulls)
        elif isinstance(ov, list):
            original[k] = (_merge_slice(ov, pv, child, merge_key, parallel, ignore_nulls, is_delete_list)
                           if strategy == "merge" else pv)
        else:
            original[k] = pv
    return original


def _fresh_value(pv: Any, k: str, node: dict | None, parallel: bool, ignore_nulls: bool) -> Any:
    """A patch value for a key the object does not have yet. Upstream copies it verbatim
    (after dropping nulls); when patching an object we also resolve the directives inside it
    so that none of them ends up stored in the object."""
    if not parallel:
        return pv
    if isinstance(pv, dict):
        return _merge_map({}, pv, _lookup(node, k)[2], parallel, ignore_nulls)
    if isinstance(pv, list):
        strategies, merge_key, child = _lookup(node, k)
        if _strategy(strategies)[1] == "merge" and pv:
            return _merge_slice([], pv, child, merge_key, parallel, ignore_nulls, False)
        return [_strip_directives(x) if ignore_nulls else x for x in pv]
    return pv


def _strip_directives(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_directives(x) for k, x in v.items()
                if x is not None and not k.startswith("$")}
    if isinstance(v, list):
        return [_strip_directives(x) for x in v]
    return v


def _apply_retain_keys(original: dict, patch: dict, parallel: bool) -> None:
    if _RETAIN_KEYS not in patch:
        return
    keys = patch.pop(_RETAIN_KEYS)
    if not parallel:
        if _RETAIN_KEYS in original and original[_RETAIN_KEYS] != keys:
            raise ServerError(f"{_gofmt(original[_RETAIN_KEYS])} and {_gofmt(keys)} are not deep equal: "
                              "this may happen when calculating the 3-way diff patch")
        original[_RETAIN_KEYS] = keys
        return
    if not isinstance(keys, list) or not all(isinstance(x, str) for x in keys):
        raise BadRequest("invalid patch: the $retainKeys directive must be a list of strings"
                         if isinstance(keys, list) else "invalid patch: the $retainKeys directive must be a list")
    for k in list(original):
        if k not in keys:
            del original[k]


def _merge_set_element_order(original: dict, patch: dict, node: dict | None, parallel: bool) -> None:
    for key in [k for k in patch if k.startswith(_SET_ORDER)]:
        order = patch[key]
        if not parallel:
            if key in original and original[key] != order:
                raise ServerError(f"error: conflicting $setElementOrder lists for {key[len(_SET_ORDER):]}")
            original[key] = order
            del patch[key]
            continue
        okey = key[len(_SET_ORDER):]
        if not isinstance(order, list):
            raise BadRequest("invalid patch: the $setElementOrder list must be a list")
        ov = original.get(okey)
        pv = patch.get(okey)
        if ov is not None and not isinstance(ov, list) or pv is not None and not isinstance(pv, list):
            raise ServerError(f"value for key {okey!r} is not a list")
        strategies, merge_key, child = _lookup(node, okey)
        _, strategy = _strategy(strategies)
        if ov is None and pv is None:
            del patch[key]
            continue
        ov, pv = ov or [], pv or []
        if strategy == "merge":
            merged = _merge_slice(copy.copy(ov), pv, child, merge_key, True, True, False)
        else:
            merged = pv
        kind = _elem_kind(ov, pv)
        if order and kind:
            if kind == "map":
                patch_items = [m for m in merged if _index_in(order, m, merge_key, kind) >= 0]
            else:
                patch_items = [m for m in merged if m in order]
            server_only = [m for m in merged if not any(m is p for p in patch_items)]
            merged = _normalize_element_order(patch_items, server_only, order, ov, merge_key, kind)
        original[okey] = merged
        del patch[key]
        patch.pop(okey, None)


def _elem_kind(*lists: list) -> str:
    kinds = {_kind_of(x) for lst in lists for x in lst}
    if not kinds:
        return ""
    if len(kinds) > 1:
        raise ServerError("mismatched types in slices")
    kind = kinds.pop()
    if kind == "slice":
        raise BadRequest("lists of lists are not supported")
    return kind


def _merge_slice(original: list, patch: list, node: dict | None, merge_key: str, parallel: bool,
                 ignore_nulls: bool, is_delete_list: bool) -> list:
    if not original and not patch:
        return original
    kind = _elem_kind(original, patch)
    if kind != "map":
        if parallel and is_delete_list:
            return [x for x in original if x not in patch]
        merged = _dedup(original + patch)
    else:
        if not merge_key:
            raise ServerError("cannot merge lists without merge key")
        original, patch = _merge_slice_special(original, patch, merge_key)
        merged = _merge_slice_plain(original, patch, merge_key, node, parallel, ignore_nulls)
    if kind == "map":
        patch_items = [m for m in merged if any(_key_eq(m, p, merge_key) for p in patch)]
    else:
        patch_items = [m for m in merged if m in patch]
    server_only = [m for m in merged if not any(m is p for p in patch_items)]
    return _normalize_element_order(patch_items, server_only, patch, original, merge_key, kind)


def _key_eq(a: dict, b: dict, merge_key: str) -> bool:
    return isinstance(a, dict) and isinstance(b, dict) and merge_key in a and merge_key in b \
        and _json_equal(a[merge_key], b[merge_key])


def _dedup(items: list) -> list:
    out: list = []
    for x in items:
        if not any(_json_equal(x, y) for y in out):
            out.append(x)
    return out


def _no_merge_key(m: dict, key: str) -> ServerError:
    return ServerError(f"map: {_go_map_repr(m)} does not contain declared merge key: {key}")


def _merge_slice_special(original: list, patch: list, merge_key: str) -> tuple[list, list]:
    """mergeSliceWithSpecialElements: `$patch: delete` items delete, `$patch: replace` replaces."""
    plain, replace = [], False
    for v in patch:
        if _DIRECTIVE not in v:
            plain.append(v)
            continue
        d = v[_DIRECTIVE]
        if d == "delete":
            if merge_key not in v:
                raise _no_merge_key(v, merge_key)
            original = [o for o in original if not (isinstance(o, dict) and merge_key in o
                                                    and _json_equal(o[merge_key], v[merge_key]))]
        elif d == "replace":
            replace = True
        elif d == "merge":
            raise ServerError("merging lists cannot yet be specified in the patch")
        else:
            raise _bad_patch_type(d, v)
    if replace:
        return plain, []
    return original, plain


def _merge_slice_plain(original: list, patch: list, merge_key: str, node: dict | None,
                       parallel: bool, ignore_nulls: bool) -> list:
    original = list(original)
    for v in patch:
        if merge_key not in v:
            raise _no_merge_key(v, merge_key)
        for i, o in enumerate(original):
            if isinstance(o, dict) and merge_key in o and _json_equal(o[merge_key], v[merge_key]):
                original[i] = _merge_map(o, v, node, parallel, ignore_nulls)
                break
        else:
            original.append(_merge_map({}, v, node, parallel, ignore_nulls) if parallel else v)
    return original


def _index_in(lst: list, item: Any, merge_key: str, kind: str) -> int:
    for i, v in enumerate(lst):
        if kind == "map":
            if isinstance(v, dict) and isinstance(item, dict) and merge_key in v and merge_key in item \
                    and _json_equal(v[merge_key], item[merge_key]):
                return i
        elif _json_equal(v, item):
            return i
    return -1


def _normalize_slice_order(to_sort: list, order: list, merge_key: str, kind: str) -> list:
    """normalizeSliceOrder: delete directives go last; the rest sorted (sort.SliceStable, i.e.
    insertion sort) with upstream's comparator, which says `less` whenever either is unknown."""
    to_delete: list = []
    if kind == "map":
        kept = []
        for item in to_sort:
            if isinstance(item, dict) and _DIRECTIVE in item:
                if item[_DIRECTIVE] != "delete":
                    raise _bad_patch_type(item[_DIRECTIVE], item)
                to_delete.append(item)
            else:
                kept.append(item)
        to_sort = kept

    def less(a: Any, b: Any) -> bool:
        ia = _index_in(order, a, merge_key, kind)
        if ia >= 0:
            ib = _index_in(order, b, merge_key, kind)
            if ib >= 0:
                return ia < ib
        return True

    data = list(to_sort)
    for i in range(1, len(data)):
        j = i
        while j > 0 and less(data[j], data[j - 1]):
            data[j], data[j - 1] = data[j - 1], data[j]
            j -= 1
    return data + to_delete


def _normalize_element_order(patch_items: list, server_only: list, patch_order: list,
                             server_order: list, merge_key: str, kind: str) -> list:
    patch_items = _normalize_slice_order(patch_items, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    # mergeSortedSlice(left=serverOnly, right=patch): a server-only item goes first only when
    # both are found in the live list and it comes earlier there
    out, i, j = [], 0, 0
    while i < len(server_only) or j < len(patch_items):
        if i >= len(server_only):
            out.append(patch_items[j]); j += 1
        elif j >= len(patch_items):
            out.append(server_only[i]); i += 1
        else:
            li = _index_in(server_order, server_only[i], merge_key, kind)
            ri = _index_in(server_order, patch_items[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(server_only[i]); i += 1
            else:
                out.append(patch_items[j]); j += 1
    return out


# =============================================================================== diff (apply)
class _DiffOptions:
    __slots__ = ("ignore_deletions", "ignore_changes", "set_element_order", "build_retain_keys")

    def __init__(self, ignore_deletions=False, ignore_changes=False, set_element_order=False,
                 build_retain_keys=False):
        self.ignore_deletions = ignore_deletions
        self.ignore_changes = ignore_changes
        self.set_element_order = set_element_order
        self.build_retain_keys = build_retain_keys

    def with_retain(self, retain: bool) -> "_DiffOptions":
        return _DiffOptions(self.ignore_deletions, self.ignore_changes, self.set_element_order, retain)


def _diff_maps(original: dict, modified: dict, node: dict | None, opts: _DiffOptions) -> dict:
    patch: dict = {}
    retain_list: list = []
    for key, mv in modified.items():
        if opts.build_retain_keys and mv is not None:
            retain_list.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = mv
            continue
        ov = original[key]
        if key == _DIRECTIVE:
            if mv != ov:
                patch[_DIRECTIVE] = mv
            continue
        if _kind_of(ov) != _kind_of(mv):
            if not opts.ignore_changes:
                patch[key] = mv
            continue
        if isinstance(ov, dict):
            strategies, _, child = _lookup(node, key)
            retain, strategy = _strategy(strategies)
            if strategy == "replace":
                if not opts.ignore_changes:
                    patch[key] = mv
            else:
                sub = _diff_maps(ov, mv, child, opts.with_retain(retain))
                if sub:
                    patch[key] = sub
        elif isinstance(ov, list):
            strategies, merge_key, child = _lookup(node, key)
            retain, strategy = _strategy(strategies)
            if strategy == "merge":
                add, delete, order = _diff_lists(ov, mv, child, merge_key, opts.with_retain(retain))
                if add:
                    patch[key] = add
                if delete:
                    patch[_DELETE_PRIMITIVE + key] = delete
                if order:
                    patch[_SET_ORDER + key] = order
            elif not opts.ignore_changes and not _json_equal(ov, mv):
                patch[key] = mv
        elif not opts.ignore_changes and not _json_equal(ov, mv):
            patch[key] = mv
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    has_additional = any(v is not None and k not in modified for k, v in original.items())
    if retain_list and (patch or has_additional):
        patch[_RETAIN_KEYS] = sorted(retain_list, key=_gofmt)
    return patch


def _diff_lists(original: list, modified: list, node: dict | None, merge_key: str,
                opts: _DiffOptions) -> tuple[list, list, list]:
    kind = _elem_kind(original, modified)
    if not kind:
        return [], [], []
    order: list = []
    if kind == "map":
        add, delete = _diff_lists_of_maps(original, modified, node, merge_key, opts)
        add = _normalize_slice_order(add, modified, merge_key, kind)
        order_same = [ _gofmt(o.get(merge_key)) for o in original] == [_gofmt(m.get(merge_key)) for m in modified]
        add = add + delete
        delete = []
        if opts.set_element_order and ((not opts.ignore_changes and (add or not order_same))
                                       or (not opts.ignore_deletions and add)):
            order = [{merge_key: m.get(merge_key)} for m in modified]
    else:
        add, delete = _diff_lists_of_scalars(original, modified, opts)
        add = _normalize_slice_order(add, modified, merge_key, kind)
        if opts.set_element_order and ((not opts.ignore_deletions and delete)
                                       or (not opts.ignore_changes and not _json_equal(original, modified))):
            order = list(modified)
    return add, delete, order


def _diff_lists_of_maps(original: list, modified: list, node: dict | None, merge_key: str,
                        opts: _DiffOptions) -> tuple[list, list]:
    for m in original + modified:
        if merge_key not in m:
            raise _no_merge_key(m, merge_key)
    osorted = sorted(original, key=lambda m: _gofmt(m[merge_key]))
    msorted = sorted(modified, key=lambda m: _gofmt(m[merge_key]))
    patch, deletions = [], []
    i = j = 0
    while i < len(osorted) or j < len(msorted):
        ok, mk = i < len(osorted), j < len(msorted)
        os_ = _gofmt(osorted[i][merge_key]) if ok else ""
        ms_ = _gofmt(msorted[j][merge_key]) if mk else ""
        if ok and mk and os_ == ms_:
            sub = _diff_maps(osorted[i], msorted[j], node, opts)
            if sub:
                sub[merge_key] = msorted[j][merge_key]
                patch.append(sub)
            i += 1
            j += 1
        elif not ok or (ok and mk and os_ > ms_):
            if not opts.ignore_changes:
                patch.append(msorted[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({merge_key: osorted[i][merge_key], _DIRECTIVE: "delete"})
            i += 1
    return patch, deletions


def _diff_lists_of_scalars(original: list, modified: list, opts: _DiffOptions) -> tuple[list, list]:
    osorted = sorted(original, key=_gofmt)
    msorted = sorted(modified, key=_gofmt)
    add, deletions = [], []
    i = j = 0
    while i < len(osorted) or j < len(msorted):
        ok, mk = i < len(osorted), j < len(msorted)
        os_ = _gofmt(osorted[i]) if ok else ""
        ms_ = _gofmt(msorted[j]) if mk else ""
        if ok and mk and os_ == ms_:
            i += 1
            j += 1
        elif ok and (not mk or os_ < ms_):
            if not opts.ignore_deletions:
                deletions.append(osorted[i])
            i += 1
        else:
            if not opts.ignore_changes:
                add.append(msorted[j])
            j += 1
    return add, _dedup(deletions)


def two_way_merge_patch(original: dict, modified: dict, kind: str | None) -> dict:
    """CreateTwoWayMergePatch (what `kubectl edit` / `set` / `scale` style updates send)."""
    return _diff_maps(copy.deepcopy(original), copy.deepcopy(modified), _schema(kind),
                      _DiffOptions(set_element_order=True))


def three_way_merge(original: dict | None, modified: dict, current: dict, kind: str | None) -> dict:
    """strategicpatch.CreateThreeWayMergePatch(original, modified, current, overwrite=true):
    the changes from current to modified (additions and changes only) plus the deletions from
    original (last-applied) to modified. `kubectl apply` sends exactly this patch."""
    node = _schema(kind)
    original = copy.deepcopy(original) if isinstance(original, dict) else {}
    modified, current = copy.deepcopy(modified), copy.deepcopy(current)
    delta = _diff_maps(current, modified, node, _DiffOptions(ignore_deletions=True, set_element_order=True))
    deletions = _diff_maps(original, modified, node, _DiffOptions(ignore_changes=True, set_element_order=True))
    return _merge_map(deletions, delta, node, False, False)


def apply_patch_is_empty(patch: dict) -> bool:
    """kubectl apply: `if string(patch) == "{}"` the object is `unchanged`."""
    return patch == {}


# =============================================================================== last-applied
def go_json(obj: Any) -> str:
    """encoding/json as unstructuredJSONScheme writes it: sorted keys, compact, HTML-escaped."""
    s = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def last_applied_value(file_obj: dict) -> str:
    """The annotation value kubectl writes (kubectl pkg/util/apply.go GetModifiedConfiguration):
    the file's object without the annotation itself — `annotations` stays present as `{}` when it
    empties, because Unstructured.SetAnnotations keeps an empty, non-nil map — encoded by
    json.Encoder.Encode (hence the trailing newline)."""
    obj = copy.deepcopy(file_obj)
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    annotations = meta.get("annotations")
    annotations = dict(annotations) if isinstance(annotations, dict) else {}
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    return go_json(obj) + "\n"


def modified_configuration(file_obj: dict) -> dict:
    """The `modified` document of apply's three-way patch: the file's object carrying the
    last-applied annotation of itself."""
    obj = copy.deepcopy(file_obj)
    value = last_applied_value(obj)
    meta = obj.setdefault("metadata", {})
    annotations = meta.get("annotations")
    meta["annotations"] = dict(annotations) if isinstance(annotations, dict) else {}
    meta["annotations"][LAST_APPLIED] = value
    return obj


def last_applied(obj: dict) -> dict | None:
    """GetOriginalConfiguration: the decoded annotation, None when absent/empty/unreadable."""
    ann = ((obj or {}).get("metadata") or {}).get("annotations") or {}
    raw = ann.get(LAST_APPLIED) if isinstance(ann, dict) else None
    if not raw or not isinstance(raw, str):
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def set_last_applied(obj: dict, modified: dict) -> dict:
    """A copy of `obj` whose last-applied annotation records `modified` (the file's object),
    as `kubectl create --save-config` / `apply` leave it."""
    out = copy.deepcopy(obj)
    meta = out.setdefault("metadata", {})
    annotations = meta.get("annotations")
    meta["annotations"] = dict(annotations) if isinstance(annotations, dict) else {}
    meta["annotations"][LAST_APPLIED] = last_applied_value(modified)
    return out


# =============================================================================== the PATCH request
# What happens to a `kubectl patch` body between the command line and the stored object:
# kubectl converts it with apimachinery pkg/util/yaml ToJSON (text starting with `{` is sent as
# is, anything else goes through sigs.k8s.io/yaml YAMLToJSON), and the API server's PATCH handler
# (apiserver pkg/endpoints/handlers/patch.go) decodes it, applies it to the live object and
# converts the result back to the typed object. kubectl patch sends no fieldValidation, so the
# server's default directive is Warn (handlers/rest.go fieldValidation): unknown fields become
# `Warning: unknown field "…"` and are dropped; a value of the wrong type is an Invalid error.

class PatchParseError(CLIError):
    """kubectl patch.go: `unable to parse %q: %v` (quoting the -p value, "" for --patch-file)."""


class PatchInvalid(StatusError):
    """errors.NewInvalid(schema.GroupKind{}, "", {field.Invalid(patch, value, detail)}): no kind
    or name, one cause, so kubectl prints `The request is invalid: patch: Invalid value: …`."""

    reason, code = "Invalid", 422

    def __init__(self, value: str, detail: str):
        self.value, self.detail = value, detail
        super().__init__(self.render())

    def with_source(self, verb: str, source: str) -> "PatchInvalid":
        return self

    def render(self) -> str:
        return f"The request is invalid: patch: Invalid value: {_go_quote(self.value)}: {self.detail}"


def patch_body(text: str, flag_value: str) -> str:
    """apimachinery yaml.ToJSON as kubectl patch.go calls it: JSON-looking text is passed through
    untouched (the server reports its syntax errors), YAML is converted (errors are kubectl's)."""
    if text.lstrip(" \t\r\n\v\f").startswith("{"):
        return text
    from simulator.api import decode

    try:
        value = decode._yaml_chunk_to_json(text, "patch")  # noqa: SLF001 - YAMLToJSON of one document
    except decode._StreamError as stop:  # noqa: SLF001
        message = stop.error.render()
        for prefix in ("error: ", "error parsing patch: ", "error converting YAML to JSON: "):
            if message.startswith(prefix):
                message = message[len(prefix):]
        if "\n" not in text.strip("\n") and message.startswith("yaml: line 1: "):
            # go-yaml v2 parser.fail(): a problem on the first line (0-based line 0) is reported
            # without a line, scanner errors included (decode.py adds one; see the report)
            message = "yaml: " + message[len("yaml: line 1: "):]
        raise PatchParseError(f"unable to parse {_go_quote(flag_value)}: {message}") from None
    return go_json(value)


def go_unmarshal(text: str, prefix: str = "") -> Any:
    """encoding/json Unmarshal (sigs.k8s.io/json, ints preserved): the value, or BadRequest with
    Go's SyntaxError text (`invalid character 's' looking for beginning of object key string`,
    `unexpected end of JSON input`), behind `prefix`."""
    from simulator.api import decode

    ws = " \t\r\n"
    start = 0
    while start < len(text) and text[start] in ws:
        start += 1
    if start >= len(text):
        raise BadRequest(prefix + "unexpected end of JSON input")
    try:
        end = decode._scan_json_value(text, start, "patch")  # noqa: SLF001 - Go's scanner
    except decode._StreamError as stop:  # noqa: SLF001
        message = stop.error.render()
        message = message.split("error parsing patch: ", 1)[-1]
        if message == "unexpected EOF":
            message = "unexpected end of JSON input"
        else:
            message = message.split(": ", 2)[-1] if message.startswith("json: offset ") else message
        raise BadRequest(prefix + message) from None
    rest = end
    while rest < len(text) and text[rest] in ws:
        rest += 1
    if rest < len(text):
        raise BadRequest(f"{prefix}invalid character {decode._quote_char(text[rest])} after top-level value")  # noqa: SLF001
    return decode._normalise_json(json.loads(text[start:end]))  # noqa: SLF001


_GO_KINDS = {"map": "map", "slice": "slice", "bool": "bool", "string": "string"}


def _unstructured_kind(desc: str) -> str:
    """The reflect.Kind of a decoded JSON value from the json error's description of it."""
    word, _, number = desc.partition(" ")
    if word == "number":
        return "float64" if number and any(c in number for c in ".eE") else "int64"
    return {"object": "map", "array": "slice", "string": "string", "bool": "bool"}.get(word, word)


_TYPE_ERROR = re.compile(r"^json: cannot unmarshal (.+?) into Go struct field \S+ of type (\S+)$")
_SCALARS = {"string", "bool", "int32", "int64", "float64"}


def converter_error(message: str) -> str:
    """apimachinery runtime/converter.go fromUnstructured's words for the first type mismatch
    that encoding/json would report as `json: cannot unmarshal X into Go struct field … of type T`."""
    m = _TYPE_ERROR.match(message)
    if not m:
        return message
    src, dst = _unstructured_kind(m.group(1)), m.group(2)
    if dst.startswith("[]"):
        return f"cannot restore slice from {src}"
    if dst.startswith("map["):
        return f"cannot restore map from {src}"
    if dst in _SCALARS:
        # numbers convert between themselves (a fraction into an int does not); Go could convert
        # an int64 to a string, the converter refuses it; anything else is not convertible at all
        if (src == "float64" and dst in ("int32", "int64")) or (src == "int64" and dst == "string"):
            return f"cannot convert {src} to {dst}"
        return f"unrecognized type: {dst}"
    return f"cannot restore struct from: {src}"


_PATH_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def drop_unknown_fields(obj: dict, paths: list[str]) -> dict:
    """Remove the fields a strict decode reported as unknown (`spec.template.spec.containers[0].x`):
    the typed object the server converts to has nowhere to keep them."""
    out = copy.deepcopy(obj)
    for path in paths:
        tokens = [(int(i) if i else k) for i, k in _PATH_TOKEN.findall(path)]
        node: Any = out
        for tok in tokens[:-1]:
            if isinstance(tok, int) and isinstance(node, list) and tok < len(node):
                node = node[tok]
            elif isinstance(tok, str) and isinstance(node, dict) and tok in node:
                node = node[tok]
            else:
                node = None
                break
        if isinstance(node, dict) and tokens and isinstance(tokens[-1], str):
            node.pop(tokens[-1], None)
    return out


def _typed_result(merged: Any, shown: str, strict: bool = False) -> tuple[dict, list[str]]:
    """FromUnstructuredWithValidation / DecodeInto with the Warn (or Strict) directive."""
    from simulator.api.schema import strict_decode_error

    if not isinstance(merged, dict):
        raise PatchInvalid(shown, f"Object 'Kind' is missing in '{go_json(merged)}'")
    problem = strict_decode_error(merged)
    if problem is None:
        return merged, []
    if problem.startswith("strict decoding error: "):
        unknown = re.findall(r'unknown field "((?:[^"\\]|\\.)*)"', problem)
        if strict:
            raise PatchInvalid(shown, problem)
        return drop_unknown_fields(merged, unknown), [f'unknown field "{u}"' for u in unknown]
    raise PatchInvalid(shown, converter_error(problem))


def apply_patch_request(live: dict, patch_type: str, body: str, strict: bool = False) -> tuple[dict, list[str]]:
    """The object the API server would store for `PATCH` with `body` (JSON text) and the
    warnings it would send back. Raises the StatusError the server answers with. `strict` is
    fieldValidation=Strict (what kubectl edit sends): unknown fields are an Invalid error."""
    kind = live.get("kind")
    current = copy.deepcopy(live)
    if patch_type == "strategic":
        patch = go_unmarshal(body)
        if patch is None:
            patch = {}
        if not isinstance(patch, dict):
            raise BadRequest(f"json: cannot unmarshal {_json_kind(patch)} into Go value of type "
                             "map[string]interface {}")
        merged = strategic_merge_patch(current, patch, kind)
        # applyPatchToObject quotes the patch map with %+v
        return _typed_result(merged, _gofmt(patch), strict)
    if patch_type == "merge":
        patch = go_unmarshal(body, "error decoding patch: ")
        if patch is not None and not isinstance(patch, dict):
            raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(patch)} into Go "
                             "value of type map[string]interface {}")
        merged = json_merge_patch(current, patch or {})
        return _typed_result(merged, go_json(merged), strict)
    ops = go_unmarshal(body, "error decoding patch: ")
    if ops is None:
        ops = []
    if not isinstance(ops, list):
        raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(ops)} into Go value "
                         "of type []handlers.jsonPatchOp")
    for op in ops:
        if op is not None and not isinstance(op, dict):
            raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(op)} into Go value "
                             "of type handlers.jsonPatchOp")
        for field in ("op", "path", "from"):
            v = (op or {}).get(field)
            if v is not None and not isinstance(v, str):
                raise BadRequest(f"error decoding patch: json: cannot unmarshal {_json_kind(v)} into Go "
                                 f"struct field jsonPatchOp.{field} of type string")
    if len(ops) > 10000:
        raise StatusError("Request entity too large: The allowed maximum operations in a JSON patch is "
                          f"10000, got {len(ops)}", "RequestEntityTooLarge", 413)
    merged = json_patch(current, [op or {} for op in ops])
    return _typed_result(merged, go_json(merged), strict)
