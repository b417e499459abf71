"""Subresources: scale (autoscaling/v1 Scale of deployments, replicasets, replicationcontrollers),
status, and the pod log (kubelet's log endpoint as the API server proxies it, with
container/tailLines/timestamps/previous/follow)."""
from __future__ import annotations

from ..api.errors import BadRequest
from ..objects import clone
from .request import Request, live_object, precondition_rv
from .response import Response, json_response

def scale_of(req: Request, live: dict) -> dict:
    from ..labels import selector_string

    sel = (live.get("spec") or {}).get("selector")
    selector = selector_string(sel) if req.kind != "ReplicationController" else \
        ",".join(f"{k}={v}" for k, v in sorted((sel or {}).items()))
    meta = {k: live["metadata"][k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in live["metadata"]}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta,
            "spec": {"replicas": (live.get("spec") or {}).get("replicas", 0)},
            "status": {"replicas": (live.get("status") or {}).get("replicas", 0), "selector": selector}}


def get_scale(req: Request) -> Response:
    return json_response(scale_of(req, live_object(req)))


def write_scale(req: Request, scale: dict) -> Response:
    live = live_object(req)
    replicas = (scale.get("spec") or {}).get("replicas")
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise BadRequest("Scale in version \"v1\" cannot be handled as a Scale: spec.replicas must be an integer")
    precondition_rv(req, live, (scale.get("metadata") or {}).get("resourceVersion"))
    if replicas < 0:
        from ..api.errors import Invalid

        raise Invalid("Scale", req.name, [("spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0")])
    new = clone(live)
    new["spec"]["replicas"] = replicas
    stored = req.eng.api.update(new, dry_run=req.dry_run)
    req.eng.settle()
    return json_response(scale_of(req, stored))


def get_status(req: Request) -> Response:
    return json_response(live_object(req))


def log(req: Request) -> Response:
    from ..kubectl.commands import logs as logcmd

    pod = live_object(req)
    spec = pod.get("spec") or {}
    containers = [c.get("name") for c in spec.get("containers") or []]
    # the kubelet serves logs of init and ephemeral containers too (pkg/registry/core/pod/strategy.go LogLocation)
    others = [c.get("name") for key in ("initContainers", "ephemeralContainers") for c in spec.get(key) or []]
    cname = req.q("container")
    if not cname:
        if len(containers) != 1:
            raise BadRequest(f"a container name must be specified for pod {req.name}, choose one of: "
                             f"[{' '.join(containers)}]")
        cname = containers[0]
    elif cname not in containers + others:
        raise BadRequest(f"container {cname} is not valid for pod {req.name}")
    previous = req.flag("previous")
    logcmd.check_log_status(pod, cname, previous)
    lines = logcmd.timed_lines(req.eng, pod, cname, previous)
    tail = req.q("tailLines")
    if tail:
        try:
            n = int(tail)
        except ValueError:
            raise BadRequest(f"tailLines: Invalid value: {tail!r}") from None
        lines = lines[-n:] if n > 0 else []
    stamps = req.flag("timestamps")

    def text(items):
        return "".join((logcmd.log_timestamp(req.eng, t) + " " if stamps else "") + line + "\n"
                       for t, line in items).encode()

    if not req.flag("follow"):
        return Response(200, {"Content-Type": "text/plain"}, text(lines))

    def follow():
        sent = len(logcmd.timed_lines(req.eng, pod, cname, previous))
        yield text(lines)
        while True:
            now_pod = req.eng.store.get("Pod", req.store_ns, req.name)
            if now_pod is None or now_pod["metadata"].get("uid") != pod["metadata"].get("uid"):
                return
            current = logcmd.timed_lines(req.eng, now_pod, cname, previous)
            if len(current) > sent:
                yield text(current[sent:])
                sent = len(current)
            else:
                yield b""

    return Response(200, {"Content-Type": "text/plain", "Transfer-Encoding": "chunked"}, follow())
