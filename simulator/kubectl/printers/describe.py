"""`kubectl describe` for Deployment, ReplicaSet, ReplicationController, Pod, Service, Endpoints.

A line-by-line port of kubernetes/kubectl pkg/describe/describe.go (describeDeployment,
describeReplicaSet, describeReplicationController, describePod, describeService,
describeEndpoints, DescribePodTemplate, describeContainers, DescribeProbe, DescribeEvents,
printLabelsMultiline, printAnnotationsMultiline, printPodTolerationsMultiline,
formatEndpointSlices). Output goes through tabbedString's tabwriter (0, 8, 2, ' ', 0); a line
without a TAB ends the column blocks above it, and DescribeEvents flushes before its table, so
the events table aligns on its own.

`related` carries what the real describer looks up beside the object:
  Deployment: {"old_replicasets": [rs…], "new_replicaset": rs | None}
  ReplicaSet / ReplicationController: {"pods": [pod…]}  (Pods Status counts)
  Service: {"endpoints": Endpoints | None} or {"endpointslices": [slice…]}
`events` is the object's Event list (None = --show-events=false: no Events section).
"""
from __future__ import annotations

from simulator import labels as _labels

from .context import PrintContext
from .describe_base import (  # noqa: F401 - describe_events etc. are also imported from here
    MAX_ANNOTATION_LEN, SKIP_ANNOTATIONS, PrefixWriter, _d, _i, _intstr, _l, _s, _shorten, _tabbed, _time,
    describe_events, print_annotations_multiline, print_labels_multiline,
)


def print_tolerations_multiline(w: PrefixWriter, title: str, tolerations) -> None:
    w.write(0, f"{title}:\t")
    tolerations = [_d(t) for t in _l(tolerations)]
    if not tolerations:
        w.write_line("<none>")
        return
    tolerations.sort(key=lambda t: _s(t.get("key")))
    for i, t in enumerate(tolerations):
        if i:
            w.write(0, "\t")
        out = _s(t.get("key"))
        if _s(t.get("value")):
            out += "=" + t["value"]
        if _s(t.get("effect")):
            out += ":" + t["effect"]
        if t.get("operator") == "Exists" and not _s(t.get("value")):
            out += " op=Exists" if (_s(t.get("key")) or _s(t.get("effect"))) else "op=Exists"
        if isinstance(t.get("tolerationSeconds"), int):
            out += f" for {t['tolerationSeconds']}s"
        w.write(0, out + "\n")


def describe_probe(probe: dict) -> str:
    """describe.go DescribeProbe."""
    p = _d(probe)
    attrs = (f"delay={_i(p.get('initialDelaySeconds'))}s timeout={_i(p.get('timeoutSeconds'))}s "
             f"period={_i(p.get('periodSeconds'))}s #success={_i(p.get('successThreshold'))} "
             f"#failure={_i(p.get('failureThreshold'))}")
    if isinstance(p.get("exec"), dict):
        return f"exec [{' '.join(_s(c) for c in _l(p['exec'].get('command')))}] {attrs}"
    if isinstance(p.get("httpGet"), dict):
        h = p["httpGet"]
        scheme = _s(h.get("scheme")).lower()
        port = _intstr(h.get("port"))
        host = _s(h.get("host"))
        if port:
            host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        url = (f"{scheme}://" if scheme else "//" if host else "") + host + _s(h.get("path"))
        return f"http-get {url} {attrs}"
    if isinstance(p.get("tcpSocket"), dict):
        t = p["tcpSocket"]
        return f"tcp-socket {_s(t.get('host'))}:{_intstr(t.get('port'))} {attrs}"
    if isinstance(p.get("grpc"), dict):
        g = p["grpc"]
        return f"grpc <pod>:{_i(g.get('port'))} {_s(g.get('service'))} {attrs}"
    return f"unknown {attrs}"


