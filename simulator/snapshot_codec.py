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
import hashlib
import json
import operator
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
    return _whole(_dumps(state))


def _whole(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw, COMPRESSION_LEVEL)).decode("ascii")


def copy_json(value):
    """A deep copy of JSON-compatible data (through its JSON bytes: faster than copy.deepcopy)."""
    with gcpause.paused():
        return _loads(_dumps(value))


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
# store.py). So the encoder keeps the deflate bytes of each run of objects ("chunk") with the
# objects it holds, and encodes and compresses again only the chunks where an object changed; the
# other values of the state (kubelet memory, timeline, event index, files…) are pieces compressed
# again only when their JSON differs (by a BLAKE2b digest) from the last snapshot's. The result is
# still one zlib stream of the same JSON bytes that encode() writes, so decode() reads both: each
# piece is compressed on its own (a full flush ends it, so it refers to nothing before it), the
# pieces are concatenated between a zlib header and the Adler-32 of the whole, combined from the
# pieces'. A chunk ends after an object whose name's last two characters say so (_ends_no_chunk),
# so one new object changes one chunk, not all after it. Memory: the compressed snapshot and a pointer per object, no JSON text (a web process keeps
# hundreds of clusters).

# 1 in ~43 of the two-character endings of hex (events) and of the name generator's alphabet
# (pods) ends a chunk: chunks of ~30 KB of JSON, within deflate's 32 KB window
_CHUNK_PRIME = 47
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


_FINAL_BLOCK = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


_JSON_KEYS: dict[str, bytes] = {}  # the state's few dozen keys, written once per process


def _json_key(key: str) -> bytes:
    done = _JSON_KEYS.get(key)
    if done is None:
        done = _dumps_strict(key) + b":"
        if len(_JSON_KEYS) < 256:  # bounded, should a state ever carry other keys
            _JSON_KEYS[key] = done
    return done


