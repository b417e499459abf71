"""`create -f`, `apply -f`, `replace -f` (kubectl pkg/cmd/create, apply, replace).

Each document is handled in order; an error on one is printed and the rest still go through,
with exit code 1 at the end (cli-runtime ContinueOnErrorVisitor). Messages are the name printer's
`<kind>[.<group>]/<name> <operation>`. `--validate` becomes the request's fieldValidation
(simulator/api/field_validation.py); a stale metadata.resourceVersion is the server's Conflict.
"""
from __future__ import annotations

from ...api import kinds
from ...api.errors import AlreadyExists, CLIError, Conflict, KubeError, NotFound, StatusError
from ...api.field_validation import decode_body
from ...api.patch_handler import apply_patch_request
from ...api.schema import check_known_fields
from ...objects import clone
from ...patching.goish import go_json
from ...patching.strategic_diff import three_way_merge
from .. import last_applied as lastapplied
from ..printers import serialize
from .common import (dry_run_mode, dry_suffix, name_of, object_namespace, read_file_objects,
                     validation_directive, with_change_cause)

APPLY_MISSING_ANNOTATION = (
    "Warning: resource {res} is missing the kubectl.kubernetes.io/last-applied-configuration annotation "
    "which is required by kubectl apply. kubectl apply should only be used on resources created "
    "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will "
    "be patched automatically.\n")


def _resource_word(obj: dict) -> str:
    k = kinds.by_kind(obj["kind"])
    return f'{k.plural}/{obj["metadata"]["name"]}' if k else obj["metadata"]["name"]


class _Sourced(StatusError):
    """A server error whose message already names its source (apply's `applying patch:` text)."""

    def __init__(self, err: StatusError, message: str):
        super().__init__(message, err.reason, err.code)

    def with_source(self, verb: str, source: str) -> "_Sourced":
        return self


def _sourced(err: StatusError, message) -> StatusError:
    # an Invalid error prints its causes, never its message (helpers.go checkErr)
    return err if err.reason == "Invalid" else _Sourced(err, message())


def _each(ctx, inv, verb: str, handle) -> int:
    """Each document in turn (ContinueOnError); the errors are aggregated and printed at the end,
    after any warnings the requests drew (kubectl apply.go/create.go return the aggregate to checkErr)."""
    code = 0
    failures: list[str] = []
    if not inv.flags.get("filename"):
        raise CLIError("must specify one of -f and -k")
    directive = validation_directive(inv)
    for source, item in read_file_objects(ctx, inv):
        try:
            if isinstance(item, KubeError):
                raise item
            obj = clone(item)
            if obj.get("metadata") is None:  # `metadata: null` decodes to an empty ObjectMeta
                obj["metadata"] = {}
            elif not isinstance(obj["metadata"], dict):
                check_known_fields(obj)  # the server's "cannot unmarshal … into … ObjectMeta"
            ns = object_namespace(obj, inv)
            if ns:
                obj["metadata"]["namespace"] = ns
            handle(obj, source, directive)
        except StatusError as err:
            failures.append(err.with_source(verb, source).render() + "\n")
            code = 1
        except KubeError as err:
            failures.append(err.render() + "\n")
            code = 1
    for text in failures:
        ctx.err(text)
    return code


def _output(ctx, inv, obj: dict, operation: str, mode: str) -> None:
    from .patch import print_result

    print_result(ctx, inv, obj, operation, mode)


def run_create(ctx, inv):
    mode = dry_run_mode(inv)

    def handle(obj, source, directive):
        obj = _decoded(ctx, obj, directive)
        obj = with_change_cause(obj, inv)
        obj = _apply_annotation(obj, inv)
        if mode == "client":
            _output(ctx, inv, obj, "created", mode)
            return
        created = ctx.eng.api.create(obj, dry_run=(mode == "server"))
        ctx.eng.settle()
        _output(ctx, inv, created, "created", mode)

    ctx.exit_code = _each(ctx, inv, "creating", handle)


def run_replace(ctx, inv):
    mode = dry_run_mode(inv)
    force = bool(inv.flags.get("force"))

    subresource = inv.flags.get("subresource") or ""

    def handle(obj, source, directive):
        obj = _decoded(ctx, obj, directive)
        obj = with_change_cause(obj, inv)
        kind, ns, name = obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"].get("name", "")
        if mode == "client":
            _output(ctx, inv, obj, "replaced", mode)
            return
        if subresource:
            _replace_subresource(ctx, inv, obj, subresource, mode)
            return
        if force:
            try:
                # replace.go forceReplace prints with the delete command's printer
                deleted = ctx.eng.api.delete(kind, ns, name, grace=0 if kind == "Pod" else None)
                from .delete import _deleted_line

                ctx.out(_deleted_line(deleted if isinstance(deleted, dict) else obj, "deleted"))
            except NotFound:
                pass
            ctx.eng.settle()
            created = ctx.eng.api.create(obj, dry_run=(mode == "server"))
            ctx.eng.settle()
            _output(ctx, inv, created, "replaced", mode)
            return
        live = ctx.eng.store.get(kind, ns, name)
        if live is None:
            from .common import served  # noqa: F401
            raise NotFound(kinds.by_kind(kind).resource if kinds.by_kind(kind) else kind, name)
        obj = _apply_annotation(obj, inv)
        updated = ctx.eng.api.update(obj, dry_run=(mode == "server"))
        ctx.eng.settle()
        _output(ctx, inv, updated, "replaced", mode)

    ctx.exit_code = _each(ctx, inv, "replacing", handle)


