"""RFC 7386 JSON merge patch (`kubectl patch --type merge`; apiserver handlers/patch.go
jsonPatcher with types.MergePatchType, evanphx/json-patch MergePatch)."""
from __future__ import annotations

import copy
from typing import Any


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
