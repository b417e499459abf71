"""`kubectl get` tables: the server-side column printers and cli-runtime's client-side table layout.

Cells: kubernetes/kubernetes pkg/printers/internalversion/printers.go (printPod, printDeployment,
printReplicaSet, printReplicationController, printService, printEndpoints, printEvent,
printNamespace, printNode and their column definitions). The API server always generates the wide
table (pkg/printers/storage TableConvertor uses GenerateOptions{Wide: true}); the client drops
Priority 1 columns unless `-o wide`, so `row()` does the same.

Layout: cli-runtime pkg/printers/tableprinter.go (printTable, decorateTable, addColumns,
formatLabelHeaders, formatEventType) and kubectl pkg/cmd/get/get.go (one tabwriter per resource
group, a blank line between groups, remembered widths for `-w`).
"""
from __future__ import annotations

from typing import Iterable, Sequence

from simulator import labels as _labels
from simulator.api import kinds as _kinds
from simulator.timeutil import human_duration

from .context import PrintContext
from .tabwriter import TabWriter, table_writer

# (column name, priority); priority 1 = only with -o wide.
_NAME = ("Name", 0)
_AGE = ("Age", 0)
_TEMPLATE_WIDE = [("Containers", 1), ("Images", 1), ("Selector", 1)]

COLUMN_DEFINITIONS: dict[str, list[tuple[str, int]]] = {
    "Pod": [_NAME, ("Ready", 0), ("Status", 0), ("Restarts", 0), _AGE,
            ("IP", 1), ("Node", 1), ("Nominated Node", 1), ("Readiness Gates", 1)],
    "ReplicationController": [_NAME, ("Desired", 0), ("Current", 0), ("Ready", 0), _AGE, *_TEMPLATE_WIDE],
    "ReplicaSet": [_NAME, ("Desired", 0), ("Current", 0), ("Ready", 0), _AGE, *_TEMPLATE_WIDE],
    "Deployment": [_NAME, ("Ready", 0), ("Up-to-date", 0), ("Available", 0), _AGE, *_TEMPLATE_WIDE],
    "Service": [_NAME, ("Type", 0), ("Cluster-IP", 0), ("External-IP", 0), ("Port(s)", 0), _AGE, ("Selector", 1)],
    "Endpoints": [_NAME, ("Endpoints", 0), _AGE],
    "Node": [_NAME, ("Status", 0), ("Roles", 0), _AGE, ("Version", 0), ("Internal-IP", 1), ("External-IP", 1),
             ("OS-Image", 1), ("Kernel-Version", 1), ("Container-Runtime", 1)],
    "Event": [("Last Seen", 0), ("Type", 0), ("Reason", 0), ("Object", 0), ("Subobject", 1), ("Source", 1),
              ("Message", 0), ("First Seen", 1), ("Count", 1), ("Name", 1)],
    "Namespace": [_NAME, ("Status", 0), _AGE],
    "ConfigMap": [_NAME, ("Data", 0), _AGE],
    "Secret": [_NAME, ("Type", 0), ("Data", 0), _AGE],
}

# Which column carries the object name (Format: "name"), for the `kind/` prefix (decorateTable).
_NAME_COLUMN = {kind: next((i for i, (n, _) in enumerate(cols) if n == "Name"), -1)
                for kind, cols in COLUMN_DEFINITIONS.items()}

LOAD_BALANCER_WIDTH = 16


def _d(value) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value) -> list:
    return value if isinstance(value, list) else []


def _int(value, default: int = 0) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default


def _s(value) -> str:
    return value if isinstance(value, str) else ""


def columns(kind: str, wide: bool = False) -> list[str]:
    """Header cells as kubectl prints them (upper-cased column names)."""
    defs = COLUMN_DEFINITIONS.get(kind)
    if defs is None:
        raise KeyError(f"no table printer for kind {kind!r}")
    return [name.upper() for name, prio in defs if wide or prio == 0]


