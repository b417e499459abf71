"""The Go-template printer as kubectl picks it (cli-runtime pkg/genericclioptions/template_flags.go
GoTemplatePrintFlags.ToPrinter, print_flags.go: `--template` alone means go-template) and prints
with it (pkg/printers/template.go PrintObj: on an execution error the debugging text goes to
stdout and the error to stderr). The engine is simulator/kubectl/gotemplate.py."""
from __future__ import annotations

from ...api.errors import CLIError
from ...patching.goish import go_json, gofmt
from .. import gotemplate

FORMATS = ("template", "go-template", "go-template-file", "templatefile")


def requested(inv) -> tuple[str, str] | None:
    """(format, template argument) when the flags ask for the Go-template printer."""
    fmt = inv.flags.get("output") or ""
    arg = inv.flags.get("template") or ""
    if arg and not fmt:
        fmt = "go-template"
    if not arg:
        for f in FORMATS:
            if fmt.startswith(f + "="):
                value = fmt[len(f) + 1:]
                if not value:
                    raise CLIError("template format specified but no template given")
                return f, value
        if fmt in FORMATS:
            raise CLIError("template format specified but no template given")
        return None
    return (fmt, arg) if fmt in FORMATS else None


def load(ctx, inv) -> str | None:
    """The template text the printer would run (read from the file for the *-file formats),
    checked as the printer is built: parse errors come before the command does anything."""
    req = requested(inv)
    if req is None:
        return None
    fmt, value = req
    if fmt in ("templatefile", "go-template-file"):
        if value not in ctx.files:
            raise CLIError(f"error reading --template {value}, open {value}: no such file or directory")
        value = ctx.files[value]
    try:
        gotemplate.parse(value)
    except gotemplate.TemplateError as err:
        raise CLIError(f"error parsing template {value}, {err}") from None
    return value


def render(ctx, inv, text: str, obj: dict) -> None:
    """Print `obj` through the template; an execution error prints kubectl's debugging text on
    stdout and raises `error executing template`."""
    allow_missing = inv.flags.get("allow-missing-template-keys", True)
    try:
        ctx.out(gotemplate.execute(text, obj, missing_key_error=not allow_missing))
    except gotemplate.TemplateError as err:
        ctx.out(f"Error executing template: {err}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{text}\n"
                f"\traw data was:\n\t\t{go_json(obj)}\n"
                f"\tobject given to template engine was:\n\t\t{gofmt(obj)}\n\n")
        from ...gofmt import go_quote
        raise CLIError(f"error executing template {go_quote(text)}: {err}") from None
