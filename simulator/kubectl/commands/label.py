"""`kubectl label` and `kubectl annotate` (kubectl pkg/cmd/label/label.go, pkg/cmd/annotate/annotate.go).

Both visit every object named by TYPE NAME… / TYPE -l sel / TYPE --all / -f FILE and merge-patch its
metadata. The visitor continues on error (cli-runtime ContinueOnError): objects before and after a
failing one are still changed, and the errors are printed at the end with exit code 1.

Messages (label.go updateDataChangeMsg, v0.34.5): `labeled` when the object changed, `unlabeled` when
its JSON got shorter without --overwrite, `not labeled` (nothing changed). annotate always says `annotated`.
Conflicts without --overwrite: label.go validateNoOverwrites (only a *different* value conflicts),
annotate.go validateNoAnnotationOverwrites (any existing key conflicts, except
kubernetes.io/change-cause).
"""
from __future__ import annotations

from ...api import kinds
from ...api.errors import CLIError, Conflict, KubeError
from ...objects import clone
from .. import cli, resources
from ..selectors import label_value_errors
from .common import dry_run_mode, with_change_cause
from .output import check_output_format, emit

CHANGE_CAUSE = "kubernetes.io/change-cause"


# ---- argument parsing ---------------------------------------------------------------------------

def parse_labels(specs: list[str]) -> tuple[dict, list[str]]:
    """label.go parseLabels."""
    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise CLIError(f"invalid label spec: {spec}")
            errs = label_value_errors(parts[1])
            if errs:
                raise CLIError(f"invalid label value: {cli.go_quote(spec)}: {';'.join(errs)}")
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise CLIError(f"unknown label spec: {spec}")
    if any(r in labels for r in remove):
        raise CLIError("can not both modify and remove a label in the same command")
    return labels, remove


def parse_pairs(specs: list[str], pair_type: str) -> tuple[dict, list[str]]:
    """cmdutil.ParsePairs(…, supportRemove=true), used by annotate."""
    pairs: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            key, _, value = spec.partition("=")
            pairs[key] = value
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise CLIError(f"invalid {pair_type} format: {', '.join(invalid)}")
    both = [r for r in remove if r in pairs]
    if both:
        raise CLIError("can not both modify and remove the following annotation(s) in the same command: "
                       + ", ".join(both))
    return pairs, remove


# ---- which objects ----------------------------------------------------------------------------

def visit_targets(ctx, inv, resource_args: list[str]) -> tuple[list[dict], list[KubeError]]:
    """Objects named on the command line or in -f files (live ones; with --local, the file's own),
    and the errors met on the way (NotFound for missing names): the resource builder as label,
    annotate and the set commands build it (ResourceTypeOrNameArgs(o.all, …), simulator/kubectl/builder.py)."""
    from ..builder import LOCAL_RESOURCE, select

    local = bool(inv.flags.get("local"))
    if local and resource_args:
        raise CLIError(LOCAL_RESOURCE)
    if not resource_args and not inv.flags.get("filename"):
        return [], []
    found = select(ctx, inv, resource_args, allow_empty_selector=bool(inv.flags.get("all")), local=local)
    return found.objects, found.errors


def _write(ctx, inv, old: dict, new: dict, mode: str) -> dict:
    """Send the changed object (merge patch of metadata) unless this is a client-side run."""
    rv = inv.flags.get("resource-version") or ""
    if rv and rv != old["metadata"].get("resourceVersion"):
        m = old["metadata"]
        k = kinds.by_kind(old["kind"])
        raise Conflict(f'Operation cannot be fulfilled on {k.resource if k else old["kind"]} "{m["name"]}": the '
                       "object has been modified; please apply your changes to the latest version and try again")
    if mode == "client" or inv.flags.get("local"):
        return new
    out = ctx.eng.api.update(new, dry_run=(mode == "server"))
    ctx.eng.settle()
    return out


def _set_map(obj: dict, field: str, values: dict) -> None:
    if values:
        obj["metadata"][field] = values
    else:
        obj["metadata"].pop(field, None)


def _finish(ctx, errors: list[KubeError]) -> None:
    for err in errors:
        ctx.err(err.render() + "\n")
    ctx.exit_code = 1 if errors else 0


def _list_values(ctx, obj: dict, field: str, what: str, one: bool) -> None:
    """--list: `key=value` per entry; several objects get a `Listing labels for Kind.group/name:` header."""
    indent = ""
    if not one:
        indent = " "
        k = kinds.by_kind(obj["kind"])
        ctx.out(f"Listing {what} for {obj['kind']}.{k.group if k else ''}/{obj['metadata']['name']}:\n")
    values = obj["metadata"].get(field) or {}
    ctx.out("".join(f"{indent}{k}={values[k]}\n" for k in sorted(values)))