def row(obj: dict, ctx: PrintContext, wide: bool = False, kind_prefix: str = "") -> list[str]:
    """The cells of one object, already filtered for `wide` like the client does.
    `kind_prefix` (e.g. `deployment.apps`) is put before the name as with several resource types."""
    kind = _s(_d(obj).get("kind"))
    defs = COLUMN_DEFINITIONS.get(kind)
    if defs is None:
        raise KeyError(f"no table printer for kind {kind!r}")
    cells = _CELLS[kind](_d(obj), ctx)
    if kind_prefix and _NAME_COLUMN[kind] >= 0:
        cells[_NAME_COLUMN[kind]] = f"{kind_prefix}/{cells[_NAME_COLUMN[kind]]}"
    return [c for c, (_, prio) in zip(cells, defs) if wide or prio == 0]


# ---------------------------------------------------------------------------------------------
# cells per kind (always the full, wide row)

def _layout_containers(containers: list) -> tuple[str, str]:
    # printers.go layoutContainerCells
    cs = [_d(c) for c in _l(containers)]
    return ",".join(_s(c.get("name")) for c in cs), ",".join(_s(c.get("image")) for c in cs)


def _is_restartable_init(container: dict | None) -> bool:
    # pkg/api/v1/pod IsRestartableInitContainer
    return bool(container) and container.get("restartPolicy") == "Always"


def _condition_true(conditions: list, ctype: str) -> bool:
    return any(_d(c).get("type") == ctype and _d(c).get("status") == "True" for c in _l(conditions))


def pod_status_cells(pod: dict, ctx: PrintContext) -> tuple[str, str, str]:
    """printPod's READY, STATUS and RESTARTS cells."""
    spec, status, meta = _d(pod.get("spec")), _d(pod.get("status")), _d(pod.get("metadata"))
    restarts = 0
    restartable_init_restarts = 0
    total = len(_l(spec.get("containers")))
    ready = 0
    last_restart: float | None = None
    last_restartable_init_restart: float | None = None

    phase = _s(status.get("phase"))
    reason = phase
    if _s(status.get("reason")):
        reason = status["reason"]
    for cond in _l(status.get("conditions")):
        if _d(cond).get("type") == "PodScheduled" and _d(cond).get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {}
    for c in _l(spec.get("initContainers")):
        c = _d(c)
        init_specs[_s(c.get("name"))] = c
        if _is_restartable_init(c):
            total += 1

    def finished(cs: dict) -> float | None:
        term = _d(_d(cs.get("lastState")).get("terminated"))
        return ctx.seconds(term.get("finishedAt")) if term else None

    def later(a: float | None, b: float | None) -> float | None:
        if b is None:
            return a
        return b if a is None or a < b else a

    init_statuses = _l(status.get("initContainerStatuses"))
    n_init = len(_l(spec.get("initContainers")))
    initializing = False
    for i, cs in enumerate(init_statuses):
        cs = _d(cs)
        restarts += _int(cs.get("restartCount"))
        last_restart = later(last_restart, finished(cs))
        restartable = _is_restartable_init(init_specs.get(_s(cs.get("name"))))
        if restartable:
            restartable_init_restarts += _int(cs.get("restartCount"))
            last_restartable_init_restart = later(last_restartable_init_restart, finished(cs))
        state = _d(cs.get("state"))
        term, waiting = state.get("terminated"), state.get("waiting")
        if isinstance(term, dict) and _int(term.get("exitCode")) == 0:
            continue
        if restartable and cs.get("started") is True:
            if cs.get("ready") is True:
                ready += 1
            continue
        if isinstance(term, dict):
            if not _s(term.get("reason")):
                if _int(term.get("signal")) != 0:
                    reason = f"Init:Signal:{_int(term.get('signal'))}"
                else:
                    reason = f"Init:ExitCode:{_int(term.get('exitCode'))}"
            else:
                reason = "Init:" + term["reason"]
        elif isinstance(waiting, dict) and _s(waiting.get("reason")) and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{n_init}"
        initializing = True
        break

    if not initializing or _condition_true(status.get("conditions"), "Initialized"):
        restarts = restartable_init_restarts
        last_restart = last_restartable_init_restart
        has_running = False
        for cs in reversed(_l(status.get("containerStatuses"))):
            cs = _d(cs)
            restarts += _int(cs.get("restartCount"))
            last_restart = later(last_restart, finished(cs))
            state = _d(cs.get("state"))
            waiting, term = state.get("waiting"), state.get("terminated")
            if isinstance(waiting, dict) and _s(waiting.get("reason")):
                reason = waiting["reason"]
            elif isinstance(term, dict) and _s(term.get("reason")):
                reason = term["reason"]
            elif isinstance(term, dict):
                if _int(term.get("signal")) != 0:
                    reason = f"Signal:{_int(term.get('signal'))}"
                else:
                    reason = f"ExitCode:{_int(term.get('exitCode'))}"
            elif cs.get("ready") is True and isinstance(state.get("running"), dict):
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status.get("conditions"), "Ready") else "NotReady"

    deleting = bool(meta.get("deletionTimestamp"))
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_str = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_str = f"{restarts} ({human_duration(ctx.now - last_restart)} ago)"
    return f"{ready}/{total}", reason, restarts_str


