"""`kubectl scale` (kubectl pkg/cmd/scale/scale.go, pkg/scale/scale.go): the scale subresource of
deployments, replicasets, replicationcontrollers; prints `<kind>/<name> scaled` even when nothing
changed. Objects come from the resource builder (ResourceTypeOrNameArgs(o.All, …), -f without
Latest: the scaler reads the live size itself), preconditions are checked against the server."""
from __future__ import annotations

from ...api.errors import CLIError, NotFound
from ...objects import clone
from ..builder import select
from .common import dry_run_mode, with_change_cause
from .output import check_output_format, emit

SCALABLE = {"Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"}


def _live(ctx, obj: dict) -> dict:
    meta = obj["metadata"]
    live = ctx.eng.store.get(obj["kind"], meta.get("namespace", ""), meta.get("name", ""))
    if live is None:
        from ...api import kinds

        k = kinds.by_kind(obj["kind"])
        raise NotFound(k.resource if k else obj["kind"].lower() + "s", meta.get("name", ""))
    return live


def run_scale(ctx, inv):
    mode = dry_run_mode(inv)
    replicas = int(inv.flags.get("replicas", -1))
    current = int(inv.flags.get("current-replicas", -1))
    resource_version = inv.flags.get("resource-version") or ""
    if replicas < 0:
        raise CLIError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if current < -1:
        raise CLIError("The --current-replicas must specify an integer of -1 or greater")
    check_output_format(inv, ctx)
    found = select(ctx, inv, allow_empty_selector=bool(inv.flags.get("all")), latest=False)
    targets = found.targets
    if resource_version and len(targets) > 1:
        raise CLIError("cannot use --resource-version with multiple resources")
    if not targets:
        if found.errors:
            raise found.errors[0]
        raise CLIError("no objects passed to scale")
    for t in targets:
        obj = t.obj
        if obj["kind"] not in SCALABLE:
            name = t.rt.resource if t.rt is not None else obj["kind"].lower() + "s"
            raise CLIError(f"cannot scale {name}: the object has no scale subresource")
        if mode == "client":
            shown = clone(obj)
            shown.setdefault("spec", {})["replicas"] = replicas
            emit(ctx, inv, shown, "scaled", mode)
            continue
        live = _live(ctx, obj)
        have = (live.get("spec") or {}).get("replicas", 1)
        # pkg/scale/scale.go ScalePrecondition.ValidateReplicas (PreconditionError)
        if current >= 0 and current != have:
            raise CLIError(f"Expected replicas to be {current}, was {have}")
        if resource_version and resource_version != live["metadata"].get("resourceVersion"):
            raise CLIError(f"Expected resource version to be {resource_version}, was "
                           f"{live['metadata'].get('resourceVersion')}")
        new = clone(live)
        new["spec"]["replicas"] = replicas
        stored = ctx.eng.api.update(with_change_cause(new, inv), dry_run=(mode == "server"))
        if mode == "none":
            ctx.eng.settle()
        emit(ctx, inv, stored, "scaled", mode)
    if found.errors:
        raise found.errors[0]


HANDLES = {
    ('scale',): run_scale,
}
