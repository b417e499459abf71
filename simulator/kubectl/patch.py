"""Compatibility names for code written before the patch split (issue 12); new code imports from
the homes below, and this module goes once nothing imports it.

- simulator/patching/: the pure algorithms (jsonmerge, jsonpatch, strategic, strategic_diff, goish);
- simulator/api/patch_handler.py: the API server's PATCH handling (apply_patch_request);
- simulator/api/schema.py PATCH_TAGS: the patchStrategy/patchMergeKey tags;
- simulator/kubectl/last_applied.py and patch_body.py: what kubectl itself does.
"""
from __future__ import annotations

from simulator.api.errors import JSONPatchError, ServerError  # noqa: F401
from simulator.api.patch_handler import (  # noqa: F401
    PatchInvalid, apply_patch_request, converter_error, drop_unknown_fields, go_unmarshal,
)
from simulator.kubectl.last_applied import (  # noqa: F401
    LAST_APPLIED, apply_patch_is_empty, last_applied, last_applied_value, modified_configuration,
    set_last_applied,
)
from simulator.kubectl.patch_body import PatchParseError, patch_body  # noqa: F401
from simulator.patching.goish import go_json  # noqa: F401
from simulator.patching.jsonmerge import json_merge_patch  # noqa: F401
from simulator.patching.jsonpatch import json_patch  # noqa: F401
from simulator.patching.strategic import strategic_merge_patch  # noqa: F401
from simulator.patching.strategic_diff import three_way_merge, two_way_merge_patch  # noqa: F401
