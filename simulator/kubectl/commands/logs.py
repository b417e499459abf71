"""`kubectl logs` (kubectl pkg/cmd/logs/logs.go, pkg/polymorphichelpers/logsforobject.go; the
kubelet's validateContainerLogStatus in pkg/kubelet/kubelet_pods.go for the errors).

What a container printed is rebuilt from what the kubelet remembers about it
(`eng.kubelet["pods"][uid]["containers"][name]`: start time and the requests served by the current
incarnation, probes included) and from the app's real output:
  luksa/kubia (app.js): `Kubia server starting...`, then `Received request from <remote address>`
                        per request (node-side traffic arrives from the node's pod-network gateway,
                        ::ffff:10.244.N.1).
  nginx (docker-entrypoint.sh, 1.19+ images): the entrypoint lines and nginx's start-up notices.
  kubernetes-bootcamp: `Kubernetes Bootcamp App Started At: … | Running On:  <pod> `.
The kubelet keeps no per-line timestamps, so --timestamps/--since/--since-time are refused.
"""
from __future__ import annotations

from ...api.errors import BadRequest, CLIError, NotFound
from ... import images
from ...objects import controller_ref, get_path
from ...timeutil import to_rfc3339
from .. import resources
from ..selectors import compile_selectors
from .common import namespace

# the nginx patch release each catalogue minor version stands for (simulator/images.py tags)
_NGINX_PATCH = {19: 10, 20: 2, 21: 6, 22: 1, 23: 4, 24: 0, 25: 5, 26: 3, 27: 5}


def _nginx_version(tag: str) -> tuple[int, int, int] | None:
    """The nginx release behind a tag; None for releases before 1.19 (no entrypoint scripts)."""
    base = tag.split("-")[0]
    if base in ("latest", "stable", "mainline", "alpine", ""):
        return 1, 27, _NGINX_PATCH[27]
    parts = base.split(".")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        return None
    if len(nums) < 2 or nums[0] != 1 or nums[1] < 19:
        return None
    patch = nums[2] if len(nums) > 2 else _NGINX_PATCH.get(nums[1], 0)
    return 1, nums[1], patch


def _nginx_start(eng, started: float, tag: str) -> list[str]:
    version = _nginx_version(tag)
    if version is None:
        return []
    stamp = to_rfc3339(eng.epoch, started)  # 2026-01-01T09:00:07Z → nginx's 2026/01/01 09:00:07
    when = stamp[:10].replace("-", "/") + " " + stamp[11:19]
    v = ".".join(str(n) for n in version)
    lines = [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    ]
    if version[1] >= 25:
        lines.append("/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh")
    lines.append("/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh")
    if version[1] >= 21:
        lines.append("/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh")
    lines.append("/docker-entrypoint.sh: Configuration complete; ready for start up")
    if version[1] >= 21:
        lines += [f"{when} [notice] 1#1: using the \"epoll\" event method",
                  f"{when} [notice] 1#1: nginx/{v}",
                  f"{when} [notice] 1#1: OS: Linux 6.8.0-1027-gcp",
                  f"{when} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
                  f"{when} [notice] 1#1: start worker processes",
                  f"{when} [notice] 1#1: start worker process 29",
                  f"{when} [notice] 1#1: start worker process 30"]
    return lines


def _gateway(pod: dict) -> str:
    ip = get_path(pod, "status.podIP") or "10.244.1.2"
    return ".".join(ip.split(".")[:3]) + ".1"