def _pod_cells(pod: dict, ctx: PrintContext) -> list[str]:
    meta, spec, status = _d(pod.get("metadata")), _d(pod.get("spec")), _d(pod.get("status"))
    ready, reason, restarts = pod_status_cells(pod, ctx)
    ips = _l(status.get("podIPs"))
    pod_ip = _s(_d(ips[0]).get("ip")) if ips else ""
    readiness_gates = "<none>"
    gates = _l(spec.get("readinessGates"))
    if gates:
        true_count = 0
        for gate in gates:
            for cond in _l(status.get("conditions")):
                if _d(cond).get("type") == _d(gate).get("conditionType"):
                    if _d(cond).get("status") == "True":
                        true_count += 1
                    break
        readiness_gates = f"{true_count}/{len(gates)}"
    return [_s(meta.get("name")), ready, reason, restarts, ctx.since(meta.get("creationTimestamp")),
            pod_ip or "<none>", _s(spec.get("nodeName")) or "<none>",
            _s(status.get("nominatedNodeName")) or "<none>", readiness_gates]


def _replica_cells(obj: dict, ctx: PrintContext, selector: str) -> list[str]:
    meta, spec, status = _d(obj.get("metadata")), _d(obj.get("spec")), _d(obj.get("status"))
    names, images = _layout_containers(_d(_d(spec.get("template")).get("spec")).get("containers"))
    return [_s(meta.get("name")), str(_int(spec.get("replicas"), 1)), str(_int(status.get("replicas"))),
            str(_int(status.get("readyReplicas"))), ctx.since(meta.get("creationTimestamp")),
            names, images, selector]


def _replicaset_cells(rs: dict, ctx: PrintContext) -> list[str]:
    return _replica_cells(rs, ctx, _labels.format_label_selector(_d(rs.get("spec")).get("selector")))


def _rc_cells(rc: dict, ctx: PrintContext) -> list[str]:
    return _replica_cells(rc, ctx, _labels.format_labels(_d(rc.get("spec")).get("selector")))


def _deployment_cells(d: dict, ctx: PrintContext) -> list[str]:
    meta, spec, status = _d(d.get("metadata")), _d(d.get("spec")), _d(d.get("status"))
    names, images = _layout_containers(_d(_d(spec.get("template")).get("spec")).get("containers"))
    # printDeployment uses LabelSelectorAsSelector(...).String(), not FormatLabelSelector
    selector = _labels.selector_string(spec.get("selector"))
    if selector == "<error>":
        selector = "<invalid>"
    return [_s(meta.get("name")), f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas'), 1)}",
            str(_int(status.get("updatedReplicas"))), str(_int(status.get("availableReplicas"))),
            ctx.since(meta.get("creationTimestamp")), names, images, selector]


