"""`kubectl describe` (kubectl pkg/cmd/describe/describe.go Run, DescribeMatchingResources).

The command gathers what each upstream describer looks up beside the object (pkg/describe/describe.go:
DeploymentDescriber → GetAllReplicaSetsInChunks, ReplicaSetDescriber → getPodStatusForController,
ServiceDescriber → its endpoints, searchEvents → Events whose involvedObject is the object) and
hands it to printers/describe.py.

Output joins: objects found by name/selector are separated by "\\n\\n" (a describer's text already
ends with a newline, so two blank lines); the prefix fallback (`describe pods kubia` with no pod
named exactly "kubia") prints each match followed by "\\n".
"""
from __future__ import annotations

from ...api import kinds
from ...api.errors import CLIError, KubeError, NotFound
from ...controllers import deployment_util as du
from ...objects import controller_ref
from .. import resources
from ..printers.context import PrintContext
from ..printers.describe import describe as render
from ..selectors import compile_selectors
from .common import aggregated, namespace, object_namespace, read_file_objects, served

# the kinds printers/describe.py has a describer for
DESCRIBABLE = {"Deployment", "ReplicaSet", "ReplicationController", "Pod", "Service", "Endpoints", "ConfigMap", "Secret",
               "Namespace"}


def events_for(ctx, obj: dict) -> list[dict]:
    """searchEvents: Events in the object's namespace whose involvedObject is this object (by uid)."""
    m = obj["metadata"]
    uid = m.get("uid")
    ns = m.get("namespace") or "default"
    return [e for e in ctx.eng.store.list("Event", ns)
            if (e.get("involvedObject") or {}).get("uid") == uid]


def owned(ctx, owner: dict, kind: str) -> list[dict]:
    """Objects of `kind` whose controller ownerReference is `owner` (metav1.GetControllerOf)."""
    uid = owner["metadata"]["uid"]
    return [o for o in ctx.eng.store.list(kind, owner["metadata"].get("namespace", ""))
            if (ref := controller_ref(o)) is not None and ref.get("uid") == uid]


def related_for(ctx, obj: dict) -> dict:
    kind = obj["kind"]
    if kind == "Deployment":
        rss = owned(ctx, obj, "ReplicaSet")
        new = du.find_new_replica_set(obj, rss)
        _, all_old = du.find_old_replica_sets(obj, rss)
        return {"old_replicasets": du.by_creation(all_old), "new_replicaset": new}
    if kind in ("ReplicaSet", "ReplicationController"):
        return {"pods": owned(ctx, obj, "Pod")}
    if kind == "Service":
        m = obj["metadata"]
        return {"endpoints": ctx.eng.store.get("Endpoints", m.get("namespace", ""), m["name"])}
    return {}


def describe_object(ctx, obj: dict, show_events: bool = True) -> str:
    kind = obj["kind"]
    if kind not in DESCRIBABLE:
        k = kinds.by_kind(kind)
        raise CLIError(f"describing {k.plural if k else kind} is not available in this simulator")
    events = events_for(ctx, obj) if show_events else None
    return render(kind, obj, PrintContext(ctx.eng.epoch, ctx.now), events, related_for(ctx, obj))


def _list(ctx, rt, ns, selector: str) -> list[dict]:
    kind = served(rt)
    if kind is None:
        return []
    match = compile_selectors(kind, selector, "")
    return [o for o in ctx.eng.store.list(kind, ns if rt.namespaced else "") if match(o)]


def run_describe(ctx, inv):
    all_ns = bool(inv.flags.get("all-namespaces"))
    ns = namespace(inv)
    scope = None if all_ns else ns
    selector = inv.flags.get("selector") or ""
    show_events = inv.flags.get("show-events", True)
    errors: list[KubeError] = []
    found: list[dict] = []
    if inv.flags.get("filename"):
        for _, item in read_file_objects(ctx, inv):
            if isinstance(item, KubeError):
                errors.append(aggregated(item))
                continue
            k = kinds.by_kind(item.get("kind", ""))
            name = (item.get("metadata") or {}).get("name", "")
            obj_ns = object_namespace(item, inv)
            obj = ctx.eng.store.get(item["kind"], obj_ns if k and k.namespaced else "", name) if k else None
            if obj is None:
                errors.append(NotFound(k.resource if k else str(item.get("kind", "")).lower() + "s", name))
            else:
                found.append(obj)
    args = resources.parse_resource_args(inv.args)
    if args.has_names and selector:
        raise CLIError("name cannot be provided when a selector is specified")
    missing: NotFound | None = None
    for rt, name in args.items:
        if name is None:
            found.extend(_list(ctx, rt, scope, selector))
            continue
        obj = None
        kind = served(rt)
        if kind is not None:
            obj = ctx.eng.store.get(kind, ns if rt.namespaced else "", name)
        if obj is None:
            err = NotFound(rt.resource, name)
            missing = missing or err
            errors.append(err)
        else:
            found.append(obj)
    # describe.go: a NotFound with exactly `TYPE NAME` falls back to every object whose name starts with NAME
    if missing is not None and len(inv.args) == 2 and not inv.flags.get("filename"):
        rt = resources.parse_resource_args(inv.args[:1]).types
        if len(rt) != 1:
            raise CLIError("you must specify only one resource")
        matches = [o for o in _list(ctx, rt[0], ns, "") if o["metadata"]["name"].startswith(inv.args[1])]
        if not matches:
            raise missing
        ctx.out("".join(describe_object(ctx, o, show_events) + "\n" for o in matches))
        return None
    texts: list[str] = []
    seen_errors: set[str] = set()
    for obj in found:
        try:
            texts.append(describe_object(ctx, obj, show_events))
        except KubeError as err:
            if err.render() not in seen_errors:
                seen_errors.add(err.render())
                errors.append(err)
    ctx.out("\n\n".join(texts))
    if not found and not errors:
        ctx.err("No resources found\n" if all_ns else f"No resources found in {ns} namespace.\n")
    for err in errors:
        ctx.err(err.render() + "\n")
    ctx.exit_code = 1 if errors else 0
    return None


HANDLES = {
    ("describe",): run_describe,
}