def container_lines(eng, pod: dict, cname: str, previous: bool = False) -> list[str]:
    """What the container has written so far (one string per line)."""
    spec = next((c for c in get_path(pod, "spec.containers") or [] if c.get("name") == cname), {})
    image = images.lookup(spec.get("image", ""))
    if image is None:
        return []
    ref = eng.kubelet["pods"].get(pod["metadata"]["uid"]) or {}
    cstate = (ref.get("containers") or {}).get(cname) or {}
    started = cstate.get("started_at")
    if started is None:
        started = 0.0
    requests = 0 if previous else int(cstate.get("requests") or 0)
    if image.app == "kubia":
        return ["Kubia server starting..."] + [f"Received request from ::ffff:{_gateway(pod)}"] * requests
    if image.app == "nginx":
        return _nginx_start(eng, started, image.version)
    if image.app == "bootcamp":
        stamp = to_rfc3339(eng.epoch, started)
        return [f"Kubernetes Bootcamp App Started At: {stamp} | Running On:  {pod['metadata']['name']} "]
    return []


# ---- choosing the pod and the container ----------------------------------------------------------

def _active_rank(pod: dict):
    """The pod GetFirstPod picks first: running and ready, then longest running (ActivePods reversed)."""
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in get_path(pod, "status.conditions") or [])
    running = get_path(pod, "status.phase") == "Running"
    return (not running, not ready, pod["metadata"].get("creationTimestamp") or "", pod["metadata"]["name"])


def _pods_of(ctx, obj: dict) -> list[dict]:
    ns = obj["metadata"].get("namespace", "")
    if obj["kind"] == "Service":
        sel = get_path(obj, "spec.selector") or {}
        return [p for p in ctx.eng.store.list("Pod", ns)
                if sel and all((p["metadata"].get("labels") or {}).get(k) == v for k, v in sel.items())]
    owners = [obj]
    if obj["kind"] == "Deployment":
        owners = [rs for rs in ctx.eng.store.list("ReplicaSet", ns)
                  if (r := controller_ref(rs)) is not None and r.get("uid") == obj["metadata"]["uid"]]
    uids = {o["metadata"]["uid"] for o in owners}
    return [p for p in ctx.eng.store.list("Pod", ns)
            if (r := controller_ref(p)) is not None and r.get("uid") in uids]


def target_pods(ctx, inv) -> list[dict]:
    ns = namespace(inv)
    selector = inv.flags.get("selector") or ""
    if selector:
        match = compile_selectors("Pod", selector, "")
        return [p for p in ctx.eng.store.list("Pod", ns) if match(p)]
    word = inv.args[0]
    if "/" not in word:
        pod = ctx.eng.store.get("Pod", ns, word)
        if pod is None:
            raise NotFound("pods", word)
        return [pod]
    parsed = resources.parse_resource_args([word])
    rt, name = parsed.items[0]
    if rt.kind == "Pod":
        pod = ctx.eng.store.get("Pod", ns, name)
        if pod is None:
            raise NotFound("pods", name)
        return [pod]
    if rt.kind not in ("Deployment", "ReplicaSet", "ReplicationController", "Service") or not rt.simulated:
        raise CLIError(f"cannot get the logs from {rt.resource.split('.')[0]}")
    obj = ctx.eng.store.get(rt.kind, ns, name)
    if obj is None:
        raise NotFound(rt.resource, name)
    pods = sorted(_pods_of(ctx, obj), key=_active_rank)
    if not pods:
        # GetFirstPod waits --pod-running-timeout for a pod to appear, then gives up
        raise CLIError("timed out waiting for the condition")
    if len(pods) > 1:
        ctx.err(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}\n")
    return [pods[0]]


