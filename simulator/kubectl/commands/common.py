"""Helpers shared by the verbs: namespaces, resource arguments, files, names, dry-run."""
from __future__ import annotations

from ...api import kinds
from ...api.decode import decode_stream
from ...api.errors import CLIError, KubeError, NotFound
from ...objects import clone
from .. import resources


def namespace(inv) -> str:
    return inv.flags.get("namespace") or "default"


def served(rt) -> str:
    """The Kind behind a resource type, or None for types the simulator does not model."""
    return rt.kind if rt.simulated else None


def name_of(obj: dict) -> str:
    """cli-runtime printers/name.go: `<kind>[.<group>]/<name>`, the group from the object's own
    apiVersion for kinds not served here (`scale.autoscaling/kubia`)."""
    k = kinds.by_kind(obj["kind"])
    if k:
        prefix = k.name_prefix
    else:
        api_version = str(obj.get("apiVersion") or "")
        group = api_version.split("/")[0] if "/" in api_version else ""
        prefix = obj["kind"].lower() + (f".{group}" if group else "")
    return f'{prefix}/{obj["metadata"]["name"]}'


# kubectl pkg/cmd/util/helpers.go AddDryRunFlag: a bare `--dry-run` stands for this value.
DRY_RUN_NO_OPT = "unchanged"
# strconv.ParseBool's spellings: GetDryRunStrategy still accepts a boolean (deprecated since 1.18;
# removed in 1.23.0 and restored in 1.23.1 by kubernetes#107003, unchanged through v1.34).
_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}
# Where helpers.go's klog.Warning sits, as kubectl prints it (the line is the one seen in
# kubectl v1.26-era logs, e.g. moby/buildkit#3514; not verified against a v1.34 binary).
DRY_RUN_WARNING_SITE = "helpers.go:663"


def dry_run_mode(inv) -> str:
    """`--dry-run` value: none | client | server (kubectl cmdutil.GetDryRunStrategy).

    A bare `--dry-run` and `--dry-run=true` mean client, `--dry-run=false` means none; each
    of those also logs a deprecation warning (dry_run_warning)."""
    value = inv.flags.get("dry-run", "none")
    if value in _GO_BOOLS:
        return "client" if _GO_BOOLS[value] else "none"
    if value == DRY_RUN_NO_OPT:
        return "client"
    if value in ("client", "server", "none"):
        return value
    raise CLIError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


def dry_run_warning(inv) -> str | None:
    """The klog.Warning text GetDryRunStrategy logs for a deprecated `--dry-run` spelling."""
    value = inv.flags.get("dry-run")
    if value is None:
        return None
    if value == DRY_RUN_NO_OPT:
        return "--dry-run is deprecated and can be replaced with --dry-run=client."
    if value in _GO_BOOLS:
        return (f"--dry-run={value} is deprecated (boolean value) and can be replaced with "
                f"--dry-run={'client' if _GO_BOOLS[value] else 'none'}.")
    return None


def validation_directive(inv) -> str:
    """kubectl pkg/cmd/util/helpers.go GetValidationDirective: the fieldValidation a command's
    `--validate` asks the server for (strconv.ParseBool's words count as true/false)."""
    from ...api.field_validation import IGNORE, STRICT, WARN

    value = inv.flags.get("validate")
    if value is None or value is True:
        return STRICT
    if value is False:
        return IGNORE
    value = str(value)
    if value in _GO_BOOLS:
        return STRICT if _GO_BOOLS[value] else IGNORE
    directive = {"strict": STRICT, "warn": WARN, "ignore": IGNORE}.get(value)
    if directive is None:
        raise CLIError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, '
                       "ignore (or false)")
    return directive


