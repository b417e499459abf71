"""`kubectl patch` (kubectl pkg/cmd/patch/patch.go).

The body goes through kubectl's yaml.ToJSON and then the API server's PATCH handler
(simulator/api/patch_handler.py apply_patch_request); the result is validated and stored by
ctx.eng.api.update like any update. `patched` or `patched (no change)` comes from comparing the
object before and after (`didPatch := !reflect.DeepEqual(info.Object, patchedObj)`).
Errors for one object do not stop the others (ContinueOnError); they are printed at the end.
"""
from __future__ import annotations

from ...api import kinds
from ...api.errors import CLIError, Conflict, JSONPatchError, KubeError, NotFound, StatusError
from ...api.patch_handler import apply_patch_request, go_unmarshal
from ...api.scale import SCALABLE, object_with_scale, scale_of
from ...objects import clone
from ...patching.goish import json_kind
from ...patching.jsonmerge import json_merge_patch
from ...patching.jsonpatch import json_patch
from ...patching.strategic import strategic_merge_patch
from .. import resources
from ..patch_body import patch_body
from ..printers import go_template, serialize
from .common import (dry_run_mode, dry_suffix, get_object, name_of, namespace, object_namespace,
                     read_file_objects)

PATCH_TYPES = ("json", "merge", "strategic")

# kinds served here with a status subresource
STATUS_KINDS = {"Deployment", "ReplicaSet", "ReplicationController", "Pod", "Service", "Namespace", "Node"}


def read_patch_text(ctx, inv) -> str:
    """The -p value, or the --patch-file contents (os.ReadFile's error when it is missing)."""
    path = inv.flags.get("patch-file") or ""
    if not path:
        return inv.flags.get("patch") or ""
    if path not in ctx.files:
        raise CLIError(f"unable to read patch file: open {path}: no such file or directory")
    return ctx.files[path]


def _targets(ctx, inv) -> list[tuple[str, dict | KubeError, str | None]]:
    """(name to report, live or local object or the error for it, source file)."""
    out: list = []
    local = bool(inv.flags.get("local"))
    if inv.flags.get("filename"):
        for source, item in read_file_objects(ctx, inv):
            if isinstance(item, KubeError):
                out.append(("", item, source))
                continue
            try:
                obj = clone(item)
                ns = object_namespace(obj, inv)
                if ns:
                    obj.setdefault("metadata", {})["namespace"] = ns
                if local:
                    out.append(("", obj, source))
                    continue
                k = kinds.by_kind(obj["kind"])
                name = (obj.get("metadata") or {}).get("name", "")
                live = ctx.eng.store.get(obj["kind"], ns, name)
                out.append(("", live if live is not None else NotFound(k.resource if k else obj["kind"], name),
                            source))
            except KubeError as err:
                out.append(("", err, source))
        return out
    if local:
        raise CLIError("cannot specify --local and server resources")
    parsed = resources.parse_resource_args(inv.args)
    ns = namespace(inv)
    for rt, name in parsed.items:
        if name is None:
            raise CLIError("resource(s) were provided, but no name was specified")
        try:
            out.append((name, get_object(ctx, rt, ns, name), None))
        except KubeError as err:
            out.append((name, err, None))
    return out


def print_result(ctx, inv, obj: dict, operation: str, mode: str) -> None:
    """cli-runtime PrintFlags as patch/apply/replace/edit build them: -o yaml|json|name|jsonpath=…,
    else the name printer `<kind>.<group>/<name> <operation>[ (dry run)]`."""
    fmt = inv.flags.get("output") or ""
    template = go_template.load(ctx, inv)
    if template is not None:
        go_template.render(ctx, inv, template, obj)
    elif fmt == "yaml":
        from .output import yaml_document

        ctx.out(yaml_document(ctx, inv, obj))
    elif fmt == "json":
        ctx.out(serialize.to_json(obj))
    elif fmt == "name":
        ctx.out(name_of(obj) + "\n")
    elif fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        from ..jsonpath import render_jsonpath

        ctx.out(render_jsonpath(fmt.split("=", 1)[1], obj))
    elif fmt in ("jsonpath", "jsonpath-as-json"):
        raise CLIError(f"{fmt} template format specified but no template given")
    elif fmt:
        raise CLIError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats '
                       "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
                       "template,templatefile,yaml")
    else:
        ctx.out(f"{name_of(obj)} {operation}{dry_suffix(mode)}\n")


def _record(obj: dict, inv) -> dict:
    """MakeRecordMergePatch: a second (merge) patch setting kubernetes.io/change-cause."""
    from .. import cli

    if not inv.flags.get("record"):
        return obj
    out = clone(obj)
    out.setdefault("metadata", {}).setdefault("annotations", {})["kubernetes.io/change-cause"] = \
        cli.record_string(inv)
    return out


