"""Verbs on one resource type: get, list, create, update, patch, delete, and the scale, status
and log subresources (apiserver pkg/endpoints/handlers: get.go, create.go, update.go, patch.go,
delete.go; registry/rest semantics live in simulator/apiserver.py, shared with the console).
"""
from __future__ import annotations

import base64
import json

from ..api import kinds
from ..api.errors import BadRequest, Conflict, StatusError
from ..api.schema import strict_decode_error
from ..kubectl.selectors import compile_selectors
from ..objects import clone
from . import body as bodies
from . import table as tables
from .derived import DERIVED
from .patching import APPLY_PATCH, PATCH_TYPES, apply_patch_request, drop_unknown_fields
from .request import Request, _not_found, live_object, precondition_rv  # noqa: F401 - the verbs' request
from .response import Response, json_response, success_status


def _with_type(obj: dict, rt) -> dict:
    out = dict(obj)
    out.setdefault("apiVersion", rt.api_version)
    out.setdefault("kind", rt.kind)
    return out


# ---- reads ----------------------------------------------------------------------------------------

def get(req: Request) -> Response:
    if not req.rt.simulated:
        raise _not_found(req)
    obj = live_object(req)
    if tables.wants_table(req.headers.get("accept", "")):
        return json_response(tables.table(req.kind, [obj], req.print_context(),
                                          obj["metadata"].get("resourceVersion", ""),
                                          include_object=req.q("includeObject", "Metadata")))
    return json_response(obj)


def matching(req: Request) -> list[dict]:
    """The objects a list or watch selects (namespace, labelSelector, fieldSelector)."""
    pred = compile_selectors(req.kind, req.q("labelSelector"), req.q("fieldSelector"))
    ns = req.namespace if req.rt.namespaced and req.namespace else None
    derived = DERIVED.get((req.rt.group, req.rt.plural))
    if derived is not None:
        return [o for o in derived(req.eng, ns) if pred(o)]
    if not req.rt.simulated:
        return []
    return [o for o in req.eng.store.list(req.kind, ns) if pred(o)]


def _continue_token(rv: str, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"rv": rv, "start": offset}).encode()).decode()


def _page(req: Request, items: list[dict]) -> tuple[list[dict], str]:
    """limit/continue: the rest of the list from the offset the token carries."""
    start = 0
    token = req.q("continue")
    if token:
        try:
            start = int(json.loads(base64.urlsafe_b64decode(token.encode()))["start"])
        except Exception:  # noqa: BLE001 - any garbage token is the same client error
            raise BadRequest("continue key is not valid: invalid continue token") from None
    try:
        limit = int(req.q("limit") or 0)
    except ValueError:
        raise BadRequest(f"limit: Invalid value: {req.q('limit')!r}") from None
    items = items[start:]
    if limit > 0 and len(items) > limit:
        return items[:limit], _continue_token(str(req.eng.store.resource_version), start + limit)
    return items, ""


def list_(req: Request) -> Response:
    items, token = _page(req, matching(req))
    rv = str(req.eng.store.resource_version)
    if tables.wants_table(req.headers.get("accept", "")):
        return json_response(tables.table(req.kind, items, req.print_context(), rv,
                                          include_object=req.q("includeObject", "Metadata"), continue_token=token))
    meta = {"resourceVersion": rv}
    if token:
        meta["continue"] = token
    return json_response({"kind": f"{req.kind}List", "apiVersion": req.rt.api_version, "metadata": meta,
                          "items": [_with_type(o, req.rt) for o in items]})


# ---- writes ---------------------------------------------------------------------------------------

def _field_validation(req: Request) -> str:
    v = req.q("fieldValidation") or "Warn"
    if v not in ("Ignore", "Warn", "Strict"):
        raise BadRequest(f"fieldValidation parameter unsupported: {v}")
    return v


