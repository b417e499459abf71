"""`kubectl get --sort-by=FIELD`, as kubectl pkg/cmd/get/sorter.go does it (v0.34.5):

- the field is a relaxed JSONPath (`.metadata.name` → `{.metadata.name}`), evaluated with missing
  keys allowed; an object without the field sorts first (RuntimeSort.Less: `len(iValues)==0 → true`);
- values compare as isLess does for decoded JSON (reflect.Interface): numbers numerically, strings
  as resource.Quantity when both parse as one, else byte-wise; other types are unsortable;
- tables are sorted row by row within each resource type (TableSorter), other output sorts all the
  flattened objects together (RuntimeSort); both with Go's unstable sort.Sort (gosort.go)."""
from __future__ import annotations

import re
from typing import Any

from simulator.api.errors import CLIError
from simulator.api.validation import parse_quantity
from simulator.kubectl.jsonpath import JSONPathError, _Eval, parse_jsonpath
from simulator.kubectl.printers.custom_columns import relaxed_jsonpath
from simulator.kubectl.printers.gosort import go_sort

_MISSING = object()


def _go_kind(v: Any) -> str:
    return {bool: "bool", int: "int64", float: "float64", str: "string", dict: "map[string]interface {}",
            list: "[]interface {}"}.get(type(v), type(v).__name__)


def _quantity(s: str):
    return None if re.search(r"\s", s) or not s else parse_quantity(s)


def _is_less(i: Any, j: Any, field: str) -> bool:
    if i is None or j is None:  # nil interfaces: nil sorts first
        return i is None and j is not None
    if isinstance(i, bool) or not isinstance(i, (int, float, str)):
        raise CLIError(f"Field {field} in *unstructured.Unstructured is an unsortable type: interface, "
                       f"err: unsortable type: {_go_kind(i)}")
    if isinstance(i, str):
        if not isinstance(j, str):
            raise CLIError(f"Field {field} in *unstructured.Unstructured is an unsortable type: interface, "
                           f"err: unsortable interface: interface")
        qi, qj = _quantity(i), _quantity(j)
        if qi is not None and qj is not None:
            return qi < qj
        return i.encode() < j.encode()
    if type(i) is not type(j) or isinstance(j, bool):  # int64 vs float64: Go's type switch fails
        raise CLIError(f"Field {field} in *unstructured.Unstructured is an unsortable type: interface, "
                       f"err: unsortable interface: interface")
    return i < j


def _first_value(nodes, obj: dict):
    try:
        results = _Eval(allow_missing=True).results(nodes, obj)
    except JSONPathError:
        return _MISSING
    if not results or not results[0]:
        return _MISSING
    return results[0][0]


def sort_objects(objs: list[dict], sort_by: str) -> list[dict]:
    """A sorted copy of `objs` (RuntimeSort / TableSorter Less)."""
    field = relaxed_jsonpath(sort_by)
    try:
        nodes = parse_jsonpath(field).nodes
    except JSONPathError as err:
        raise CLIError(f"couldn't parse {field}: {err}") from None
    keyed = [(_first_value(nodes, o), o) for o in objs]

    def less(a, b) -> bool:
        if a[0] is _MISSING:
            return True
        if b[0] is _MISSING:
            return False
        return _is_less(a[0], b[0], field)

    return [o for _, o in go_sort(keyed, less)]
