"""`kubectl logs` (kubectl pkg/cmd/logs/logs.go, pkg/polymorphichelpers/logsforobject.go; the
kubelet's validateContainerLogStatus in pkg/kubelet/kubelet_pods.go for the errors).

What a container printed is the kubelet's log buffer for it
(`eng.kubelet["pods"][uid]["containers"][name]["log"]`, and "prev_log" for the run before, both
filled by simulator/images.py: the app's start-up lines and one line per request it answered,
probes included), rendered with simulator/images.py render_log. Each line carries the time it was
written, for --timestamps, --since and --since-time.
"""
from __future__ import annotations

from ...api.errors import BadRequest, CLIError, NotFound
from ... import images
from ...objects import controller_ref, get_path
from ...timeutil import from_rfc3339, to_rfc3339
from .. import resources
from ..selectors import compile_selectors
from .common import namespace


def _gateway(pod: dict) -> str:
    ip = get_path(pod, "status.podIP") or "10.244.1.2"
    return ".".join(ip.split(".")[:3]) + ".1"


def _entries(cstate: dict, status: dict | None, previous: bool) -> list:
    log = cstate.get("log")
    if log is None:  # a kubelet state from before the log buffer: rebuild what it implies
        started = cstate.get("started_at")
        log = [] if started is None else [["s", started]] + [["r", started, None, "/", 200, 0, ""]] * int(
            cstate.get("requests") or 0)
        return [] if previous else log
    state = (status or {}).get("state") or {}
    if previous and ("running" in state or "terminated" in state):
        return cstate.get("prev_log") or []
    return log  # while waiting to restart, the current and the previous log are the last run's


def timed_lines(eng, pod: dict, cname: str, previous: bool = False) -> list[tuple[float, str]]:
    """(time written, text) of every line the container's log holds."""
    spec = next((c for c in _all_containers(pod) if c.get("name") == cname), {})
    image = images.lookup(spec.get("image", ""))
    if image is None:
        return []
    ref = eng.kubelet["pods"].get(pod["metadata"]["uid"]) or {}
    cstate = (ref.get("containers") or {}).get(cname) or {}
    status = _status_of(pod, cname)
    images.stamp_pending(cstate, eng.now)
    return images.render_log(image, _entries(cstate, status, previous), pod["metadata"]["name"], _gateway(pod),
                             lambda t: to_rfc3339(eng.epoch, t))


def _all_containers(pod: dict) -> list[dict]:
    """Init containers first, then the app containers (logs.go --all-containers order)."""
    return list(get_path(pod, "spec.initContainers") or []) + list(get_path(pod, "spec.containers") or [])


def _status_of(pod: dict, cname: str) -> dict | None:
    statuses = list(get_path(pod, "status.initContainerStatuses") or []) + \
        list(get_path(pod, "status.containerStatuses") or [])
    return next((s for s in statuses if s.get("name") == cname), None)


def container_lines(eng, pod: dict, cname: str, previous: bool = False) -> list[str]:
    """What the container has written so far (one string per line)."""
    return [text for _, text in timed_lines(eng, pod, cname, previous)]


