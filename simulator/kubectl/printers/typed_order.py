"""Key order of an object that kubectl decoded into a Go struct and printed as JSON: struct field
order (encoding/json), maps sorted by key. Where kubectl prints typed objects (the rollout history
viewer's ReplicaSets, kubectl pkg/polymorphichelpers/history.go), `-o json` follows the struct,
not the sorted keys of an unstructured object. Field orders come from the generated.proto messages
(rest/proto_schema.py, which list fields in struct order) plus the types below (k8s.io/api
apps/v1 and meta/v1 types.go)."""
from __future__ import annotations

from simulator.rest.proto_schema import MESSAGES

_STRUCTS: dict[str, list[tuple[str, str]]] = {
    "ReplicaSet": [("kind", "s"), ("apiVersion", "s"), ("metadata", "m:ObjectMeta"),
                   ("spec", "m:ReplicaSetSpec"), ("status", "m:ReplicaSetStatus")],
    "ReplicaSetSpec": [("replicas", "i"), ("minReadySeconds", "i"), ("selector", "m:LabelSelector"),
                       ("template", "m:PodTemplateSpec")],
    "ReplicaSetStatus": [("replicas", "i"), ("fullyLabeledReplicas", "i"), ("readyReplicas", "i"),
                         ("availableReplicas", "i"), ("terminatingReplicas", "i"), ("observedGeneration", "i"),
                         ("conditions", "rm:ReplicaSetCondition")],
    "ReplicaSetCondition": [("type", "s"), ("status", "s"), ("lastTransitionTime", "s"), ("reason", "s"),
                            ("message", "s")],
    # metav1.OwnerReference: apiVersion comes first in the struct though its proto number is 5
    "OwnerReference": [("apiVersion", "s"), ("kind", "s"), ("name", "s"), ("uid", "s"), ("controller", "b"),
                       ("blockOwnerDeletion", "b")],
}


def _fields(message: str) -> list[tuple[str, str]] | None:
    if message in _STRUCTS:
        return _STRUCTS[message]
    spec = MESSAGES.get(message)
    return None if spec is None else list(spec.values())


def _value(code: str, v):
    repeated = code.startswith("r")
    code = code[1:] if repeated else code
    if repeated and isinstance(v, list):
        return [_value(code, x) for x in v]
    if code.startswith("map:") and isinstance(v, dict):
        inner = code[4:]
        return {k: _value(inner, v[k]) for k in sorted(v)}
    if code.startswith("m:"):
        return struct_ordered(v, code[2:])
    return v


def struct_ordered(obj, message: str):
    """`obj` with its keys in `message`'s struct order (unknown keys after, sorted)."""
    if not isinstance(obj, dict):
        return obj
    fields = _fields(message)
    if fields is None:
        return {k: struct_ordered(obj[k], "") if isinstance(obj[k], dict) else obj[k] for k in sorted(obj)}
    out = {}
    for name, code in fields:
        if name in obj:
            out[name] = _value(code, obj[name])
    for k in sorted(obj):
        if k not in out:
            out[k] = obj[k]
    return out
