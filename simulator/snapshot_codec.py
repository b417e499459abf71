"""Bytes of a cluster snapshot: sorted-key compact JSON, zlib-compressed, base64 for JSON columns.

Saving is on every command's path in the web console (a snapshot per command, and one every few
seconds while a rollout runs), so the encoder matters: orjson writes the same bytes as
`json.dumps(sort_keys=True, separators=(",", ":"))` about ten times faster, and zlib level 1
compresses about five times faster than level 6 for a snapshot only ~10 % larger. orjson is
optional (the simulator's own tests need nothing beyond PyYAML); values it cannot write
(integers beyond 64 bits, non-string keys) fall back to the standard library.
"""

from __future__ import annotations

import base64
import json
import zlib

from . import gcpause

try:
    import orjson
except ImportError:  # pragma: no cover - the site installs it (requirements.txt)
    orjson = None

COMPRESSION_LEVEL = 1


def _dumps(state) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(state, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # orjson.JSONEncodeError: a huge integer or a non-string key
            pass
    return json.dumps(state, separators=(",", ":"), sort_keys=True).encode()


def _loads(raw: bytes):
    if orjson is not None:
        try:
            return orjson.loads(raw)
        except ValueError:  # orjson.JSONDecodeError: e.g. an integer beyond 64 bits
            pass
    return json.loads(raw)


def encode(state) -> str:
    return base64.b64encode(zlib.compress(_dumps(state), COMPRESSION_LEVEL)).decode("ascii")


def decode(data: str):
    raw = zlib.decompress(base64.b64decode(data))
    # Parsing builds hundreds of thousands of dicts and lists at once (a 1,000-pod snapshot), and
    # every few hundred of them the cyclic garbage collector would walk the ever larger heap:
    # that was two thirds of a restore. Parsed JSON cannot hold reference cycles (gcpause.py).
    with gcpause.paused():
        return _loads(raw)
