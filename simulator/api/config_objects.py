"""ConfigMaps and Secrets in the API server: decoding (Secret and binaryData values are base64 in
JSON: Go's encoding/json decodes []byte, so bad input is `illegal base64 data at input byte N`),
defaults and conversion (Secret type Opaque; stringData merged into data and dropped,
pkg/apis/core/v1/conversion.go), and validation (pkg/apis/core/validation/validation.go
ValidateConfigMap/ValidateConfigMapUpdate, ValidateSecret/ValidateSecretUpdate: config keys,
`immutable`, the type-specific required keys, type immutable)."""
from __future__ import annotations

import base64
import re

from simulator.api.errors import BadRequest
from simulator.api.validation import (
    IMMUTABLE_MSG, _d, _raise, _s, forbidden, invalid, is_dns1123_subdomain, metadata_update_causes, required,
    validate_object_meta,
)

_B64 = re.compile(r"[A-Za-z0-9+/]")
_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
KEY_MSG = ("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
           "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
MAX_TOTAL = 1024 * 1024  # core validation MaxSecretSize / ConfigMap total size
IMMUTABLE_SET = "field is immutable when `immutable` is set"
_TYPE_KEYS = {"kubernetes.io/tls": ("tls.crt", "tls.key"),
              "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
              "kubernetes.io/dockercfg": (".dockercfg",),
              "kubernetes.io/basic-auth": (), "kubernetes.io/ssh-auth": ("ssh-privatekey",)}


def base64_error(text: str) -> int | None:
    """The byte Go's base64.StdEncoding.DecodeString stops at, or None when `text` decodes."""
    body = text.rstrip("=")
    pad = len(text) - len(body)
    for i, ch in enumerate(body):
        if not _B64.match(ch):
            return i
    if pad > 2 or (len(text) % 4 and pad) or (len(body) % 4 == 1):
        return len(body) - (len(body) % 4) if len(body) % 4 == 1 else len(body)
    if len(text) % 4:
        return len(text) - (len(text) % 4)
    return None


def decode(obj: dict) -> None:
    """The decode step of a create/update body: base64 values must decode."""
    kind = obj.get("kind")
    fields = ("data",) if kind == "Secret" else ("binaryData",) if kind == "ConfigMap" else ()
    for field in fields:
        for value in _d(obj.get(field)).values():
            at = base64_error(value) if isinstance(value, str) else None
            if at is not None:
                raise BadRequest(f'{kind} in version "v1" cannot be handled as a {kind}: '
                                 f"illegal base64 data at input byte {at}")


def prepare(obj: dict) -> None:
    """Defaults and conversion, in place."""
    if obj.get("kind") != "Secret":
        return
    obj.setdefault("type", "Opaque")
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj.setdefault("data", {})
        for k, v in string_data.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


def _decoded_size(value: str, secret: bool) -> int:
    if not secret:
        return len(value.encode())
    try:
        return len(base64.b64decode(value))
    except ValueError:
        return 0


def _keys(obj: dict, secret: bool) -> list:
    causes = []
    total = 0
    data, binary = _d(obj.get("data")), _d(obj.get("binaryData"))
    for field, values in (("data", data), ("binaryData", binary)):
        for key in sorted(values):
            if not _KEY.match(key):
                causes.append(invalid(f"{field}[{key}]", key, KEY_MSG))
            if field == "binaryData" and key in data:
                causes.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
            value = values[key]
            total += _decoded_size(value, secret or field == "binaryData") if isinstance(value, str) else 0
    if total > MAX_TOTAL:
        causes.append(("data" if secret else "", f"Too long: may not be more than {MAX_TOTAL} bytes"))
    return causes


def causes_for(obj: dict) -> list:
    kind = obj.get("kind")
    causes = validate_object_meta(obj.get("metadata"), is_dns1123_subdomain)
    causes += _keys(obj, kind == "Secret")
    if kind == "Secret":
        for key in _TYPE_KEYS.get(_s(obj.get("type")), ()):
            if key not in _d(obj.get("data")):
                causes.append(required(f"data[{key}]"))
    return causes


def validate_create(obj: dict) -> None:
    _raise(obj, causes_for(obj))


def validate_update(old: dict, new: dict) -> None:
    causes = metadata_update_causes(old, new)
    causes += causes_for(new)
    if new.get("kind") == "Secret" and _s(old.get("type")) != _s(new.get("type")):
        causes.append(invalid("type", _s(new.get("type")), IMMUTABLE_MSG))
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            causes.append(forbidden("immutable", IMMUTABLE_SET))
        if _d(new.get("data")) != _d(old.get("data")):
            causes.append(forbidden("data", IMMUTABLE_SET))
        if _d(new.get("binaryData")) != _d(old.get("binaryData")):
            causes.append(forbidden("binaryData", IMMUTABLE_SET))
    _raise(new, causes)