def _container_names(ctx, inv, pod: dict, quiet: bool) -> list[str]:
    names = [c.get("name", "") for c in get_path(pod, "spec.containers") or []]
    pod_name = pod["metadata"]["name"]
    wanted = inv.flags.get("container") or ""
    if inv.flags.get("all-containers"):
        return names
    if wanted:
        if wanted not in names:
            raise BadRequest(f"container {wanted} is not valid for pod {pod_name}")
        return [wanted]
    default = (pod["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/default-container")
    if default in names:
        return [default]
    if len(names) > 1 and not quiet:
        ctx.err(f'Defaulted container "{names[0]}" out of: {", ".join(names)}\n')
    return names[:1]


def check_log_status(pod: dict, cname: str, previous: bool) -> None:
    """kubelet validateContainerLogStatus: whether there is a log to read."""
    name = pod["metadata"]["name"]
    if not get_path(pod, "spec.nodeName"):
        raise BadRequest(f"pod {name} does not have a host assigned")
    status = next((s for s in get_path(pod, "status.containerStatuses") or [] if s.get("name") == cname), None)
    if status is None:
        raise BadRequest(f'container "{cname}" in pod "{name}" is waiting to start: ContainerCreating')
    if previous:
        if not (status.get("lastState") or {}).get("terminated"):
            raise BadRequest(f'previous terminated container "{cname}" in pod "{name}" not found')
        return
    state = status.get("state") or {}
    if "running" in state or "terminated" in state:
        return
    reason = (state.get("waiting") or {}).get("reason", "")
    if reason == "ErrImagePull":
        raise BadRequest(f'container "{cname}" in pod "{name}" is waiting to start: image can\'t be pulled')
    if reason == "ImagePullBackOff":
        raise BadRequest(f'container "{cname}" in pod "{name}" is waiting to start: trying and failing to pull image')
    if reason == "CrashLoopBackOff" and (status.get("lastState") or {}).get("terminated"):
        return  # the last run's log is still there
    raise BadRequest(f'container "{cname}" in pod "{name}" is waiting to start: {reason or "ContainerCreating"}')


def run_logs(ctx, inv):
    for flag in ("timestamps", "since-time"):
        if inv.flags.get(flag):
            raise CLIError(f"--{flag} is not supported in this simulator (its containers keep no log timestamps)")
    if str(inv.flags.get("since") or "0s") not in ("0s", "0", ""):
        raise CLIError("--since is not supported in this simulator (its containers keep no log timestamps)")
    if len(inv.args) > 1 and not inv.flags.get("container"):
        inv.flags["container"] = inv.args[1]  # `kubectl logs POD CONTAINER` (deprecated form)
    selector = bool(inv.flags.get("selector"))
    tail = int(inv.flags.get("tail", -1))
    if tail == -1 and selector:
        tail = 10  # logs.go: 10 lines per pod when a selector is used
    previous = bool(inv.flags.get("previous"))
    prefix = bool(inv.flags.get("prefix")) or bool(inv.flags.get("all-pods"))
    streams = []  # (pod, container, lines already shown)
    for pod in target_pods(ctx, inv):
        for cname in _container_names(ctx, inv, pod, quiet=selector):
            check_log_status(pod, cname, previous)
            streams.append([pod, cname, 0])
    limit = int(inv.flags.get("limit-bytes") or 0)

    def emit(pod, cname, lines):
        tag = f"[pod/{pod['metadata']['name']}/{cname}] " if prefix else ""
        text = "".join(f"{tag}{line}\n" for line in lines)
        ctx.out(text[:limit] if limit > 0 else text)

    for s in streams:
        lines = container_lines(ctx.eng, s[0], s[1], previous)
        s[2] = len(lines)
        emit(s[0], s[1], lines[-tail:] if tail >= 0 else lines)
    if not inv.flags.get("follow") or previous:
        return None

    def follow():
        while True:
            alive = False
            for s in streams:
                pod = ctx.eng.store.get("Pod", s[0]["metadata"]["namespace"], s[0]["metadata"]["name"])
                if pod is None or pod["metadata"]["uid"] != s[0]["metadata"]["uid"]:
                    continue
                running = any(st.get("name") == s[1] and "running" in (st.get("state") or {})
                              for st in get_path(pod, "status.containerStatuses") or [])
                lines = container_lines(ctx.eng, pod, s[1])
                if len(lines) > s[2]:
                    emit(pod, s[1], lines[s[2]:])
                    s[2] = len(lines)
                alive = alive or (running and not pod["metadata"].get("deletionTimestamp"))
            if not alive:
                return 0
            yield ctx.eng.now + 1.0

    return follow()


HANDLES = {
    ("logs",): run_logs,
}