def _load_balancer_ips(svc: dict, wide: bool) -> str:
    # printers.go loadBalancerStatusStringer: sorted unique IPs/hostnames, clipped unless wide
    found = set()
    for ing in _l(_d(_d(svc.get("status")).get("loadBalancer")).get("ingress")):
        ing = _d(ing)
        if _s(ing.get("ip")):
            found.add(ing["ip"])
        elif _s(ing.get("hostname")):
            found.add(ing["hostname"])
    r = ",".join(sorted(found))
    if not wide and len(r) > LOAD_BALANCER_WIDTH:
        r = r[: LOAD_BALANCER_WIDTH - 3] + "..."
    return r


def service_external_ip(svc: dict, wide: bool) -> str:
    """printers.go getServiceExternalIP."""
    spec = _d(svc.get("spec"))
    stype = spec.get("type")
    external = [x for x in _l(spec.get("externalIPs")) if isinstance(x, str)]
    if stype in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if stype == "LoadBalancer":
        lb = _load_balancer_ips(svc, wide)
        if external:
            return ",".join((lb.split(",") if lb else []) + external)
        return lb or "<pending>"
    if stype == "ExternalName":
        return _s(spec.get("externalName"))
    return "<unknown>"


def service_ports(ports: list) -> str:
    """printers.go makePortString: `80/TCP`, `80:30123/TCP`, comma-joined."""
    pieces = []
    for p in _l(ports):
        p = _d(p)
        proto = _s(p.get("protocol"))
        if _int(p.get("nodePort")) > 0:
            pieces.append(f"{_int(p.get('port'))}:{_int(p.get('nodePort'))}/{proto}")
        else:
            pieces.append(f"{_int(p.get('port'))}/{proto}")
    return ",".join(pieces)


def _service_cells(svc: dict, ctx: PrintContext) -> list[str]:
    meta, spec = _d(svc.get("metadata")), _d(svc.get("spec"))
    cluster_ips = _l(spec.get("clusterIPs"))
    internal = _s(cluster_ips[0]) if cluster_ips else "<none>"
    # The server computes the row with Wide: true, so EXTERNAL-IP is never clipped in practice.
    return [_s(meta.get("name")), _s(spec.get("type")), internal, service_external_ip(svc, True),
            service_ports(spec.get("ports")) or "<none>", ctx.since(meta.get("creationTimestamp")),
            _labels.format_labels(spec.get("selector"))]


def format_endpoints(endpoints: dict) -> str:
    """printers.go formatEndpoints(endpoints, nil): ready addresses only, first 3 then ` + N more...`."""
    subsets = _l(endpoints.get("subsets"))
    if not subsets:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0
    for ss in subsets:
        ss = _d(ss)
        addresses = [_d(a) for a in _l(ss.get("addresses"))]
        ports = _l(ss.get("ports"))
        if not ports:
            count += len(addresses)
            for a in addresses:
                if len(out) == limit:
                    more = True
                    break
                out.append(_s(a.get("ip")))
            continue
        for port in ports:
            count += len(addresses)
            for a in addresses:
                if len(out) == limit:
                    more = True
                    break
                ip = _s(a.get("ip"))
                host = f"[{ip}]" if ":" in ip else ip  # net.JoinHostPort brackets IPv6
                out.append(f"{host}:{_int(_d(port).get('port'))}")
    ret = ",".join(out)
    return f"{ret} + {count - limit} more..." if more else ret


def _endpoints_cells(ep: dict, ctx: PrintContext) -> list[str]:
    meta = _d(ep.get("metadata"))
    return [_s(meta.get("name")), format_endpoints(ep), ctx.since(meta.get("creationTimestamp"))]


