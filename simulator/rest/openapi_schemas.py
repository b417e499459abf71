"""OpenAPI v3 component schemas for the served kinds, built from the simulator's own data: the
fields and types the API server decodes (api/schema.py STRUCTS), the list merge strategies kubectl
apply needs (api/schema.py PATCH_TAGS: x-kubernetes-patch-strategy / -merge-key), and the field
descriptions `kubectl explain` prints (kubectl/explain.py). With these the real kubectl explains
fields and computes apply's strategic-merge patches from OpenAPI v3 exactly as from its compiled-in
types (apply/patcher.go buildStrategicMergePatchFromOpenAPIV3)."""
from __future__ import annotations

from functools import lru_cache

from ..api import kinds as served_kinds
from ..api import schema as api_schema
from ..kubectl import explain as explain_data
from ..api.schema import PATCH_TAGS

_APPS = {"Deployment", "DeploymentSpec", "DeploymentStrategy", "RollingUpdateDeployment", "DeploymentStatus",
         "DeploymentCondition", "ReplicaSet", "ReplicaSetSpec", "ReplicaSetStatus", "ReplicaSetCondition"}
_META = {"ObjectMeta", "OwnerReference", "ManagedFieldsEntry", "LabelSelector", "LabelSelectorRequirement",
         "Condition"}
_SCALARS = {"string": {"type": "string"}, "int32": {"type": "integer", "format": "int32"},
            "int64": {"type": "integer", "format": "int64"}, "bool": {"type": "boolean"}}
_CUSTOM = {
    # kube-openapi OpenAPIV3OneOfTypes: no single type, so explain names them <IntOrString>, <Quantity>
    "intstr": ("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
               {"description": "IntOrString is a type that can hold an int32 or a string.",
                "oneOf": [{"type": "integer"}, {"type": "string"}], "x-kubernetes-int-or-string": True}),
    "quantity": ("io.k8s.apimachinery.pkg.api.resource.Quantity",
                 {"description": "Quantity is a fixed-point representation of a number.",
                  "oneOf": [{"type": "string"}, {"type": "number"}]}),
    "time": ("io.k8s.apimachinery.pkg.apis.meta.v1.Time",
             {"description": "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.",
              "type": "string", "format": "date-time"}),
    "raw": ("io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
            {"description": "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.",
             "type": "object"}),
}


def schema_name(struct: str) -> str:
    if struct in _APPS:
        return f"io.k8s.api.apps.v1.{struct}"
    if struct in _META:
        return f"io.k8s.apimachinery.pkg.apis.meta.v1.{struct}"
    return f"io.k8s.api.core.v1.{struct}"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _type(t, out: dict) -> dict:
    if isinstance(t, api_schema.Scalar):
        return dict(_SCALARS.get(t.go, {"type": "string"}))
    if isinstance(t, api_schema.Custom):
        name, body = _CUSTOM[t.name]
        out.setdefault(name, body)
        return {"allOf": [_ref(name)]}
    if isinstance(t, api_schema.ListOf):
        return {"type": "array", "items": _type(t.elem, out)}
    if isinstance(t, api_schema.MapOf):
        return {"type": "object", "additionalProperties": _type(t.elem, out)}
    _struct(t.struct, out)
    return {"allOf": [_ref(schema_name(t.struct))], "default": {}}


def _struct(struct: str, out: dict) -> None:
    name = schema_name(struct)
    if name in out:
        return
    out[name] = {"type": "object", "properties": {}}  # placed first: recursive types terminate
    props = {field: _type(t, out) for field, t in sorted(api_schema.STRUCTS[struct].items())}
    out[name]["properties"] = props


def _annotate_patch(kind: str, out: dict) -> None:
    """The API's patchStrategy/patchMergeKey tags (api/schema.py PATCH_TAGS) onto the fields of
    every struct reachable from `kind` (kubectl's strategic merge reads them from OpenAPI)."""
    seen: set[str] = set()

    def walk(struct: str) -> None:
        if struct in seen or schema_name(struct) not in out:
            return
        seen.add(struct)
        props = out[schema_name(struct)]["properties"]
        for field, t in api_schema.STRUCTS.get(struct, {}).items():
            strategies, key = PATCH_TAGS.get((struct, field), ((), ""))
            if field in props and strategies:
                props[field]["x-kubernetes-patch-strategy"] = ",".join(strategies)
            if field in props and key:
                props[field]["x-kubernetes-patch-merge-key"] = key
            inner = t.elem if isinstance(t, (api_schema.ListOf, api_schema.MapOf)) else t
            if isinstance(inner, api_schema.Ref):
                walk(inner.struct)

    walk(kind)


def _annotate_explain(kind: str, out: dict) -> None:
    """explain.py's descriptions (and -required- marks) onto the same fields."""
    def walk(struct: str, node) -> None:
        children = node[2]
        schema = out[schema_name(struct)]
        fields = api_schema.STRUCTS.get(struct, {})
        required = []
        for field, child in children.items():
            if field not in schema["properties"]:
                continue
            schema["properties"][field]["description"] = child[1]
            if len(child) > 3 and child[3] == "required":
                required.append(field)
            t = fields.get(field)
            inner = t.elem if isinstance(t, api_schema.ListOf) else t
            if child[2] and isinstance(inner, api_schema.Ref):
                walk(inner.struct, child)
        if required:
            schema["required"] = sorted(required)

    node = explain_data.SCHEMAS.get(kind)
    if node is not None:
        out[schema_name(kind)]["description"] = node[1]  # the kind's own text; nested types have none here
        walk(kind, node)


@lru_cache(maxsize=None)
def schemas_for(group: str, version: str) -> dict:
    out: dict = {}
    for k in served_kinds.KINDS:
        if (k.group, k.version) != (group, version) or k.kind not in api_schema.STRUCTS:
            continue
        _struct(k.kind, out)
        top = out[schema_name(k.kind)]
        top["x-kubernetes-group-version-kind"] = [{"group": group, "kind": k.kind, "version": version}]
        _annotate_patch(k.kind, out)
        _annotate_explain(k.kind, out)
    return out
