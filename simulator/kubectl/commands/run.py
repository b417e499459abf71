"""`kubectl run NAME --image=…` (kubectl pkg/cmd/run/run.go, pkg/generate/versioned/run.go BasicPod).

The generated Pod: labels `run=NAME` unless --labels; one container named NAME; `dnsPolicy:
ClusterFirst`; `restartPolicy` from --restart; --port → containerPort; words after NAME → the
container's args (or command with --command); --env → env. Attaching (-i, -t, --attach, --rm) needs a
terminal into the container, which the console does not have.
"""
from __future__ import annotations

from ...api.errors import CLIError
from .. import cli
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
    restart = inv.flags.get("restart") or "Always"
    if restart not in RESTART_POLICIES:
        raise CLIError(f"invalid restart policy: {restart}")
    labels = _parse_labels(inv.flags["labels"]) if inv.flags.get("labels") else {"run": name}
    container: dict = {"image": image, "name": name, "resources": {}}
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
    mode = dry_run_mode(inv)
    check_output_format(inv)
    for flag in ("stdin", "tty", "attach", "rm"):
        if inv.flags.get(flag):
            raise CLIError(f"--{flag} needs a terminal attached to the container, which this console does not "
                           "have; run the pod without it and use `kubectl logs`")
    if inv.flags.get("expose"):
        raise CLIError("--expose is not supported in this simulator; use `kubectl expose pod NAME --port=…`")
    if inv.flags.get("overrides"):
        raise CLIError("--overrides is not supported in this simulator")
    pod = build_pod(inv)
    emit(ctx, inv, _send(ctx, inv, pod, mode, None), "created", mode)


HANDLES = {
    ("run",): run_run,
}