def _decoded(req: Request, obj: dict) -> tuple[dict, list[str]]:
    """The typed object the server would convert the body to, and the unknown-field warnings."""
    problem = strict_decode_error(obj)
    if problem is None:
        return obj, []
    served = kinds.by_kind(req.kind)
    if problem.startswith("strict decoding error: "):
        import re

        unknown = re.findall(r'unknown field "((?:[^"\\]|\\.)*)"', problem)
        mode = _field_validation(req)
        if mode == "Strict":
            raise BadRequest(f'{req.kind} in version "{served.version}" cannot be handled as a {req.kind}: {problem}')
        obj = drop_unknown_fields(obj, unknown)
        return obj, ([f'unknown field "{u}"' for u in unknown] if mode == "Warn" else [])
    raise BadRequest(f'{req.kind} in version "{served.version}" cannot be handled as a {req.kind}: {problem}')


def _check_type(req: Request, obj: dict) -> None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if (api_version, kind) != (req.rt.api_version, req.kind):
        if not kind or not api_version:
            raise BadRequest(f"Object 'Kind' is missing in '{bodies.check_body(req.body)[:200]}'"
                             if not kind else "Object 'apiVersion' is missing")
        raise BadRequest(f"the API version in the data ({api_version}) does not match the expected "
                         f"API version ({req.rt.api_version})" if kind == req.kind else
                         f"{kind} in version \"{api_version.rpartition('/')[2]}\" cannot be handled as a {req.kind}: "
                         f"no kind \"{kind}\" is registered for version \"{api_version}\"")
    meta = obj.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise BadRequest(f"{req.kind} in version \"{req.rt.version}\" cannot be handled as a {req.kind}: "
                         "json: cannot unmarshal into metadata")
    ns = (meta or {}).get("namespace") or ""
    if req.rt.namespaced and ns and ns != req.namespace:
        raise BadRequest("the namespace of the provided object does not match the namespace sent on the request")


def _refuse_unsimulated(req: Request) -> None:
    if not req.rt.simulated:
        raise StatusError(f"the simulated cluster does not run {req.rt.resource}: {req.method.lower()} "
                          "is not supported here", "MethodNotAllowed", 405)


PROTOBUF = "application/vnd.kubernetes.protobuf"


def _is_protobuf(req: Request) -> bool:
    return req.headers.get("content-type", "").split(";")[0].strip() == PROTOBUF


def _refuse_protobuf(req: Request) -> None:
    """An update in protobuf (no kubectl command sends one): refused like a server without that
    serializer (415)."""
    if _is_protobuf(req):
        raise StatusError('the body of the request was in an unknown format - accepted media types include: '
                          'application/json, application/yaml', "UnsupportedMediaType", 415)


def _create_body(req: Request) -> dict:
    """The object a create sends: JSON, or protobuf from a typed client (kubectl create deployment…)."""
    if _is_protobuf(req):
        from .protobuf import decode_body

        bodies.check_body_size(req.body)
        return decode_body(req.body)
    return bodies.parse_object(req.body, req.kind)


def _review(req: Request) -> Response:
    """`kubectl auth can-i` / `auth whoami`: the learner may do anything in their own sandbox."""
    if _is_protobuf(req):  # typed clients; the answer does not depend on the spec
        from .protobuf import type_meta

        api_version, kind = type_meta(req.body)
        review = {"apiVersion": api_version or req.rt.api_version, "kind": kind or req.kind, "spec": {}}
    else:
        review = bodies.parse_object(req.body, req.kind)
    if req.rt.plural == "selfsubjectreviews":
        review["status"] = {"userInfo": {"username": "learner", "groups": ["system:authenticated"]}}
    else:
        review["status"] = {"allowed": True, "reason": "the learner owns this sandbox"}
    review.setdefault("metadata", {})
    return json_response(review, 201)


REVIEWS = {"selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"}