def _namespace_cells(ns: dict, ctx: PrintContext) -> list[str]:
    meta = _d(ns.get("metadata"))
    return [_s(meta.get("name")), _s(_d(ns.get("status")).get("phase")), ctx.since(meta.get("creationTimestamp"))]


def _configmap_cells(cm: dict, ctx: PrintContext) -> list[str]:
    # printers.go printConfigMap: len(Data) + len(BinaryData)
    meta = _d(cm.get("metadata"))
    return [_s(meta.get("name")), str(len(_d(cm.get("data"))) + len(_d(cm.get("binaryData")))),
            ctx.since(meta.get("creationTimestamp"))]


def _secret_cells(secret: dict, ctx: PrintContext) -> list[str]:
    # printers.go printSecret: type, len(Data)
    meta = _d(secret.get("metadata"))
    return [_s(meta.get("name")), _s(secret.get("type")), str(len(_d(secret.get("data")))),
            ctx.since(meta.get("creationTimestamp"))]


def _node_cells(node: dict, ctx: PrintContext) -> list[str]:
    meta, spec, status = _d(node.get("metadata")), _d(node.get("spec")), _d(node.get("status"))
    conds = {_d(c).get("type"): _d(c) for c in _l(status.get("conditions"))}
    states = []
    if "Ready" in conds:
        states.append("Ready" if conds["Ready"].get("status") == "True" else "NotReady")
    if not states:
        states.append("Unknown")
    if spec.get("unschedulable") is True:
        states.append("SchedulingDisabled")
    roles = set()
    for k, v in _d(meta.get("labels")).items():
        if k.startswith("node-role.kubernetes.io/") and len(k) > len("node-role.kubernetes.io/"):
            roles.add(k[len("node-role.kubernetes.io/"):])
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    info = _d(status.get("nodeInfo"))

    def address(atype: str) -> str:
        for a in _l(status.get("addresses")):
            if _d(a).get("type") == atype:
                return _s(_d(a).get("address"))
        return "<none>"

    return [_s(meta.get("name")), ",".join(states), ",".join(sorted(roles)) or "<none>",
            ctx.since(meta.get("creationTimestamp")), _s(info.get("kubeletVersion")),
            address("InternalIP"), address("ExternalIP"), _s(info.get("osImage")) or "<unknown>",
            _s(info.get("kernelVersion")) or "<unknown>", _s(info.get("containerRuntimeVersion")) or "<unknown>"]


def event_source(event: dict) -> str:
    """printers.go formatEventSource: component (or reportingController), then `, host`."""
    src = _d(event.get("source"))
    component = _s(src.get("component")) or _s(event.get("reportingController"))
    host = _s(src.get("host")) or _s(event.get("reportingInstance"))
    return f"{component}, {host}" if host else component


def _event_cells(ev: dict, ctx: PrintContext) -> list[str]:
    meta, involved = _d(ev.get("metadata")), _d(ev.get("involvedObject"))
    first = ctx.since(ev.get("firstTimestamp")) if ctx.seconds(ev.get("firstTimestamp")) is not None \
        else ctx.since(ev.get("eventTime"))
    last = ctx.since(ev.get("lastTimestamp")) if ctx.seconds(ev.get("lastTimestamp")) is not None else first
    count = _int(ev.get("count"))
    series = ev.get("series")
    if isinstance(series, dict):
        last = ctx.since(series.get("lastObservedTime"))
        count = _int(series.get("count"))
    elif count == 0:
        count = 1  # singleton events have no count in the new API
    kind = _s(involved.get("kind")).lower()
    target = f"{kind}/{involved['name']}" if _s(involved.get("name")) else kind
    return [last, _s(ev.get("type")), _s(ev.get("reason")), target, _s(involved.get("fieldPath")),
            event_source(ev), _s(ev.get("message")).strip(), first, str(count), _s(meta.get("name"))]


