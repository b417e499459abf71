"""OpenAPI v3: the index (/openapi/v3) and one document per group/version.

What kubectl reads from them: cli-runtime resource/query_param_verifier_v3.go looks for a PATCH
operation tagged with the type's x-kubernetes-group-version-kind that declares the
`fieldValidation` query parameter; when found, kubectl leaves field validation to the server
(ParamVerifyingSchema) and sends `fieldValidation=Strict`. Component schemas (openapi_schemas.py)
serve `kubectl explain` and apply's strategic-merge metadata. /openapi/v2 is an empty document (v2_document).
"""
from __future__ import annotations

import hashlib
import json

from .discovery import all_types
from .response import json_response, status_response

_QUERY_PARAMS = ("dryRun", "fieldManager", "fieldValidation", "force", "pretty")


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _gvs() -> list[tuple[str, str]]:
    out = []
    for rt in all_types():
        if (rt.group, rt.version) not in out:
            out.append((rt.group, rt.version))
    return out


def gv_document(group: str, version: str) -> dict | None:
    paths = {}
    for rt in all_types():
        if (rt.group, rt.version) != (group, version):
            continue
        gvk = {"group": group, "version": version, "kind": rt.kind}
        params = [{"name": p, "in": "query", "schema": {"type": "string"}} for p in _QUERY_PARAMS]
        base = "/" + _gv_path(group, version) + ("/namespaces/{namespace}" if rt.namespaced else "")
        op = {"operationId": f"patch{rt.kind}", "parameters": params,
              "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk}
        paths[f"{base}/{rt.plural}/{{name}}"] = {"patch": op, "put": dict(op, operationId=f"replace{rt.kind}",
                                                                          **{"x-kubernetes-action": "put"})}
        paths[f"{base}/{rt.plural}"] = {"post": dict(op, operationId=f"create{rt.kind}",
                                                     **{"x-kubernetes-action": "post"})}
    if not paths:
        return None
    from .openapi_schemas import schemas_for

    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.34.0"}, "paths": paths,
            "components": {"schemas": schemas_for(group, version)}}


def _hash(doc: dict) -> str:
    return hashlib.sha512(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:64].upper()


def index() -> dict:
    paths = {}
    for group, version in _gvs():
        doc = gv_document(group, version)
        paths[_gv_path(group, version)] = {"serverRelativeURL": f"/openapi/v3/{_gv_path(group, version)}?hash={_hash(doc)}"}
    return {"paths": paths}


def serve(parts: list[str], query: dict):
    if parts == ["v2"]:
        from .response import Response

        return Response(200, {"Content-Type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"},
                        v2_document())
    if parts[:1] == ["v3"]:
        rest = parts[1:]
        if not rest:
            return json_response(index())
        if rest[0] == "api" and len(rest) == 2:
            doc = gv_document("", rest[1])
        elif rest[0] == "apis" and len(rest) == 3:
            doc = gv_document(rest[1], rest[2])
        else:
            doc = None
        if doc is not None:
            return json_response(doc)
    return status_response(404, "NotFound", "the server could not find the requested resource", {})


def _pb_field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (wire type 2); payloads here are short (< 128 bytes)."""
    return bytes([number << 3 | 2, len(payload)]) + payload


def v2_document() -> bytes:
    """/openapi/v2 in the protobuf form client-go requires (gnostic openapi_v2.Document:
    swagger = 1, info = 2 {title = 1, version = 2}) with no definitions: kubectl's client-side
    schema validation then has nothing to check (it only runs for types whose server lacks
    fieldValidation support, and skips unknown types), and an unknown apiVersion/kind reaches the
    RESTMapper's `no matches for kind` as against a real server."""
    info = _pb_field(1, b"Kubernetes") + _pb_field(2, b"v1.34.0")
    return _pb_field(1, b"2.0") + _pb_field(2, info)
