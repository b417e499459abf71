"""The node side: scheduler binding and the kubelet's pod lifecycle.

Pending → (scheduled) → ContainerCreating (image pull) → Running → Ready (readiness probe) …
→ Terminating (grace period) → gone. Unknown images fail to pull: ErrImagePull, then
ImagePullBackOff with the kubelet's back-off (10 s doubling to 300 s: pkg/kubelet/kubelet.go
backOffPeriod / MaxContainerBackOff). Crashing containers restart with the same back-off and show
CrashLoopBackOff. Event texts follow pkg/kubelet/images/image_manager.go and
pkg/kubelet/kuberuntime/kuberuntime_container.go.

Per-pod kubelet memory (probe counters, request counters and the log of each container
incarnation and of the one before it, pull attempts) lives in `eng.kubelet`, a JSON-shaped
dict, so it snapshots with the cluster.
"""
from __future__ import annotations

import hashlib

from .. import busybox, images
from . import init_wait, pod_env, volumes
from ..objects import clone, get_path

BACKOFF_BASE = 10.0
BACKOFF_MAX = 300.0
SANDBOX_SECONDS = 0.4     # creating the pod sandbox and its network before pulling
CREATE_SECONDS = 0.3      # creating + starting a container once its image is there
CONFIG_RETRY_SECONDS = 10.0  # a pod waiting for a missing ConfigMap/Secret is synced again
COMMAND_OUTPUT_DELAY = 0.02  # a busybox command's first write after its container starts
STATUS_LAG = 1.0          # ErrImagePull is reported, then the next pod sync shows ImagePullBackOff


def go_duration(seconds: float) -> str:
    """time.Duration.String() for millisecond-truncated durations."""
    ms = int(seconds * 1000)
    if ms < 1000:
        return f"{ms}ms"
    s = ms / 1000
    if s < 60:
        return f"{s:.3f}".rstrip("0").rstrip(".") + "s"
    m, rem = divmod(s, 60)
    return f"{int(m)}m" + (f"{rem:.3f}".rstrip("0").rstrip(".") + "s")


def _pod(eng, uid):
    ref = eng.kubelet["pods"].get(uid)
    if ref is None:
        return None, None
    pod = eng.store.get("Pod", ref["ns"], ref["name"])
    if pod is None or pod["metadata"]["uid"] != uid:
        return None, None
    return pod, ref


def _status_copy(pod: dict) -> dict:
    """A pod to write status on: its own status, spec and metadata shared with the stored object
    (stored objects are never mutated; the status subresource writes only status)."""
    new = dict(pod)
    new["status"] = clone(pod.get("status") or {})
    return new


def _container_spec(pod, name):
    for key in ("containers", "initContainers"):
        for c in get_path(pod, f"spec.{key}") or ():
            if c.get("name") == name:
                return c
    return None


def _is_init(pod, name) -> bool:
    return any(c.get("name") == name for c in get_path(pod, "spec.initContainers") or ())


def _statuses(pod, name) -> list:
    """The status list (initContainerStatuses or containerStatuses) a container reports in."""
    key = "initContainerStatuses" if _is_init(pod, name) else "containerStatuses"
    return pod["status"].setdefault(key, [])


def _field_path(name: str, init: bool = False) -> str:
    return f"spec.{'initContainers' if init else 'containers'}{{{name}}}"


def _event(eng, pod, etype, reason, message, container=None):
    eng.record_event(pod, etype, reason, message, "kubelet", host=get_path(pod, "spec.nodeName"),
                     field_path=_field_path(container, _is_init(pod, container)) if container else None)


# ---- scheduling -------------------------------------------------------------------------------

def schedule_pod(eng, namespace: str, name: str) -> None:
    """The default scheduler, reduced to spreading: the node with the fewest pods, by name."""
    pod = eng.store.get("Pod", namespace, name)
    if pod is None or get_path(pod, "spec.nodeName") or pod["metadata"].get("deletionTimestamp"):
        return
    nodes = eng.store.list("Node", "")
    if not nodes:
        return
    counts = eng.kubelet.setdefault("load", {})
    load = {n["metadata"]["name"]: counts.get(n["metadata"]["name"], 0) for n in nodes}
    node = min(sorted(load), key=lambda n: load[n])
    counts[node] = load[node] + 1
    # only what bind() reads (metadata, spec.nodeName, status, which it copies): no deep copy of the pod
    status = dict(pod.get("status") or {})
    status["conditions"] = [{"lastProbeTime": None, "lastTransitionTime": eng.stamp(), "status": "True",
                             "type": "PodScheduled"}]
    pod = eng.api.bind({"metadata": pod["metadata"], "spec": {"nodeName": node}, "status": status})
    uid = pod["metadata"]["uid"]
    eng.kubelet["pods"][uid] = {"ns": namespace, "name": name, "node": node, "containers": {}, "gen": 0}
    eng.record_event(pod, "Normal", "Scheduled", f"Successfully assigned {namespace}/{name} to {node}",
                     "default-scheduler")
    eng.after(SANDBOX_SECONDS, "kubelet_start", uid)


