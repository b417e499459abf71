"""Read-only views the real API serves and the simulator does not store: EndpointSlices
(discovery.k8s.io/v1), mirrored from each Service's Endpoints object as the EndpointSlice
controller would (kubectl describe service reads them: describe.go ServiceDescriber)."""
from __future__ import annotations

import hashlib

from ..kubectl.printers.describe import _slices_from_endpoints  # noqa: PLC2701 - the same view describe uses


def endpoint_slices(eng, namespace: str | None) -> list[dict]:
    out = []
    for ep in eng.store.list("Endpoints", namespace):
        meta = ep["metadata"]
        suffix = hashlib.sha1(meta.get("uid", meta["name"]).encode()).hexdigest()[:5]
        for i, view in enumerate(_slices_from_endpoints(ep)):
            out.append({
                "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": f"{meta['name']}-{suffix}{i or ''}", "namespace": meta.get("namespace", ""),
                             "uid": meta.get("uid", ""), "resourceVersion": meta.get("resourceVersion", ""),
                             "creationTimestamp": meta.get("creationTimestamp"),
                             "labels": {"kubernetes.io/service-name": meta["name"],
                                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
                "addressType": "IPv4",
                "endpoints": view["endpoints"] or None,
                "ports": [dict(p, protocol="TCP") for p in view["ports"]] or None,
            })
    return out


DERIVED = {("discovery.k8s.io", "endpointslices"): endpoint_slices}
