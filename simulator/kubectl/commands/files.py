"""`create -f`, `apply -f`, `replace -f` (kubectl pkg/cmd/create, apply, replace).

Each document is handled in order; an error on one is printed and the rest still go through,
with exit code 1 at the end (cli-runtime ContinueOnErrorVisitor). Messages are the name printer's
`<kind>[.<group>]/<name> <operation>`.
"""
from __future__ import annotations

from ...api import kinds
from ...api.errors import AlreadyExists, CLIError, KubeError, NotFound, StatusError
from ...api.schema import check_known_fields
from ...objects import clone
from ...patching.strategic import strategic_merge_patch
from ...patching.strategic_diff import three_way_merge
from .. import last_applied as lastapplied
from ..printers import serialize
from .common import dry_run_mode, dry_suffix, name_of, object_namespace, read_file_objects, with_change_cause

APPLY_MISSING_ANNOTATION = (
    "Warning: resource {res} is missing the kubectl.kubernetes.io/last-applied-configuration annotation "
    "which is required by kubectl apply. kubectl apply should only be used on resources created "
    "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will "
    "be patched automatically.\n")


def _resource_word(obj: dict) -> str:
    k = kinds.by_kind(obj["kind"])
    return f'{k.plural}/{obj["metadata"]["name"]}' if k else obj["metadata"]["name"]


def _each(ctx, inv, verb: str, handle) -> int:
    code = 0
    if not inv.flags.get("filename"):
        raise CLIError("must specify one of -f and -k")
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
            handle(obj, source)
        except StatusError as err:
            ctx.err(err.with_source(verb, source).render() + "\n")
            code = 1
        except KubeError as err:
            ctx.err(err.render() + "\n")
            code = 1
    return code


def _output(ctx, inv, obj: dict, operation: str, mode: str) -> None:
    from .patch import print_result

    print_result(ctx, inv, obj, operation, mode)


def run_create(ctx, inv):
    mode = dry_run_mode(inv)

    def handle(obj, source):
        check_known_fields(obj)
        obj = with_change_cause(obj, inv)
        if inv.flags.get("save-config"):
            obj = lastapplied.set_last_applied(obj, obj)
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

    def handle(obj, source):
        check_known_fields(obj)
        obj = with_change_cause(obj, inv)
        kind, ns, name = obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"].get("name", "")
        if mode == "client":
            _output(ctx, inv, obj, "replaced", mode)
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
        if inv.flags.get("save-config") or lastapplied.last_applied(live) is not None:
            obj = lastapplied.set_last_applied(obj, obj) if inv.flags.get("save-config") else obj
        updated = ctx.eng.api.update(obj, dry_run=(mode == "server"))
        ctx.eng.settle()
        _output(ctx, inv, updated, "replaced", mode)

    ctx.exit_code = _each(ctx, inv, "replacing", handle)


def run_apply(ctx, inv):
    mode = dry_run_mode(inv)

    def handle(obj, source):
        check_known_fields(obj)
        obj = with_change_cause(obj, inv)
        kind, ns, name = obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"].get("name", "")
        if not name:
            raise CLIError(f'error when retrieving current configuration of:\nResource: "{kind.lower()}", '
                           f'Name: "", Namespace: "{ns}"\nfrom server for: "{source}": resource name may not be empty')
        modified = lastapplied.modified_configuration(obj)
        live = ctx.eng.store.get(kind, ns if kinds.by_kind(kind) and kinds.by_kind(kind).namespaced else "", name)
        if live is None:
            if mode == "client":
                _output(ctx, inv, modified, "created", mode)
                return
            created = ctx.eng.api.create(modified, dry_run=(mode == "server"))
            ctx.eng.settle()
            _output(ctx, inv, created, "created", mode)
            return
        if mode == "client":
            # apply.go: with --dry-run=client nothing is sent, not even the patch: always `configured`
            _output(ctx, inv, modified, "configured", mode)
            return
        original = lastapplied.last_applied(live)
        if original is None:
            ctx.warn(APPLY_MISSING_ANNOTATION.format(res=_resource_word(live)))
        patch = three_way_merge(original, modified, _without_status(live), kind)
        if lastapplied.apply_patch_is_empty(patch):
            _output(ctx, inv, live, "unchanged", mode)
            return
        merged = strategic_merge_patch(clone(live), patch, kind)
        updated = ctx.eng.api.update(merged, dry_run=(mode == "server"))
        ctx.eng.settle()
        _output(ctx, inv, updated, "configured", mode)

    ctx.exit_code = _each(ctx, inv, "applying", handle)


def _without_status(obj: dict) -> dict:
    out = clone(obj)
    out.pop("status", None)
    return out


__all__ = ["run_create", "run_apply", "run_replace", "AlreadyExists"]


HANDLES = {
    ('create',): run_create,
    ('apply',): run_apply,
    ('replace',): run_replace,
}