# ---- starting containers ----------------------------------------------------------------------

def _node_state(eng, node: str) -> dict:
    return eng.kubelet["nodes"].setdefault(node, {"images": [], "ip": None})


def start_pod(eng, uid: str) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or pod["metadata"].get("deletionTimestamp"):
        return
    node = ref["node"]
    pod = _status_copy(pod)
    status = pod["status"]
    status["hostIP"] = eng.node_ip(node)
    status["hostIPs"] = [{"ip": status["hostIP"]}]
    ip = eng.allocate_pod_ip(node)
    status["podIP"], status["podIPs"] = ip, [{"ip": ip}]
    status["startTime"] = eng.stamp()
    inits = pod["spec"].get("initContainers") or []
    # with init containers, everything waits as PodInitializing until they have run in order
    waiting = "PodInitializing" if inits else "ContainerCreating"
    status["containerStatuses"] = [_waiting_status(c, waiting) for c in pod["spec"].get("containers") or ()]
    if inits:
        status["initContainerStatuses"] = [_waiting_status(c, "PodInitializing") for c in inits]
    _recompute(eng, pod)
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after
    for c in inits + (pod["spec"].get("containers") or []):
        ref["containers"][c["name"]] = {"gen": 0, "pulls": 0, "requests": 0, "ready_ok": 0, "ready_fail": 0,
                                        "live_fail": 0, "restarts": 0, "ready": False}
    if inits:
        _begin_pull(eng, pod, ref, inits[0])
        return
    for c in pod["spec"].get("containers") or ():
        _begin_pull(eng, pod, ref, c)


def _next_after_init(eng, pod, ref, cname) -> None:
    """An init container completed: the next one starts, or after the last the app containers
    (kubelet computeInitContainerActions: strictly in order)."""
    inits = pod["spec"].get("initContainers") or []
    names = [c["name"] for c in inits]
    i = names.index(cname)
    if i + 1 < len(inits):
        _begin_pull(eng, pod, ref, inits[i + 1])
        return
    for c in pod["spec"].get("containers") or ():
        _begin_pull(eng, pod, ref, c)


def _waiting_status(c: dict, reason: str, message: str | None = None, prior: dict | None = None) -> dict:
    waiting = {"reason": reason}
    if message:
        waiting["message"] = message
    st = {"image": c.get("image", ""), "imageID": "", "lastState": {}, "name": c["name"], "ready": False,
          "restartCount": 0, "started": False, "state": {"waiting": waiting}}
    if prior:
        st["restartCount"] = prior.get("restartCount", 0)
        st["lastState"] = prior.get("lastState", {})
        if prior.get("imageID"):
            st["imageID"] = prior["imageID"]
            st["image"] = prior["image"]
        if prior.get("containerID"):
            st["containerID"] = prior["containerID"]
    return st


