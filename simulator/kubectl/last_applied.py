"""The last-applied-configuration annotation kubectl apply/create --save-config/replace
--save-config keep on an object (kubectl pkg/util/apply.go, pkg/cmd/apply/apply.go)."""
from __future__ import annotations

import copy
import json

from simulator.patching.goish import go_json

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def apply_patch_is_empty(patch: dict) -> bool:
    """kubectl apply: `if string(patch) == "{}"` the object is `unchanged`."""
    return patch == {}


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