def _describe_status(w: PrefixWriter, name: str, state: dict, ctx: PrintContext) -> None:
    state = _d(state)
    if isinstance(state.get("running"), dict):
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{_time(ctx, state['running'].get('startedAt'))}\n")
    elif isinstance(state.get("waiting"), dict):
        w.write(2, f"{name}:\tWaiting\n")
        if _s(state["waiting"].get("reason")):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif isinstance(state.get("terminated"), dict):
        t = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if _s(t.get("reason")):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if _s(t.get("message")):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{_i(t.get('exitCode'))}\n")
        if _i(t.get("signal")) > 0:
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{_time(ctx, t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{_time(ctx, t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def _ports(ports: list, field: str) -> str:
    # describe.go describeContainerPorts/describeContainerHostPorts: `80/TCP (http)` for a named port
    # (found by tests/differential against the real kubectl)
    return ", ".join(f"{_i(_d(p).get(field))}/{_s(_d(p).get('protocol'))}"
                     + (f" ({_s(_d(p).get('name'))})" if _s(_d(p).get("name")) else "") for p in _l(ports))


def _describe_containers(w: PrefixWriter, label: str, containers, statuses, space: str, ctx: PrintContext) -> None:
    by_name = {_s(_d(s).get("name")): _d(s) for s in _l(statuses)}
    containers = [_d(c) for c in _l(containers)]
    w.write(0, f"{space}{label}:{' <none>' if not containers else ''}\n")
    for c in containers:
        status = by_name.get(_s(c.get("name")))
        name_indent = " " if space else ""
        w.write(1, f"{name_indent}{_s(c.get('name'))}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{_s(status.get('containerID'))}\n")
        w.write(2, f"Image:\t{_s(c.get('image'))}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{_s(status.get('imageID'))}\n")
        port_s = _ports(c.get("ports"), "containerPort")
        if "," in port_s:
            w.write(2, f"Ports:\t{port_s}\n")
        else:
            w.write(2, f"Port:\t{port_s or '<none>'}\n")
        host_s = _ports(c.get("ports"), "hostPort")
        if "," in host_s:
            w.write(2, f"Host Ports:\t{host_s}\n")
        else:
            w.write(2, f"Host Port:\t{host_s or '<none>'}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if _l(c.get(key)):
                w.write(2, f"{title}:\n")
                for arg in c[key]:
                    for line in _s(arg).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _describe_status(w, "State", status.get("state"), ctx)
            if isinstance(_d(status.get("lastState")).get("terminated"), dict):
                _describe_status(w, "Last State", status["lastState"], ctx)
            w.write(2, f"Ready:\t{'True' if status.get('ready') is True else 'False'}\n")
            w.write(2, f"Restart Count:\t{_i(status.get('restartCount'))}\n")
        resources = _d(c.get("resources"))
        for title, key in (("Limits", "limits"), ("Requests", "requests")):
            values = _d(resources.get(key))
            if values:
                w.write(2, f"{title}:\n")
                for name in _sorted_resource_names(values):
                    w.write(3, f"{name}:\t{values[name]}\n")
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")):
            if isinstance(c.get(key), dict):
                w.write(2, f"{title}:\t{describe_probe(c[key])}\n")
        env_from = [_d(e) for e in _l(c.get("envFrom"))]
        if env_from:  # describe.go describeContainerEnvFrom
            w.write(2, "Environment Variables from:\n")
            for e in env_from:
                kind, ref = ("ConfigMap", _d(e.get("configMapRef"))) if "configMapRef" in e else \
                    ("Secret", _d(e.get("secretRef")))
                optional = "true" if ref.get("optional") is True else "false"
                prefix = f" with prefix '{_s(e.get('prefix'))}'" if _s(e.get("prefix")) else ""
                w.write(3, f"{_s(ref.get('name'))}\t{kind}{prefix}\tOptional: {optional}\n")
        env = [_d(e) for e in _l(c.get("env"))]
        w.write(2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
        for e in env:
            vf = e.get("valueFrom")
            if not isinstance(vf, dict):
                for i, line in enumerate(_s(e.get("value")).split("\n")):
                    w.write(3, f"{_s(e.get('name'))}:\t{line}\n" if i == 0 else f"\t{line}\n")
            elif isinstance(vf.get("fieldRef"), dict):
                fr = vf["fieldRef"]
                w.write(3, f"{_s(e.get('name'))}:\t ({_s(fr.get('apiVersion'))}:{_s(fr.get('fieldPath'))})\n")
            elif isinstance(vf.get("secretKeyRef"), dict):
                r = vf["secretKeyRef"]
                w.write(3, f"{_s(e.get('name'))}:\t<set to the key '{_s(r.get('key'))}' in secret '{_s(r.get('name'))}'>"
                           f"\tOptional: {'true' if r.get('optional') is True else 'false'}\n")
            elif isinstance(vf.get("configMapKeyRef"), dict):
                r = vf["configMapKeyRef"]
                w.write(3, f"{_s(e.get('name'))}:\t<set to the key '{_s(r.get('key'))}' of config map '{_s(r.get('name'))}'>"
                           f"\tOptional: {'true' if r.get('optional') is True else 'false'}\n")
        mounts = sorted((_d(m) for m in _l(c.get("volumeMounts"))), key=lambda m: _s(m.get("mountPath")))
        w.write(2, f"Mounts:{'' if mounts else chr(9) + '<none>'}\n")
        for m in mounts:
            flags = ["ro" if m.get("readOnly") is True else "rw"]
            if _s(m.get("subPath")):
                flags.append(f'path="{m["subPath"]}"')
            w.write(3, f"{_s(m.get('mountPath'))} from {_s(m.get('name'))} ({','.join(flags)})\n")


def _sorted_resource_names(values: dict) -> list[str]:
    # SortedResourceNames: cpu, memory, then the rest alphabetically
    order = {"cpu": 0, "memory": 1}
    return sorted(values, key=lambda k: (order.get(k, 2), k))


def _describe_volumes(w: PrefixWriter, volumes, space: str) -> None:
    volumes = [_d(v) for v in _l(volumes)]
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for v in volumes:
        w.write(1, f"{' ' if space else ''}{_s(v.get('name'))}:\n")
        if isinstance(v.get("emptyDir"), dict):
            limit = _s(v["emptyDir"].get("sizeLimit")) or "<unset>"
            w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       f"    Medium:\t{_s(v['emptyDir'].get('medium'))}\n    SizeLimit:\t{limit}\n")
        elif isinstance(v.get("configMap"), dict):
            w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                       f"    Name:\t{_s(v['configMap'].get('name'))}\n"
                       f"    Optional:\t{'true' if v['configMap'].get('optional') is True else 'false'}\n")
        elif isinstance(v.get("secret"), dict):
            w.write(2, "Type:\tSecret (a volume populated by a Secret)\n"
                       f"    SecretName:\t{_s(v['secret'].get('secretName'))}\n"
                       f"    Optional:\t{'true' if v['secret'].get('optional') is True else 'false'}\n")
        elif isinstance(v.get("projected"), dict):
            _describe_projected(w, v["projected"])
        elif isinstance(v.get("hostPath"), dict):
            w.write(2, "Type:\tHostPath (bare host directory volume)\n"
                       f"    Path:\t{_s(v['hostPath'].get('path'))}\n"
                       f"    HostPathType:\t{_s(v['hostPath'].get('type')) or '<none>'}\n")
        else:
            w.write(1, "<unknown>\n")


def _describe_projected(w: PrefixWriter, projected: dict) -> None:
    """describe.go printProjectedVolumeSource (v0.34.5)."""
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in (_d(s) for s in _l(projected.get("sources"))):
        # v0.34.5: `Optional:` with the *bool dereferenced (nil is false)
        if isinstance(source.get("secret"), dict):
            w.write(2, f"SecretName:\t{_s(source['secret'].get('name'))}\n"
                       f"    Optional:\t{'true' if source['secret'].get('optional') is True else 'false'}\n")
        elif isinstance(source.get("downwardAPI"), dict):
            w.write(2, "DownwardAPI:\ttrue\n")
        elif isinstance(source.get("configMap"), dict):
            w.write(2, f"ConfigMapName:\t{_s(source['configMap'].get('name'))}\n"
                       f"    Optional:\t{'true' if source['configMap'].get('optional') is True else 'false'}\n")
        elif isinstance(source.get("serviceAccountToken"), dict):
            w.write(2, f"TokenExpirationSeconds:\t{_i(source['serviceAccountToken'].get('expirationSeconds'))}\n")


def _describe_pod_template(w: PrefixWriter, template, ctx: PrintContext) -> None:
    """describe.go DescribePodTemplate."""
    w.write(0, "Pod Template:\n")
    if not isinstance(template, dict):
        w.write(1, "<unset>")
        return
    meta, spec = _d(template.get("metadata")), _d(template.get("spec"))
    print_labels_multiline(w, "  Labels", meta.get("labels"))
    if _d(meta.get("annotations")):
        print_annotations_multiline(w, "  Annotations", meta.get("annotations"))
    if _s(spec.get("serviceAccountName")):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if _l(spec.get("initContainers")):
        _describe_containers(w, "Init Containers", spec["initContainers"], None, "  ", ctx)
    _describe_containers(w, "Containers", spec.get("containers"), None, "  ", ctx)
    _describe_volumes(w, spec.get("volumes"), "  ")
    if _s(spec.get("priorityClassName")):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))


def describe_pod_template(template, ctx: PrintContext | None = None) -> str:
    """DescribePodTemplate written to a plain buffer (no tabwriter), as `rollout history
    --revision=N` prints it: TAB characters stay in the output."""
    w = PrefixWriter(None)
    _describe_pod_template(w, template, ctx or PrintContext())
    return w.text()


def _controller(obj: dict) -> str:
    for ref in _l(_d(obj.get("metadata")).get("ownerReferences")):
        if _d(ref).get("controller") is True:
            return f"{_s(ref.get('kind'))}/{_s(ref.get('name'))}"
    return ""


def _conditions(w: PrefixWriter, conditions) -> None:
    conditions = [_d(c) for c in _l(conditions)]
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{_s(c.get('type'))} \t{_s(c.get('status'))}\t{_s(c.get('reason'))}\n")


# ---------------------------------------------------------------------------------------------
# per kind


def _rs_list(rss) -> str:
    """printReplicaSetsByLabels."""
    out = [f"{_s(_d(rs.get('metadata')).get('name'))} ({_i(_d(rs.get('status')).get('replicas'))}/"
           f"{_i(_d(rs.get('spec')).get('replicas'), 1)} replicas created)" for rs in rss]
    return ", ".join(out) or "<none>"


def _describe_deployment(d: dict, ctx: PrintContext, events, related: dict) -> str:
    meta, spec, status = _d(d.get("metadata")), _d(d.get("spec")), _d(d.get("status"))
    old = [_d(r) for r in _l(related.get("old_replicasets"))]
    new = related.get("new_replicaset")
    new = [_d(new)] if isinstance(new, dict) else [_d(r) for r in _l(new)]

    def body(w: PrefixWriter) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        w.write(0, f"CreationTimestamp:\t{_time(ctx, meta.get('creationTimestamp'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, f"Selector:\t{_labels.selector_string(spec.get('selector'))}\n")
        w.write(0, f"Replicas:\t{_i(spec.get('replicas'), 1)} desired | {_i(status.get('updatedReplicas'))} updated | "
                   f"{_i(status.get('replicas'))} total | {_i(status.get('availableReplicas'))} available | "
                   f"{_i(status.get('unavailableReplicas'))} unavailable\n")
        strategy = _d(spec.get("strategy"))
        w.write(0, f"StrategyType:\t{_s(strategy.get('type'))}\n")
        w.write(0, f"MinReadySeconds:\t{_i(spec.get('minReadySeconds'))}\n")
        if isinstance(strategy.get("rollingUpdate"), dict):
            ru = strategy["rollingUpdate"]
            w.write(0, f"RollingUpdateStrategy:\t{_intstr(ru.get('maxUnavailable'))} max unavailable, "
                       f"{_intstr(ru.get('maxSurge'))} max surge\n")
        _describe_pod_template(w, spec.get("template"), ctx)
        _conditions(w, status.get("conditions"))
        if old or new:
            w.write(0, f"OldReplicaSets:\t{_rs_list(old)}\n")
            w.write(0, f"NewReplicaSet:\t{_rs_list(new)}\n")
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


def _pod_counts(owner: dict, pods) -> tuple[int, int, int, int]:
    """getPodStatusForController: pods controlled by this owner, counted by phase."""
    uid = _d(owner.get("metadata")).get("uid")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in _l(pods):
        pod = _d(pod)
        refs = [r for r in _l(_d(pod.get("metadata")).get("ownerReferences")) if _d(r).get("controller") is True]
        if not refs or (uid and refs[0].get("uid") != uid):
            continue
        phase = _s(_d(pod.get("status")).get("phase"))
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _describe_replicaset(rs: dict, ctx: PrintContext, events, related: dict) -> str:
    meta, spec, status = _d(rs.get("metadata")), _d(rs.get("spec")), _d(rs.get("status"))
    running, waiting, succeeded, failed = _pod_counts(rs, related.get("pods"))

    def body(w: PrefixWriter) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        w.write(0, f"Selector:\t{_labels.format_label_selector(spec.get('selector'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        if _controller(rs):
            w.write(0, f"Controlled By:\t{_controller(rs)}\n")
        w.write(0, f"Replicas:\t{_i(status.get('replicas'))} current / {_i(spec.get('replicas'), 1)} desired\n")
        w.write(0, "Pods Status:\t")
        w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
        _describe_pod_template(w, spec.get("template"), ctx)
        _conditions(w, status.get("conditions"))
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


def _describe_rc(rc: dict, ctx: PrintContext, events, related: dict) -> str:
    meta, spec, status = _d(rc.get("metadata")), _d(rc.get("spec")), _d(rc.get("status"))
    running, waiting, succeeded, failed = _pod_counts(rc, related.get("pods"))

    def body(w: PrefixWriter) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        w.write(0, f"Selector:\t{_labels.format_labels(spec.get('selector'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, f"Replicas:\t{_i(status.get('replicas'))} current / {_i(spec.get('replicas'), 1)} desired\n")
        w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
        _describe_pod_template(w, spec.get("template"), ctx)
        _conditions(w, status.get("conditions"))
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


def pod_qos_class(pod: dict) -> str:
    """kubectl pkg/util/qos GetPodQOS: status.qosClass if set, else computed from resources."""
    if _s(_d(pod.get("status")).get("qosClass")):
        return pod["status"]["qosClass"]
    containers = [_d(c) for c in _l(_d(pod.get("spec")).get("containers")) + _l(_d(pod.get("spec")).get("initContainers"))]
    requests, limits, guaranteed = {}, {}, True
    for c in containers:
        res = _d(c.get("resources"))
        req, lim = _d(res.get("requests")), _d(res.get("limits"))
        for k in ("cpu", "memory"):
            if k in req:
                requests[k] = True
            if k in lim:
                limits[k] = True
            if k not in lim or (k in req and str(req[k]) != str(lim[k])):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    return "Guaranteed" if guaranteed and len(limits) == 2 else "Burstable"


def _describe_pod(pod: dict, ctx: PrintContext, events, related: dict) -> str:
    meta, spec, status = _d(pod.get("metadata")), _d(pod.get("spec")), _d(pod.get("status"))

    def body(w: PrefixWriter) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        if isinstance(spec.get("priority"), int):
            w.write(0, f"Priority:\t{spec['priority']}\n")
        if _s(spec.get("priorityClassName")):
            w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
        if _s(spec.get("serviceAccountName")):
            w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
        if not _s(spec.get("nodeName")):
            w.write(0, "Node:\t<none>\n")
        else:
            w.write(0, f"Node:\t{spec['nodeName']}/{_s(status.get('hostIP'))}\n")
        if status.get("startTime"):
            w.write(0, f"Start Time:\t{_time(ctx, status.get('startTime'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        phase = _s(status.get("phase"))
        if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
            # translateTimestampSince of a future time: HumanDuration of a negative duration
            w.write(0, f"Status:\tTerminating (lasts {ctx.since(meta.get('deletionTimestamp'))})\n")
            w.write(0, f"Termination Grace Period:\t{_i(meta.get('deletionGracePeriodSeconds'))}s\n")
        else:
            w.write(0, f"Status:\t{phase}\n")
        if _s(status.get("reason")):
            w.write(0, f"Reason:\t{status['reason']}\n")
        if _s(status.get("message")):
            w.write(0, f"Message:\t{status['message']}\n")
        w.write(0, f"IP:\t{_s(status.get('podIP'))}\n")
        ips = _l(status.get("podIPs"))
        if not ips:
            w.write(0, "IPs:\t<none>\n")
        else:
            w.write(0, "IPs:\n")
            for ip in ips:
                w.write(1, f"IP:\t{_s(_d(ip).get('ip'))}\n")
        if _controller(pod):
            w.write(0, f"Controlled By:\t{_controller(pod)}\n")
        if _s(status.get("nominatedNodeName")):
            w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
        if _l(spec.get("initContainers")):
            _describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"), "", ctx)
        _describe_containers(w, "Containers", spec.get("containers"), status.get("containerStatuses"), "", ctx)
        gates = [_d(g) for g in _l(spec.get("readinessGates"))]
        if gates:
            w.write(0, "Readiness Gates:\n  Type\tStatus\n")
            for g in gates:
                st = next((_s(_d(c).get("status")) for c in _l(status.get("conditions"))
                           if _d(c).get("type") == g.get("conditionType")), "<none>")
                w.write(1, f"{_s(g.get('conditionType'))} \t{st} \n")
        conds = [_d(c) for c in _l(status.get("conditions"))]
        if conds:
            w.write(0, "Conditions:\n  Type\tStatus\n")
            for c in conds:
                w.write(1, f"{_s(c.get('type'))} \t{_s(c.get('status'))} \n")
        _describe_volumes(w, spec.get("volumes"), "")
        w.write(0, f"QoS Class:\t{pod_qos_class(pod)}\n")
        print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
        print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


def _slices_from_endpoints(ep: dict) -> list[dict]:
    """An EndpointSlice view of an Endpoints object (what the EndpointSlice controller mirrors)."""
    slices = []
    subsets = _l(ep.get("subsets"))
    if not subsets:
        return [{"ports": [], "endpoints": []}]
    for ss in subsets:
        ss = _d(ss)
        endpoints = [{"addresses": [_s(_d(a).get("ip"))], "conditions": {"ready": True}} for a in _l(ss.get("addresses"))]
        endpoints += [{"addresses": [_s(_d(a).get("ip"))], "conditions": {"ready": False}}
                      for a in _l(ss.get("notReadyAddresses"))]
        slices.append({"ports": [{"name": _s(_d(p).get("name")), "port": _i(_d(p).get("port"))} for p in _l(ss.get("ports"))],
                       "endpoints": endpoints})
    return slices


def format_endpoint_slices(slices, port_name: str | None) -> str:
    """describe.go formatEndpointSlices: ready endpoints only, `ip:port`, first 3 + ` + N more...`."""
    slices = [_d(s) for s in _l(slices)]
    if not slices:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0

    def ready(e: dict) -> bool:
        r = _d(e.get("conditions")).get("ready")
        return r is None or r is True

    for sl in slices:
        eps = [_d(e) for e in _l(sl.get("endpoints"))]
        ports = [_d(p) for p in _l(sl.get("ports"))]
        if not ports:
            for e in eps:
                if len(out) == limit:
                    more = True
                if not ready(e):
                    continue
                if not more:
                    out.append(_s((_l(e.get("addresses")) or [""])[0]))
                count += 1
            continue
        for port in ports:
            if port_name is None or _s(port.get("name")) == port_name:
                for e in eps:
                    if len(out) == limit:
                        more = True
                    if not ready(e):
                        continue
                    if not more:
                        addr = _s((_l(e.get("addresses")) or [""])[0])
                        host = f"[{addr}]" if ":" in addr else addr
                        out.append(f"{host}:{_i(port.get('port'))}")
                    count += 1
    ret = ",".join(out)
    return f"{ret} + {count - limit} more..." if more else ret


def _describe_service(svc: dict, ctx: PrintContext, events, related: dict) -> str:
    meta, spec, status = _d(svc.get("metadata")), _d(svc.get("spec")), _d(svc.get("status"))
    if "endpointslices" in related:
        slices = _l(related["endpointslices"])
    elif isinstance(related.get("endpoints"), dict):
        slices = _slices_from_endpoints(related["endpoints"])
    else:
        slices = []

    def body(w: PrefixWriter) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, f"Selector:\t{_labels.format_labels(spec.get('selector'))}\n")
        w.write(0, f"Type:\t{_s(spec.get('type'))}\n")
        if _s(spec.get("ipFamilyPolicy")):
            w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
        families = [_s(f) for f in _l(spec.get("ipFamilies"))]
        w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
        w.write(0, f"IP:\t{_s(spec.get('clusterIP'))}\n")
        ips = [_s(x) for x in _l(spec.get("clusterIPs"))]
        w.write(0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
        if _l(spec.get("externalIPs")):
            w.write(0, f"External IPs:\t{','.join(_s(x) for x in spec['externalIPs'])}\n")
        if _s(spec.get("loadBalancerIP")):
            w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
        if _s(spec.get("externalName")):
            w.write(0, f"External Name:\t{spec['externalName']}\n")
        ingress = [_d(i) for i in _l(_d(status.get("loadBalancer")).get("ingress"))]
        if ingress:
            w.write(0, "LoadBalancer Ingress:\t" + ", ".join(
                (_s(i.get("ip")) + (f" ({i['ipMode']})" if _s(i.get("ipMode")) else "")) if _s(i.get("ip"))
                else _s(i.get("hostname")) for i in ingress) + "\n")
        for sp in (_d(p) for p in _l(spec.get("ports"))):
            name = _s(sp.get("name")) or "<unset>"
            proto = _s(sp.get("protocol"))
            w.write(0, f"Port:\t{name}\t{_i(sp.get('port'))}/{proto}\n")
            w.write(0, f"TargetPort:\t{_intstr(sp.get('targetPort'))}/{proto}\n")
            if _i(sp.get("nodePort")):
                w.write(0, f"NodePort:\t{name}\t{sp['nodePort']}/{proto}\n")
            w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, _s(sp.get('name')))}\n")
        w.write(0, f"Session Affinity:\t{_s(spec.get('sessionAffinity'))}\n")
        if _s(spec.get("externalTrafficPolicy")):
            w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
        if _s(spec.get("internalTrafficPolicy")):
            w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
        if _i(spec.get("healthCheckNodePort")):
            w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


def _describe_endpoints(ep: dict, ctx: PrintContext, events, related: dict) -> str:
    meta = _d(ep.get("metadata"))

    def body(w: PrefixWriter) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, "Subsets:\n")
        for ss in (_d(s) for s in _l(ep.get("subsets"))):
            ready = ",".join(_s(_d(a).get("ip")) for a in _l(ss.get("addresses")))
            w.write(1, f"Addresses:\t{ready or '<none>'}\n")
            not_ready = ",".join(_s(_d(a).get("ip")) for a in _l(ss.get("notReadyAddresses")))
            w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
            ports = [_d(p) for p in _l(ss.get("ports"))]
            if ports:
                w.write(1, "Ports:\n")
                w.write(2, "Name\tPort\tProtocol\n")
                w.write(2, "----\t----\t--------\n")
                for p in ports:
                    w.write(2, f"{_s(p.get('name')) or '<unset>'}\t{_i(p.get('port'))}\t{_s(p.get('protocol'))}\n")
            w.write(0, "\n")
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


_DESCRIBERS = {
    "Deployment": _describe_deployment,
    "ReplicaSet": _describe_replicaset,
    "ReplicationController": _describe_rc,
    "Pod": _describe_pod,
    "Service": _describe_service,
    "Endpoints": _describe_endpoints,
}


def describe(kind: str, obj: dict, ctx: PrintContext, events=None, related: dict | None = None) -> str:
    """`kubectl describe <kind> <name>` output for one object (ends with a newline)."""
    from .describe_config import describe_configmap, describe_secret
    from .describe_namespace import describe_namespace

    fn = _DESCRIBERS.get(kind) or {"ConfigMap": describe_configmap, "Secret": describe_secret,
                                   "Namespace": describe_namespace}.get(kind)
    if fn is None:
        raise KeyError(f"no describer for kind {kind!r}")
    return fn(_d(obj), ctx, events, _d(related))