def _begin_pull(eng, pod, ref, c) -> None:
    cname = c["name"]
    cstate = ref["containers"][cname]
    image = images.lookup(c.get("image", ""))
    node = _node_state(eng, ref["node"])
    present = images.canonical(c.get("image", "")) in node["images"]
    policy = c.get("imagePullPolicy") or "IfNotPresent"
    uid = pod["metadata"]["uid"]
    if policy == "Never":
        if present:
            _event(eng, pod, "Normal", "Pulled", f'Container image "{c["image"]}" already present on machine', cname)
            eng.after(CREATE_SECONDS, "kubelet_pulled", uid, cname, cstate["gen"])
        else:
            msg = f'Container image "{c.get("image", "")}" is not present with pull policy of Never'
            _set_waiting(eng, uid, cname, "ErrImageNeverPull", msg)
            _event(eng, pod, "Warning", "ErrImageNeverPull", msg, cname)
        return
    if present and policy != "Always":
        _event(eng, pod, "Normal", "Pulled", f'Container image "{c["image"]}" already present on machine', cname)
        eng.after(CREATE_SECONDS, "kubelet_pulled", uid, cname, cstate["gen"])
        return
    _event(eng, pod, "Normal", "Pulling", f'Pulling image "{c.get("image", "")}"', cname)
    cstate["pulls"] += 1
    if image is None:
        eng.after(round(0.6 + eng.rng.uniform(0, 0.8), 3), "kubelet_pull_failed", uid, cname, cstate["gen"])
        return
    seconds = 0.4 + eng.rng.uniform(0, 0.4) if present else images.pull_seconds(image, eng.rng)
    cstate["pull_seconds"] = round(seconds, 3)
    eng.after(seconds, "kubelet_pulled", uid, cname, cstate["gen"], True)


def pull_failed(eng, uid, cname, gen) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    c = _container_spec(pod, cname)
    cstate = ref["containers"][cname]
    err = images.not_found_message(c.get("image", ""))
    _event(eng, pod, "Warning", "Failed", f'Failed to pull image "{c.get("image", "")}": {err}', cname)
    _event(eng, pod, "Warning", "Failed", "Error: ErrImagePull", cname)
    _set_waiting(eng, uid, cname, "ErrImagePull", err)
    backoff = min(BACKOFF_BASE * (2 ** (cstate["pulls"] - 1)), BACKOFF_MAX)
    eng.after(STATUS_LAG, "kubelet_pull_backoff", uid, cname, gen)
    eng.after(backoff, "kubelet_retry_pull", uid, cname, gen)


def pull_backoff(eng, uid, cname, gen) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    c = _container_spec(pod, cname)
    _event(eng, pod, "Normal", "BackOff", f'Back-off pulling image "{c.get("image", "")}"', cname)
    _event(eng, pod, "Warning", "Failed", "Error: ImagePullBackOff", cname)
    _set_waiting(eng, uid, cname, "ImagePullBackOff", f'Back-off pulling image "{c.get("image", "")}": ErrImagePull: '
                 + images.not_found_message(c.get("image", "")))


def retry_pull(eng, uid, cname, gen) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    _begin_pull(eng, pod, ref, _container_spec(pod, cname))


def _set_waiting(eng, uid, cname, reason, message) -> None:
    pod, _ = _pod(eng, uid)
    pod = _status_copy(pod)
    c = _container_spec(pod, cname)
    lst = _statuses(pod, cname)
    for i, st in enumerate(lst):
        if st["name"] == cname:
            lst[i] = _waiting_status(c, reason, message, prior=st)
    _recompute(eng, pod)
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after


def _image_id(image_ref: str) -> str:
    full = images.canonical(image_ref)
    repo = full.rsplit(":", 1)[0] if "@" not in full else full.split("@")[0]
    return f"{repo}@sha256:{hashlib.sha256(full.encode()).hexdigest()}"


def image_pulled(eng, uid, cname, gen, pulled_now=False) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    c = _container_spec(pod, cname)
    cstate = ref["containers"][cname]
    node = _node_state(eng, ref["node"])
    canonical = images.canonical(c["image"])
    if pulled_now:
        took = go_duration(cstate.get("pull_seconds", 1.0))
        image = images.lookup(c["image"])
        size = int(image.size_mb * 1_000_000 * 0.37) if image else 0
        _event(eng, pod, "Normal", "Pulled",
               f'Successfully pulled image "{c["image"]}" in {took} ({took} including waiting). Image size: {size} bytes.',
               cname)
        if canonical not in node["images"]:
            node["images"].append(canonical)
    eng.after(CREATE_SECONDS, "kubelet_run", uid, cname, gen)


