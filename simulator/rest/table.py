"""Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` answers.

The cells are the simulator's own printers (kubectl/printers/tables.py), which are ports of
kubernetes pkg/printers/internalversion/printers.go; the server always sends the wide row and
kubectl drops priority-1 columns unless `-o wide`. Types the simulator does not model get the
default table (Name, Age: apiserver pkg/registry/rest/table.go DefaultTableConvertor).
"""
from __future__ import annotations

from ..kubectl.printers import tables
from ..kubectl.printers.context import PrintContext

_TYPES = {"Ready": "string", "Restarts": "string", "Desired": "integer", "Current": "integer",
          "Up-to-date": "integer", "Available": "integer", "Count": "integer"}
_DEFAULT_COLUMNS = [("Name", 0), ("Age", 0)]


def wants_table(accept: str) -> bool:
    return "as=Table" in (accept or "")


def _columns(kind: str) -> list[dict]:
    defs = tables.COLUMN_DEFINITIONS.get(kind, _DEFAULT_COLUMNS)
    out = []
    for name, prio in defs:
        col = {"name": name, "type": _TYPES.get(name, "string"), "format": "name" if name == "Name" else "",
               "description": "", "priority": prio}
        out.append(col)
    return out


def partial_metadata(obj: dict) -> dict:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata", {})}


def _cells(obj: dict, ctx: PrintContext) -> list:
    kind = obj.get("kind")
    if kind in tables.COLUMN_DEFINITIONS:
        return list(tables._CELLS[kind](obj, ctx))  # noqa: SLF001 - the full (wide) row
    return [obj.get("metadata", {}).get("name", ""), ctx.since(obj.get("metadata", {}).get("creationTimestamp"))]


def table(kind: str, objects: list[dict], ctx: PrintContext, resource_version: str, *,
          include_object: str = "Metadata", headers: bool = True, continue_token: str = "") -> dict:
    rows = []
    for obj in objects:
        row = {"cells": _cells(obj, ctx)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(row)
    meta = {"resourceVersion": resource_version}
    if continue_token:
        meta["continue"] = continue_token
    out = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta}
    if headers:
        out["columnDefinitions"] = _columns(kind)
    out["rows"] = rows
    return out
