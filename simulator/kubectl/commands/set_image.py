"""`kubectl set image` (kubectl pkg/cmd/set/set_image.go)."""
from __future__ import annotations

from ...api.errors import CLIError
from ...objects import clone
from .. import resources
from .common import dry_run_mode, dry_suffix, get_object, name_of, namespace, with_change_cause


def _template_spec(obj: dict) -> dict | None:
    if obj["kind"] == "Pod":
        return obj.get("spec")
    return ((obj.get("spec") or {}).get("template") or {}).get("spec")


def run_set_image(ctx, inv):
    mode = dry_run_mode(inv)
    res_args = [a for a in inv.args if "=" not in a]
    pairs = [a for a in inv.args if "=" in a]
    if not pairs:
        raise CLIError("at least one image update is required")
    images = {}
    for p in pairs:
        name, _, image = p.partition("=")
        if not image:
            raise CLIError(f"invalid image update: {p}")
        images[name] = image
    parsed = resources.parse_resource_args(res_args)
    ns = namespace(inv)
    code = 0
    for rt, name in parsed.items:
        if name is None:
            raise CLIError("resource(s) were provided, but no name was specified")
        obj = get_object(ctx, rt, ns, name)
        new = clone(obj)
        spec = _template_spec(new)
        if spec is None:
            raise CLIError(f"cannot set image on {rt.resource}")
        containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
        changed = False
        for cname, image in images.items():
            hits = [c for c in containers if cname == "*" or c.get("name") == cname]
            if not hits:
                ctx.err(f'error: unable to find container named "{cname}"\n')
                code = 1
                continue
            for c in hits:
                if c.get("image") != image:
                    c["image"] = image
                    changed = True
        if changed:
            new = with_change_cause(new, inv)
            if mode == "none":
                ctx.eng.api.update(new)
                ctx.eng.settle()
            ctx.out(f"{name_of(obj)} image updated{dry_suffix(mode)}\n")
    ctx.exit_code = code


HANDLES = {
    ('set', 'image'): run_set_image,
}