def dry_suffix(mode: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


def read_file_objects(ctx, inv) -> list[tuple[str, dict | KubeError]]:
    """Every object of every `-f` source, in order, as (source, object-or-error)."""
    sources = list(inv.flags.get("filename") or [])
    out = []
    for src in sources:
        if src == "-":
            # cli-runtime FileVisitorForSTDIN: the stream is named "STDIN" in errors; it can be
            # read once (a second `-f -` finds it empty). The console's stdin is a pipe.
            stdin = getattr(ctx, "stdin", None)
            if stdin is None:
                raise CLIError("this console has no keyboard input for `-f -`: pipe the manifest in "
                               "(e.g. `cat FILE | kubectl apply -f -`) or save it to a file")
            ctx.stdin = ""
            out.extend(("STDIN", item) for item in decode_stream(stdin, "STDIN"))
            continue
        if src.startswith(("http://", "https://")):
            from ..web_examples import example_for_url
            example = example_for_url(src)
            if example is not None:
                # cli-runtime URLVisitor: the stream's source name is the URL itself
                out.extend((src, item) for item in decode_stream(example[1], src))
                continue
            raise CLIError(f'unable to read URL "{src}", the console has no internet access; save the manifest to a file first')
        names = [src] if src in ctx.files else sorted(f for f in ctx.files if f.startswith(src.rstrip("/") + "/"))
        if not names:
            raise CLIError(f'the path "{src}" does not exist')
        for name in names:
            for item in decode_stream(ctx.files[name], name):
                out.append((name, item))
    if not out and sources:
        raise CLIError("no objects passed to " + " ".join(inv.path))
    return out


def object_namespace(obj: dict, inv) -> str:
    """The namespace an object from a file lands in; a mismatch with -n is an error as in kubectl."""
    k = kinds.by_kind(obj.get("kind", ""))
    if k is not None and not k.namespaced:
        return ""
    flag_ns = inv.flags.get("namespace") or ""
    obj_ns = (obj.get("metadata") or {}).get("namespace") or ""
    if flag_ns and obj_ns and flag_ns != obj_ns:
        raise CLIError(f"the namespace from the provided object \"{obj_ns}\" does not match the namespace "
                       f"\"{flag_ns}\". You must pass '--namespace={obj_ns}' to perform this operation.")
    return obj_ns or flag_ns or "default"


def get_object(ctx, rt, ns: str, name: str) -> dict:
    kind = served(rt)
    if kind is None:
        raise NotFound(rt.resource, name)
    obj = ctx.eng.store.get(kind, ns if rt.namespaced else "", name)
    if obj is None:
        raise NotFound(rt.resource, name)
    return obj


def objects_for_args(ctx, inv, *, allow_all=True) -> list[tuple[object, dict]]:
    """Objects named by TYPE NAME… / TYPE/NAME… / TYPE -l sel / TYPE --all in the namespace."""
    from ..selectors import compile_selectors

    args = resources.parse_resource_args(inv.args)
    ns = namespace(inv)
    selector = inv.flags.get("selector") or ""
    fields = inv.flags.get("field-selector") or ""
    out = []
    for rt, name in args.items:
        kind = served(rt)
        if name is not None:
            out.append((rt, get_object(ctx, rt, ns, name)))
            continue
        if kind is None:
            continue
        match = compile_selectors(kind, selector, fields)
        for obj in ctx.eng.store.list(kind, ns if rt.namespaced else ""):
            if match(obj):
                out.append((rt, obj))
    return out


def with_change_cause(obj: dict, inv) -> dict:
    """`--record`: kubernetes.io/change-cause = the command line (cli-runtime record_flags.go)."""
    if not inv.flags.get("record"):
        return obj
    obj = clone(obj)
    obj.setdefault("metadata", {}).setdefault("annotations", {})["kubernetes.io/change-cause"] = cli.record_string(inv)
    return obj


from .. import cli  # noqa: E402  (record_string)


def aggregated(err):
    """A file's decoding/mapping error as `kubectl get|describe -f` print it: the builder's errors
    come back as a utilerrors.Aggregate, which helpers.go checkErr prints through MultipleErrors
    with an empty prefix, so a client-side error has no `error: ` (a server Status keeps its form)."""
    from ...api.errors import CLIError, RawError

    if isinstance(err, CLIError):
        text = err.message[len("error: "):] if err.message.startswith("error: ") else err.message
        return RawError(text, err.exit_code)
    return err
