"""`kubectl run -i / --attach / --rm`: wait for the pod, show what its container writes, wait for
it to end, delete it with --rm (kubectl pkg/cmd/run/run.go Run, handleAttachPod, waitForPod;
pkg/cmd/attach/attach.go Run; pkg/cmd/exec/exec.go SetupTTY).

What kubectl does, in order:
  1. waitForPod(podRunningAndReady) for --pod-running-timeout (1m): a pod that already completed
     just has its logs printed (logOpts) and nothing below happens but step 4;
  2. the logs written so far ("pre-attach logs", to stdout);
  3. attach: with -t but stdin not a terminal, SetupTTY prints "Unable to use a TTY - input is not
     a terminal or the right kind of file" on stderr and goes on without one; then the container's
     stdout and stderr stream to kubectl's until the process exits;
  4. with --restart=Never/OnFailure, waitForPod(podCompleted / podSucceeded) and the exit code;
  5. the deferred --rm delete prints `pod "NAME" deleted from NS namespace` (kubectl v1.34), then
     a failed container's `pod NS/NAME terminated (REASON)\\n<message>` ends it with its exit code.
The console's stdin is never a terminal; nothing is typed into the container (it reads EOF).
"""
from __future__ import annotations

from ...api.errors import CLIError, RawError
from ...objects import get_path
from .. import cli

TTY_WARNING = "Unable to use a TTY - input is not a terminal or the right kind of file\n"


def attach_flags(inv, mode: str) -> tuple[bool, bool]:
    """(attach, remove) after run.go Complete/Validate's checks, in their order."""
    interactive = bool(inv.flags.get("stdin"))
    attach = bool(inv.flags.get("attach")) if inv.changed("attach") else interactive
    remove = bool(inv.flags.get("rm"))
    if inv.flags.get("tty") and not interactive:
        raise CLIError("-i/--stdin is required for containers with -t/--tty=true")
    if not attach and remove:
        raise CLIError("--rm should only be used for attached containers")
    if attach and mode != "none":
        raise CLIError("--dry-run=[server|client] can't be used with attached containers options "
                       "(--attach, --stdin, or --tty)")
    return attach, remove


def _timeout(inv) -> float:
    value = inv.flags.get("pod-running-timeout")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        seconds = cli.parse_duration(str(value or "1m0s"))
    if seconds <= 0:
        raise CLIError("--pod-running-timeout must be higher than zero")
    return seconds


def _phase(pod) -> str:
    return get_path(pod, "status.phase") or "Pending"


def _running_and_ready(pod) -> bool:
    conds = {c.get("type"): c.get("status") for c in get_path(pod, "status.conditions") or ()}
    return _phase(pod) == "Running" and conds.get("Ready") == "True"


def _entries(ctx, pod):
    """The container's raw log entries: ["o", t, stream, text] lines its command wrote."""
    ref = ctx.eng.kubelet["pods"].get(pod["metadata"]["uid"]) or {}
    cname = pod["spec"]["containers"][0]["name"]
    cstate = (ref.get("containers") or {}).get(cname) or {}
    return [e for e in cstate.get("log") or () if e and e[0] == "o"]


def attach_and_wait(ctx, inv, created: dict, remove: bool):
    ns, name = created["metadata"]["namespace"], created["metadata"]["name"]
    timeout = _timeout(inv)
    quiet = bool(inv.flags.get("quiet"))
    restart = get_path(created, "spec.restartPolicy") or "Always"
    start = ctx.now

    def current():
        return ctx.eng.store.get("Pod", ns, name)

    def remove_pod():
        if not remove:
            return
        pod = current()
        if pod is None:
            return  # deleteOpts.IgnoreNotFound
        ctx.eng.api.delete("Pod", ns, name)
        ctx.eng.settle()
        ctx.out(f'pod "{name}" deleted from {ns} namespace\n')

    def run():
        ctx.eng.after(timeout, "wake")  # a no-op timer (engine._fire ignores it) at the timeout
        # 1. wait until running and ready, or already finished
        while True:
            pod = current()
            if pod is None:
                raise CLIError(f'pods "{name}" not found')
            if _running_and_ready(pod) or _phase(pod) in ("Succeeded", "Failed"):
                break
            if ctx.now - start >= timeout:
                remove_pod()
                raise CLIError("timed out waiting for the condition")
            yield None
        shown = 0.0
        if _phase(pod) in ("Succeeded", "Failed"):
            for _, _, _, text in _entries(ctx, pod):  # logOpts: the whole log, to stdout
                ctx.out(text + "\n")
        else:
            attached_at = ctx.now
            for _, t, _, text in _entries(ctx, pod):  # 2. pre-attach logs
                if t <= attached_at:
                    ctx.out(text + "\n")
            if inv.flags.get("tty") and not quiet:  # 3. SetupTTY without a terminal
                ctx.err(TTY_WARNING)
            shown = attached_at
            # the attach stream: each line on the stream it was written to, until the process ends
            while True:
                pod = current()
                for _, t, stream, text in _entries(ctx, pod or {"metadata": {"uid": ""}, "spec": created["spec"]}):
                    if shown < t <= ctx.now:
                        (ctx.out if stream == "o" else ctx.err)(text + "\n")
                shown = ctx.now
                statuses = get_path(pod or {}, "status.containerStatuses") or []
                if pod is None or any("running" not in (s.get("state") or {}) for s in statuses):
                    break
                yield None
        # 4. the exit code (Never / OnFailure only)
        if restart not in ("Never", "OnFailure"):
            remove_pod()
            return 0
        wait_start = ctx.now
        ctx.eng.after(timeout, "wake")  # a no-op timer: time reaches the timeout even in a quiet cluster
        while True:
            pod = current()
            phase = _phase(pod) if pod else "Failed"
            if phase == "Succeeded" or (restart == "Never" and phase == "Failed"):
                break
            if ctx.now - wait_start >= timeout:
                remove_pod()
                raise CLIError("timed out waiting for the condition")
            yield None
        remove_pod()
        if phase == "Succeeded":
            return 0
        status = (get_path(pod, "status.containerStatuses") or [{}])[0]
        term = (status.get("state") or {}).get("terminated")
        if not term or not term.get("exitCode"):
            raise CLIError(f"pod {ns}/{name} failed with unknown exit code")
        # uexec.CodeExitError: printed as is (no "error: "), exit code = the container's
        text = f"pod {ns}/{name} terminated ({term.get('reason', '')})\n{term.get('message', '')}"
        raise RawError(text.rstrip("\n"), exit_code=int(term["exitCode"]))

    return run()