def create(req: Request) -> Response:
    if req.rt.plural in REVIEWS:
        return _review(req)
    _refuse_unsimulated(req)
    obj = _create_body(req)
    _check_type(req, obj)
    obj, warnings = _decoded(req, obj)
    obj = clone(obj)
    if not isinstance(obj.get("metadata"), dict):
        obj["metadata"] = {}
    if req.rt.namespaced:
        obj["metadata"]["namespace"] = req.namespace
    created = req.eng.api.create(obj, dry_run=req.dry_run)
    req.eng.settle()
    return json_response(created, 201, warnings)


def update(req: Request) -> Response:
    _refuse_unsimulated(req)
    _refuse_protobuf(req)
    if req.sub == "scale":
        from .subresources import write_scale

        return write_scale(req, bodies.parse_object(req.body, "Scale"))
    live = live_object(req)
    obj = bodies.parse_object(req.body, req.kind)
    _check_type(req, obj)
    name = (obj.get("metadata") or {}).get("name")
    if name != req.name:
        raise BadRequest("the name of the object (%s) does not match the name on the URL (%s)" % (name, req.name))
    obj, warnings = _decoded(req, obj)
    precondition_rv(req, live, (obj.get("metadata") or {}).get("resourceVersion"))
    obj = clone(obj)
    obj["metadata"]["namespace"] = req.store_ns
    if req.sub == "status":
        stored = req.eng.api.update_status(obj) if not req.dry_run else live
    else:
        stored = req.eng.api.update(obj, dry_run=req.dry_run)
    req.eng.settle()
    return json_response(stored, 200, warnings)


def patch(req: Request) -> Response:
    _refuse_unsimulated(req)
    ctype = req.headers.get("content-type", "").split(";")[0].strip()
    if ctype == APPLY_PATCH:
        raise StatusError("server-side apply is not supported by the simulated cluster; use client-side "
                          "kubectl apply", "UnsupportedMediaType", 415)
    ptype = PATCH_TYPES.get(ctype)
    if ptype is None:
        raise StatusError(f'the body of the request was in an unknown format - accepted media types include: '
                          f'{", ".join(PATCH_TYPES)}, {APPLY_PATCH}', "UnsupportedMediaType", 415)
    text = bodies.check_body(req.body)
    strict = _field_validation(req) == "Strict"
    live = live_object(req)
    if req.sub == "scale":
        from .subresources import scale_of, write_scale

        merged, _ = apply_patch_request(scale_of(req, live), ptype, text)
        return write_scale(req, merged)
    patched, warnings = apply_patch_request(live, ptype, text, strict=strict)
    _simulated_restart_time(req, live, patched)
    if _field_validation(req) == "Ignore":
        warnings = []
    precondition_rv(req, live, (patched.get("metadata") or {}).get("resourceVersion"))
    patched["metadata"]["resourceVersion"] = live["metadata"].get("resourceVersion")
    if req.sub == "status":
        stored = req.eng.api.update_status(patched) if not req.dry_run else patched
    else:
        stored = req.eng.api.update(patched, dry_run=req.dry_run)
    req.eng.settle()
    return json_response(stored, 200, warnings)


RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


