"""The Kubernetes REST API of one simulated cluster (pure Python, no web framework).

    handle(cluster, method, path, query, headers, body) -> Response

`query` maps names to a value or a list of values; `headers` is any mapping (names compared
case-insensitively). `Cluster.api()` is the public entry point. Modules: router (this file),
discovery, objects (verbs and subresources), watch, table (server-side printing), openapi,
body (limits and JSON decoding), response (Response, Status bodies), patching (the one import
of the patch algorithms), history (Kubectl-Command headers into the cluster's command log).
"""
from __future__ import annotations

import logging
from urllib.parse import unquote

from ..api.errors import KubeError
from . import discovery, objects, openapi, subresources
from .history import record_command
from .response import Response, error_response, json_response, status_response
from .watch import hub_of
from .watch import watch as _watch

log = logging.getLogger(__name__)

SERVER_ADDRESS = "127.0.0.1:6443"
MAX_PATH = 4096

__all__ = ["handle", "Response"]


def _lower(headers) -> dict:
    return {str(k).lower(): v for k, v in dict(headers or {}).items()}


def _norm_query(query) -> dict:
    out = {}
    for k, v in dict(query or {}).items():
        out[str(k)] = v if isinstance(v, (list, tuple)) else [v]
    return {k: [str(x) for x in v] for k, v in out.items()}


def handle(cluster, method: str, path: str, query=None, headers=None, body: bytes = b"") -> Response:
    """One HTTP request against the cluster's API; never raises."""
    headers = _lower(headers)
    query = _norm_query(query)
    method = (method or "").upper()
    try:
        record_command(cluster, headers)
        hub_of(cluster)  # from the first request on, watches can replay from a list's resourceVersion
        return _route(cluster, method, path or "/", query, headers, body or b"")
    except KubeError as err:
        return error_response(err, getattr(err, "resource", "") or "")
    except RecursionError:
        return status_response(400, "BadRequest", "the request body nests too deeply")
    except Exception:  # a bug of ours: an internal error Status, never a traceback to the client
        log.exception("API request crashed: %s %s", method, path)
        return status_response(500, "InternalError", "an internal error occurred in the simulated API server")


def _not_found_path() -> Response:
    return status_response(404, "NotFound", "the server could not find the requested resource", {})


def _route(cluster, method, path, query, headers, body) -> Response:
    if len(path) > MAX_PATH:
        return status_response(414, "RequestURITooLong", "the request path is too long")
    parts = [unquote(p) for p in path.split("?")[0].strip("/").split("/") if p]
    if method not in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
    if not parts:
        return json_response({"paths": ["/api", "/api/v1", "/apis", "/openapi/v2", "/openapi/v3", "/version"]})
    if parts == ["version"]:
        return json_response(discovery.version_info())
    if parts[0] == "openapi":
        return openapi.serve(parts[1:], query)
    if parts == ["api"]:
        return json_response(discovery.api_versions(SERVER_ADDRESS))
    if parts == ["apis"]:
        return json_response(discovery.api_group_list())
    if parts[0] == "api" and len(parts) >= 2:
        group, version, rest = "", parts[1], parts[2:]
    elif parts[0] == "apis" and len(parts) >= 2:
        if len(parts) == 2:
            g = discovery.api_group(parts[1])
            return json_response(g) if g else _not_found_path()
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return _not_found_path()
    if not rest:
        rl = discovery.resource_list(group, version)
        return json_response(rl) if rl else _not_found_path()
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 3 and not (len(rest) == 3 and rest[2] in ("status", "finalize")):
        namespace, rest = rest[1], rest[2:]
    plural, name, sub = rest[0], (rest[1] if len(rest) > 1 else ""), (rest[2] if len(rest) > 2 else "")
    if len(rest) > 3:
        return _not_found_path()
    rt = discovery.find_type(group, version, plural)
    if rt is None:
        return _not_found_path()
    if namespace and not rt.namespaced:
        return _not_found_path()
    if sub and not discovery.has_subresource(rt, sub):
        return _not_found_path()
    req = objects.Request(cluster, method, rt, namespace, name, sub, query, headers, body)
    return _dispatch(req)


def _method_not_allowed(req) -> Response:
    return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                           {"name": req.name, "group": req.rt.group, "kind": req.rt.plural} if req.name else {})


def _dispatch(req) -> Response:
    m, sub = req.method, req.sub
    watching = req.flag("watch")
    if m in ("GET", "HEAD") and not req.name:
        if watching:
            return _watch(req, objects.matching)
        return objects.list_(req)
    if m == "POST" and not req.name:
        return objects.create(req)
    if m == "DELETE" and not req.name and "deletecollection" in req.rt.verbs:
        return objects.delete_collection(req)
    if not req.name:
        return _method_not_allowed(req)
    if sub == "log":
        return subresources.log(req) if m == "GET" else _method_not_allowed(req)
    if sub == "scale":
        if m == "GET":
            return subresources.get_scale(req)
        if m == "PUT":
            return objects.update(req)
        if m == "PATCH":
            return objects.patch(req)
        return _method_not_allowed(req)
    if sub and sub != "status":
        return _method_not_allowed(req)
    if m in ("GET", "HEAD"):
        if watching:
            return _watch(req, objects.matching)
        return subresources.get_status(req) if sub else objects.get(req)
    if m == "PUT":
        return objects.update(req)
    if m == "PATCH":
        return objects.patch(req)
    if m == "DELETE" and not sub:
        return objects.delete(req)
    return _method_not_allowed(req)
