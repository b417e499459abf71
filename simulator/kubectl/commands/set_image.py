"""`kubectl set image` (kubectl pkg/cmd/set/set_image.go).

Complete builds the objects (simulator/kubectl/builder.py, ResourceTypeOrNameArgs(o.All, …),
--local without resource arguments), Validate collects its errors, Run changes every container
named (`*` = all of them) and aggregates the errors (an object is still updated for the
containers that were found)."""
from __future__ import annotations

from ...api.errors import CLIError, KubeError, RawError
from ...objects import clone
from .. import cli
from ..builder import LOCAL_RESOURCE, select
from .common import dry_run_mode, with_change_cause
from .output import check_output_format, emit
from .set_misc import _object_name, pod_spec_of


def _aggregate(errors: list[str]) -> KubeError:
    """utilerrors.NewAggregate as checkErr prints it: one error → `error: …`, several → one per
    line, as they are (MultipleErrors with an empty prefix)."""
    if len(errors) == 1:
        return CLIError(errors[0])
    return RawError("".join(e + "\n" for e in errors).rstrip("\n"))


def _images(pairs: list[str]) -> dict[str, str]:
    """cmdutil.ParsePairs(imageArgs, "image", false): NAME=IMAGE pairs; anything else is
    `invalid image format: …`."""
    images: dict[str, str] = {}
    invalid = []
    for p in pairs:
        if "=" in p and not p.startswith("="):
            name, _, image = p.partition("=")
            images[name] = image
        else:
            invalid.append(p)
    if invalid:
        raise CLIError("invalid image format: " + ", ".join(invalid))
    return images


def run_set_image(ctx, inv):
    mode = dry_run_mode(inv)
    local = bool(inv.flags.get("local"))
    res_args, pairs = cli.resources_and_pairs(inv.args, "image")
    images = _images(pairs)
    check_output_format(inv, ctx)
    # Complete: the builder
    if local and res_args:
        raise CLIError(LOCAL_RESOURCE)
    found = None
    if res_args or inv.flags.get("filename"):
        found = select(ctx, inv, res_args, allow_empty_selector=bool(inv.flags.get("all")), local=local)
    # Validate
    problems = []
    if inv.flags.get("all") and inv.flags.get("selector"):
        problems.append("cannot set --all and --selector at the same time")
    if not res_args and not inv.flags.get("filename"):
        problems.append("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        problems.append("all containers are already specified by *, but saw more than one "
                        "container_name=container_image pairs")
    if local and mode == "server":
        problems.append("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if problems:
        raise _aggregate(problems)
    # Run
    errors = [e.render() for e in found.errors]
    for obj in found.objects:
        new = clone(obj)
        try:
            spec = pod_spec_of(new)
        except KubeError as err:
            errors.append(f"error: {_object_name(obj)} {err.render().removeprefix('error: ')}")
            continue
        for cname, image in images.items():
            hit = False
            for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
                if cname == "*" or c.get("name") == cname:
                    c["image"] = image
                    hit = True
            if not hit:
                errors.append(f'error: unable to find container named "{cname}"')
        if new == obj:
            continue
        if local or mode == "client":
            emit(ctx, inv, new, "image updated", mode)
            continue
        try:
            actual = ctx.eng.api.update(with_change_cause(new, inv), dry_run=(mode == "server"))
        except KubeError as err:
            errors.append(f"failed to patch image update to pod template: {err.render()}")
            continue
        ctx.eng.settle()
        emit(ctx, inv, actual, "image updated", mode)
    if errors:
        ctx.err(_aggregate(errors).render() + "\n")
        ctx.exit_code = 1


HANDLES = {
    ('set', 'image'): run_set_image,
}