def patch_object(ctx, live: dict, patch_type: str, body: str, mode: str,
                 subresource: str = "") -> tuple[dict, bool]:
    """Send the PATCH for one live object; (the object the server answers with, changed?)."""
    if subresource == "scale":
        return _patch_scale(ctx, live, patch_type, body, mode)
    merged, warnings = apply_patch_request(live, patch_type, body)
    for w in warnings:
        ctx.warn(f"Warning: {w}")
    meta, old_meta = merged.get("metadata") or {}, live["metadata"]
    k = kinds.by_kind(live["kind"])
    resource = k.resource if k else live["kind"]
    if meta.get("resourceVersion") not in (None, old_meta.get("resourceVersion")):
        raise Conflict(f'Operation cannot be fulfilled on {resource} "{old_meta["name"]}": the object has been '
                       "modified; please apply your changes to the latest version and try again")
    if meta.get("name") != old_meta["name"]:
        # apiserver handlers/rest.go checkName
        raise StatusError(f'the name of the object ({meta.get("name") or ""}) does not match the name on the '
                          f'URL ({old_meta["name"]})', "BadRequest", 400)
    if meta.get("namespace", old_meta.get("namespace")) != old_meta.get("namespace") and old_meta.get("namespace"):
        raise StatusError("the namespace of the provided object does not match the namespace sent on the "
                          "request", "BadRequest", 400)
    merged["kind"], merged["apiVersion"] = live["kind"], live["apiVersion"]
    if mode == "client":
        return merged, merged != live
    if subresource == "status":
        result = ctx.eng.api.update_status_subresource(merged, dry_run=(mode == "server"))
    else:
        result = ctx.eng.api.update(merged, dry_run=(mode == "server"))
    if mode == "none":
        ctx.eng.settle()
    return result, result != live


def _patch_scale(ctx, live: dict, patch_type: str, body: str, mode: str) -> tuple[dict, bool]:
    """PATCH `<resource>/scale`: the patch applies to the autoscaling/v1 Scale, whose
    spec.replicas is written back; the answer is the Scale (`scale.autoscaling/<name> patched`)."""
    before = scale_of(live)
    merged, _ = apply_patch_request(before, patch_type, body)
    new = object_with_scale(live, merged)
    if mode == "none" or mode == "server":
        stored = ctx.eng.api.update(new, dry_run=(mode == "server"))
        if mode == "none":
            ctx.eng.settle()
        after = scale_of(stored)
    else:
        after = scale_of(new)
    return after, after != before


def _check_subresource(live: dict, subresource: str) -> None:
    """What the server serves: `status` for the kinds with a status, `scale` for the scalable
    ones; anything else is a 404 for the GET kubectl sends first."""
    if not subresource:
        return
    if (subresource == "status" and live["kind"] in STATUS_KINDS) or \
            (subresource == "scale" and live["kind"] in SCALABLE):
        return
    raise StatusError("the server could not find the requested resource", "NotFound", 404)


def run_patch(ctx, inv):
    mode = dry_run_mode(inv)
    local = bool(inv.flags.get("local"))
    if local and mode == "server":
        raise CLIError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    patch_type = (inv.flags.get("type") or "strategic").lower()
    body = patch_body(read_patch_text(ctx, inv), inv.flags.get("patch") or "")
    errors: list[str] = []
    count = 0
    for _, target, source in _targets(ctx, inv):
        try:
            if isinstance(target, KubeError):
                raise target
            count += 1
            if local:
                merged = _local_patch(target, patch_type, body)
                print_result(ctx, inv, merged, "patched" if merged != target else "patched (no change)", mode)
                continue
            subresource = inv.flags.get("subresource") or ""
            _check_subresource(target, subresource)
            result, changed = patch_object(ctx, target, patch_type, body, mode, subresource)
            if mode == "none" and inv.flags.get("record"):
                # a second, merge patch (no resourceVersion) on the object as it is now
                m = result["metadata"]
                result = ctx.eng.store.get(result["kind"], m.get("namespace", ""), m["name"]) or result
                recorded = _record(result, inv)
                if recorded != result:
                    result = ctx.eng.api.update(recorded)
                    ctx.eng.settle()
            print_result(ctx, inv, result, "patched" if changed else "patched (no change)", mode)
        except StatusError as err:
            errors.append((err.with_source("patching", source) if source and not local else err).render())
        except KubeError as err:
            errors.append(err.render())
    if count == 0 and not errors:
        raise CLIError("no objects passed to patch")
    for line in errors:
        ctx.err(line + "\n")
    ctx.exit_code = 1 if errors else 0


def _local_patch(obj: dict, patch_type: str, body: str) -> dict:
    """--local (patch.go getPatchedJSON): the patch is applied in kubectl, errors are `error: …`."""
    try:
        if patch_type == "json":
            ops = go_unmarshal(body)
            try:
                return json_patch(obj, ops)
            except JSONPatchError as err:
                detail = err.detail
                if "doc is missing key" in detail:
                    detail = f"Object to be patched is missing field ({detail[detail.index('key:') + 5:]})"
                raise CLIError(detail) from None
        patch = go_unmarshal(body)
        if patch_type == "merge":
            return json_merge_patch(obj, patch)
        if not isinstance(patch, dict):
            raise CLIError(f"json: cannot unmarshal {json_kind(patch)} into Go value of type "
                           "map[string]interface {}")
        return strategic_merge_patch(obj, patch, obj.get("kind"))
    except StatusError as err:
        raise CLIError(err.message) from None


HANDLES = {
    ("patch",): run_patch,
}
