"""`kubectl rollout status|history|undo|pause|resume|restart`.

kubectl pkg/cmd/rollout/*.go and pkg/polymorphichelpers (rollout_status.go DeploymentStatusViewer,
history.go DeploymentHistoryViewer, rollback.go DeploymentRollbacker, objectpauser.go,
objectresumer.go, objectrestarter.go). Messages are verbatim from there (K8S-FACTS §3, §6.5, §6.6).
"""
from __future__ import annotations

from ...api.errors import CLIError, KubeError
from ...controllers import deployment_util as du
from ...objects import annotations, clone, controller_ref, get_path
from .. import builder, cli, resources
from ..printers.describe import describe_pod_template
from ..printers import serialize
from ..printers.tabwriter import tabwrite
from ..printers.typed_order import struct_ordered
from .common import dry_run_mode, dry_suffix, name_of, with_change_cause
from .output import check_output_format, emit


def _targets(ctx, inv) -> tuple[list[tuple[object, dict]], list[KubeError]]:
    """Every rollout verb validates `required resource not specified`, then builds with
    LabelSelectorParam, FilenameParam, ResourceTypeOrNameArgs(true, …), ContinueOnError and
    Latest (pkg/cmd/rollout/*.go): a bare type selects every object of it in the namespace."""
    if not inv.args and not inv.flags.get("filename"):
        raise CLIError("required resource not specified")
    found = builder.select(ctx, inv, allow_empty_selector=True)
    return [(t.rt or _rt_of(t.obj), t.obj) for t in found.targets], found.errors


def _rt_of(obj: dict):
    return resources.resolve(obj["kind"].lower())


def _finish(ctx, errors: list[KubeError]) -> None:
    """ContinueOnError: the objects found were handled; the errors are printed at the end."""
    for err in errors:
        ctx.err(err.render() + "\n")
    if errors:
        ctx.exit_code = 1


def _owned_replica_sets(ctx, d: dict) -> list[dict]:
    uid = d["metadata"]["uid"]
    return [rs for rs in ctx.eng.store.list("ReplicaSet", d["metadata"]["namespace"])
            if (ref := controller_ref(rs)) is not None and ref.get("uid") == uid]


# ---- status ------------------------------------------------------------------------------------

def status_message(d: dict, revision: int = 0) -> tuple[str, bool]:
    """DeploymentStatusViewer.Status → (text, done). Raises CLIError for the error cases."""
    name = d["metadata"]["name"]
    if revision > 0:
        current = du.revision(d)
        if current != revision:
            raise CLIError(f"desired revision ({revision}) is different from the running revision ({current})")
    status = d.get("status") or {}
    if int(d["metadata"].get("generation") or 0) <= int(status.get("observedGeneration") or 0):
        cond = du.get_condition(status, "Progressing")
        if cond is not None and cond.get("reason") == du.REASON_TIMED_OUT:
            raise CLIError(f'deployment "{name}" exceeded its progress deadline')
        replicas = du.replicas(d)
        updated = int(status.get("updatedReplicas") or 0)
        total = int(status.get("replicas") or 0)
        available = int(status.get("availableReplicas") or 0)
        if updated < replicas:
            return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} '
                    "new replicas have been updated...\n"), False
        if total > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas '
                    "are pending termination...\n"), False
        if available < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} '
                    "updated replicas are available...\n"), False
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False


def run_status(ctx, inv):
    """rollout_status.go Run: each object in turn (its status, then its watch until done); no
    object at all → `No resources found in <ns> namespace.`"""
    revision = int(inv.flags.get("revision") or 0)
    if revision < 0:
        raise CLIError(f"revision must be a positive integer: {revision}")
    targets, errors = _targets(ctx, inv)
    if errors:
        raise errors[0]
    if not targets:
        builder.no_resources_found(ctx, inv)
        return None
    watch = inv.flags.get("watch", True)
    timeout = cli.parse_duration(str(inv.flags.get("timeout") or "0s")) if not isinstance(inv.flags.get("timeout"), (int, float)) else float(inv.flags.get("timeout"))
    pending = []
    for i, (rt, obj) in enumerate(targets):
        if obj["kind"] != "Deployment":
            raise CLIError(f"no status viewer has been implemented for {rt.kind}")
        text, done = status_message(obj, revision)
        ctx.out(text)
        if not (done or not watch):
            pending = targets[i:]
            break
    if not pending:
        return None
    return _watch_all(ctx, pending, revision, timeout)