def _single_item(inv, resource_args: list[str]) -> bool:
    """Builder IntoSingleItemImplied: one TYPE/NAME or TYPE NAME, no selector, no files."""
    if inv.flags.get("filename") or inv.flags.get("selector") or inv.flags.get("all"):
        return False
    try:
        parsed = resources.parse_resource_args(resource_args)
    except KubeError:
        return False
    return len(parsed.items) == 1 and parsed.items[0][1] is not None


# ---- label -------------------------------------------------------------------------------------

def _json_bytes(obj: dict) -> bytes:
    import json

    return json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def label_message(old_obj: dict, new_obj: dict, overwrite: bool) -> str:
    """label.go updateDataChangeMsg (v0.34.5) on the JSON of the whole object before and after:
    different → `labeled`, and `unlabeled` when it got shorter without --overwrite (so adding
    and removing at once says `labeled` or `unlabeled` by size); the same → `not labeled`."""
    old, new = _json_bytes(old_obj), _json_bytes(new_obj)
    if old == new:
        return "not labeled"
    if not overwrite and len(new) < len(old):
        return "unlabeled"
    return "labeled"


def run_label(ctx, inv):
    mode = dry_run_mode(inv)
    res_args, pairs = cli.resources_and_pairs(inv.args, "label")
    new_labels, remove = parse_labels(pairs)
    if inv.flags.get("list") and inv.flags.get("output"):
        raise CLIError("--list and --output may not be specified together")
    check_output_format(inv, ctx)
    if inv.flags.get("local") and mode == "server":
        raise CLIError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    one = _single_item(inv, res_args)
    if not one and inv.flags.get("resource-version"):
        raise CLIError("--resource-version may only be used with a single resource")
    objs, errors = visit_targets(ctx, inv, res_args)
    client_side = mode == "client" or inv.flags.get("local") or inv.flags.get("list")
    for obj in objs:
        try:
            old_labels = dict(obj["metadata"].get("labels") or {})
            if not inv.flags.get("overwrite"):
                conflicts = [f"'{k}' already has a value ({old_labels[k]}), and --overwrite is false"
                             for k, v in new_labels.items() if k in old_labels and old_labels[k] != v]
                if conflicts:
                    raise CLIError(conflicts[0] if len(conflicts) == 1 else "[" + ", ".join(conflicts) + "]")
            if not client_side:
                for key in remove:
                    if key not in old_labels:
                        ctx.out(f"label {cli.go_quote(key)} not found.\n")
            labels = {**old_labels, **new_labels}
            for key in remove:
                labels.pop(key, None)
            new = clone(obj)
            _set_map(new, "labels", labels)
            if not client_side:
                new = with_change_cause(new, inv)
            message = label_message(obj, new, bool(inv.flags.get("overwrite")))
            result = new if client_side else _write(ctx, inv, obj, new, mode)
            if inv.flags.get("list"):
                _list_values(ctx, result, "labels", "labels", one)
                continue
            emit(ctx, inv, result, message, mode)
        except KubeError as err:
            errors.append(err)
    _finish(ctx, errors)


# ---- annotate ----------------------------------------------------------------------------------

def run_annotate(ctx, inv):
    mode = dry_run_mode(inv)
    res_args, pairs = cli.resources_and_pairs(inv.args, "annotation")
    new_anns, remove = parse_pairs(pairs, "annotation")
    if inv.flags.get("list") and inv.flags.get("output"):
        raise CLIError("--list and --output may not be specified together")
    check_output_format(inv, ctx)
    one = _single_item(inv, res_args)
    if not one and inv.flags.get("resource-version"):
        raise CLIError("--resource-version may only be used with a single resource")
    objs, errors = visit_targets(ctx, inv, res_args)
    client_side = mode == "client" or inv.flags.get("local")
    for obj in objs:
        try:
            old_anns = dict(obj["metadata"].get("annotations") or {})
            if not inv.flags.get("overwrite"):
                found = [f"'{k}' already has a value ({old_anns[k]})" for k in new_anns
                         if k != CHANGE_CAUSE and k in old_anns]
                if found:
                    raise CLIError("--overwrite is false but found the following declared annotation(s): "
                                   + "; ".join(found))
            new = clone(obj)
            if not client_side:
                new = with_change_cause(new, inv)
            anns = {**(new["metadata"].get("annotations") or {}), **new_anns}
            for key in remove:
                anns.pop(key, None)
            _set_map(new, "annotations", anns)
            result = new if client_side else _write(ctx, inv, obj, new, mode)
            if inv.flags.get("list"):
                _list_values(ctx, result, "annotations", "annotations", one)
                continue
            emit(ctx, inv, result, "annotated", mode)
        except KubeError as err:
            errors.append(err)
    _finish(ctx, errors)


HANDLES = {
    ("label",): run_label,
    ("annotate",): run_annotate,
}