_CELLS = {
    "Pod": _pod_cells,
    "ReplicaSet": _replicaset_cells,
    "ReplicationController": _rc_cells,
    "Deployment": _deployment_cells,
    "Service": _service_cells,
    "Endpoints": _endpoints_cells,
    "Namespace": _namespace_cells,
    "ConfigMap": _configmap_cells,
    "Secret": _secret_cells,
    "Node": _node_cells,
    "Event": _event_cells,
}


# ---------------------------------------------------------------------------------------------
# client-side layout

def _cell_text(cell: str) -> str:
    # tableprinter.go printTable: string cells are cut at the first newline and get "..."
    nl = cell.find("\n")
    return cell if nl < 0 else cell[:nl] + "..."


def label_headers(label_columns: Iterable[str]) -> list[str]:
    """tableprinter.go formatLabelHeaders: upper-cased last `/` segment of each `-L` key."""
    return [key.split("/")[-1].upper() for key in label_columns]


def _kind_prefix(kind: str) -> str:
    k = _kinds.by_kind(kind)
    return k.name_prefix if k else kind.lower()


def _is_namespaced(kind: str) -> bool:
    k = _kinds.by_kind(kind)
    return k.namespaced if k else True


_EVENT_TYPE = {"ADDED": "ADDED   ", "MODIFIED": "MODIFIED", "DELETED": "DELETED ", "ERROR": "ERROR   "}


def format_event_type(event_type: str) -> str:
    """tableprinter.go formatEventType: padded to 8 so the EVENT column does not jitter."""
    return _EVENT_TYPE.get(event_type, event_type)


class _TableLayout:
    """The decorated columns for one resource kind (decorateTable + addColumns)."""

    def __init__(self, kind: str, *, wide: bool, show_kind: bool, show_labels: bool,
                 label_columns: Sequence[str], namespace_column: bool, event_column: bool = False):
        self.kind, self.wide, self.show_kind = kind, wide, show_kind
        self.show_labels, self.label_columns = show_labels, list(label_columns)
        self.namespace_column = namespace_column and _is_namespaced(kind)
        self.event_column = event_column

    def header(self) -> list[str]:
        h = columns(self.kind, self.wide) + label_headers(self.label_columns)
        if self.show_labels:
            h.append("LABELS")
        if self.namespace_column:
            h.insert(0, "NAMESPACE")
        if self.event_column:
            h.insert(0, "EVENT")
        return h

    def cells(self, obj: dict, ctx: PrintContext, event_type: str = "") -> list[str]:
        cells = row(obj, ctx, self.wide, _kind_prefix(self.kind) if self.show_kind else "")
        obj_labels = _d(_d(obj.get("metadata")).get("labels"))
        for key in self.label_columns:
            value = obj_labels.get(key, "")
            cells.append(value if isinstance(value, str) else str(value))
        if self.show_labels:
            cells.append(_labels.format_labels(obj_labels))
        if self.namespace_column:
            cells.insert(0, _s(_d(obj.get("metadata")).get("namespace")))
        if self.event_column:
            cells.insert(0, format_event_type(event_type))
        return cells

    @staticmethod
    def line(cells: Sequence[str]) -> str:
        return "\t".join(_cell_text(c) for c in cells) + "\n"


def _group_kind(group) -> tuple[str, list[dict]]:
    """A group is a list of objects of one kind, or a (kind, objects) pair (for empty groups)."""
    if isinstance(group, tuple) and len(group) == 2 and isinstance(group[0], str):
        return group[0], [o for o in group[1] if isinstance(o, dict)]
    objs = [o for o in group if isinstance(o, dict)]
    return (_s(objs[0].get("kind")) if objs else ""), objs


