"""Defaults the API server fills in before validation (what `kubectl get -o yaml` then shows).

Sources: kubernetes/kubernetes `pkg/apis/apps/v1/defaults.go` (SetDefaults_Deployment,
SetDefaults_ReplicaSet), `pkg/apis/core/v1/defaults.go` (SetDefaults_PodSpec, _Pod, _Container,
_Probe, _HTTPGetAction, _Service, _ReplicationController, _Namespace, volume sources...), the
declarative `+default` markers of kubernetes/api `core/v1/types.go` (ports' protocol TCP, RC replicas
1), and the Service registry (`pkg/registry/core/service/storage/alloc.go`: ipFamilies/ipFamilyPolicy
on a single-stack IPv4 cluster). ClusterIP and nodePort allocation and all metadata (uid,
resourceVersion, creationTimestamp, generation) are the store's job.

`apply_defaults` is idempotent and only fills what is missing; objects are plain dicts in JSON shape.
"""
from __future__ import annotations

import re

# kubernetes/api core/v1 constants
DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30
DEFAULT_SCHEDULER_NAME = "default-scheduler"
TERMINATION_MESSAGE_PATH = "/dev/termination-log"
DEFAULT_VOLUME_MODE = 420  # 0644: secret, configMap, downwardAPI, projected volume defaultMode
DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800


def apply_defaults(obj: dict) -> dict:
    """Fill in the server-side defaults of a served object, in place; returns obj."""
    if not isinstance(obj, dict):
        return obj
    kind = obj.get("kind")
    handler = _BY_KIND.get(kind) if isinstance(kind, str) else None
    if handler is not None:
        handler(obj)
    return obj


# ----------------------------------------------------------------------------------------------
# helpers


def _dict_at(parent: dict, key: str) -> dict | None:
    """parent[key] when it is a mapping, created empty when missing; None if it has another type
    (validation or strict decoding reports those)."""
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else None


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _set_missing(target: dict, key: str, value) -> None:
    if target.get(key) in (None, ""):
        target[key] = value


# ----------------------------------------------------------------------------------------------
# image references (kubernetes/kubernetes pkg/util/parsers ParseImageName via docker/distribution
# reference.ParseNormalizedNamed): the tag is "latest" when neither tag nor digest is given

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*" \
          r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"^(?:(?P<domain>{_DOMAIN})/)?(?P<path>{_COMPONENT}(?:/{_COMPONENT})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*"
    r":[0-9a-fA-F]{32,}))?$")


def image_tag(image: str) -> str | None:
    """The tag ParseImageName reports ("latest" when none and no digest), or None when the
    reference does not parse (then the pull policy defaults to IfNotPresent)."""
    if not isinstance(image, str) or not image:
        return None
    m = _REFERENCE.match(image)
    if not m:
        return None
    if m.group("tag"):
        return m.group("tag")
    if m.group("digest"):
        return ""
    return "latest"


def default_pull_policy(image: str) -> str:
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


# ----------------------------------------------------------------------------------------------
# pods and their templates


def _default_probe(probe) -> None:
    if not isinstance(probe, dict):
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _default_handler(probe)


def _default_handler(handler) -> None:
    if not isinstance(handler, dict):
        return
    http = handler.get("httpGet")
    if isinstance(http, dict):
        _set_missing(http, "path", "/")
        _set_missing(http, "scheme", "HTTP")


def _default_env(env) -> None:
    for var in _dicts(env):
        source = var.get("valueFrom")
        if isinstance(source, dict) and isinstance(source.get("fieldRef"), dict):
            _set_missing(source["fieldRef"], "apiVersion", "v1")


def _default_container(c: dict) -> None:
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = default_pull_policy(c.get("image", ""))
    _set_missing(c, "terminationMessagePath", TERMINATION_MESSAGE_PATH)
    _set_missing(c, "terminationMessagePolicy", "File")
    for port in _dicts(c.get("ports")):
        _set_missing(port, "protocol", "TCP")
    # `resources: {}` is always serialised (a struct, not a pointer)
    if c.get("resources") is None:
        c["resources"] = {}
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(c.get(key))
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        _default_handler(lifecycle.get("postStart"))
        _default_handler(lifecycle.get("preStop"))
    _default_env(c.get("env"))


