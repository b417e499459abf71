"""The `scale` subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and
ReplicationControllers: pkg/registry/apps/deployment/storage/storage.go scaleFromDeployment
(status.selector is the LabelSelectorAsSelector string), replicaset and core/replicationcontroller
storage likewise; an update writes spec.replicas back (ValidateScale: non-negative)."""
from __future__ import annotations

import copy

from simulator import labels
from simulator.api.errors import Invalid
from simulator.api.validation import NEGATIVE_MSG, _i, invalid

SCALABLE = {"Deployment", "ReplicaSet", "ReplicationController"}


def scale_of(obj: dict) -> dict:
    meta, spec, status = obj["metadata"], obj.get("spec") or {}, obj.get("status") or {}
    if obj["kind"] == "ReplicationController":
        selector = labels.format_labels(spec.get("selector"))
    else:
        selector = labels.selector_string(spec.get("selector"))
    out_meta = {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                if k in meta}
    return {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": out_meta,
            "spec": {"replicas": _i(spec.get("replicas"), 1)},
            "status": {"replicas": _i(status.get("replicas")), "selector": selector}}


def object_with_scale(obj: dict, scale: dict) -> dict:
    """The object after a write to its scale subresource: only spec.replicas changes (and the
    resourceVersion precondition the Scale carries)."""
    replicas = (scale.get("spec") or {}).get("replicas", 0)
    if isinstance(replicas, int) and not isinstance(replicas, bool) and replicas < 0:
        raise Invalid("Scale", obj["metadata"]["name"], [invalid("spec.replicas", replicas, NEGATIVE_MSG)])
    new = copy.deepcopy(obj)
    new["spec"]["replicas"] = replicas
    rv = (scale.get("metadata") or {}).get("resourceVersion")
    if rv:
        new["metadata"]["resourceVersion"] = rv
    return new
