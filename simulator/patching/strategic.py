"""Strategic merge patch: applying one to an object (apimachinery pkg/util/strategicpatch/patch.go
`mergeMap`, `mergeSlice`, `mergeSliceWithSpecialElements`, `normalizeElementOrder`/`mergeSortedSlice`,
`mergePatchIntoOriginal` for `$setElementOrder`, `applyRetainKeysDirective`, and
`preprocessDeletionListForMerging` for `$deleteFromPrimitiveList`).

The directives a patch may carry:
- `$patch: replace` in a map replaces the whole map; in a list of maps, the whole list;
- `$patch: delete` in a map deletes it; in a list element, deletes the element with that merge key;
- `$retainKeys: [...]` keeps only the listed keys of the map (fields tagged retainKeys);
- `$deleteFromPrimitiveList/<field>: [...]` removes those scalars from a merged scalar list;
- `$setElementOrder/<field>: [...]` gives the order of the merged list.
Which lists merge and on which key comes from the `patchStrategy`/`patchMergeKey` tags in
simulator/api/schema.py (PATCH_TAGS). All functions take and return plain dicts; inputs are never
mutated.
"""
from __future__ import annotations

import copy
from typing import Any

from simulator.api.errors import BadRequest, ServerError
from simulator.api.schema import PatchMeta, patch_meta
from simulator.patching.goish import go_map_repr, gofmt, json_equal, json_kind, kind_of

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ORDER = "$setElementOrder/"
DELETE_PRIMITIVE = "$deleteFromPrimitiveList/"
_DIRECTIVE, _RETAIN_KEYS, _SET_ORDER, _DELETE_PRIMITIVE = DIRECTIVE, RETAIN_KEYS, SET_ORDER, DELETE_PRIMITIVE


def lookup(node: PatchMeta | None, field: str) -> tuple[tuple[str, ...], str, PatchMeta | None]:
    """A field's (strategies, merge key, child metadata); untagged or unknown fields: lists are
    replaced, maps are merged."""
    return node.lookup(field) if node is not None else ((), "", None)


def split_strategy(strategies: tuple[str, ...]) -> tuple[bool, str]:
    """extractRetainKeysPatchStrategy: (retainKeys?, the other strategy)."""
    retain = "retainKeys" in strategies
    rest = [s for s in strategies if s != "retainKeys"]
    return retain, (rest[0] if rest else "")


def strategic_merge_patch(target: dict, patch: dict, kind: str | None) -> dict:
    """Apply a strategic merge patch to an object (StrategicMergeMapPatch: MergeParallelList and
    IgnoreUnmatchedNulls both on)."""
    if not isinstance(patch, dict):
        raise BadRequest(f"json: cannot unmarshal {json_kind(patch)} into Go value of type map[string]interface {{}}")
    if not isinstance(target, dict):
        target = {}
    try:
        return _merge_map(copy.deepcopy(target), copy.deepcopy(patch), patch_meta(kind), True, True)
    except RecursionError:
        raise BadRequest("patch is too deeply nested") from None


def _bad_patch_type(t: Any, m: dict) -> ServerError:
    return ServerError(f"unknown patch type: {gofmt(t)} in map: {go_map_repr(m)}")


def _merge_map(original: Any, patch: dict, node: PatchMeta | None, parallel: bool, ignore_nulls: bool) -> dict:
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
        if kind_of(ov) != kind_of(pv):
            if not is_delete_list:
                original[k] = _fresh_value(pv, k, node, parallel, ignore_nulls)
            continue
        strategies, merge_key, child = lookup(node, k)
        _, strategy = split_strategy(strategies)
        if isinstance(ov, dict):
            original[k] = pv if strategy == "replace" else _merge_map(ov, pv, child, parallel, ignore_nulls)
        elif isinstance(ov, list):
            # mergeSliceHandler: "Delete lists are handled the same way regardless of what the
            # field's patch strategy is"
            original[k] = (_merge_slice(ov, pv, child, merge_key, parallel, ignore_nulls, is_delete_list)
                           if strategy == "merge" or is_delete_list else pv)
        else:
            original[k] = pv
    return original


def _fresh_value(pv: Any, k: str, node: PatchMeta | None, parallel: bool, ignore_nulls: bool) -> Any:
    """A patch value for a key the object does not have yet. Upstream copies it verbatim
    (after dropping nulls); when patching an object we also resolve the directives inside it
    so that none of them ends up stored in the object."""
    if not parallel:
        return pv
    if isinstance(pv, dict):
        return _merge_map({}, pv, lookup(node, k)[2], parallel, ignore_nulls)
    if isinstance(pv, list):
        strategies, merge_key, child = lookup(node, k)
        if split_strategy(strategies)[1] == "merge" and pv:
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
            raise ServerError(f"{gofmt(original[_RETAIN_KEYS])} and {gofmt(keys)} are not deep equal: "
                              "this may happen when calculating the 3-way diff patch")
        original[_RETAIN_KEYS] = keys
        return
    if not isinstance(keys, list) or not all(isinstance(x, str) for x in keys):
        raise BadRequest("invalid patch: the $retainKeys directive must be a list of strings"
                         if isinstance(keys, list) else "invalid patch: the $retainKeys directive must be a list")
    for k in list(original):
        if k not in keys:
            del original[k]


def _merge_set_element_order(original: dict, patch: dict, node: PatchMeta | None, parallel: bool) -> None:
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
        strategies, merge_key, child = lookup(node, okey)
        _, strategy = split_strategy(strategies)
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
    kinds = {kind_of(x) for lst in lists for x in lst}
    if not kinds:
        return ""
    if len(kinds) > 1:
        raise ServerError("mismatched types in slices")
    kind = kinds.pop()
    if kind == "slice":
        raise BadRequest("lists of lists are not supported")
    return kind


def _merge_slice(original: list, patch: list, node: PatchMeta | None, merge_key: str, parallel: bool,
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
        and json_equal(a[merge_key], b[merge_key])


def _dedup(items: list) -> list:
    out: list = []
    for x in items:
        if not any(json_equal(x, y) for y in out):
            out.append(x)
    return out


def _no_merge_key(m: dict, key: str) -> ServerError:
    return ServerError(f"map: {go_map_repr(m)} does not contain declared merge key: {key}")


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
                                                    and json_equal(o[merge_key], v[merge_key]))]
        elif d == "replace":
            replace = True
        elif d == "merge":
            raise ServerError("merging lists cannot yet be specified in the patch")
        else:
            raise _bad_patch_type(d, v)
    if replace:
        return plain, []
    return original, plain


def _merge_slice_plain(original: list, patch: list, merge_key: str, node: PatchMeta | None,
                       parallel: bool, ignore_nulls: bool) -> list:
    original = list(original)
    for v in patch:
        if merge_key not in v:
            raise _no_merge_key(v, merge_key)
        for i, o in enumerate(original):
            if isinstance(o, dict) and merge_key in o and json_equal(o[merge_key], v[merge_key]):
                original[i] = _merge_map(o, v, node, parallel, ignore_nulls)
                break
        else:
            original.append(_merge_map({}, v, node, parallel, ignore_nulls) if parallel else v)
    return original


def _index_in(lst: list, item: Any, merge_key: str, kind: str) -> int:
    for i, v in enumerate(lst):
        if kind == "map":
            if isinstance(v, dict) and isinstance(item, dict) and merge_key in v and merge_key in item \
                    and json_equal(v[merge_key], item[merge_key]):
                return i
        elif json_equal(v, item):
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
