"""Helpers for the command tests (patch, edit, apply)."""
from __future__ import annotations

import base64
import json
import zlib

from simulator import Cluster


def cluster_state(c: Cluster) -> dict:
    """c.snapshot() decoded, without the command history (every command, failed or not, is logged
    there): what a failed command must leave exactly as it was."""
    snap = c.snapshot()
    state = json.loads(zlib.decompress(base64.b64decode(snap["data"])))
    state.pop("history", None)
    return {"now": snap["now"], **state}
