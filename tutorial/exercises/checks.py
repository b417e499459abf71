"""One evaluator per check kind of tutorial/content/README.md (details: VOCABULARY.md).

Every kind has a parser (exercise data → a normalised spec, or SpecError naming the problem) and
an evaluator (spec + the learner's cluster → Outcome). Evaluators read the cluster only through
the public `simulator.Cluster` API (get/list/select/timeline/service_timeline/history/traffic,
resolve_kind and label_selector_error when parsing); an object by name through Context.get, which
copies it once per grading.
"""
from __future__ import annotations

from .check_base import (CHANGE_CAUSE_ANNOTATION, DEFAULT_NAMESPACE, REVISION_ANNOTATION, TEMPLATE_KINDS, Condition,
                         Context, Kind, Outcome, _annotations, _bool, _containers, _deployment_body, _mapping, _name,
                         _namespace, _object_body, _only_keys, _pod_ready, _resolve_kind, _terminating,
                         history_by_revision, owned_replica_sets, parse_object_ref, window)
from .comparisons import OPERATORS, Comparison, SpecError, comparison_body, parse_comparison
from .paths import lookup, parse_path
from .record_kinds import (TIMELINE_FACTS, _eval_command, _eval_service, _eval_timeline, _eval_traffic,
                           _parse_command, _parse_service, _parse_timeline, _parse_traffic, command_text,
                           ready_endpoints, service_hosts, timeline_fact)

# ---- kinds that read the objects as they are now --------------------------------------------------

def _parse_exists(body, namespace, where):
    return _object_body(body, namespace, where)


def _eval_exists(ctx, spec):
    obj = ctx.get(spec["kind"], spec["namespace"], spec["name"])
    return Outcome(obj is not None, obj is not None)


def _eval_absent(ctx, spec):
    obj = ctx.get(spec["kind"], spec["namespace"], spec["name"])
    return Outcome(obj is None, obj is not None)


def _parse_field(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, {"object", "path", "namespace", *OPERATORS}, where)
    spec = _object_body({"object": body.get("object"), "namespace": body.get("namespace", namespace)}, namespace, where)
    spec["path"] = parse_path(body.get("path"), f"{where}: path")
    spec["cmp"] = parse_comparison(body, where)
    return spec


def _eval_field(ctx, spec):
    obj = ctx.get(spec["kind"], spec["namespace"], spec["name"])
    if obj is None:
        return Outcome(False, None)
    value = lookup(obj, spec["path"])
    return Outcome(spec["cmp"].holds(value), value)


_COUNT_KEYS = {"kind", "selector", "ready", "phase", "image", "terminating", "namespace"}
_POD_PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")


def _parse_count(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, _COUNT_KEYS | set(OPERATORS), where)
    kind = _resolve_kind(body.get("kind"), f"{where}: kind")
    spec = {"kind": kind, "namespace": _namespace(body, namespace, where), "cmp": parse_comparison(body, where)}
    if "selector" in body:
        from simulator import Cluster

        text = body["selector"]
        if not isinstance(text, str):
            raise SpecError(f"{where}: selector must be text such as \"app=kubia\"")
        problem = Cluster.label_selector_error(text)
        if problem:
            raise SpecError(f"{where}: selector {text!r}: {problem}")
        spec["selector"] = text
    if "ready" in body or "phase" in body:
        if kind != "Pod":
            raise SpecError(f"{where}: ready and phase apply to pods only")
    if "ready" in body:
        spec["ready"] = _bool(body["ready"], f"{where}: ready")
    if "phase" in body:
        if body["phase"] not in _POD_PHASES:
            raise SpecError(f"{where}: phase must be one of {', '.join(_POD_PHASES)}")
        spec["phase"] = body["phase"]
    if "image" in body:
        if kind != "Pod" and kind not in TEMPLATE_KINDS:
            raise SpecError(f"{where}: image applies to pods and to Deployments/ReplicaSets/ReplicationControllers")
        if not isinstance(body["image"], str) or not body["image"]:
            raise SpecError(f"{where}: image must be an image reference such as luksa/kubia:v2")
        spec["image"] = body["image"]
    spec["terminating"] = _bool(body.get("terminating", False), f"{where}: terminating")
    return spec


def matching_objects(ctx, spec) -> list[dict]:
    out = []
    for obj in ctx.cluster.select(spec["kind"], spec["namespace"], spec.get("selector", "")):
        if _terminating(obj) != spec["terminating"]:
            continue
        if "ready" in spec and _pod_ready(obj) != spec["ready"]:
            continue
        if "phase" in spec and (obj.get("status") or {}).get("phase") != spec["phase"]:
            continue
        if "image" in spec and not any(c.get("image") == spec["image"] for c in _containers(obj)):
            continue
        out.append(obj)
    return out


def _eval_count(ctx, spec):
    n = len(matching_objects(ctx, spec))
    return Outcome(spec["cmp"].holds(n), n)


def _parse_image(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, {"container", *OPERATORS})
    if "container" in body:
        spec["container"] = _name(body["container"], f"{where}: container")
    spec["cmp"] = parse_comparison(body, where)
    return spec


def _eval_image(ctx, spec):
    d = ctx.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    containers = _containers(d)
    if "container" in spec:
        image = next((c.get("image") for c in containers if c.get("name") == spec["container"]), None)
    else:  # without a name: the only container (like `kubectl set image` would need)
        image = containers[0].get("image") if len(containers) == 1 else None
    return Outcome(spec["cmp"].holds(image), image)


def _parse_rollout_complete(body, namespace, where):
    spec = _object_body(body, namespace, where)
    if spec["kind"] != "Deployment":
        raise SpecError(f"{where}: rollout_complete applies to deployments")
    return spec


