"""The endpoints controller: a Service's Endpoints follow the ready pods it selects.

kubernetes/kubernetes pkg/controller/endpoint/endpoints_controller.go (syncService) and
pkg/api/v1/endpoints RepackSubsets. Ready, non-terminating pods with an IP go to `addresses`,
the others to `notReadyAddresses`; pods being deleted are left out (ShouldPodBeInEndpoints).
"""
from __future__ import annotations

from ..labels import map_selector_matches
from ..objects import clone, get_path


def _ip_key(ip: str):
    try:
        return tuple(int(p) for p in ip.split("."))
    except ValueError:
        return (999,)


def resolve_target_port(pod: dict, port: dict) -> int | None:
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, int):
        return target
    for c in get_path(pod, "spec.containers") or ():
        for p in c.get("ports") or ():
            if p.get("name") == target:
                return p.get("containerPort")
    try:
        return int(target)
    except (TypeError, ValueError):
        return None


def sync_endpoints(eng, namespace: str, name: str) -> None:
    svc = eng.store.get("Service", namespace, name)
    existing = eng.store.get("Endpoints", namespace, name)
    if svc is None:
        if existing is not None:
            eng.api.delete("Endpoints", namespace, name, internal=True)
        return
    selector = get_path(svc, "spec.selector")
    if not selector:
        return  # selector-less services keep whatever Endpoints the user wrote
    ready, not_ready = [], []
    ports = get_path(svc, "spec.ports") or []
    resolved_ports = None
    for pod in eng.store.list("Pod", namespace):
        if not map_selector_matches(selector, pod["metadata"].get("labels")):
            continue
        ip = get_path(pod, "status.podIP")
        if not ip or pod["metadata"].get("deletionTimestamp"):
            continue
        if get_path(pod, "status.phase") in ("Succeeded", "Failed"):
            continue
        pod_ports = []
        for p in ports:
            target = resolve_target_port(pod, p)
            if target is None:
                break
            entry = {"port": target, "protocol": p.get("protocol", "TCP")}
            if p.get("name"):
                entry = {"name": p["name"], **entry}
            pod_ports.append(entry)
        else:
            resolved_ports = resolved_ports or pod_ports
            address = {"ip": ip, "nodeName": get_path(pod, "spec.nodeName"),
                       "targetRef": {"kind": "Pod", "name": pod["metadata"]["name"], "namespace": namespace,
                                     "uid": pod["metadata"]["uid"]}}
            ready_cond = next((c for c in get_path(pod, "status.conditions") or () if c["type"] == "Ready"), None)
            is_ready = ready_cond is not None and ready_cond["status"] == "True"
            if is_ready or get_path(svc, "spec.publishNotReadyAddresses"):
                ready.append(address)
            else:
                not_ready.append(address)
    subset = {}
    if ready:
        subset["addresses"] = sorted(ready, key=lambda a: _ip_key(a["ip"]))
    if not_ready:
        subset["notReadyAddresses"] = sorted(not_ready, key=lambda a: _ip_key(a["ip"]))
    if subset:
        subset["ports"] = resolved_ports or []
    desired = {"apiVersion": "v1", "kind": "Endpoints",
               "metadata": {"name": name, "namespace": namespace}}
    if svc["metadata"].get("labels"):
        desired["metadata"]["labels"] = dict(svc["metadata"]["labels"])
    if subset:
        desired["subsets"] = [subset]
    if existing is None:
        eng.api.create(desired, internal=True)
        return
    if existing.get("subsets") == desired.get("subsets") and (existing["metadata"].get("labels") or {}) == (desired["metadata"].get("labels") or {}):
        return
    updated = clone(existing)
    updated["metadata"]["labels"] = desired["metadata"].get("labels")
    if updated["metadata"]["labels"] is None:
        updated["metadata"].pop("labels")
    updated["metadata"].setdefault("annotations", {})["endpoints.kubernetes.io/last-change-trigger-time"] = eng.stamp()
    if "subsets" in desired:
        updated["subsets"] = desired["subsets"]
    else:
        updated.pop("subsets", None)
    eng.api.update(updated, internal=True)