def log_timestamp(eng, t: float) -> str:
    """The CRI log line's time as kubectl prints it with --timestamps (RFC3339Nano: trailing zeros
    of the fraction dropped)."""
    ns = int(round(t * 1e9))
    whole = to_rfc3339(eng.epoch, ns // 1_000_000_000)
    frac = f"{ns % 1_000_000_000:09d}".rstrip("0")
    return whole[:-1] + (f".{frac}" if frac else "") + "Z"


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
        return [c.get("name", "") for c in _all_containers(pod)]
    if wanted:
        # kubectl pkg/polymorphichelpers/logsforobject.go checks the name itself (FindContainerByName)
        if wanted not in [c.get("name", "") for c in _all_containers(pod)]:
            raise CLIError(f"container {wanted} is not valid for pod {pod_name}")
        return [wanted]
    default = (pod["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/default-container")
    if default in names:
        return [default]
    inits = [c.get("name", "") for c in get_path(pod, "spec.initContainers") or []]
    if (len(names) > 1 or inits) and not quiet:
        # logsforobject.go: podcmd.AllContainerNames (containers, then `NAME (init)`)
        listed = names + [f"{n} (init)" for n in inits]
        ctx.err(f'Defaulted container "{names[0]}" out of: {", ".join(listed)}\n')
    return names[:1]


def check_log_status(pod: dict, cname: str, previous: bool) -> None:
    """kubelet validateContainerLogStatus: whether there is a log to read."""
    name = pod["metadata"]["name"]
    if not get_path(pod, "spec.nodeName"):
        raise BadRequest(f"pod {name} does not have a host assigned")
    status = _status_of(pod, cname)
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


def _since(ctx, inv) -> float | None:
    """The earliest line time --since / --since-time keep (logs.go Complete and Validate; the
    kubelet rounds sinceSeconds up to whole seconds and drops lines written before now - since)."""
    since_time = inv.flags.get("since-time") or ""
    since = float(inv.flags.get("since") or 0)
    if since_time and since:
        raise CLIError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if since_time:
        try:
            return from_rfc3339(ctx.eng.epoch, since_time)
        except (ValueError, TypeError):
            raise CLIError(f'parsing time "{since_time}" as "2006-01-02T15:04:05Z07:00": '
                           f'cannot parse "{since_time}" as "2006"') from None
    if since < 0:
        raise CLIError("--since must be greater than 0")
    if since:
        return ctx.eng.now - float(-(-since // 1))
    return None


def run_logs(ctx, inv):
    earliest = _since(ctx, inv)
    stamped = bool(inv.flags.get("timestamps"))
    if len(inv.args) > 1 and not inv.flags.get("container"):
        inv.flags["container"] = inv.args[1]  # `kubectl logs POD CONTAINER` (deprecated form)
    selector = bool(inv.flags.get("selector"))
    tail = int(inv.flags.get("tail", -1))
    if tail == -1 and selector:
        tail = 10  # logs.go: 10 lines per pod when a selector is used
    previous = bool(inv.flags.get("previous"))
    prefix = bool(inv.flags.get("prefix")) or bool(inv.flags.get("all-pods"))
    streams = []  # [pod, container, position after the last line shown]
    for pod in target_pods(ctx, inv):
        for cname in _container_names(ctx, inv, pod, quiet=selector):
            check_log_status(pod, cname, previous)
            streams.append([pod, cname, (float("-inf"), 0)])
    limit = int(inv.flags.get("limit-bytes") or 0)

    def emit(pod, cname, lines):
        tag = f"[pod/{pod['metadata']['name']}/{cname}] " if prefix else ""
        if stamped:  # logs.go: the prefix comes first, then the kubelet's timestamp
            text = "".join(f"{tag}{log_timestamp(ctx.eng, t)} {line}\n" for t, line in lines)
        else:
            text = "".join(f"{tag}{line}\n" for _, line in lines)
        ctx.out(text[:limit] if limit > 0 else text)

    def unseen(s, lines):
        """Lines after the stream's position (t, how many lines of that instant were shown); the
        position survives the kubelet dropping old lines from the front of its buffer."""
        last_t, n_at_last = s[2]
        out, seen_at_last = [], 0
        for t, line in lines:
            if t < last_t:
                continue
            if t == last_t:
                seen_at_last += 1
                if seen_at_last <= n_at_last:
                    continue
            out.append((t, line))
        if out:
            end_t = out[-1][0]
            s[2] = (end_t, sum(1 for t, _ in lines if t == end_t))
        return out

    for s in streams:
        lines = timed_lines(ctx.eng, s[0], s[1], previous)
        if earliest is not None:
            lines = [(t, line) for t, line in lines if t >= earliest]
        unseen(s, lines)
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
                new = unseen(s, timed_lines(ctx.eng, pod, s[1]))
                if new:
                    emit(pod, s[1], new)
                alive = alive or (running and not pod["metadata"].get("deletionTimestamp"))
            if not alive:
                return 0
            yield ctx.eng.now + 1.0

    return follow()


HANDLES = {
    ("logs",): run_logs,
}
