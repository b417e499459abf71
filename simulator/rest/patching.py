"""The ONE place this package imports the patch algorithms from (the API server's PATCH
handling: strategic merge, JSON merge, JSON patch, the typed result and its warnings).
After the patch module is split, re-point this import and nothing else."""
from ..kubectl.patch import SCHEMAS as PATCH_SCHEMAS  # noqa: F401 - list merge strategies (OpenAPI)
from ..kubectl.patch import apply_patch_request, drop_unknown_fields, go_unmarshal  # noqa: F401

PATCH_TYPES = {
    "application/strategic-merge-patch+json": "strategic",
    "application/merge-patch+json": "merge",
    "application/json-patch+json": "json",
}
APPLY_PATCH = "application/apply-patch+yaml"