def _default_volume(v: dict) -> None:
    sources = ("hostPath", "emptyDir", "secret", "configMap", "persistentVolumeClaim",
               "downwardAPI", "projected", "nfs")
    if all(v.get(s) is None for s in sources):
        v["emptyDir"] = {}
    if isinstance(v.get("hostPath"), dict):
        v["hostPath"].setdefault("type", "")
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        if isinstance(v.get(key), dict) and v[key].get("defaultMode") is None:
            v[key]["defaultMode"] = DEFAULT_VOLUME_MODE
    projected = v.get("projected")
    if isinstance(projected, dict):
        for source in _dicts(projected.get("sources")):
            token = source.get("serviceAccountToken")
            if isinstance(token, dict) and token.get("expirationSeconds") is None:
                token["expirationSeconds"] = 3600


def _default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec plus the generated recursion into containers, probes and volumes."""
    _set_missing(spec, "dnsPolicy", "ClusterFirst")
    _set_missing(spec, "restartPolicy", "Always")
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS
    _set_missing(spec, "schedulerName", DEFAULT_SCHEDULER_NAME)
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in _dicts(spec.get(key)):
            _default_container(c)
    for v in _dicts(spec.get("volumes")):
        _default_volume(v)


def _default_template(spec: dict) -> None:
    template = spec.get("template")
    if not isinstance(template, dict):
        return
    pod_spec = template.get("spec")
    if isinstance(pod_spec, dict):
        _default_pod_spec(pod_spec)


def _default_pod(pod: dict) -> None:
    spec = _dict_at(pod, "spec")
    if spec is None:
        return
    _default_pod_spec(spec)
    # SetDefaults_Pod: requests default to limits, for Pods only (not templates)
    for key in ("containers", "initContainers"):
        for c in _dicts(spec.get(key)):
            resources = c.get("resources")
            if isinstance(resources, dict) and isinstance(resources.get("limits"), dict):
                requests = resources.get("requests")
                if requests is None:
                    requests = resources["requests"] = {}
                if isinstance(requests, dict):
                    for name, value in resources["limits"].items():
                        requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork") is True:
        for key in ("containers", "initContainers"):
            for c in _dicts(spec.get(key)):
                for port in _dicts(c.get("ports")):
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort")


# ----------------------------------------------------------------------------------------------
# workloads


def _default_deployment(d: dict) -> None:
    spec = _dict_at(d, "spec")
    if spec is None:
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = _dict_at(spec, "strategy")
    if strategy is not None:
        _set_missing(strategy, "type", "RollingUpdate")
        if strategy.get("type") == "RollingUpdate":
            rolling = _dict_at(strategy, "rollingUpdate")
            if rolling is not None:
                if rolling.get("maxUnavailable") is None:
                    rolling["maxUnavailable"] = "25%"
                if rolling.get("maxSurge") is None:
                    rolling["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    _default_template(spec)


def _default_replicaset(rs: dict) -> None:
    spec = _dict_at(rs, "spec")
    if spec is None:
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _default_template(spec)


def _default_replication_controller(rc: dict) -> None:
    spec = _dict_at(rc, "spec")
    if spec is None:
        return
    template = spec.get("template")
    labels = None
    if isinstance(template, dict) and isinstance(template.get("metadata"), dict):
        labels = template["metadata"].get("labels")
    if isinstance(labels, dict) and labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        metadata = _dict_at(rc, "metadata")
        if metadata is not None and not metadata.get("labels"):
            metadata["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _default_template(spec)


# ----------------------------------------------------------------------------------------------
# services and the rest


def _externally_accessible(spec: dict) -> bool:
    """pkg/api/v1/service ExternallyAccessible."""
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (
        kind == "ClusterIP" and bool(spec.get("externalIPs")))


def _default_service(svc: dict) -> None:
    spec = _dict_at(svc, "spec")
    if spec is None:
        return
    _set_missing(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig")
        client = config.get("clientIP") if isinstance(config, dict) else None
        if not isinstance(client, dict) or client.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {
                "clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_AFFINITY_SECONDS}}
    _set_missing(spec, "type", "ClusterIP")
    for port in _dicts(spec.get("ports")):
        _set_missing(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            if "port" in port:
                port["targetPort"] = port["port"]
    if _externally_accessible(spec):
        _set_missing(spec, "externalTrafficPolicy", "Cluster")
    if spec.get("internalTrafficPolicy") is None and spec["type"] in (
            "NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    if spec["type"] != "ExternalName":
        # the registry's IP family defaulting on a single-stack IPv4 cluster
        _set_missing(spec, "ipFamilyPolicy", "SingleStack")
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]


def _default_endpoints(ep: dict) -> None:
    for subset in _dicts(ep.get("subsets")):
        for port in _dicts(subset.get("ports")):
            _set_missing(port, "protocol", "TCP")


def _default_namespace(ns: dict) -> None:
    metadata = _dict_at(ns, "metadata")
    if metadata is not None and isinstance(metadata.get("name"), str) and metadata["name"]:
        labels = _dict_at(metadata, "labels")
        if labels is not None:
            labels["kubernetes.io/metadata.name"] = metadata["name"]


def _default_node(node: dict) -> None:
    status = node.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None \
            and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])


_BY_KIND = {
    "Deployment": _default_deployment,
    "ReplicaSet": _default_replicaset,
    "ReplicationController": _default_replication_controller,
    "Pod": _default_pod,
    "Service": _default_service,
    "Endpoints": _default_endpoints,
    "Namespace": _default_namespace,
    "Node": _default_node,
}


# ----------------------------------------------------------------------------------------------
# what the registry strategies set on create (pkg/registry/*/strategy.go PrepareForCreate)


def qos_class(pod_spec: dict) -> str:
    """pkg/apis/core/helper/qos GetPodQOS, for cpu and memory."""
    requests: dict = {}
    limits: dict = {}
    all_guaranteed = True
    for c in _dicts(pod_spec.get("containers")) + _dicts(pod_spec.get("initContainers")):
        resources = c.get("resources") if isinstance(c.get("resources"), dict) else {}
        req = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
        lim = resources.get("limits") if isinstance(resources.get("limits"), dict) else {}
        for name in ("cpu", "memory"):
            if name in req:
                requests[name] = True
            if name in lim:
                limits[name] = True
        if not all(name in lim for name in ("cpu", "memory")):
            all_guaranteed = False
        elif any(name in req and str(req[name]) != str(lim[name]) for name in ("cpu", "memory")):
            all_guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if all_guaranteed and len(limits) == 2:
        return "Guaranteed"
    return "Burstable"


def prepare_for_create(obj: dict) -> dict:
    """Status the registry sets on create: a Pod starts Pending with its QoS class; a Namespace is
    Active with the `kubernetes` finalizer. Other kinds start with an empty status."""
    kind = obj.get("kind") if isinstance(obj.get("kind"), str) else None
    if kind == "Pod":
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        obj["status"] = {"phase": "Pending", "qosClass": qos_class(spec)}
    elif kind == "Namespace":
        spec = _dict_at(obj, "spec")
        if spec is not None:
            finalizers = spec.get("finalizers") if isinstance(spec.get("finalizers"), list) else []
            if "kubernetes" not in finalizers:
                finalizers = finalizers + ["kubernetes"]
            spec["finalizers"] = finalizers
        obj["status"] = {"phase": "Active"}
    elif kind in ("Deployment", "ReplicaSet", "ReplicationController", "Service"):
        status = {}
        if kind == "Service":
            status = {"loadBalancer": {}}
        elif kind in ("ReplicaSet", "ReplicationController"):
            status = {"replicas": 0}
        obj["status"] = status
    return obj
