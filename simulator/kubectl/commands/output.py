"""How the mutating verbs (label, annotate, expose, run, create <generator>, set …) print their
result: cli-runtime PrintFlags. No -o → the name printer with the verb's operation
(`pod/kubia labeled`, `(dry run)` appended for --dry-run=client); `-o name` → the short name only;
`-o yaml|json|jsonpath=…` → the object itself (what was, or would be, sent/returned)."""
from __future__ import annotations

from ...api.errors import CLIError
from ..printers import go_template, serialize
from .common import dry_suffix, name_of

ALLOWED = ("json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, "
           "jsonpath-as-json, jsonpath-file")


def check_output_format(inv, ctx=None) -> str:
    """The -o value, refused early (before anything is written) when kubectl has no such printer;
    a Go template is read and parsed here, as the printer is built before the command runs."""
    fmt = inv.flags.get("output") or ""
    if ctx is not None and go_template.load(ctx, inv) is not None:
        return "go-template"
    if fmt in ("", "name", "yaml", "json") or fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        return fmt
    if fmt == "jsonpath":
        raise CLIError(f'output format "{fmt}" is not supported in this simulator')
    # genericclioptions.NoCompatiblePrinterError
    raise CLIError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                   "json,yaml,name,go-template,go-template-file,template,templatefile,jsonpath,"
                   "jsonpath-as-json,jsonpath-file")


def emit(ctx, inv, obj: dict, operation: str, mode: str = "none") -> None:
    fmt = inv.flags.get("output") or ""
    template = go_template.load(ctx, inv)
    if template is not None:
        go_template.render(ctx, inv, template, obj)
    elif fmt == "yaml":
        ctx.out(yaml_document(ctx, inv, obj))
    elif fmt == "json":
        ctx.out(serialize.to_json(obj))
    elif fmt == "name":
        ctx.out(name_of(obj) + "\n")
    elif fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        from ..jsonpath import render_jsonpath

        ctx.out(render_jsonpath(fmt.split("=", 1)[1], obj))
    else:
        ctx.out(f"{name_of(obj)} {operation}{dry_suffix(mode)}\n")


def yaml_document(ctx, inv, obj: dict) -> str:
    """cli-runtime printers/yaml.go: every object after the first one a command prints is
    preceded by `---`."""
    counts = ctx.__dict__.setdefault("_yaml_printed", {})
    n = counts.get(id(inv), 0)
    counts[id(inv)] = n + 1
    return ("---\n" if n else "") + serialize.to_yaml(obj)
