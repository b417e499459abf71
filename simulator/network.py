"""The cluster's network as seen from inside it: a request to a Service name (`kubia`,
`kubia.default`, `kubia.default.svc.cluster.local`), a ClusterIP or a pod IP.

A Service sends the request to a random ready endpoint (kube-proxy), and the pod's image answers as
the real app does (simulator/images.py). Used by the console's `curl` (shell.py), a busybox
container's `wget` (busybox.py) and `Cluster.request` (the traffic strip); it sits below all three.
"""
from __future__ import annotations

import re

from . import images
from .objects import get_path


def _parse_url(url: str):
    m = re.fullmatch(r"(?:(https?)://)?([^/:]+)(?::(\d+))?(/.*)?", url)
    if not m:
        return None
    scheme, host, port, path = m.groups()
    return scheme or "http", host, int(port) if port else None, path or "/"


def http_request(cluster, url: str) -> dict:
    """One HTTP request from a pod inside the cluster. Returns status/body or a curl-style error."""
    return request_from(cluster._eng, url)


def request_from(eng, url: str, client: str | None = None) -> dict:
    """http_request on the engine, for callers inside the cluster (a busybox container's wget).
    Besides status/body/error/exit the answer says which host, port and address were dialled
    (`ip` None when the name does not resolve)."""
    parsed = _parse_url(url)
    if parsed is None:
        return {"status": 0, "body": "", "error": "curl: (3) URL rejected: Malformed input to a URL function", "exit": 3,
                "host": url, "port": None, "ip": None}
    answer = _request(eng, *parsed)
    scheme, host, port, _ = parsed
    answer.setdefault("host", host)
    answer.setdefault("port", port or (443 if scheme == "https" else 80))
    return answer


def _request(eng, scheme, host, port, path) -> dict:
    if scheme == "https":
        return {"status": 0, "body": "", "error": f"curl: (7) Failed to connect to {host} port {port or 443}: Connection refused", "exit": 7,
                "ip": host if re.fullmatch(r"[\d.]+", host) else None}
    svc = _find_service(eng, host)
    if svc is not None:
        port = port or 80
        ip = get_path(svc, "spec.clusterIP")
        svc_port = next((p for p in get_path(svc, "spec.ports") or () if p.get("port") == port), None)
        if svc_port is None:
            return {"status": 0, "body": "", "exit": 28, "ip": ip,
                    "error": f"curl: (28) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"}
        ep = eng.store.get("Endpoints", svc["metadata"]["namespace"], svc["metadata"]["name"])
        addresses = [a for s in (ep or {}).get("subsets") or () for a in s.get("addresses") or ()]
        if not addresses:
            return {"status": 0, "body": "", "exit": 7, "ip": ip,
                    "error": f"curl: (7) Failed to connect to {host} port {port} after 1 ms: Couldn't connect to server"}
        addr = addresses[eng.rng.below(len(addresses))]
        ref = addr.get("targetRef") or {}
        pod = eng.store.get("Pod", ref.get("namespace", ""), ref.get("name", ""))
        from .controllers.endpoints import resolve_target_port
        target = resolve_target_port(pod, svc_port) if pod else None
        return dict(_pod_answer(eng, pod, target, path, host, port), ip=ip)
    pod = _find_pod_by_ip(eng, host)
    if pod is not None:
        return dict(_pod_answer(eng, pod, port or 80, path, host, port or 80), ip=host)
    if re.fullmatch(r"[\d.]+", host):
        return {"status": 0, "body": "", "exit": 28, "ip": host,
                "error": f"curl: (28) Failed to connect to {host} port {port or 80} after 0 ms: Couldn't connect to server"}
    return {"status": 0, "body": "", "exit": 6, "error": f"curl: (6) Could not resolve host: {host}", "ip": None}


def _find_service(eng, host: str):
    for svc in eng.store.list("Service"):
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        names = {f"{name}.{ns}", f"{name}.{ns}.svc", f"{name}.{ns}.svc.cluster.local"}
        if ns == "default":
            names.add(name)
        if host in names or host == get_path(svc, "spec.clusterIP"):
            return svc
    return None


def _find_pod_by_ip(eng, ip: str):
    for pod in eng.store.list("Pod"):
        if get_path(pod, "status.podIP") == ip and not pod["metadata"].get("deletionTimestamp"):
            return pod
    return None


def _pod_answer(eng, pod, port, path, host, shown_port) -> dict:
    if pod is None or port is None:
        return {"status": 0, "body": "", "exit": 7,
                "error": f"curl: (7) Failed to connect to {host} port {shown_port} after 1 ms: Couldn't connect to server"}
    uid = pod["metadata"]["uid"]
    ref = eng.kubelet["pods"].get(uid)
    for c in get_path(pod, "spec.containers") or ():
        image = images.lookup(c.get("image", ""))
        cstate = (ref or {}).get("containers", {}).get(c.get("name"))
        running = any(s.get("name") == c.get("name") and "running" in (s.get("state") or {})
                      for s in get_path(pod, "status.containerStatuses") or ())
        if image is None or cstate is None or not running or port not in image.ports:
            continue
        answer = images.serve(image, cstate, pod["metadata"]["name"], port, path, now=eng.now)
        if answer is None:  # a port the process does not listen on (images.listens_on)
            continue
        status, body = answer
        if status == 0:
            return {"status": 0, "body": "", "exit": 52, "error": "curl: (52) Empty reply from server",
                    "pod": pod["metadata"]["name"]}
        return {"status": status, "body": body, "error": None, "exit": 0, "pod": pod["metadata"]["name"],
                "version": (pod["metadata"].get("labels") or {}).get("pod-template-hash") or c.get("image")}
    return {"status": 0, "body": "", "exit": 7,
            "error": f"curl: (7) Failed to connect to {host} port {shown_port} after 1 ms: Couldn't connect to server"}
