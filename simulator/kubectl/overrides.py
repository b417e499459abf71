"""`--overrides` / `--override-type` of `kubectl run` and `kubectl expose` (kubectl
pkg/cmd/util/override_options.go Overrider.Apply, helpers.go Merge/StrategicMerge/JSONPatch): the
generated object is encoded, patched with the inline JSON (merge by default) and decoded back into
the typed object, which keeps only the fields the type has."""
from __future__ import annotations

import json

from ..api.errors import CLIError, StatusError
from ..api.field_validation import IGNORE, decode_body
from ..patching.jsonmerge import json_merge_patch
from ..patching.jsonpatch import json_patch
from ..patching.strategic import strategic_merge_patch

TYPES = ("json", "merge", "strategic")


def apply_overrides(obj: dict, inv) -> dict:
    text = inv.flags.get("overrides") or ""
    if not text:
        return obj
    kind = inv.flags.get("override-type") or "merge"
    if kind not in TYPES:
        raise CLIError(f"invalid override type: {kind}")
    try:
        patch = json.loads(text)
    except ValueError:
        # evanphx/json-patch: a syntax error in the patch document
        raise CLIError("Invalid JSON Patch" if kind == "merge" else
                       "invalid character in the override: it must be a JSON document") from None
    try:
        if kind == "merge":
            if not isinstance(patch, dict):
                raise CLIError("couldn't get version/kind; json parse error: json: cannot unmarshal "
                               f"{'array' if isinstance(patch, list) else 'value'} into Go value of type "
                               "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
                               "\"json:\\\"kind,omitempty\\\"\" }")
            out = json_merge_patch(obj, patch)
        elif kind == "strategic":
            if not isinstance(patch, dict):
                raise CLIError("json: cannot unmarshal array into Go value of type map[string]interface {}")
            out = strategic_merge_patch(obj, patch, obj.get("kind"))
        else:
            out = json_patch(obj, patch)
    except StatusError as err:
        raise CLIError(getattr(err, "detail", None) or err.message) from None
    if not isinstance(out, dict) or not out.get("apiVersion") or not out.get("kind"):
        raise CLIError("Object 'Kind' is missing in the override result")
    kept, _ = decode_body(out, IGNORE)
    return kept
