"""Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`), which typed clients
send: `kubectl create deployment|service|namespace|configmap|secret` among them. The envelope is the 4 magic bytes
`k8s\\0` and a runtime.Unknown {typeMeta, raw} (apimachinery runtime/serializer/protobuf); `raw` is
the object in the generated messages (proto_schema.py). The result is the object as its JSON would
be: gogo-protobuf writes non-pointer fields even when empty, so empty strings, false, empty
messages and zero numbers are dropped (JSON omitempty), except the pointer fields where a zero is
a value (replicas…)."""
from __future__ import annotations

from ..api.errors import BadRequest
from .proto_schema import MESSAGES

MAGIC = b"k8s\x00"
MAX_DEPTH = 40
# *int32/*int64 fields of the types above whose zero is meaningful (kubectl create … --replicas=0)
_ZERO_KEPT = {"replicas", "revisionHistoryLimit", "progressDeadlineSeconds", "terminationGracePeriodSeconds",
              "activeDeadlineSeconds", "deletionGracePeriodSeconds", "containerPort", "port"}
# Unknown/typed-message entry points by kind
ROOTS = {"Deployment": "Deployment", "Service": "Service", "Namespace": "Namespace", "ConfigMap": "ConfigMap",
         "Secret": "Secret"}


class ProtobufError(BadRequest):
    pass


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf) or shift > 63:
            raise ProtobufError("the protobuf body is truncated or malformed")
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(buf: bytes):
    if not isinstance(buf, (bytes, bytearray)):  # a scalar where a message belongs
        raise ProtobufError("the protobuf body is malformed")
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 2:
            size, i = _varint(buf, i)
            if i + size > len(buf):
                raise ProtobufError("the protobuf body is truncated or malformed")
            value, i = buf[i:i + size], i + size
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ProtobufError("the protobuf body is truncated or malformed")
        yield num, wire, value


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _scalar(code: str, wire: int, value):
    if code == "s":
        if wire != 2:
            raise ProtobufError("the protobuf body is malformed")
        return value.decode("utf-8", "replace")
    if code == "i":
        return _signed(value) if wire == 0 else 0
    if code == "b":
        return bool(value) if wire == 0 else False
    if code == "y":  # []byte: base64 in the JSON form (ConfigMap binaryData, Secret data)
        import base64

        return base64.b64encode(value).decode("ascii") if wire == 2 else ""
    return None  # doubles: not in the objects these clients build


def decode_message(name: str, buf: bytes, depth: int = 0):
    if depth > MAX_DEPTH:
        raise ProtobufError("the protobuf body nests too deeply")
    schema = MESSAGES.get(name)
    if schema is None:
        return None
    out: dict = {}
    for num, wire, value in _fields(buf):
        spec = schema.get(num)
        if spec is None:
            continue
        field, code = spec
        repeated = code.startswith("r")
        code = code[1:] if repeated else code
        if code.startswith("map:"):
            entry = {1: "", 2: None}
            for n, w, v in _fields(value if wire == 2 else b""):
                if n == 1 and not isinstance(v, bytes):
                    raise ProtobufError("the protobuf body is malformed")
                entry[n] = (v.decode("utf-8", "replace") if n == 1 else
                            (_message(code[6:], v, depth) if code.startswith("map:m:") else _scalar(code[4:], w, v)))
            out.setdefault(field, {})[entry[1]] = entry[2] if entry[2] is not None else ""
            continue
        item = _message(code[2:], value, depth) if code.startswith("m:") else _scalar(code, wire, value)
        if repeated:
            out.setdefault(field, []).append(item)
        else:
            out[field] = item
    return _json_shape(name, out)


def _message(name: str, value, depth: int):
    if not isinstance(value, bytes):
        raise ProtobufError("the protobuf body is malformed")
    return decode_message(name, value, depth + 1)


def _json_shape(name: str, out: dict):
    if name == "Time":
        import datetime as dt

        secs = out.get("seconds") or 0
        return None if not secs else dt.datetime.fromtimestamp(secs, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if name == "IntOrString":
        return out.get("strVal", "") if out.get("type") == 1 else out.get("intVal", 0)
    if name == "Quantity":
        return out.get("string", "")
    return {k: v for k, v in out.items() if _kept(k, v)}


def _kept(key: str, value) -> bool:
    if value is None or value == "" or value is False or value == {} or value == []:
        return False
    if value == 0 and not isinstance(value, bool) and key not in _ZERO_KEPT:
        return False
    return True


def type_meta(body: bytes) -> tuple[str, str]:
    """(apiVersion, kind) of a protobuf body's envelope."""
    if not body.startswith(MAGIC):
        raise ProtobufError("the protobuf body lacks the k8s envelope")
    unknown = {num: value for num, _, value in _fields(body[len(MAGIC):])}
    tm = {num: value for num, wire, value in _fields(unknown.get(1, b"")) if wire == 2}
    return tm.get(1, b"").decode("utf-8", "replace"), tm.get(2, b"").decode("utf-8", "replace")


def decode_body(body: bytes) -> dict:
    """The object a protobuf request body carries, in its JSON shape (apiVersion and kind set)."""
    if not body.startswith(MAGIC):
        raise ProtobufError("the protobuf body lacks the k8s envelope")
    unknown = {}
    for num, wire, value in _fields(body[len(MAGIC):]):
        unknown[num] = value
    tm = {}
    for num, wire, value in _fields(unknown.get(1, b"")):
        tm[num] = value.decode("utf-8", "replace") if wire == 2 else ""
    if not isinstance(tm.get(1, ""), str) or not isinstance(tm.get(2, ""), str):
        raise ProtobufError("the protobuf body is malformed")
    api_version, kind = tm.get(1, ""), tm.get(2, "")
    root = ROOTS.get(kind)
    if root is None:
        raise ProtobufError(f"protobuf bodies of kind {kind!r} are not supported by the simulated cluster; "
                            "send JSON (e.g. kubectl apply -f)")
    obj = decode_message(root, unknown.get(2, b"")) or {}
    return {"apiVersion": api_version, "kind": kind, **obj}
