"""The ONE place this package imports the API server's PATCH handling from (strategic merge,
JSON merge, JSON patch, the typed result and its warnings: simulator/api/patch_handler.py)."""
from ..api.patch_handler import apply_patch_request, drop_unknown_fields, go_unmarshal  # noqa: F401

PATCH_TYPES = {
    "application/strategic-merge-patch+json": "strategic",
    "application/merge-patch+json": "merge",
    "application/json-patch+json": "json",
}
APPLY_PATCH = "application/apply-patch+yaml"