class Encoder:
    """encode(state) for one cluster's successive snapshots, reusing what did not change.
    `state` is Cluster.snapshot's dict; its state["engine"]["store"]["objects"] are stored objects
    (immutable)."""

    # A lesson's cluster as its set-up leaves it (~8 KB of JSON) is encoded whole in ~0.1 ms:
    # there kept pieces (~7 KB per live cluster, several hundred live at once in a web process
    # while new learners arrive) would buy nothing, and one zlib stream compresses ~20 % better
    # than pieces that each end in a flush. A state whose JSON is this long or longer (events,
    # history, more pods: ~0.6 ms to encode whole at ~100 KB) is encoded incrementally. Which of
    # the two depends on the state alone, never on the encoder's past: equal states give equal
    # bytes (a restored cluster's snapshot is the original's; tests compare them).
    INCREMENTAL_FROM_BYTES = 32 * 1024

    def __init__(self):
        # id of a chunk's first object -> (its objects, leading comma?, closed?, deflate, adler,
        # length); closed: the chunk ended because its last object ends one (_ends_no_chunk), not
        # because the list did
        self._chunks: dict[int, tuple[tuple, bool, bool, bytes, int, int]] = {}
        self._pieces: dict[bytes, tuple[bytes, int, int]] = {}  # JSON digest -> (deflate, adler, length)
        self._compressor = None
        self._incremental = False

    def encode(self, state: dict) -> str:
        if orjson is None:
            return encode(state)
        if not self._incremental:
            raw = _dumps(state)
            if len(raw) < self.INCREMENTAL_FROM_BYTES:
                return _whole(raw)
            self._incremental = True  # grown: this state and the next in pieces
        self._compressor = None
        try:
            pieces = self._all_pieces(state)
        except TypeError:  # a value orjson cannot write: the standard library's encoder
            return encode(state)
        finally:
            # a deflate compressor holds ~270 KB (its window and hash tables): kept between
            # snapshots it was most of a live cluster's memory (a web process keeps hundreds)
            self._compressor = None
        if sum(length for _deflate, _adler, length in pieces) < self.INCREMENTAL_FROM_BYTES:
            # shrunk below (pods and events gone): whole again, as a fresh encoder writes it
            self._incremental, self._chunks, self._pieces = False, {}, {}
            return encode(state)
        out = [_ZLIB_HEADER]
        adler = 1
        for compressed, piece_adler, piece_len in pieces:
            out.append(compressed)
            adler = adler32_combine(adler, piece_adler, piece_len)
        out.append(_FINAL_BLOCK)
        out.append(adler.to_bytes(4, "big"))
        return base64.b64encode(b"".join(out)).decode("ascii")

    def _fresh(self, raw: bytes) -> tuple[bytes, int, int]:
        """A piece compressed: one compressor per snapshot (making one costs more than a small
        piece), each piece ended by a full flush, which makes it refer to nothing before it."""
        if self._compressor is None:
            self._compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, -15)
        c = self._compressor
        return c.compress(raw) + c.flush(zlib.Z_FULL_FLUSH), zlib.adler32(raw), len(raw)

    def _all_pieces(self, state: dict) -> list[tuple[bytes, int, int]]:
        """The JSON of `state` as compressed pieces: each value beside the stored objects is a
        piece of its own; the stored objects are chunks (_object_chunks)."""
        engine = state["engine"]
        store = engine["store"]
        if set(store) != {"objects", "rv"}:
            raise TypeError("unexpected store data")
        old, self._pieces = self._pieces, {}

        def piece(raw: bytes) -> tuple[bytes, int, int]:
            digest = hashlib.blake2b(raw, digest_size=16).digest()
            done = old.get(digest) or self._pieces.get(digest)
            if done is None:
                done = self._fresh(raw)
            self._pieces[digest] = done
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
        old, chunks = self._chunks, {}
        out = []
        start = 0
        n = len(objects)
        while start < n:
            entry = self._kept_chunk(old.get(id(objects[start])), objects, start)
            if entry is None:
                entry = self._new_chunk(objects, start)
            chunks[id(objects[start])] = entry
            out.append(entry[3:])
            start += len(entry[0])
        self._chunks = chunks
        return out

    @staticmethod
    def _kept_chunk(entry, objects: list, start: int):
        """The last snapshot's chunk `entry` if it is again the chunk starting at `start`: the
        same objects (the entry holds them, so one found by identity is that one) and the same
        end. Its objects but the last end no chunk (or it would have ended sooner), so their
        names need no reading again (~30 objects per snapshot in a lesson); a chunk the list's
        end closed is kept only where the list still ends."""
        if entry is None or entry[1] != (start > 0):
            return None
        members = entry[0]
        stop = start + len(members)
        if stop > len(objects) or not (entry[2] or stop == len(objects)):
            return None
        if not all(map(operator.is_, members, objects[start:stop])):
            return None
        return entry

    def _new_chunk(self, objects: list, start: int):
        """The chunk starting at `start`, compressed: up to the first object that ends a chunk,
        or to the list's end."""
        n = len(objects)
        stop, closed = n, False
        for i in range(start, n - 1):
            if not _ends_no_chunk(objects[i]):
                stop, closed = i + 1, True
                break
        members = tuple(objects[start:stop])
        leading = start > 0
        raw = (b"," if leading else b"") + b",".join([_dumps_strict(o) for o in members])
        return (members, leading, closed, *self._fresh(raw))


def _ends_no_chunk(obj: dict) -> int:
    """Nonzero unless a chunk ends after `obj`: from the last two characters of its name, the
    random part of generated names (pods `kubia-…-x7k2q`, events `kubia.1886…f27`), so about one
    object in 43 ends a chunk, the same in every process (str's own hash is salted per process)."""
    name = (obj.get("metadata") or {}).get("name") or "  "
    return (ord(name[-2 if len(name) > 1 else -1]) * 7 + ord(name[-1]) * 3) % _CHUNK_PRIME


def _dumps_strict(value) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as err:
        raise TypeError(str(err)) from None



