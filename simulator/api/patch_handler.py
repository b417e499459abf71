"""The API server's PATCH handling (apiserver pkg/endpoints/handlers/patch.go): decode the body
by patch type, apply it to the live object with the algorithms of simulator/patching/, and convert
the result back to the typed object under the request's field validation."""
from __future__ import annotations

import copy
import json
import re
from typing import Any

from simulator.api.errors import BadRequest, StatusError
from simulator.gofmt import go_quote as _go_quote
from simulator.patching.goish import go_json, gofmt, json_kind
from simulator.patching.jsonmerge import json_merge_patch
from simulator.patching.jsonpatch import json_patch
from simulator.patching.strategic import strategic_merge_patch


# What happens to a `kubectl patch` body between the command line and the stored object:
# kubectl converts it with apimachinery pkg/util/yaml ToJSON (text starting with `{` is sent as
# is, anything else goes through sigs.k8s.io/yaml YAMLToJSON), and the API server's PATCH handler
# (apiserver pkg/endpoints/handlers/patch.go) decodes it, applies it to the live object and
# converts the result back to the typed object. kubectl patch sends no fieldValidation, so the
# server's default directive is Warn (handlers/rest.go fieldValidation): unknown fields become
# `Warning: unknown field "…"` and are dropped; a value of the wrong type is an Invalid error.


class PatchInvalid(StatusError):
    """errors.NewInvalid(schema.GroupKind{}, "", {field.Invalid(patch, value, detail)}): no kind
    or name, one cause, so kubectl prints `The request is invalid: patch: Invalid value: …`."""

    reason, code = "Invalid", 422

    def __init__(self, value: str, detail: str):
        self.value, self.detail = value, detail
        super().__init__(self.render())

    def with_source(self, verb: str, source: str) -> "PatchInvalid":
        return self

    def render(self) -> str:
        return f"The request is invalid: patch: Invalid value: {_go_quote(self.value)}: {self.detail}"


def go_unmarshal(text: str, prefix: str = "") -> Any:
    """encoding/json Unmarshal (sigs.k8s.io/json, ints preserved): the value, or BadRequest with
    Go's SyntaxError text (`invalid character 's' looking for beginning of object key string`,
    `unexpected end of JSON input`), behind `prefix`."""
    from simulator.api import decode

    ws = " \t\r\n"
    start = 0
    while start < len(text) and text[start] in ws:
        start += 1
    if start >= len(text):
        raise BadRequest(prefix + "unexpected end of JSON input")
    try:
        end = decode._scan_json_value(text, start, "patch")  # noqa: SLF001 - Go's scanner
    except decode._StreamError as stop:  # noqa: SLF001
        message = stop.error.render()
        message = message.split("error parsing patch: ", 1)[-1]
        if message == "unexpected EOF":
            message = "unexpected end of JSON input"
        else:
            message = message.split(": ", 2)[-1] if message.startswith("json: offset ") else message
        raise BadRequest(prefix + message) from None
    rest = end
    while rest < len(text) and text[rest] in ws:
        rest += 1
    if rest < len(text):
        raise BadRequest(f"{prefix}invalid character {decode._quote_char(text[rest])} after top-level value")  # noqa: SLF001
    return decode._normalise_json(json.loads(text[start:end]))  # noqa: SLF001


_GO_KINDS = {"map": "map", "slice": "slice", "bool": "bool", "string": "string"}


def _unstructured_kind(desc: str) -> str:
    """The reflect.Kind of a decoded JSON value from the json error's description of it."""
    word, _, number = desc.partition(" ")
    if word == "number":
        return "float64" if number and any(c in number for c in ".eE") else "int64"
    return {"object": "map", "array": "slice", "string": "string", "bool": "bool"}.get(word, word)


_TYPE_ERROR = re.compile(r"^json: cannot unmarshal (.+?) into Go struct field \S+ of type (\S+)$")
_SCALARS = {"string", "bool", "int32", "int64", "float64"}


def converter_error(message: str) -> str:
    """apimachinery runtime/converter.go fromUnstructured's words for the first type mismatch
    that encoding/json would report as `json: cannot unmarshal X into Go struct field … of type T`."""
    m = _TYPE_ERROR.match(message)
    if not m:
        return message
    src, dst = _unstructured_kind(m.group(1)), m.group(2)
    if dst.startswith("[]"):
        return f"cannot restore slice from {src}"
    if dst.startswith("map["):
        return f"cannot restore map from {src}"
    if dst in _SCALARS:
        # numbers convert between themselves (a fraction into an int does not); Go could convert
        # an int64 to a string, the converter refuses it; anything else is not convertible at all
        if (src == "float64" and dst in ("int32", "int64")) or (src == "int64" and dst == "string"):
            return f"cannot convert {src} to {dst}"
        return f"unrecognized type: {dst}"
    return f"cannot restore struct from: {src}"