def run_container(eng, uid, cname, gen) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    c = _container_spec(pod, cname)
    cstate = ref["containers"][cname]
    problem = pod_env.mount_error(eng, pod)
    env, env_problem = pod_env.environment(eng, pod, c)
    if problem is not None or env_problem is not None:
        # FailedMount keeps the pod ContainerCreating; a missing env source is
        # CreateContainerConfigError; the kubelet tries again on its next sync
        if problem is not None:
            _event(eng, pod, "Warning", "FailedMount", problem)
        else:
            _event(eng, pod, "Warning", "Failed", f"Error: {env_problem}", cname)
            _set_waiting(eng, uid, cname, "CreateContainerConfigError", env_problem)
        eng.after(CONFIG_RETRY_SECONDS, "kubelet_run", uid, cname, gen)
        return
    cstate.update(requests=0, ready_ok=0, ready_fail=0, live_fail=0, ready=False, started_at=eng.now)
    cstate.pop("env", None)  # used right here (busybox, $(VAR)); never kept: ConfigMaps can be large
    argv = [pod_env.expand(str(w), env) for w in (c.get("command") or []) + (c.get("args") or [])]
    image_app = (images.lookup(c["image"]) or images.Image("", "", (), 0, 0)).app
    if argv and image_app in ("agnhost", "http-echo"):
        # what an argument-driven image listens on and answers (kept small: it is in every snapshot)
        cstate["argv"] = [w[:256] for w in argv[:32]]
    else:
        cstate.pop("argv", None)
    html = volumes.files_under(eng, pod, c, volumes.NGINX_ROOT)
    if html is not None:  # an emptyDir as nginx's html root: what is in it when nginx starts
        cstate["html"] = dict(html)
    else:
        cstate.pop("html", None)
    _event(eng, pod, "Normal", "Created", f"Created container: {cname}", cname)
    _event(eng, pod, "Normal", "Started", f"Started container {cname}", cname)
    image = images.lookup(c["image"])
    images.start_log(cstate, image, eng.now)
    readiness = c.get("readinessProbe")
    cstate["ready"] = readiness is None
    pod = _status_copy(pod)
    lst = _statuses(pod, cname)
    for i, st in enumerate(lst):
        if st["name"] == cname:
            new = {"containerID": f"containerd://{_container_id(uid, cname, cstate['restarts'])}",
                   "image": images.canonical(c["image"]), "imageID": _image_id(c["image"]),
                   "lastState": st.get("lastState") or {}, "name": cname, "ready": cstate["ready"],
                   "restartCount": cstate["restarts"], "started": True,
                   "state": {"running": {"startedAt": eng.stamp()}}}
            mounts = _status_mounts(c)
            if mounts:
                new["volumeMounts"] = mounts
            lst[i] = new
    _recompute(eng, pod)
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after
    if readiness is not None:
        eng.after(float(readiness.get("initialDelaySeconds") or 0), "kubelet_probe", uid, cname, gen, "readiness")
    liveness = c.get("livenessProbe")
    if liveness is not None:
        eng.after(float(liveness.get("initialDelaySeconds") or 0), "kubelet_probe", uid, cname, gen, "liveness")
    exit_code = 0
    words = [pod_env.expand(str(w), env) for w in (c.get("command") or []) + (c.get("args") or [])]
    wait = init_wait.parse(pod, words) if image is not None and image.app == "busybox" else None
    if wait is not None:
        # `until nslookup <service>; do …; sleep N; done`: loop until the Service exists
        cstate["dns_wait"] = wait
        _dns_wait_step(eng, uid, cname, gen)
        return
    if image is not None and image.app == "busybox":
        # the command's output goes to the container log just after it starts (a process needs a
        # moment to write), so an attach that connects when the pod turns Running still sees it
        outcome = busybox.run(eng, pod, [pod_env.expand(str(w), env) for w in c.get("command") or []],
                              [pod_env.expand(str(w), env) for w in c.get("args") or []], c, env)
        for stream, text in outcome.lines:
            images.append_log(cstate, image, ["o", round(eng.now + COMMAND_OUTPUT_DELAY, 3), stream, text])
        lifetime, exit_code = outcome.lifetime, outcome.exit_code
        if lifetime is not None:
            lifetime = max(lifetime, COMMAND_OUTPUT_DELAY)
    else:
        lifetime = images.runs_forever(image, c.get("command"), c.get("args")) if image else None
    if lifetime is not None:
        eng.after(max(lifetime, 0.05), "kubelet_exit", uid, cname, gen, exit_code)


def _status_mounts(c: dict) -> list[dict]:
    """The mounts a running container reports (kubelet convertToAPIContainerStatuses, 1.30+):
    recursiveReadOnly is Disabled unless the mount asked for it."""
    out = []
    for m in c.get("volumeMounts") or ():
        st = {"mountPath": m.get("mountPath", ""), "name": m.get("name", "")}
        if m.get("readOnly"):
            st["readOnly"] = True
            st["recursiveReadOnly"] = m.get("recursiveReadOnly") or "Disabled"
        out.append(st)
    return out


