"""Strategic merge patch: computing one from two or three versions of an object, as kubectl
`edit`/`apply` do (apimachinery pkg/util/strategicpatch/patch.go `diffMaps`, `diffLists`,
`diffListsOfMaps`, `diffListsOfScalars`, `CreateTwoWayMergePatch`, `CreateThreeWayMergePatch`)."""
from __future__ import annotations

import copy

from simulator.api.schema import PatchMeta, patch_meta
from simulator.patching.goish import gofmt, json_equal, kind_of
from simulator.patching.strategic import (
    DELETE_PRIMITIVE as _DELETE_PRIMITIVE, DIRECTIVE as _DIRECTIVE, RETAIN_KEYS as _RETAIN_KEYS,
    SET_ORDER as _SET_ORDER, _dedup, _elem_kind, _merge_map, _no_merge_key, _normalize_slice_order,
    lookup, split_strategy,
)


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


def _diff_maps(original: dict, modified: dict, node: PatchMeta | None, opts: _DiffOptions) -> dict:
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
        if kind_of(ov) != kind_of(mv):
            if not opts.ignore_changes:
                patch[key] = mv
            continue
        if isinstance(ov, dict):
            strategies, _, child = lookup(node, key)
            retain, strategy = split_strategy(strategies)
            if strategy == "replace":
                if not opts.ignore_changes:
                    patch[key] = mv
            else:
                sub = _diff_maps(ov, mv, child, opts.with_retain(retain))
                if sub:
                    patch[key] = sub
        elif isinstance(ov, list):
            strategies, merge_key, child = lookup(node, key)
            retain, strategy = split_strategy(strategies)
            if strategy == "merge":
                add, delete, order = _diff_lists(ov, mv, child, merge_key, opts.with_retain(retain))
                if add:
                    patch[key] = add
                if delete:
                    patch[_DELETE_PRIMITIVE + key] = delete
                if order:
                    patch[_SET_ORDER + key] = order
            elif not opts.ignore_changes and not json_equal(ov, mv):
                patch[key] = mv
        elif not opts.ignore_changes and not json_equal(ov, mv):
            patch[key] = mv
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    has_additional = any(v is not None and k not in modified for k, v in original.items())
    if retain_list and (patch or has_additional):
        patch[_RETAIN_KEYS] = sorted(retain_list, key=gofmt)
    return patch


def _diff_lists(original: list, modified: list, node: PatchMeta | None, merge_key: str,
                opts: _DiffOptions) -> tuple[list, list, list]:
    kind = _elem_kind(original, modified)
    if not kind:
        return [], [], []
    order: list = []
    if kind == "map":
        add, delete = _diff_lists_of_maps(original, modified, node, merge_key, opts)
        add = _normalize_slice_order(add, modified, merge_key, kind)
        order_same = [ gofmt(o.get(merge_key)) for o in original] == [gofmt(m.get(merge_key)) for m in modified]
        add = add + delete
        delete = []
        if opts.set_element_order and ((not opts.ignore_changes and (add or not order_same))
                                       or (not opts.ignore_deletions and add)):
            order = [{merge_key: m.get(merge_key)} for m in modified]
    else:
        add, delete = _diff_lists_of_scalars(original, modified, opts)
        add = _normalize_slice_order(add, modified, merge_key, kind)
        if opts.set_element_order and ((not opts.ignore_deletions and delete)
                                       or (not opts.ignore_changes and not json_equal(original, modified))):
            order = list(modified)
    return add, delete, order


def _diff_lists_of_maps(original: list, modified: list, node: PatchMeta | None, merge_key: str,
                        opts: _DiffOptions) -> tuple[list, list]:
    for m in original + modified:
        if merge_key not in m:
            raise _no_merge_key(m, merge_key)
    osorted = sorted(original, key=lambda m: gofmt(m[merge_key]))
    msorted = sorted(modified, key=lambda m: gofmt(m[merge_key]))
    patch, deletions = [], []
    i = j = 0
    while i < len(osorted) or j < len(msorted):
        ok, mk = i < len(osorted), j < len(msorted)
        os_ = gofmt(osorted[i][merge_key]) if ok else ""
        ms_ = gofmt(msorted[j][merge_key]) if mk else ""
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
    osorted = sorted(original, key=gofmt)
    msorted = sorted(modified, key=gofmt)
    add, deletions = [], []
    i = j = 0
    while i < len(osorted) or j < len(msorted):
        ok, mk = i < len(osorted), j < len(msorted)
        os_ = gofmt(osorted[i]) if ok else ""
        ms_ = gofmt(msorted[j]) if mk else ""
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
    return _diff_maps(copy.deepcopy(original), copy.deepcopy(modified), patch_meta(kind),
                      _DiffOptions(set_element_order=True))


def three_way_merge(original: dict | None, modified: dict, current: dict, kind: str | None) -> dict:
    """strategicpatch.CreateThreeWayMergePatch(original, modified, current, overwrite=true):
    the changes from current to modified (additions and changes only) plus the deletions from
    original (last-applied) to modified. `kubectl apply` sends exactly this patch."""
    node = patch_meta(kind)
    original = copy.deepcopy(original) if isinstance(original, dict) else {}
    modified, current = copy.deepcopy(modified), copy.deepcopy(current)
    delta = _diff_maps(current, modified, node, _DiffOptions(ignore_deletions=True, set_element_order=True))
    deletions = _diff_maps(original, modified, node, _DiffOptions(ignore_changes=True, set_element_order=True))
    return _merge_map(deletions, delta, node, False, False)
