"""`kubectl scale` (kubectl pkg/cmd/scale/scale.go): the scale subresource of deployments,
replicasets, replicationcontrollers; prints `<kind>/<name> scaled` even when nothing changed."""
from __future__ import annotations

from ...api.errors import CLIError
from ...objects import clone
from .common import dry_run_mode, dry_suffix, name_of, objects_for_args

SCALABLE = {"Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"}


def run_scale(ctx, inv):
    mode = dry_run_mode(inv)
    replicas = int(inv.flags.get("replicas", -1))
    current = int(inv.flags.get("current-replicas", -1))
    targets = objects_for_args(ctx, inv)
    if not targets:
        raise CLIError("no objects passed to scale")
    for rt, obj in targets:
        if obj["kind"] not in SCALABLE:
            raise CLIError(f"cannot scale {rt.resource}: the object has no scale subresource")
        have = (obj.get("spec") or {}).get("replicas", 1)
        if current >= 0 and current != have:
            raise CLIError(f"Expected replicas to be {current}, was {have}")
        if mode == "none":
            new = clone(obj)
            new["spec"]["replicas"] = replicas
            ctx.eng.api.update(new)
            ctx.eng.settle()
        ctx.out(f"{name_of(obj)} scaled{dry_suffix(mode)}\n")


HANDLES = {
    ('scale',): run_scale,
}