_PATH_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def drop_unknown_fields(obj: dict, paths: list[str]) -> dict:
    """Remove the fields a strict decode reported as unknown (`spec.template.spec.containers[0].x`):
    the typed object the server converts to has nowhere to keep them."""
    out = copy.deepcopy(obj)
    for path in paths:
        tokens = [(int(i) if i else k) for i, k in _PATH_TOKEN.findall(path)]
        node: Any = out
        for tok in tokens[:-1]:
            if isinstance(tok, int) and isinstance(node, list) and tok < len(node):
                node = node[tok]
            elif isinstance(tok, str) and isinstance(node, dict) and tok in node:
                node = node[tok]
            else:
                node = None
                break
        if isinstance(node, dict) and tokens and isinstance(tokens[-1], str):
            node.pop(tokens[-1], None)
    return out


def _typed_result(merged: Any, shown: str, directive: str = "Warn") -> tuple[dict, list[str]]:
    """FromUnstructuredWithValidation / DecodeInto under the request's fieldValidation."""
    from simulator.api.schema import strict_decode_error

    if not isinstance(merged, dict):
        raise PatchInvalid(shown, f"Object 'Kind' is missing in '{go_json(merged)}'")
    problem = strict_decode_error(merged)
    if problem is None:
        return merged, []
    if problem.startswith("strict decoding error: "):
        unknown = re.findall(r'unknown field "((?:[^"\\]|\\.)*)"', problem)
        if directive == "Strict":
            raise PatchInvalid(shown, problem)
        kept = drop_unknown_fields(merged, unknown)
        return kept, ([f'unknown field "{u}"' for u in unknown] if directive == "Warn" else [])
    raise PatchInvalid(shown, converter_error(problem))


def apply_patch_request(live: dict, patch_type: str, body: str, strict: bool = False,
                        field_validation: str | None = None) -> tuple[dict, list[str]]:
    """The object the API server would store for `PATCH` with `body` (JSON text) and the
    warnings it would send back. Raises the StatusError the server answers with.
    `field_validation` is the request's directive (Strict, Warn, Ignore); kubectl patch sends
    none, so the server's default Warn applies; `strict` is the older spelling of Strict (what
    kubectl edit sends): unknown fields are an Invalid error."""
    directive = field_validation or ("Strict" if strict else "Warn")
    kind = live.get("kind")
    current = copy.deepcopy(live)
    if patch_type == "strategic":
        patch = go_unmarshal(body)
        if patch is None:
            patch = {}
        if not isinstance(patch, dict):
            raise BadRequest(f"json: cannot unmarshal {json_kind(patch)} into Go value of type "
                             "map[string]interface {}")
        merged = strategic_merge_patch(current, patch, kind)
        # applyPatchToObject quotes the patch map with %+v
        return _typed_result(merged, gofmt(patch), directive)
    if patch_type == "merge":
        patch = go_unmarshal(body, "error decoding patch: ")
        if patch is not None and not isinstance(patch, dict):
            raise BadRequest(f"error decoding patch: json: cannot unmarshal {json_kind(patch)} into Go "
                             "value of type map[string]interface {}")
        merged = json_merge_patch(current, patch or {})
        return _typed_result(merged, go_json(merged), directive)
    ops = go_unmarshal(body, "error decoding patch: ")
    if ops is None:
        ops = []
    if not isinstance(ops, list):
        raise BadRequest(f"error decoding patch: json: cannot unmarshal {json_kind(ops)} into Go value "
                         "of type []handlers.jsonPatchOp")
    for op in ops:
        if op is not None and not isinstance(op, dict):
            raise BadRequest(f"error decoding patch: json: cannot unmarshal {json_kind(op)} into Go value "
                             "of type handlers.jsonPatchOp")
        for field in ("op", "path", "from"):
            v = (op or {}).get(field)
            if v is not None and not isinstance(v, str):
                raise BadRequest(f"error decoding patch: json: cannot unmarshal {json_kind(v)} into Go "
                                 f"struct field jsonPatchOp.{field} of type string")
    if len(ops) > 10000:
        raise StatusError("Request entity too large: The allowed maximum operations in a JSON patch is "
                          f"10000, got {len(ops)}", "RequestEntityTooLarge", 413)
    merged = json_patch(current, [op or {} for op in ops])
    return _typed_result(merged, go_json(merged), directive)