def _watch_all(ctx, targets, revision: int, timeout: float):
    for i, (rt, obj) in enumerate(targets):
        if i > 0:  # the first one's status line is already out
            if obj["kind"] != "Deployment":
                raise CLIError(f"no status viewer has been implemented for {rt.kind}")
            live = ctx.eng.store.get("Deployment", obj["metadata"]["namespace"], obj["metadata"]["name"])
            if live is None or live["metadata"]["uid"] != obj["metadata"]["uid"]:
                raise CLIError("object has been deleted")
            text, done = status_message(live, revision)
            ctx.out(text)
            if done:
                continue
        yield from _watch_one(ctx, obj, revision, timeout)
    return 0


def _watch_one(ctx, obj: dict, revision: int, timeout: float):
    ns, name, uid = obj["metadata"]["namespace"], obj["metadata"]["name"], obj["metadata"]["uid"]
    state = {"done": False, "error": None}

    def on_event(etype, o):
        if state["done"] or o["kind"] != "Deployment" or o["metadata"].get("namespace") != ns \
                or o["metadata"]["name"] != name:
            return
        if etype == "DELETED" or o["metadata"]["uid"] != uid:
            state["error"], state["done"] = CLIError("object has been deleted"), True
            return
        try:
            msg, finished = status_message(o, revision)
        except KubeError as err:
            state["error"], state["done"] = err, True
            return
        ctx.out(msg)
        state["done"] = finished

    unlisten = ctx.eng.store.listen(on_event)
    ctx.proc.on_finish(unlisten)
    deadline = ctx.now + timeout if timeout > 0 else None
    try:
        while not state["done"]:
            if deadline is not None and ctx.eng.now >= deadline:
                raise CLIError("timed out waiting for the condition")
            yield deadline
    finally:
        unlisten()
    if state["error"] is not None:
        raise state["error"]


# ---- history -----------------------------------------------------------------------------------

def _history(ctx, d) -> dict[int, dict]:
    out = {}
    for rs in _owned_replica_sets(ctx, d):
        rev = du.revision(rs)
        if rev:
            out[rev] = rs
    return out


# ReplicaSet fields with `omitempty` on a non-pointer int (k8s.io/api apps/v1 types.go)
_RS_OMITEMPTY = (("spec", "minReadySeconds"), ("status", "fullyLabeledReplicas"), ("status", "readyReplicas"),
                 ("status", "availableReplicas"), ("status", "observedGeneration"))


def _typed_replicaset(rs: dict) -> dict:
    """The history viewer (kubectl pkg/polymorphichelpers/history.go) reads ReplicaSets through the
    typed client, so a printed revision went through appsv1.ReplicaSet: zero `omitempty` ints are gone."""
    out = clone(rs)
    for part, key in _RS_OMITEMPTY:
        section = out.get(part)
        if isinstance(section, dict) and section.get(key) == 0:
            del section[key]
    return out


def run_history(ctx, inv):
    revision = int(inv.flags.get("revision") or 0)
    if revision < 0:
        raise CLIError(f"revision must be a positive integer: {revision}")
    printing = bool(inv.flags.get("output") or inv.flags.get("template"))
    if printing:
        check_output_format(inv, ctx)
    targets, errors = _targets(ctx, inv)
    for rt, obj in targets:
        if obj["kind"] != "Deployment":
            raise CLIError(f"no history viewer has been implemented for {rt.kind}")
        history = _history(ctx, obj)
        if printing:
            # rollout_history.go with an output flag: the ReplicaSet of each revision (or of the
            # one asked for) goes through the printer
            if revision > 0 and revision not in history:
                raise CLIError("unable to find the specified revision")
            for rev in ([revision] if revision > 0 else sorted(history)):
                rs = _typed_replicaset(history[rev])
                if inv.flags.get("output") == "json" and not inv.flags.get("template"):
                    ctx.out(serialize.to_json(struct_ordered(rs, "ReplicaSet"), sort_keys=False))
                else:
                    emit(ctx, inv, rs, "", "none")
            continue
        if revision > 0:
            rs = history.get(revision)
            if rs is None:
                raise CLIError("unable to find the specified revision")
            template = clone(get_path(rs, "spec.template") or {})
            cause = annotations(rs).get(du.CHANGE_CAUSE)
            if cause:
                template.setdefault("metadata", {}).setdefault("annotations", {})[du.CHANGE_CAUSE] = cause
            ctx.out(f"{name_of(obj)} with revision #{revision}\n{describe_pod_template(template)}\n")
            continue
        if not history:
            ctx.out(f"{name_of(obj)} \nNo rollout history found.\n")
            continue
        table = "REVISION\tCHANGE-CAUSE\n" + "".join(
            f"{rev}\t{annotations(history[rev]).get(du.CHANGE_CAUSE) or '<none>'}\n" for rev in sorted(history))
        ctx.out(f"{name_of(obj)} \n{tabwrite(table, 0, 8, 2)}\n")
    _finish(ctx, errors)


# ---- undo --------------------------------------------------------------------------------------

