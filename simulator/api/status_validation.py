"""Validation of a user's write to the status subresource (`kubectl patch|replace
--subresource=status`): pkg/apis/apps/validation/validation.go ValidateDeploymentStatusUpdate,
ValidateReplicaSetStatusUpdate (and ValidateDeploymentStatus / ValidateReplicaSetStatus), core
validation ValidateReplicationControllerStatusUpdate; every kind checks ValidateObjectMetaUpdate."""
from __future__ import annotations

from simulator.api.validation import (
    IMMUTABLE_MSG, _d, _i, _nonnegative, _raise, _s, invalid, validate_annotations, validate_labels,
)

_GREATER = "cannot be greater than status.replicas"


def _object_meta_update(old: dict, new: dict) -> list:
    old_meta, new_meta = _d(old.get("metadata")), _d(new.get("metadata"))
    causes = []
    for key in ("name", "namespace", "uid"):
        if old_meta.get(key) and new_meta.get(key) != old_meta.get(key):
            causes.append(invalid(f"metadata.{key}", _s(new_meta.get(key)), IMMUTABLE_MSG))
    causes += validate_labels(new_meta.get("labels"), "metadata.labels")
    causes += validate_annotations(new_meta.get("annotations"), "metadata.annotations")
    return causes


def _replica_counts(status: dict, counted: tuple[str, ...], greater: tuple[str, ...]) -> list:
    causes = []
    for field in counted:
        causes += _nonnegative(status.get(field), f"status.{field}")
    replicas = _i(status.get("replicas"))
    for field in greater:
        if _i(status.get(field)) > replicas:
            causes.append(invalid(f"status.{field}", status[field], _GREATER))
    if _i(status.get("availableReplicas")) > _i(status.get("readyReplicas")):
        causes.append(invalid("status.availableReplicas", status["availableReplicas"],
                              "cannot be greater than readyReplicas"))
    return causes


def validate_status_update(old: dict, new: dict) -> None:
    """Raise Invalid with the causes the API server reports for a status write."""
    causes = _object_meta_update(old, new)
    status = _d(new.get("status"))
    kind = _s(new.get("kind"))
    if kind == "Deployment":
        causes += _replica_counts(
            status, ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                     "availableReplicas", "unavailableReplicas", "collisionCount"),
            ("updatedReplicas", "readyReplicas", "availableReplicas"))
        if _i(status.get("collisionCount")) < _i(_d(old.get("status")).get("collisionCount")):
            causes.append(invalid("status.collisionCount", _i(status.get("collisionCount")),
                                  "cannot be decremented"))
    elif kind in ("ReplicaSet", "ReplicationController"):
        causes += _replica_counts(
            status, ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
                     "observedGeneration"),
            ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"))
    _raise(new, causes)
