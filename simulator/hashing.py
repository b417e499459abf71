"""pod-template-hash: ComputeHash (pkg/controller/controller_utils.go) and SafeEncodeString.

Upstream hashes a Go-specific deep dump of the PodTemplateSpec, which cannot be reproduced
outside Go; we hash a canonical JSON dump instead. What is kept exactly: FNV-1a 32-bit, the
collisionCount appended as 8 little-endian bytes, and apimachinery rand.SafeEncodeString of the
decimal value (so hashes use only `456789bcdf` and are 9-10 characters long, like real ones).
Same template ⇒ same hash; any template change ⇒ a different hash; replicas play no part.
"""
from __future__ import annotations

import json

_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # apimachinery pkg/util/rand/rand.go


def fnv1a_32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_encode_string(s: str) -> str:
    return "".join(_ALPHANUMS[ord(ch) % len(_ALPHANUMS)] for ch in s)


def compute_hash(template: dict, collision_count: int | None = None) -> str:
    payload = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        payload += int(collision_count).to_bytes(8, "little", signed=False)
    return safe_encode_string(str(fnv1a_32(payload)))