# kubectl v1.34.5 prints no warning when undoing a Deployment managed by `kubectl apply`
# (pkg/cmd/rollout/rollout_undo.go at v0.34.5 has none; the last-applied warning came in later releases).


def run_undo(ctx, inv):
    mode = dry_run_mode(inv)
    to_revision = int(inv.flags.get("to-revision") or 0)
    targets, errors = _targets(ctx, inv)
    for rt, d in targets:
        if d["kind"] != "Deployment":
            raise CLIError(f"no rollbacker has been implemented for {rt.kind}")
        if to_revision < 0:
            raise CLIError(f"unable to find specified revision {to_revision} in history")
        history = _history(ctx, d)
        if to_revision > 0:
            target = history.get(to_revision)
            if target is None:
                raise CLIError(f"unable to find specified revision {to_revision} in history")
        else:
            revs = sorted(history)
            if len(revs) < 2:
                raise CLIError(f'no rollout history found for deployment "{d["metadata"]["name"]}"')
            target = history[revs[-2]]
        if mode == "client":
            ctx.out(describe_pod_template(du.template_without_hash(get_path(target, "spec.template"))) + "\n")
            continue
        if get_path(d, "spec.paused"):
            raise CLIError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
                           "resume' and try again")
        if du.equal_ignore_hash(get_path(target, "spec.template"), get_path(d, "spec.template")):
            ctx.out(f"{name_of(d)} skipped rollback (current template already matches revision {to_revision})\n")
            continue
        new = clone(d)
        new["spec"]["template"] = du.template_without_hash(clone(get_path(target, "spec.template")))
        kept = {k: v for k, v in annotations(d).items() if k in du.SKIP_COPY}
        kept.update({k: v for k, v in annotations(target).items() if k not in du.SKIP_COPY})
        new["metadata"]["annotations"] = kept
        if mode == "none":
            ctx.eng.api.update(new)
            ctx.eng.settle()
        ctx.out(f"{name_of(d)} rolled back{dry_suffix(mode)}\n")
    _finish(ctx, errors)


# ---- pause / resume / restart -----------------------------------------------------------------

def _set_paused(ctx, inv, paused: bool):
    mode = dry_run_mode(inv)
    code = 0
    targets, errors = _targets(ctx, inv)
    if not targets and not errors:
        builder.no_resources_found(ctx, inv)
        return
    for rt, d in targets:
        if d["kind"] != "Deployment":
            ctx.err(f'error: {rt.resource} "{d["metadata"]["name"]}" pausing is not supported\n')
            code = 1
            continue
        if bool(get_path(d, "spec.paused")) == paused:
            state = "already paused" if paused else "not paused"
            ctx.err(f'error: deployments.apps "{d["metadata"]["name"]}" is {state}\n')
            code = 1
            continue
        new = clone(d)
        if paused:
            new["spec"]["paused"] = True
        else:
            new["spec"].pop("paused", None)
        if mode == "none":
            ctx.eng.api.update(with_change_cause(new, inv))
            ctx.eng.settle()
        ctx.out(f"{name_of(d)} {'paused' if paused else 'resumed'}{dry_suffix(mode)}\n")
    ctx.exit_code = code
    if errors:
        _finish(ctx, errors)


def run_pause(ctx, inv):
    _set_paused(ctx, inv, True)


def run_resume(ctx, inv):
    _set_paused(ctx, inv, False)


def run_restart(ctx, inv):
    mode = dry_run_mode(inv)
    targets, errors = _targets(ctx, inv)
    if not targets and not errors:
        builder.no_resources_found(ctx, inv)
        return
    for rt, d in targets:
        if get_path(d, "spec.paused"):
            raise CLIError(f'deployments.apps "{d["metadata"]["name"]}" can\'t restart paused deployment '
                           "(run rollout resume first)")
        new = clone(d)
        tmeta = new["spec"]["template"].setdefault("metadata", {})
        anns = tmeta.setdefault("annotations", {})
        stamp = ctx.eng.stamp()
        if anns.get("kubectl.kubernetes.io/restartedAt") == stamp:
            raise CLIError(f"failed to create patch for {d['metadata']['name']}: if restart has already been "
                           "triggered within the past second, please wait before attempting to trigger another")
        anns["kubectl.kubernetes.io/restartedAt"] = stamp
        if mode == "none":
            ctx.eng.api.update(new)
            ctx.eng.settle()
        ctx.out(f"{name_of(d)} restarted{dry_suffix(mode)}\n")
    _finish(ctx, errors)


HANDLES = {
    ('rollout', 'status'): run_status,
    ('rollout', 'history'): run_history,
    ('rollout', 'undo'): run_undo,
    ('rollout', 'pause'): run_pause,
    ('rollout', 'resume'): run_resume,
    ('rollout', 'restart'): run_restart,
}