def render_table(groups, *, wide: bool = False, show_kind: bool = False, show_labels: bool = False,
                 label_columns: Sequence[str] = (), no_headers: bool = False, namespace_column: bool = False,
                 epoch=None, now: float = 0.0) -> str:
    """`kubectl get` stdout for one or several resource groups, in the order given.

    Empty groups print nothing (no header); a blank line separates a group from earlier output
    (get.go separatorWriter, not with --no-headers). `namespace_column` (-A) only applies to
    namespaced kinds. The caller prints `No resources found…` on stderr when this returns ''.
    """
    ctx = PrintContext(epoch, now) if epoch is not None else PrintContext(now=now)
    out: list[str] = []
    written = False
    for group in groups:
        kind, objs = _group_kind(group)
        if not objs:
            continue
        layout = _TableLayout(kind, wide=wide, show_kind=show_kind, show_labels=show_labels,
                              label_columns=label_columns, namespace_column=namespace_column)
        w = table_writer()
        if not no_headers:
            w.write(layout.line(layout.header()))
        for obj in objs:
            w.write(layout.line(layout.cells(obj, ctx)))
        text = w.flush()
        if written and not no_headers and text:
            out.append("\n")
        out.append(text)
        written = written or bool(text)
    return "".join(out)


class WatchPrinter:
    """`kubectl get -w` for one kind: the initial table, then one row per watch event, laid out with
    the widths remembered from everything printed before (liggitt/tabwriter RememberWidths).

    `output_watch_events` adds the EVENT column (`ADDED   `, `MODIFIED`, `DELETED `). The header is
    printed once, with the first rows. `state()`/`from_state()` round-trip through JSON so a
    streaming command survives a snapshot.
    """

    def __init__(self, kind: str, *, wide: bool = False, show_labels: bool = False,
                 label_columns: Sequence[str] = (), namespace_column: bool = False,
                 output_watch_events: bool = False, no_headers: bool = False, epoch=None,
                 widths: Sequence[int] = (), header_printed: bool = False):
        # get.go watch: ToPrinter(mapping, nil, o.AllNamespaces, false) — never kind-prefixed
        self.kind = kind
        self.options = dict(wide=wide, show_labels=show_labels, label_columns=list(label_columns),
                            namespace_column=namespace_column, output_watch_events=output_watch_events,
                            no_headers=no_headers)
        self.layout = _TableLayout(kind, wide=wide, show_kind=False, show_labels=show_labels,
                                   label_columns=label_columns, namespace_column=namespace_column,
                                   event_column=output_watch_events)
        self.epoch = epoch
        self.header_printed = header_printed
        self._writer: TabWriter = table_writer().set_remembered_widths(list(widths))

    def _ctx(self, now: float) -> PrintContext:
        return PrintContext(self.epoch, now) if self.epoch is not None else PrintContext(now=now)

    def _print(self, rows: list[tuple[str, dict]], now: float) -> str:
        if not rows:
            return ""
        ctx = self._ctx(now)
        if not self.header_printed and not self.options["no_headers"]:
            self._writer.write(self.layout.line(self.layout.header()))
        self.header_printed = True
        for event_type, obj in rows:
            self._writer.write(self.layout.line(self.layout.cells(obj, ctx, event_type)))
        return self._writer.flush()

    def initial(self, objs: Iterable[dict], now: float) -> str:
        """The listing printed before watching (skipped with --watch-only)."""
        return self._print([("ADDED", o) for o in objs if isinstance(o, dict)], now)

    def event(self, event_type: str, obj: dict, now: float) -> str:
        """One watch event (ADDED / MODIFIED / DELETED): the object's row, DELETED with its last state."""
        if not isinstance(obj, dict):
            return ""
        return self._print([(event_type, obj)], now)

    def state(self) -> dict:
        return {"kind": self.kind, **self.options, "widths": self._writer.remembered_widths(),
                "header_printed": self.header_printed}

    @classmethod
    def from_state(cls, state: dict, epoch=None) -> "WatchPrinter":
        s = dict(state)
        kind = s.pop("kind")
        return cls(kind, epoch=epoch, **s)