def rollout_complete(d: dict) -> bool:
    """What `kubectl rollout status` reports as success (polymorphichelpers/rollout_status.go), plus
    the Progressing condition the controller sets at the end (deployment/sync.go, NewRSAvailableReason)."""
    meta, spec, status = d.get("metadata") or {}, d.get("spec") or {}, d.get("status") or {}
    replicas = spec.get("replicas", 1)
    if int(status.get("observedGeneration") or 0) < int(meta.get("generation") or 0):
        return False
    updated = int(status.get("updatedReplicas") or 0)
    if updated != replicas or int(status.get("replicas") or 0) != updated:
        return False
    if int(status.get("availableReplicas") or 0) != updated:
        return False
    progressing = next((c for c in status.get("conditions") or () if c.get("type") == "Progressing"), None)
    return progressing is not None and progressing.get("reason") == "NewReplicaSetAvailable"


def _eval_rollout_complete(ctx, spec):
    d = ctx.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    done = rollout_complete(d)
    return Outcome(done, done)


def _parse_paused(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, set(OPERATORS))
    spec["cmp"] = parse_comparison(body, where, allowed=("equals", "not_equals"))
    if not isinstance(spec["cmp"].expected, bool):
        raise SpecError(f"{where}: paused compares with true or false")
    return spec


def _eval_paused(ctx, spec):
    d = ctx.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    paused = bool((d.get("spec") or {}).get("paused"))
    return Outcome(spec["cmp"].holds(paused), paused)


def _parse_history(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, {"revisions", "count", "change_cause"})
    facts = [k for k in ("revisions", "count", "change_cause") if k in body]
    if len(facts) != 1:
        raise SpecError(f"{where}: needs exactly one of revisions, count, change_cause")
    fact = spec["fact"] = facts[0]
    value = body[fact]
    if fact == "change_cause":
        value = _mapping(value, f"{where}: change_cause")
        _only_keys(value, {"revision", *OPERATORS}, f"{where}: change_cause")
        revision = value.get("revision", "latest")
        if revision != "latest" and not (isinstance(revision, int) and not isinstance(revision, bool) and revision > 0):
            raise SpecError(f"{where}: change_cause revision must be latest or a positive number")
        spec["revision"] = revision
        spec["cmp"] = parse_comparison(value, f"{where}: change_cause")
    else:
        spec["cmp"] = comparison_body(value, f"{where}: {fact}")
        if fact == "revisions" and spec["cmp"].op in ("equals", "not_equals"):
            exp = spec["cmp"].expected
            if not isinstance(exp, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in exp):
                raise SpecError(f"{where}: revisions {spec['cmp'].op} needs a list of numbers such as [2, 3]")
    return spec


def _eval_history(ctx, spec):
    d = ctx.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    history = history_by_revision(ctx.cluster, d)
    if spec["fact"] == "revisions":
        value = sorted(history)
    elif spec["fact"] == "count":
        value = len(history)
    else:
        rev = max(history, default=None) if spec["revision"] == "latest" else spec["revision"]
        rs = history.get(rev) if rev is not None else None
        # rollout_history.go prints "<none>" for a revision without the annotation
        value = None if rs is None else (_annotations(rs).get(CHANGE_CAUSE_ANNOTATION) or "<none>")
    return Outcome(spec["cmp"].holds(value), value)


KINDS: dict[str, Kind] = {
    "exists": Kind(_parse_exists, _eval_exists),
    "absent": Kind(_parse_exists, _eval_absent),
    "field": Kind(_parse_field, _eval_field),
    "count": Kind(_parse_count, _eval_count),
    "image": Kind(_parse_image, _eval_image),
    "rollout_complete": Kind(_parse_rollout_complete, _eval_rollout_complete),
    "paused": Kind(_parse_paused, _eval_paused),
    "history": Kind(_parse_history, _eval_history),
    "command": Kind(_parse_command, _eval_command),
    "timeline": Kind(_parse_timeline, _eval_timeline),
    "service": Kind(_parse_service, _eval_service),
    "traffic": Kind(_parse_traffic, _eval_traffic),
}


def parse_condition(body, where: str, namespace: str = DEFAULT_NAMESPACE, *, ignore: tuple[str, ...] = ()) -> Condition:
    """A mapping holding exactly one check kind (plus `ignore` keys such as id/message/namespace)."""
    body = _mapping(body, where)
    kinds = [k for k in body if k in KINDS]
    unknown = [k for k in body if k not in KINDS and k not in ignore and k != "namespace"]
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r} (check kinds: {', '.join(KINDS)})")
    if len(kinds) != 1:
        raise SpecError(f"{where}: needs exactly one check kind ({', '.join(KINDS)}), found {len(kinds)}")
    kind = kinds[0]
    namespace = _namespace(body, namespace, where)
    return Condition(kind, KINDS[kind].parse(body[kind], namespace, f"{where}: {kind}"))


def evaluate(cond: Condition, ctx: Context) -> Outcome:
    return KINDS[cond.kind].evaluate(ctx, cond.spec)


# Re-exported: the names graders and tests have always imported from here.
__all__ = ["KINDS", "Condition", "Context", "Outcome", "Comparison", "SpecError", "parse_condition",
           "evaluate", "timeline_fact", "rollout_complete", "command_text", "window", "parse_path", "lookup",
           "parse_object_ref", "owned_replica_sets", "history_by_revision", "matching_objects", "ready_endpoints",
           "service_hosts", "TIMELINE_FACTS", "REVISION_ANNOTATION", "CHANGE_CAUSE_ANNOTATION", "DEFAULT_NAMESPACE"]