def _container_id(uid: str, cname: str, restarts: int) -> str:
    return hashlib.sha256(f"{uid}/{cname}/{restarts}".encode()).hexdigest()


# ---- probes -----------------------------------------------------------------------------------

def _probe_result(eng, pod, c, probe, cstate) -> tuple[bool, str]:
    image = images.lookup(c["image"])
    if "httpGet" in probe:
        hg = probe["httpGet"]
        port = _resolve_port(c, hg.get("port"))
        answer = images.serve(image, cstate, pod["metadata"]["name"], port, hg.get("path") or "/",
                              now=eng.now, agent=images.PROBE_AGENT) if image else None
        if answer is None:
            ip = get_path(pod, "status.podIP")
            return False, f'Get "http://{ip}:{port}{hg.get("path") or "/"}": dial tcp {ip}:{port}: connect: connection refused'
        code = answer[0]
        if 200 <= code < 400:
            return True, ""
        return False, f"HTTP probe failed with statuscode: {code}"
    if "tcpSocket" in probe:
        port = _resolve_port(c, probe["tcpSocket"].get("port"))
        listening = images.listens_on(image, cstate) if image else ()
        if image and port in image.ports and (listening is None or port in listening):
            return True, ""
        ip = get_path(pod, "status.podIP")
        return False, f"dial tcp {ip}:{port}: connect: connection refused"
    if "exec" in probe:
        cmd = [str(x) for x in probe["exec"].get("command") or ()]
        if cmd[:1] in (["false"], ["/bin/false"]) or "exit 1" in " ".join(cmd):
            return False, ""
        return True, ""
    return True, ""


def _resolve_port(c: dict, port) -> int | None:
    if isinstance(port, int):
        return port
    for p in c.get("ports") or ():
        if p.get("name") == port:
            return p.get("containerPort")
    try:
        return int(port)
    except (TypeError, ValueError):
        return None


def _dns_wait_step(eng, uid, cname, gen) -> None:
    """One turn of an init container's `until nslookup` loop (simulator/controllers/init_wait.py)."""
    pod, ref = _pod(eng, uid)
    cstate = ref["containers"][cname]
    wait = cstate.get("dns_wait") or {}
    found, lines = init_wait.attempt(eng, wait)
    image = images.lookup(_container_spec(pod, cname)["image"])
    for text in lines:
        images.append_log(cstate, image, ["o", round(eng.now + COMMAND_OUTPUT_DELAY, 3), "o", text])
    if found:
        cstate.pop("dns_wait", None)
        eng.after(COMMAND_OUTPUT_DELAY, "kubelet_exit", uid, cname, gen, 0)
    else:
        eng.after(float(wait.get("every") or 1.0), "kubelet_probe", uid, cname, gen, "dns-wait")


def run_probe(eng, uid, cname, gen, kind) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    if kind == "dns-wait":
        _dns_wait_step(eng, uid, cname, gen)
        return
    c = _container_spec(pod, cname)
    probe = c.get(f"{kind}Probe") or {}
    cstate = ref["containers"][cname]
    images.stamp_pending(cstate, eng.now)
    ok, detail = _probe_result(eng, pod, c, probe, cstate)
    period = float(probe.get("periodSeconds") or 10)
    success_threshold = int(probe.get("successThreshold") or 1)
    failure_threshold = int(probe.get("failureThreshold") or 3)
    if not ok:
        _event(eng, pod, "Warning", "Unhealthy", f"{kind.capitalize()} probe failed: {detail}".rstrip(": "), cname)
    if kind == "readiness":
        if ok:
            cstate["ready_ok"] += 1
            cstate["ready_fail"] = 0
            if not cstate["ready"] and cstate["ready_ok"] >= success_threshold:
                _set_ready(eng, uid, cname, True)
        else:
            cstate["ready_fail"] += 1
            cstate["ready_ok"] = 0
            if cstate["ready"] and cstate["ready_fail"] >= failure_threshold:
                _set_ready(eng, uid, cname, False)
        eng.after(period, "kubelet_probe", uid, cname, gen, kind)
        return
    if ok:
        cstate["live_fail"] = 0
        eng.after(period, "kubelet_probe", uid, cname, gen, kind)
        return
    cstate["live_fail"] += 1
    if cstate["live_fail"] < failure_threshold:
        eng.after(period, "kubelet_probe", uid, cname, gen, kind)
        return
    _event(eng, pod, "Normal", "Killing", f"Container {cname} failed liveness probe, will be restarted", cname)
    container_exited(eng, uid, cname, gen, 137, "Error", restart_at_once=True)


