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


# ---- incremental encoding ---------------------------------------------------------------------
# A snapshot is taken after every command and every few seconds while the clock runs, but between
# two snapshots most stored objects are the same objects (the store never changes one in place:
# store.py). So the encoder keeps, per stored object, its JSON bytes, and per run of objects
# ("chunk") its deflate bytes, and only encodes and compresses what changed. The result is still
# one zlib stream of the same JSON bytes that encode() writes, so decode() reads both: each chunk
# is compressed on its own (a full flush ends it, so it refers to nothing before it), the chunks
# are concatenated between a zlib header and the Adler-32 of the whole, combined from the chunks'.
# Chunk boundaries depend on the objects' keys only (after a key whose CRC-32 is 0 mod 32, or
# past 64 KB), so one new object changes one chunk, not all after it.

_CHUNK_EVERY = 32
_CHUNK_BYTES = 64 * 1024
_ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, level 1 (what zlib.compress(..., 1) writes)
_ADLER_BASE = 65521


def adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """The Adler-32 of A + B from those of A and B and B's length (zlib's adler32_combine)."""
    rem = len2 % _ADLER_BASE
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (adler2 & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + _ADLER_BASE - rem
    sum1 %= _ADLER_BASE
    sum2 %= _ADLER_BASE
    return sum1 | (sum2 << 16)


def _deflate(data: bytes) -> bytes:
    """Raw deflate of `data` ending on a full flush: decodable after any other such piece."""
    c = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


_FINAL_BLOCK = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


def _json_key(key: str) -> bytes:
    return _dumps_strict(key) + b":"


class Encoder:
    """encode(state) for one cluster's successive snapshots, reusing what did not change.
    `state` is Cluster.snapshot's dict; its state["engine"]["store"]["objects"] are stored objects
    (immutable), the rest is encoded afresh each time (small next to the objects)."""

    def __init__(self):
        self._objects: dict[int, tuple[dict, bytes, bool]] = {}  # id -> (object, JSON, ends a chunk)
        self._chunks: dict[tuple, tuple[bytes, int, int]] = {}    # ids -> (deflate, adler, length)
        self._raw_pieces: dict[bytes, tuple[bytes, int, int]] = {}  # JSON -> (deflate, adler, length)

    def encode(self, state: dict) -> str:
        if orjson is None:
            return encode(state)
        try:
            pieces = self._pieces(state)
        except TypeError:  # a value orjson cannot write: the standard library's encoder
            return encode(state)
        out = [_ZLIB_HEADER]
        adler, length = 1, 0
        for compressed, piece_adler, piece_len in pieces:
            out.append(compressed)
            adler = adler32_combine(adler, piece_adler, piece_len)
            length += piece_len
        out.append(_FINAL_BLOCK)
        out.append(adler.to_bytes(4, "big"))
        return base64.b64encode(b"".join(out)).decode("ascii")

    def _pieces(self, state: dict) -> list[tuple[bytes, int, int]]:
        """The JSON of `state` as compressed pieces: each value beside the stored objects (the
        kubelet's memory, the timeline, the event index, files, history...) is a piece of its own,
        compressed again only when its bytes differ from the last snapshot's; then the chunks of
        objects (_object_chunks)."""
        engine = state["engine"]
        store = engine["store"]
        if set(store) != {"objects", "rv"}:
            raise TypeError("unexpected store data")
        old, self._raw_pieces = self._raw_pieces, {}

        def piece(raw: bytes) -> tuple[bytes, int, int]:
            done = old.get(raw) or self._raw_pieces.get(raw)
            if done is None:
                done = _fresh(raw)
            self._raw_pieces[raw] = done
            return done

        # {"engine":{…,"store":{"objects":[ <chunks> ],"rv":N},…},"files":…,…}; a comma starts
        # every piece but the first of its object
        top = sorted(state)
        before = [b"{"]
        first = True
        for key in top:
            if key == "engine":
                break
            before.append((b"" if first else b",") + _json_key(key) + _dumps_strict(state[key]))
            first = False
        keys = sorted(engine)
        out = [piece(b"".join(before) + (b"" if first else b",") + b'"engine":{')]
        first = True
        for key in keys:
            if key == "store":
                break
            out.append(piece((b"" if first else b",") + _json_key(key) + _dumps_strict(engine[key])))
            first = False
        out.append(piece((b"" if first else b",") + b'"store":{"objects":['))
        out.extend(self._object_chunks(store["objects"]))
        out.append(piece(b'],"rv":' + _dumps_strict(store["rv"]) + b"}"))
        for key in keys[keys.index("store") + 1:]:
            out.append(piece(b"," + _json_key(key) + _dumps_strict(engine[key])))
        tail = [b"}"]
        for key in top[top.index("engine") + 1:]:
            tail.append(b"," + _json_key(key) + _dumps_strict(state[key]))
        out.append(piece(b"".join(tail) + b"}"))
        return out

    def _object_chunks(self, objects: list) -> list[tuple[bytes, int, int]]:
        old_objects, old_chunks = self._objects, self._chunks
        cache: dict[int, tuple[dict, bytes, bool]] = {}
        chunks: dict[tuple, tuple[bytes, int, int]] = {}
        out = []
        ids: list[int] = []
        parts: list[bytes] = []
        size = 0
        first = True

        def close():
            nonlocal ids, parts, size, first
            key = (first, *ids)
            done = old_chunks.get(key) or chunks.get(key)
            if done is None:
                raw = (b"" if first else b",") + b",".join(parts)
                done = (_deflate(raw), zlib.adler32(raw), len(raw))
            chunks[key] = done
            out.append(done)
            ids, parts, size, first = [], [], 0, False

        for obj in objects:
            entry = old_objects.get(id(obj))
            if entry is None or entry[0] is not obj:
                meta = obj.get("metadata") or {}
                name = f'{obj.get("kind")}/{meta.get("namespace") or ""}/{meta.get("name") or ""}'
                entry = (obj, _dumps_strict(obj), zlib.crc32(name.encode("utf-8", "surrogatepass")) % _CHUNK_EVERY == 0)
            cache[id(obj)] = entry
            ids.append(id(obj))
            parts.append(entry[1])
            size += len(entry[1])
            if entry[2] or size >= _CHUNK_BYTES:
                close()
        if parts:
            close()
        # only what this snapshot holds is kept; the old entries kept the old objects alive
        # until now, so no id above can belong to a freed object
        self._objects, self._chunks = cache, chunks
        return out


def _dumps_strict(value) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as err:
        raise TypeError(str(err)) from None


def _fresh(raw: bytes) -> tuple[bytes, int, int]:
    return _deflate(raw), zlib.adler32(raw), len(raw)
