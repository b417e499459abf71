"""Choosing the objects a command acts on, as cli-runtime's resource builder does
(staging/src/k8s.io/cli-runtime/pkg/resource/builder.go: ResourceTypeOrNameArgs, LabelSelectorParam,
FieldSelectorParam, SelectAllParam, FilenameParam, Local, Latest, visitorResult, visitByPaths,
visitBySelector), so that every command that builds the same way accepts the same forms:
`TYPE NAME…`, `TYPE/NAME…`, `TYPE` (with allow_empty_selector), `TYPE -l sel`, `TYPE --all`,
`-f FILE|DIR|-` (live objects, or the file's own with --local).

Errors while building are raised (the command stops); errors for one object (a name or a file
object that does not exist) are returned with the objects found, as ContinueOnError visits them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..api import kinds
from ..api.errors import CLIError, KubeError, NotFound
from ..objects import clone
from . import resources
from .commands.common import get_object, namespace, object_namespace, read_file_objects, served

MISSING_RESOURCE = """You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'"""

LOCAL_RESOURCE = """error: you must specify resources by --filename when --local is set.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'"""


@dataclass
class Target:
    obj: dict
    source: str | None = None  # the -f source it came from
    rt: object = None  # the ResourceType named on the command line, when there is one


@dataclass
class Selection:
    targets: list[Target] = field(default_factory=list)
    errors: list[KubeError] = field(default_factory=list)

    @property
    def objects(self) -> list[dict]:
        return [t.obj for t in self.targets]


def _split_args(args: list[str]) -> tuple[list[str], list[str], bool]:
    """(type words, names, TYPE/NAME form?) of the positional arguments."""
    if any("/" in a for a in args):
        return [], [], True
    if not args:
        return [], [], False
    return [args[0]], list(args[1:]), False


def select(ctx, inv, args: list[str] | None = None, *, allow_empty_selector: bool,
           select_all: bool = False, local: bool = False, latest: bool = True) -> Selection:
    """The objects the builder visits for this command line.

    `allow_empty_selector`: a bare TYPE selects every object of it (rollout verbs pass true,
    set/scale pass their --all). `select_all`: SelectAllParam (--all on delete/label-like verbs).
    `local`: the builder never asks the server (only -f objects, taken as written).
    `latest`: objects from -f are replaced by the live ones (RetrieveLatest)."""
    args = list(inv.args if args is None else args)
    label = inv.flags.get("selector") or None
    fields = inv.flags.get("field-selector") or None
    if select_all and (label or fields):
        raise CLIError("setting 'all' parameter but found a non empty selector. ")
    types, names, tuples = _split_args(args)
    parsed = resources.parse_resource_args(args) if args else resources.ResourceArgs([])
    if types and not names and label is None and allow_empty_selector:
        label = ""
    if select_all and label is None:
        label = ""
    paths = list(inv.flags.get("filename") or [])
    if paths:
        if types:
            raise CLIError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                           "arguments as well")
        if tuples:
            raise CLIError("resource/name arguments cannot be provided when a path is specified")
        return _visit_paths(ctx, inv, label, local, latest)
    if local:  # a local builder has no selector or names to visit
        raise CLIError(MISSING_RESOURCE)
    if label is not None or fields is not None:
        if names:
            raise CLIError("name cannot be provided when a selector is specified")
        if tuples:
            raise CLIError("selectors and the all flag cannot be used when passing resource/name arguments")
        if not types:
            raise CLIError("at least one resource must be specified to use a selector")
        return _visit_selector(ctx, inv, parsed, label or "", fields or "")
    if tuples or names:
        return _visit_names(ctx, inv, parsed)
    if types:
        raise CLIError(resources.NO_NAME_GIVEN)
    raise CLIError(MISSING_RESOURCE)


def _visit_paths(ctx, inv, label: str | None, local: bool, latest: bool) -> Selection:
    from .selectors import compile_selectors

    out = Selection()
    for source, item in read_file_objects(ctx, inv):
        if isinstance(item, KubeError):
            out.errors.append(item)
            continue
        try:
            obj = clone(item)
            ns = object_namespace(obj, inv)
            if ns:
                obj.setdefault("metadata", {})["namespace"] = ns
        except KubeError as err:
            out.errors.append(err)
            continue
        if label:
            if not compile_selectors(obj.get("kind", ""), label)(obj):
                continue
        if local or not latest:
            out.targets.append(Target(obj, source))
            continue
        k = kinds.by_kind(obj.get("kind", ""))
        name = (obj.get("metadata") or {}).get("name", "")
        live = ctx.eng.store.get(obj["kind"], ns if k and k.namespaced else "", name) if k else None
        if live is None:
            out.errors.append(NotFound(k.resource if k else str(obj.get("kind", "")).lower() + "s", name))
        else:
            out.targets.append(Target(live, source))
    return out


def _visit_selector(ctx, inv, parsed, label: str, fields: str) -> Selection:
    from .selectors import compile_selectors

    out = Selection()
    ns = namespace(inv)
    scope = None if inv.flags.get("all-namespaces") else ns
    for rt, _ in parsed.items:
        kind = served(rt)
        if kind is None:
            continue
        match = compile_selectors(kind, label, fields)
        out.targets.extend(Target(o, None, rt) for o in ctx.eng.store.list(kind, scope if rt.namespaced else "")
                           if match(o))
    return out


def _visit_names(ctx, inv, parsed) -> Selection:
    out = Selection()
    ns = namespace(inv)
    for rt, name in parsed.items:
        try:
            out.targets.append(Target(get_object(ctx, rt, ns, name), None, rt))
        except NotFound as err:
            out.errors.append(err)
    return out


def no_resources_found(ctx, inv) -> None:
    """`No resources found in <ns> namespace.` on stderr (rollout pause/resume/restart/status)."""
    ctx.err(f"No resources found in {namespace(inv)} namespace.\n")