def _replace_subresource(ctx, inv, obj: dict, subresource: str, mode: str) -> None:
    """`replace --subresource=status`: a PUT to `<resource>/status`, which changes status only."""
    from .patch import STATUS_KINDS

    if subresource != "status" or obj["kind"] not in STATUS_KINDS:
        raise StatusError("the server could not find the requested resource", "NotFound", 404)
    updated = ctx.eng.api.update_status_subresource(obj, dry_run=(mode == "server"))
    ctx.eng.settle()
    _output(ctx, inv, updated, "replaced", mode)


def _decoded(ctx, obj: dict, directive: str) -> dict:
    """The body as the server decodes it under the request's fieldValidation."""
    kept, warnings = decode_body(obj, directive)
    for w in warnings:
        ctx.warn(f"Warning: {w}")
    return kept


def _apply_annotation(obj: dict, inv) -> dict:
    """kubectl pkg/util/apply.go CreateOrUpdateAnnotation as create/replace call it:
    --save-config writes the last-applied annotation; without it, an annotation the file already
    carries is brought up to date (UpdateApplyAnnotation)."""
    if inv.flags.get("save-config") or lastapplied.last_applied(obj) is not None:
        return lastapplied.set_last_applied(obj, obj)
    return obj


SSA_UNAVAILABLE = ("Server-side apply not available on the server: (server-side apply is not supported by the "
                   "simulated cluster; use client-side kubectl apply)")


def run_apply(ctx, inv):
    mode = dry_run_mode(inv)

    def handle(obj, source, directive):
        if inv.flags.get("server-side"):
            # the simulated API server answers an apply patch 415 (it keeps no managedFields);
            # apply.go wraps that as "Server-side apply not available on the server: (…)"
            raise CLIError(SSA_UNAVAILABLE)
        obj = with_change_cause(obj, inv)
        kind, ns, name = obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"].get("name", "")
        if not name:
            raise CLIError(f'error when retrieving current configuration of:\nResource: "{kind.lower()}", '
                           f'Name: "", Namespace: "{ns}"\nfrom server for: "{source}": resource name may not be empty')
        live = ctx.eng.store.get(kind, ns if kinds.by_kind(kind) and kinds.by_kind(kind).namespaced else "", name)
        if live is None:
            try:
                modified = lastapplied.modified_configuration(_decoded(ctx, obj, directive))
                if mode == "client":
                    _output(ctx, inv, modified, "created", mode)
                    return
                created = ctx.eng.api.create(modified, dry_run=(mode == "server"))
            except StatusError as err:
                raise _sourced(err, lambda: err.with_source("creating", source).message) from None
            ctx.eng.settle()
            _output(ctx, inv, created, "created", mode)
            return
        # a value of the wrong type fails as the create path's decode error does (Rollout Lab keeps
        # that one message for both paths; unknown fields follow --validate through the PATCH)
        _reject_type_errors(obj, source)
        modified = lastapplied.modified_configuration(obj)
        if mode == "client":
            # apply.go: with --dry-run=client nothing is sent, not even the patch: always `configured`
            _output(ctx, inv, modified, "configured", mode)
            return
        original = lastapplied.last_applied(live)
        if original is None:
            ctx.warn(APPLY_MISSING_ANNOTATION.format(res=_resource_word(live)))
        patch = three_way_merge(original, modified, live, kind)
        if lastapplied.apply_patch_is_empty(patch):
            _output(ctx, inv, live, "unchanged", mode)
            return
        try:
            # the PATCH request (apply/patcher.go patchSimple) under the command's fieldValidation;
            # a Conflict is retried (maxPatchRetry) against a fresh GET, which here changes nothing
            merged, warnings = apply_patch_request(clone(live), "strategic", go_json(patch),
                                                   field_validation=directive)
            for w in warnings:
                ctx.warn(f"Warning: {w}")
            updated = ctx.eng.api.update(merged, dry_run=(mode == "server"))
        except StatusError as err:
            raise _sourced(err, lambda: _apply_patch_error(go_json(patch), live, source, err)) from None
        ctx.eng.settle()
        _output(ctx, inv, updated, "configured", mode)

    ctx.exit_code = _each(ctx, inv, "applying", handle)


def _reject_type_errors(obj: dict, source: str) -> None:
    from ...api.field_validation import unknown_fields
    from ...api.schema import strict_decode_error

    problem = strict_decode_error(obj)
    if problem is not None and not unknown_fields(problem):
        try:
            check_known_fields(obj)
        except StatusError as err:
            raise _Sourced(err, err.with_source("applying", source).message) from None


def _apply_patch_error(patch: str, live: dict, source: str, err: StatusError) -> str:
    """apply.go: AddSourceToErr(fmt.Sprintf("applying patch:\n%s\nto:\n%v\nfor:", patchBytes, info))
    around patcher.go's AddSourceToErr("patching", …); %v of a resource.Info is its String()."""
    k = kinds.by_kind(live["kind"])
    gv = f"{k.group}/{k.version}" if k else live.get("apiVersion", "")  # "/v1" for the core group
    meta = live["metadata"]
    info = (f'Resource: "{gv}, Resource={k.plural if k else live["kind"].lower() + "s"}", '
            f'GroupVersionKind: "{gv}, Kind={live["kind"]}"\n'
            f'Name: "{meta["name"]}", Namespace: "{meta.get("namespace", "")}"')
    inner = err.with_source("patching", source).message
    return f'error when applying patch:\n{patch}\nto:\n{info}\nfor: "{source}": {inner}'


__all__ = ["run_create", "run_apply", "run_replace", "AlreadyExists", "Conflict"]


HANDLES = {
    ('create',): run_create,
    ('apply',): run_apply,
    ('replace',): run_replace,
}
