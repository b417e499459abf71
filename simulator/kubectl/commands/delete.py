"""`kubectl delete` (kubectl pkg/cmd/delete/delete.go): by file, name, selector or --all; waits
(--wait=true) until the objects are gone, which for pods means the end of their grace period."""
from __future__ import annotations

from ...api.errors import CLIError, KubeError, NotFound, StatusError
from ...api import kinds
from .. import builder
from .common import dry_run_mode, namespace, object_namespace, read_file_objects

FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.\n")


def _deleted_line(obj: dict, op: str, dry_run: str = "") -> str:
    """kubectl pkg/cmd/delete/delete.go PrintObj (v0.34.5): the operation, then ` from NS namespace`
    for a namespaced object, then the dry-run marker (` (dry run)` / ` (server dry run)`)."""
    k = kinds.by_kind(obj["kind"])
    prefix = k.name_prefix if k else obj["kind"].lower()
    ns = obj["metadata"].get("namespace")
    where = f" from {ns} namespace" if ns and (k is None or k.namespaced) else ""
    return f'{prefix} "{obj["metadata"]["name"]}" {op}{where}{dry_run}\n'


def run_delete(ctx, inv):
    mode = dry_run_mode(inv)
    grace = int(inv.flags.get("grace-period", -1))
    if inv.flags.get("now"):
        if grace != -1:
            raise CLIError("--now and --grace-period cannot be specified together")
        grace = 1
    force = bool(inv.flags.get("force"))
    if force and grace == -1:
        grace = 0
    if grace == 0 and not force:
        grace = 1  # kubectl: --grace-period=0 without --force means 1s (immediate is only with --force)
    targets: list[dict] = []
    code = 0
    if inv.flags.get("filename"):
        for source, item in read_file_objects(ctx, inv):
            if isinstance(item, KubeError):
                ctx.err(item.render() + "\n")
                code = 1
                continue
            ns = object_namespace(item, inv)
            k = kinds.by_kind(item.get("kind", ""))
            obj = ctx.eng.store.get(item["kind"], ns if k and k.namespaced else "", item["metadata"].get("name", ""))
            if obj is None:
                # the DELETE answers NotFound; delete.go deleteResource: AddSourceToErr("deleting", …)
                missing = NotFound(k.resource if k else item["kind"], item["metadata"].get("name", ""))
                ctx.err(missing.with_source("deleting", source).render() + "\n")
                code = 1
                continue
            targets.append(obj)
    else:
        selecting = inv.flags.get("all") or inv.flags.get("selector") or inv.flags.get("field-selector")
        if not inv.args and not selecting:  # else the builder's "at least one resource must be specified…"
            raise CLIError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
        # delete.go: LabelSelectorParam, FieldSelectorParam, SelectAllParam(--all),
        # ResourceTypeOrNameArgs(false, …), ContinueOnError: its guards (--all with a selector,
        # --all or a selector with names) and the found objects deleted despite a missing name
        found = builder.select(ctx, inv, allow_empty_selector=False, select_all=bool(inv.flags.get("all")))
        targets = found.objects
        for err in found.errors:
            ctx.err(err.render() + "\n")
            code = 1
    if not targets and code == 0:
        ns = namespace(inv)
        ctx.err(f"No resources found in {ns} namespace.\n" if inv.args or inv.flags.get("filename") else "No resources found\n")
        ctx.exit_code = 0
        return None
    if force and grace == 0:
        ctx.warn(FORCE_WARNING)
    waiting = []
    for obj in targets:
        m = obj["metadata"]
        if mode != "none":
            op = "force deleted" if (force and grace == 0) else "deleted"
            ctx.out(_deleted_line(obj, op, " (dry run)" if mode == "client" else " (server dry run)"))
            continue
        try:
            ctx.eng.api.delete(obj["kind"], m.get("namespace", ""), m["name"],
                               grace=None if grace < 0 else grace,
                               cascade=inv.flags.get("cascade") or "background")
        except StatusError as err:
            ctx.err(err.render() + "\n")
            code = 1
            continue
        ctx.eng.settle()
        ctx.out(_deleted_line(obj, "force deleted" if (force and grace == 0) else "deleted"))
        waiting.append((obj["kind"], m.get("namespace", ""), m["name"], m["uid"]))
    ctx.exit_code = code
    if not inv.flags.get("wait", True) or not waiting:
        return None

    def still_there():
        return [w for w in waiting
                if (o := ctx.eng.store.get(w[0], w[1], w[2])) is not None and o["metadata"]["uid"] == w[3]]

    def wait():
        while still_there():
            yield None
        return code

    if not still_there():
        return None
    return wait()


HANDLES = {
    ('delete',): run_delete,
}
