"""`kubectl run NAME --image=…` (kubectl pkg/cmd/run/run.go, pkg/generate/versioned/run.go BasicPod).

The generated Pod: labels `run=NAME` unless --labels; one container named NAME; `dnsPolicy:
ClusterFirst`; `restartPolicy` from --restart (--restart= with -i: OnFailure); --port →
containerPort; words after NAME → the container's args (or command with --command); --env → env.

Attaching (-i, --attach, --rm; simulator/kubectl/commands/run_attach.py) works as kubectl does
when its own stdin is not a terminal: the console is not one, so -t gets "Unable to use a TTY".
"""
from __future__ import annotations

from ...api.errors import CLIError
from .. import cli
from ..overrides import apply_overrides
from .common import dry_run_mode
from .create_sub import _send
from .output import check_output_format, emit

RESTART_POLICIES = ("Always", "OnFailure", "Never")


def _parse_labels(spec: str) -> dict:
    """generate.ParseLabels: `k=v,k2=v2`."""
    labels = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2 or not parts[0]:
            raise CLIError(f"invalid label spec: {item}")
        labels[parts[0]] = parts[1]
    return labels


def build_pod(inv) -> dict:
    name = inv.args[0]
    image = inv.flags.get("image") or ""
    # run.go getRestartPolicy picks OnFailure for -i only when --restart is empty; its default is Always
    restart = inv.flags.get("restart") or ("OnFailure" if inv.flags.get("stdin") else "Always")
    if restart not in RESTART_POLICIES:
        raise CLIError(f"invalid restart policy: {restart}")
    labels = _parse_labels(inv.flags["labels"]) if inv.flags.get("labels") else {"run": name}
    container: dict = {"image": image, "name": name, "resources": {}}
    if inv.flags.get("stdin"):  # run.go createPod: Stdin, StdinOnce (unless --leave-stdin-open), TTY
        container["stdin"] = True
        if not inv.flags.get("leave-stdin-open"):
            container["stdinOnce"] = True
    if inv.flags.get("tty"):
        container["tty"] = True
    words = inv.args[1:]
    if words:
        container["command" if inv.flags.get("command") else "args"] = list(words)
    envs = []
    for e in inv.flags.get("env") or ():
        key, sep, value = e.partition("=")
        if not sep or not key:
            raise CLIError(f"invalid env: {e}")
        envs.append({"name": key, "value": value})
    if envs:
        container["env"] = envs
    if inv.flags.get("image-pull-policy"):
        container["imagePullPolicy"] = inv.flags["image-pull-policy"]
    port = inv.flags.get("port") or ""
    if port:
        if not port.lstrip("+-").isdigit():
            raise CLIError(f"strconv.Atoi: parsing {cli.go_quote(port)}: invalid syntax")
        container["ports"] = [{"containerPort": int(port)}]
    if inv.flags.get("privileged"):
        container["securityContext"] = {"privileged": True}
    meta: dict = {"labels": labels, "name": name}
    annotations = {}
    for a in inv.flags.get("annotations") or ():
        key, sep, value = a.partition("=")
        if not sep:
            raise CLIError(f"invalid annotation spec: {a}")
        annotations[key] = value
    if annotations:
        meta = {"annotations": annotations, **meta}
    if inv.flags.get("namespace"):
        meta["namespace"] = inv.flags["namespace"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
            "status": {}}


def run_run(ctx, inv):
    from .run_attach import attach_flags, attach_and_wait

    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    attach, remove = attach_flags(inv, mode)
    if inv.flags.get("expose"):
        raise CLIError("--expose is not supported in this simulator; use `kubectl expose pod NAME --port=…`")
    pod = apply_overrides(build_pod(inv), inv)
    created = _send(ctx, inv, pod, mode, None)
    if not attach:
        emit(ctx, inv, created, "created", mode)
        return None
    return attach_and_wait(ctx, inv, created, remove)


HANDLES = {
    ("run",): run_run,
}
