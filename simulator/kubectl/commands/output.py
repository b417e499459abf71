"""How the mutating verbs (label, annotate, expose, run, create <generator>, set …) print their
result: cli-runtime PrintFlags. No -o → the name printer with the verb's operation
(`pod/kubia labeled`, `(dry run)` appended for --dry-run=client); `-o name` → the short name only;
`-o yaml|json|jsonpath=…` → the object itself (what was, or would be, sent/returned)."""
from __future__ import annotations

from ...api.errors import CLIError
from ..printers import serialize
from .common import dry_suffix, name_of

ALLOWED = ("json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, "
           "jsonpath-as-json, jsonpath-file")


def check_output_format(inv) -> str:
    """The -o value, refused early (before anything is written) when kubectl has no such printer."""
    fmt = inv.flags.get("output") or ""
    if fmt in ("", "name", "yaml", "json") or fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        return fmt
    if fmt.startswith(("go-template=", "template=")) or fmt in ("go-template", "template", "jsonpath"):
        raise CLIError(f'output format "{fmt.split("=", 1)[0]}" is not supported in this simulator')
    # genericclioptions.NoCompatiblePrinterError
    raise CLIError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                   "json,yaml,name,go-template,go-template-file,template,templatefile,jsonpath,"
                   "jsonpath-as-json,jsonpath-file")


def emit(ctx, inv, obj: dict, operation: str, mode: str = "none") -> None:
    fmt = inv.flags.get("output") or ""
    if fmt == "yaml":
        ctx.out(serialize.to_yaml(obj))
    elif fmt == "json":
        ctx.out(serialize.to_json(obj))
    elif fmt == "name":
        ctx.out(name_of(obj) + "\n")
    elif fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        from ..jsonpath import render_jsonpath

        ctx.out(render_jsonpath(fmt.split("=", 1)[1], obj))
    else:
        ctx.out(f"{name_of(obj)} {operation}{dry_suffix(mode)}\n")