def _set_ready(eng, uid, cname, ready: bool) -> None:
    pod, ref = _pod(eng, uid)
    ref["containers"][cname]["ready"] = ready
    pod = _status_copy(pod)
    for st in _statuses(pod, cname):
        if st["name"] == cname:
            st["ready"] = ready
    _recompute(eng, pod)
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after


# ---- exits, restarts, CrashLoopBackOff -------------------------------------------------------

def container_exited(eng, uid, cname, gen, exit_code, reason=None, restart_at_once=False) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    cstate = ref["containers"][cname]
    cstate["gen"] += 1
    cstate["ready"] = False
    reason = reason or ("Completed" if exit_code == 0 else "Error")
    pod = _status_copy(pod)
    c = _container_spec(pod, cname)
    policy = get_path(pod, "spec.restartPolicy") or "Always"
    init = _is_init(pod, cname)
    # an init container that succeeded is done (and reports ready); one that failed is retried
    # unless the pod never restarts (kubelet computeInitContainerActions)
    done = (policy == "Never" or (policy == "OnFailure" and exit_code == 0)) if not init else \
        (exit_code == 0 or policy == "Never")
    for i, st in enumerate(_statuses(pod, cname)):
        if st["name"] != cname:
            continue
        started = (st.get("state") or {}).get("running", {}).get("startedAt", eng.stamp())
        terminated = {"containerID": st.get("containerID", ""), "exitCode": exit_code, "finishedAt": eng.stamp(),
                      "reason": reason, "startedAt": started}
        st.update(ready=init and exit_code == 0, started=False, state={"terminated": terminated})
        if not done:
            cstate["restarts"] += 1
    _recompute(eng, pod)
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after
    if init and exit_code == 0:
        _next_after_init(eng, pod, ref, cname)
        return
    if done:
        return
    # back-off before the restart: none for the first restart after a liveness kill, then 10 s doubling
    n = cstate["restarts"]
    delay = 0.0 if (restart_at_once and n == 1) else min(BACKOFF_BASE * (2 ** max(n - 2, 0)), BACKOFF_MAX)
    if delay > 0:
        eng.after(STATUS_LAG, "kubelet_crashloop", uid, cname, cstate["gen"])
    eng.after(max(delay, STATUS_LAG), "kubelet_restart", uid, cname, cstate["gen"])
    del c


def crash_loop(eng, uid, cname, gen) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    name = pod["metadata"]["name"]
    msg = f"back-off {go_duration(min(BACKOFF_BASE * 2 ** max(ref['containers'][cname]['restarts'] - 2, 0), BACKOFF_MAX))} restarting failed container={cname} pod={name}_{pod['metadata']['namespace']}({uid})"
    _event(eng, pod, "Warning", "BackOff", f"Back-off restarting failed container {cname} in pod {name}_{pod['metadata']['namespace']}({uid})", cname)
    pod = _status_copy(pod)
    c = _container_spec(pod, cname)
    lst = _statuses(pod, cname)
    for i, st in enumerate(lst):
        if st["name"] == cname:
            prior = {**st, "lastState": {"terminated": st["state"].get("terminated", {})}}
            lst[i] = _waiting_status(c, "CrashLoopBackOff", msg, prior=prior)
    _recompute(eng, pod)
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after


def restart_container(eng, uid, cname, gen) -> None:
    pod, ref = _pod(eng, uid)
    if pod is None or ref["containers"][cname]["gen"] != gen or pod["metadata"].get("deletionTimestamp"):
        return
    pod = _status_copy(pod)
    for st in _statuses(pod, cname):
        if st["name"] == cname and "terminated" in st["state"]:
            st["lastState"] = {"terminated": st["state"]["terminated"]}
    eng.api.update_status(pod, fresh_status=True)  # a _status_copy, not touched after
    eng.after(CREATE_SECONDS, "kubelet_run", uid, cname, gen)


# ---- termination ------------------------------------------------------------------------------

