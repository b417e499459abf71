"""The console's one-time note about an image Rollout Lab runs as a generic container
(simulator/images.py classify): the API server records the first write that uses such an image,
kubectl prints the note after the command (simulator/kubectl/dispatch.py)."""
from __future__ import annotations

from . import images


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec") or {}
    if obj.get("kind") != "Pod":
        spec = ((spec.get("template") or {}).get("spec")) or {}
    return [c for key in ("initContainers", "containers") for c in (spec.get(key) or ()) if isinstance(c, dict)]


def note_images(eng, obj: dict) -> None:
    seen = eng.__dict__.setdefault("_generic_images_noted", set())
    for c in _containers(obj):
        ref = c.get("image")
        if isinstance(ref, str) and ref not in seen and images.classify(ref) == "generic":
            seen.add(ref)
            eng.__dict__.setdefault("_pending_notices", []).append(images.notice_for_unknown(ref))


def take(eng) -> list[str]:
    return eng.__dict__.pop("_pending_notices", None) or []
