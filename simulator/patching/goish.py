"""Go-isms the patch algorithms print or compare with: reflect kinds, fmt's %v, encoding/json's
compact output, and deep equality of decoded JSON values."""
from __future__ import annotations

import json
from typing import Any


def kind_of(v: Any) -> str:
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "slice"
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return "string" if isinstance(v, str) else "other"


def gofmt(v: Any) -> str:
    """fmt.Sprintf("%v") for JSON values, as the sort helpers use it."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{gofmt(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(gofmt(x) for x in v) + "]"
    return str(v)


def go_map_repr(m: dict) -> str:
    return "map[" + " ".join(f"{k}:{gofmt(m[k])}" for k in sorted(m)) + "]"


def json_kind(v: Any) -> str:
    """How encoding/json names a decoded value's type in its errors (`cannot unmarshal array …`)."""
    return {"map": "object", "slice": "array", "nil": "null", "bool": "bool", "number": "number",
            "string": "string"}.get(kind_of(v), "value")


def json_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual over decoded JSON (true is not 1, 1 equals 1.0)."""
    if kind_of(a) != kind_of(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    return a == b


def go_json(obj: Any) -> str:
    """encoding/json as unstructuredJSONScheme writes it: sorted keys, compact, HTML-escaped."""
    s = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