def pod_deleting(eng, pod: dict) -> None:
    """Graceful deletion began: stop the containers; the pod goes once they have exited or the
    grace period ends (SIGKILL)."""
    uid = pod["metadata"]["uid"]
    ref = eng.kubelet["pods"].get(uid)
    grace = pod["metadata"].get("deletionGracePeriodSeconds")
    grace = 30 if grace is None else int(grace)
    if ref is None:  # never started on a node: nothing to stop
        eng.after(0, "kubelet_gone", uid)
        return
    for cname, cstate in ref["containers"].items():
        cstate["gen"] += 1
        c = _container_spec(pod, cname)
        if c is not None and cstate.get("started_at") is not None:
            _event(eng, pod, "Normal", "Killing", f"Stopping container {cname}", cname)
    longest = 0.0
    finished = {s.get("name") for s in get_path(pod, "status.containerStatuses") or ()
                if "terminated" in (s.get("state") or {})}
    for c in get_path(pod, "spec.containers") or ():
        image = images.lookup(c.get("image", ""))
        exits = image.term_seconds if image else 0.2
        if c.get("name") in finished:
            exits = 0.0  # a container that already exited has nothing left to stop
        longest = max(longest, min(exits, float(grace)))
    eng.after(max(longest, 0.0), "kubelet_gone", uid)


def pod_gone(eng, uid) -> None:
    ref = eng.kubelet["pods"].get(uid)
    if ref is None:
        for pod in eng.store.list("Pod"):
            if pod["metadata"]["uid"] == uid:
                ref = {"ns": pod["metadata"]["namespace"], "name": pod["metadata"]["name"]}
                break
    if ref is None:
        return
    pod = eng.store.get("Pod", ref["ns"], ref["name"])
    if pod is not None and pod["metadata"]["uid"] == uid:
        eng.api.finalize_delete(pod)


# ---- pod-level status ------------------------------------------------------------------------

def _recompute(eng, pod: dict) -> None:
    """Phase and conditions from container statuses (kubelet getPhase / generateAPIPodStatus)."""
    status = pod["status"]
    statuses = status.get("containerStatuses") or []
    inits = status.get("initContainerStatuses") or []
    stamp = eng.stamp()
    all_ready = bool(statuses) and all(s.get("ready") for s in statuses)
    waiting_fresh = any("waiting" in s["state"] and not s.get("lastState") for s in statuses)
    running = any("running" in s["state"] for s in statuses)
    policy = get_path(pod, "spec.restartPolicy") or "Always"
    incomplete = [s["name"] for s in inits
                  if (s.get("state") or {}).get("terminated", {}).get("exitCode", 1) != 0
                  or "terminated" not in (s.get("state") or {})]
    init_failed = policy == "Never" and any(
        (s.get("state") or {}).get("terminated", {}).get("exitCode", 0) != 0 for s in inits)
    if init_failed:
        phase = "Failed"
    elif incomplete or waiting_fresh:
        phase = "Pending"
    elif running or policy == "Always":
        phase = "Running"
    else:
        codes = [s["state"].get("terminated", {}).get("exitCode", 0) for s in statuses]
        phase = "Succeeded" if all(code == 0 for code in codes) else "Failed"
    status["phase"] = phase
    old = {c["type"]: c for c in status.get("conditions") or ()}

    def cond(ctype, value):
        prior = old.get(ctype)
        if prior is not None and prior["status"] == value:
            return prior
        return {"lastProbeTime": None, "lastTransitionTime": stamp, "status": value, "type": ctype}

    ready = "True" if all_ready else "False"
    status["conditions"] = [
        cond("PodReadyToStartContainers", "True"),
        cond("Initialized", "False" if incomplete else "True"),
        cond("Ready", ready),
        cond("ContainersReady", ready),
        old.get("PodScheduled") or cond("PodScheduled", "True"),
    ]
    for c in status["conditions"]:
        if c["type"] == "Initialized" and c["status"] == "False":
            c["reason"] = "ContainersNotInitialized"
            c["message"] = f"containers with incomplete status: [{' '.join(incomplete)}]"
        elif c["type"] in ("Ready", "ContainersReady") and c["status"] == "False":
            not_ready = [s["name"] for s in statuses if not s.get("ready")]
            c["reason"] = "ContainersNotReady"
            c["message"] = f"containers with unready status: [{' '.join(not_ready)}]"
        else:
            c.pop("reason", None)
            c.pop("message", None)
