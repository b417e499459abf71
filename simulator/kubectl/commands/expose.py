"""`kubectl expose` (kubectl pkg/cmd/expose/expose.go RunExpose/createService, with
pkg/polymorphichelpers canbeexposed.go, mapbasedselectorforobject.go, portsforobject.go,
multiprotocolsforobject.go).

The Service takes: name = --name or the object's name (cut to 63); selector = --selector or the
object's map-based selector (deployment/RS matchLabels, RC selector, pod labels, service selector);
labels = --labels or the object's own labels; ports = --port or every container/service port;
targetPort = --target-port for every port, else the port itself.
"""
from __future__ import annotations

from ...api import kinds
from ...api.errors import CLIError
from ...objects import get_path
from ..builder import select
from ..overrides import apply_overrides
from .common import dry_run_mode, namespace, with_change_cause
from .output import check_output_format, emit

EXPOSABLE = {"Deployment", "ReplicaSet", "ReplicationController", "Service", "Pod"}


def _group_kind(kind: str) -> str:
    k = kinds.by_kind(kind)
    return f"{kind}.{k.group}" if k and k.group else kind


def map_based_selector(obj: dict) -> dict:
    """MapBasedSelectorForObjectFn."""
    kind = obj["kind"]
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise CLIError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "ReplicationController":
        return dict(get_path(obj, "spec.selector") or {})
    if kind == "Service":
        sel = get_path(obj, "spec.selector")
        if sel is None:
            raise CLIError("the service has no pod selector set")
        return dict(sel)
    # Deployment / ReplicaSet: only matchLabels can become a Service selector
    sel = get_path(obj, "spec.selector") or {}
    exprs = sel.get("matchExpressions") or []
    if exprs:
        shown = " ".join("{Key:%s Operator:%s Values:[%s]}" % (e.get("key", ""), e.get("operator", ""),
                                                                " ".join(e.get("values") or []))
                         for e in exprs)
        raise CLIError(f"couldn't convert expressions - \"[{shown}]\" to map-based selector format")
    return dict(sel.get("matchLabels") or {})


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec") if obj["kind"] == "Pod" else get_path(obj, "spec.template.spec")
    return list((spec or {}).get("containers") or [])


def ports_for_object(obj: dict) -> list[str]:
    """PortsForObjectFn: every containerPort (pods, pod templates) or service port, as text."""
    if obj["kind"] == "Service":
        return [str(p.get("port")) for p in get_path(obj, "spec.ports") or []]
    return [str(p.get("containerPort")) for c in _containers(obj) for p in c.get("ports") or []]


def protocols_for_object(obj: dict) -> dict[str, list[str]]:
    """MultiProtocolsForObjectFn: port → protocols (a port may be served over TCP and UDP)."""
    out: dict[str, list[str]] = {}
    if obj["kind"] == "Service":
        pairs = [(p.get("port"), p.get("protocol") or "TCP") for p in get_path(obj, "spec.ports") or []]
    else:
        pairs = [(p.get("containerPort"), p.get("protocol") or "TCP") for c in _containers(obj)
                 for p in c.get("ports") or []]
    for port, proto in pairs:
        protos = out.setdefault(str(port), [])
        if proto not in protos:
            protos.append(proto)
    return out


def _parse_labels(spec: str) -> dict:
    """expose.go parseLabels (used for --selector and --labels)."""
    labels = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise CLIError(f"unexpected label spec: {item}")
        if not parts[0]:
            raise CLIError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def _go_atoi(text: str) -> int:
    try:
        if not text or not text.lstrip("+-").isdigit() or not text.isascii():
            raise ValueError
        return int(text)
    except ValueError:
        from .. import cli
        raise CLIError(f"strconv.Atoi: parsing {cli.go_quote(text)}: invalid syntax") from None


def build_service(inv, obj: dict) -> dict:
    """createService with the values introspected from `obj`."""
    flags = inv.flags
    selector_text = flags.get("selector") or ""
    selector = _parse_labels(selector_text) if selector_text else map_based_selector(obj)
    if not selector:
        raise CLIError("selector must be specified")
    cluster_ip = flags.get("cluster-ip") or ""
    port_text = flags.get("port") or ""
    protocols = protocols_for_object(obj)
    if not port_text:
        found = ports_for_object(obj)
        if not found and cluster_ip != "None":
            raise CLIError("couldn't find port via --port flag or introspection")
        port_text = ",".join(found)
    label_text = flags.get("labels") or ""
    labels = _parse_labels(label_text) if label_text else dict(obj["metadata"].get("labels") or {})
    name = flags.get("name") or obj["metadata"]["name"][:63]
    protocol_flag = flags.get("protocol") or ""
    ports: list[dict] = []
    if port_text:
        pieces = port_text.split(",")
        for i, piece in enumerate(pieces):
            number = _go_atoi(piece)
            port_name = f"port-{i + 1}" if len(pieces) > 1 else ""
            protocol = protocol_flag or "TCP"
            if not protocol_flag and protocols:
                found = protocols.get(piece)
                if found and len(found) > 1:
                    for proto in found:
                        ports.append({"name": f"port-{i + 1}-{proto.lower()}", "port": number, "protocol": proto})
                    continue
                if found:
                    protocol = found[0]
            entry = {"port": number, "protocol": protocol}
            if port_name:
                entry = {"name": port_name, **entry}
            ports.append(entry)
    target = flags.get("target-port") or ""
    for p in ports:
        if target:
            p["targetPort"] = int(target) if target.isdigit() else target  # intstr.Parse
        else:
            p["targetPort"] = p["port"]
    spec: dict = {"ports": ports, "selector": selector}
    if not ports:
        del spec["ports"]
    if flags.get("external-ip"):
        spec["externalIPs"] = [flags["external-ip"]]
    if flags.get("type"):
        spec["type"] = flags["type"]
    if spec.get("type") == "LoadBalancer" and flags.get("load-balancer-ip"):
        spec["loadBalancerIP"] = flags["load-balancer-ip"]
    affinity = flags.get("session-affinity") or ""
    if affinity:
        if affinity not in ("None", "ClientIP"):
            raise CLIError(f"unknown session affinity: {affinity}")
        spec["sessionAffinity"] = affinity
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    meta = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
            "status": {"loadBalancer": {}}}


def run_expose(ctx, inv):
    """expose.go RunExpose: the builder with FilenameParam and ResourceTypeOrNameArgs(false, …) and
    no Latest — an object read from -f is exposed as written, without looking it up."""
    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    ns = namespace(inv)
    found = select(ctx, inv, allow_empty_selector=False, latest=False)
    for err in found.errors:
        raise err
    for obj in found.objects:
        if obj["kind"] not in EXPOSABLE:
            raise CLIError(f"cannot expose a {_group_kind(obj['kind'])}")
        svc = apply_overrides(build_service(inv, obj), inv)
        svc = with_change_cause(svc, inv)
        if mode == "client":
            if inv.flags.get("namespace"):
                svc["metadata"]["namespace"] = ns
            emit(ctx, inv, svc, "exposed", mode)
            continue
        svc["metadata"]["namespace"] = obj["metadata"].get("namespace") or ns
        created = ctx.eng.api.create(svc, dry_run=(mode == "server"))
        ctx.eng.settle()
        emit(ctx, inv, created, "exposed", mode)


HANDLES = {
    ("expose",): run_expose,
}
