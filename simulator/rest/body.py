"""Request bodies: size and nesting limits before any parsing, then Go-compatible JSON decoding.

Hostile input gets a Status, never a traceback: oversized bodies 413 (the real server's limit is
3 MiB, a sandbox's is its file limit), nesting beyond the simulator's manifest depth 400, bad
syntax 400 with encoding/json's words (apiserver handlers/rest.go, serializer/json).
"""
from __future__ import annotations

from .. import limits
from ..api.errors import BadRequest, StatusError
from .patching import go_unmarshal

MAX_BODY_BYTES = limits.MAX_FILE_BYTES
MAX_DEPTH = 64


class TooLarge(StatusError):
    reason, code = "RequestEntityTooLarge", 413


def check_body_size(body: bytes) -> None:
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge(f"Request entity too large: limit is {MAX_BODY_BYTES}")


def check_body(body: bytes) -> str:
    """The body as text, refused when too large, not UTF-8, or nested too deep."""
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge(f"Request entity too large: limit is {MAX_BODY_BYTES}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None
    depth = 0
    in_string = escaped = False
    for ch in text:  # a quick scan: json.loads recursion must never be reached
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadRequest(f"the request body nests deeper than {MAX_DEPTH} levels")
        elif ch in "]}":
            depth -= 1
    return text


def parse_json(body: bytes):
    """A JSON value with Go's syntax error texts."""
    text = check_body(body)
    return go_unmarshal(text)


def parse_object(body: bytes, kind: str) -> dict:
    """A create/update body: one JSON object (`the object provided is unrecognized` otherwise)."""
    try:
        value = parse_json(body)
    except BadRequest as err:
        if isinstance(err, TooLarge):
            raise
        raise BadRequest(f"the object provided is unrecognized (must be of type {kind}): "
                         f"couldn't get version/kind; json parse error: {err.message}") from None
    if not isinstance(value, dict):
        raise BadRequest(f"the object provided is unrecognized (must be of type {kind}): "
                         "couldn't get version/kind; json parse error: json: cannot unmarshal "
                         f"{_json_kind(value)} into Go value of type struct {{ APIVersion string "
                         '"json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }')
    return value


def _json_kind(v) -> str:
    if isinstance(v, list):
        return "array"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if v is None:
        return "null"
    return "number"