def _simulated_restart_time(req: Request, live: dict, patched: dict) -> None:
    """`kubectl rollout restart` stamps the pod template with the client's wall-clock time. Every
    other time in a sandbox is simulated (epoch 2026-01-01T09:00Z), so a new stamp is replaced by
    the simulated now: the same object the console's own `rollout restart` writes. (A deliberate
    adaptation: a real API server stores the client's value.)"""
    new = (((patched.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("annotations") or {}
    old = (((live.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("annotations") or {}
    if isinstance(new, dict) and RESTARTED_AT in new and new.get(RESTARTED_AT) != old.get(RESTARTED_AT):
        new[RESTARTED_AT] = req.eng.stamp()


# ---- delete ---------------------------------------------------------------------------------------

def _delete_options(req: Request) -> dict:
    opts: dict = {}
    if req.body and req.body.strip():
        value = bodies.parse_json(req.body)
        if not isinstance(value, dict):
            raise BadRequest("the body of the request must be a DeleteOptions object")
        opts = value
    for key in ("gracePeriodSeconds", "propagationPolicy", "orphanDependents"):
        if req.q(key):
            opts[key] = req.q(key)
    if req.dry_run:
        opts["dryRun"] = ["All"]
    return opts


def delete(req: Request) -> Response:
    _refuse_unsimulated(req)
    opts = _delete_options(req)
    live = live_object(req)
    pre = opts.get("preconditions") or {}
    if pre.get("uid") and pre["uid"] != live["metadata"].get("uid"):
        raise Conflict(f'Operation cannot be fulfilled on {req.rt.resource} "{req.name}": Precondition failed: '
                       f'UID in precondition: {pre["uid"]}, UID in object meta: {live["metadata"].get("uid")}')
    if pre.get("resourceVersion") and pre["resourceVersion"] != live["metadata"].get("resourceVersion"):
        raise Conflict(f'Operation cannot be fulfilled on {req.rt.resource} "{req.name}": Precondition failed: '
                       f'ResourceVersion in precondition: {pre["resourceVersion"]}, ResourceVersion in object '
                       f'meta: {live["metadata"].get("resourceVersion")}')
    grace = opts.get("gracePeriodSeconds")
    try:
        grace = None if grace is None or grace == "" else int(grace)
    except (TypeError, ValueError):
        raise BadRequest(f"gracePeriodSeconds: Invalid value: {grace!r}") from None
    policy = opts.get("propagationPolicy") or ""
    if policy not in ("", "Orphan", "Background", "Foreground"):
        raise BadRequest(f'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: '
                         f'"{policy}": supported values: "Foreground", "Background", "Orphan", "nil"')
    orphan = policy == "Orphan" or str(opts.get("orphanDependents")).lower() == "true"
    dry = bool(opts.get("dryRun"))
    result = req.eng.api.delete(req.kind, req.store_ns, req.name, grace=grace, dry_run=dry,
                                cascade="orphan" if orphan else "background")
    req.eng.settle()
    if req.kind == "Pod" and isinstance(result, dict) and req.eng.store.get("Pod", req.store_ns, req.name) is not None:
        return json_response(req.eng.store.get("Pod", req.store_ns, req.name))
    if req.kind in ("Pod", "Namespace"):
        return json_response(result if isinstance(result, dict) else live)
    details = {"name": req.name, "group": req.rt.group, "kind": req.rt.plural, "uid": live["metadata"].get("uid")}
    if not req.rt.group:
        details.pop("group")
    return json_response(success_status(details))


def delete_collection(req: Request) -> Response:
    """DELETE on a collection (deletecollection): every object the selectors match, as a list of
    what was deleted (pods keep terminating for their grace period)."""
    _refuse_unsimulated(req)
    opts = _delete_options(req)
    grace = opts.get("gracePeriodSeconds")
    try:
        grace = None if grace is None or grace == "" else int(grace)
    except (TypeError, ValueError):
        raise BadRequest(f"gracePeriodSeconds: Invalid value: {grace!r}") from None
    orphan = (opts.get("propagationPolicy") or "") == "Orphan"
    deleted = []
    for obj in matching(req):
        meta = obj["metadata"]
        current = req.eng.store.get(req.kind, meta.get("namespace", ""), meta["name"])
        if current is None:
            continue  # already collected with its owner
        result = req.eng.api.delete(req.kind, meta.get("namespace", ""), meta["name"], grace=grace,
                                    dry_run=bool(opts.get("dryRun")), cascade="orphan" if orphan else "background")
        deleted.append(_with_type(result if isinstance(result, dict) else obj, req.rt))
    req.eng.settle()
    return json_response({"kind": f"{req.kind}List", "apiVersion": req.rt.api_version,
                          "metadata": {"resourceVersion": str(req.eng.store.resource_version)}, "items": deleted})
