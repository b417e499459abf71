"""`kubectl explain` for the fields the curriculum uses.

Layout: kubectl pkg/explain/v2/templates/plaintext.tmpl (OpenAPI v3 explain, default since v1.27):
GROUP/KIND/VERSION header (no GROUP for core), `FIELD: <name> <type>` for a field path, DESCRIPTION
indented 4 and wrapped at 80 columns, FIELDS as `  name\\t<type>[ -required-]` + indented description,
`--recursive` lists names only, indented 2 per level. Descriptions are the upstream Go doc comments
of k8s.io/api apps/v1 and core/v1 types (abridged to the fields we model). Unknown field:
`error: field "x" does not exist`.
"""
from __future__ import annotations

import textwrap

from simulator.api.errors import CLIError
from simulator.kubectl.resources import resolve

Node = tuple[str, str, dict]  # (type, description, children)

_META = ("ObjectMeta", "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", {
    "annotations": ("map[string]string", "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations", {}),
    "labels": ("map[string]string", "Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels", {}),
    "name": ("string", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", {}),
    "namespace": ("string", "Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.\n\nMust be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces", {}),
})
_API = ("string", "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources", {})
_KIND = ("string", "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds", {})
_SELECTOR = ("LabelSelector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.", {
    "matchExpressions": ("[]LabelSelectorRequirement", "matchExpressions is a list of label selector requirements. The requirements are ANDed.", {}),
    "matchLabels": ("map[string]string", "matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is \"key\", the operator is \"In\", and the values array contains only \"value\". The requirements are ANDed.", {}),
})


def _probe(which: str) -> Node:
    text = {"readinessProbe": "Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes",
            "livenessProbe": "Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"}[which]
    return ("Probe", text, {
        "exec": ("ExecAction", "Exec specifies a command to execute in the container.", {}),
        "failureThreshold": ("integer", "Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.", {}),
        "httpGet": ("HTTPGetAction", "HTTPGet specifies an HTTP GET request to perform.", {
            "path": ("string", "Path to access on the HTTP server.", {}),
            "port": ("IntOrString", "Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.", {}),
            "scheme": ("string", "Scheme to use for connecting to the host. Defaults to HTTP.", {}),
        }),
        "initialDelaySeconds": ("integer", "Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes", {}),
        "periodSeconds": ("integer", "How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.", {}),
        "successThreshold": ("integer", "Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.", {}),
        "tcpSocket": ("TCPSocketAction", "TCPSocket specifies a connection to a TCP port.", {}),
        "timeoutSeconds": ("integer", "Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes", {}),
    })


_CONTAINER = ("[]Container", "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.", {
    "args": ("[]string", "Arguments to the entrypoint. The container image's CMD is used if this is not provided.", {}),
    "command": ("[]string", "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided.", {}),
    "env": ("[]EnvVar", "List of environment variables to set in the container. Cannot be updated.", {}),
    "image": ("string", "Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.", {}),
    "imagePullPolicy": ("string", "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images\n\nPossible enum values:\n - `\"Always\"` means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.\n - `\"IfNotPresent\"` means that kubelet pulls if the image isn't present on disk. Container will fail if the image isn't present and the pull fails.\n - `\"Never\"` means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn't present", {}),
    "livenessProbe": _probe("livenessProbe"),
    "name": ("string", "Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.", {}),
    "ports": ("[]ContainerPort", "List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default \"0.0.0.0\" address inside a container will be accessible from the network. Modifying this array with strategic merge patch may corrupt the data. For more information See https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.", {
        "containerPort": ("integer", "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.", {}),
        "name": ("string", "If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.", {}),
        "protocol": ("string", "Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \"TCP\".", {}),
    }),
    "readinessProbe": _probe("readinessProbe"),
    "resources": ("ResourceRequirements", "Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/", {}),
})
_POD_SPEC_FIELDS = {
    "containers": _CONTAINER,
    "restartPolicy": ("string", "Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy", {}),
    "terminationGracePeriodSeconds": ("integer", "Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. Defaults to 30 seconds.", {}),
}
_TEMPLATE = ("PodTemplateSpec", "Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is \"Always\".", {
    "metadata": _META,
    "spec": ("PodSpec", "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status", _POD_SPEC_FIELDS),
})
_DEPLOYMENT_SPEC = ("DeploymentSpec", "Specification of the desired behavior of the Deployment.", {
    "minReadySeconds": ("integer", "Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)", {}),
    "paused": ("boolean", "Indicates that the deployment is paused.", {}),
    "progressDeadlineSeconds": ("integer", "The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.", {}),
    "replicas": ("integer", "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.", {}),
    "revisionHistoryLimit": ("integer", "The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.", {}),
    "selector": _SELECTOR + ("required",),
    "strategy": ("DeploymentStrategy", "The deployment strategy to use to replace existing pods with new ones.", {
        "rollingUpdate": ("RollingUpdateDeployment", "Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.", {
            "maxSurge": ("IntOrString", "The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Absolute number is calculated from percentage by rounding up. Defaults to 25%. Example: when this is set to 30%, the new ReplicaSet can be scaled up immediately when the rolling update starts, such that the total number of old and new pods do not exceed 130% of desired pods. Once old pods have been killed, new ReplicaSet can be scaled up further, ensuring that total number of pods running at any time during the update is at most 130% of desired pods.", {}),
            "maxUnavailable": ("IntOrString", "The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Absolute number is calculated from percentage by rounding down. This can not be 0 if MaxSurge is 0. Defaults to 25%. Example: when this is set to 30%, the old ReplicaSet can be scaled down to 70% of desired pods immediately when the rolling update starts. Once new pods are ready, old ReplicaSet can be scaled down further, followed by scaling up the new ReplicaSet, ensuring that the total number of pods available at all times during the update is at least 70% of desired pods.", {}),
        }),
        "type": ("string", "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\". Default is RollingUpdate.\n\nPossible enum values:\n - `\"Recreate\"` Kill all existing pods before creating new ones.\n - `\"RollingUpdate\"` Replace the old ReplicaSets by new one using rolling update i.e gradually scale down the old ReplicaSets and scale up the new one.", {}),
    }),
    "template": _TEMPLATE + ("required",),
})
_SERVICE_SPEC = ("ServiceSpec", "Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status", {
    "clusterIP": ("string", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail.", {}),
    "ports": ("[]ServicePort", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies", {
        "name": ("string", "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.", {}),
        "nodePort": ("integer", "The port on each node on which this service is exposed when type is NodePort or LoadBalancer.  Usually assigned by the system.", {}),
        "port": ("integer", "The port that will be exposed by this service.", {}, "required"),
        "protocol": ("string", "The IP protocol for this port. Supports \"TCP\", \"UDP\", and \"SCTP\". Default is TCP.", {}),
        "targetPort": ("IntOrString", "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map).", {}),
    }),
    "selector": ("map[string]string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/", {}),
    "sessionAffinity": ("string", "Supports \"ClientIP\" and \"None\". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.", {}),
    "type": ("string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.", {}),
})
_RS_SPEC = ("ReplicaSetSpec", "Spec defines the specification of the desired behavior of the ReplicaSet. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status", {
    "minReadySeconds": _DEPLOYMENT_SPEC[2]["minReadySeconds"],
    "replicas": ("integer", "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#how-a-replicaset-works", {}),
    "selector": ("LabelSelector", "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", _SELECTOR[2], "required"),
    "template": ("PodTemplateSpec", "Template is the object that describes the pod that will be created if insufficient replicas are detected. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/#pod-template", _TEMPLATE[2]),
})


def _top(kind: str, kind_desc: str, spec: Node) -> Node:
    return ("object", kind_desc, {"apiVersion": _API, "kind": _KIND, "metadata": _META, "spec": spec,
                                  "status": (f"{kind}Status", "Most recently observed status. Read-only.", {})})


SCHEMAS: dict[str, Node] = {
    "Deployment": _top("Deployment", "Deployment enables declarative updates for Pods and ReplicaSets.", _DEPLOYMENT_SPEC),
    "ReplicaSet": _top("ReplicaSet", "ReplicaSet ensures that a specified number of pod replicas are running at any given time.", _RS_SPEC),
    "Pod": _top("Pod", "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
                ("PodSpec", "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status", _POD_SPEC_FIELDS)),
    "Service": _top("Service", "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.", _SERVICE_SPEC),
}


def _type_name(t: str) -> str:
    # explain v2 (plaintext.tmpl typeGuess) names an object type after its schema component
    # (`<DeploymentSpec>`, `<[]ContainerPort>`), which is what our OpenAPI serves
    return "Object" if t == "object" else t


def _wrap(text: str, indent: str) -> str:
    out = []
    for para in text.split("\n"):
        if not para:
            out.append(indent.rstrip(" ") + indent)
            continue
        out.extend(textwrap.wrap(para, 80, initial_indent=indent, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False) or [indent])
    return "\n".join(out)


def _node(n) -> tuple[str, str, dict, bool]:
    return n[0], n[1], n[2], len(n) > 3 and n[3] == "required"


def explain(target: str, recursive: bool = False) -> str:
    """`kubectl explain <type>[.field...]`."""
    head, *fields = target.split(".")
    rt = resolve(head)
    schema = SCHEMAS.get(rt.kind)
    if schema is None:
        raise CLIError(f"couldn't find resource for \"{rt.api_version}, Kind={rt.kind}\"")
    node = schema
    for f in fields:
        children = _node(node)[2]
        if f not in children:
            raise CLIError(f'field "{f}" does not exist')
        node = children[f]
    t, desc, children, _ = _node(node)
    out = ""
    if rt.group:
        out += f"GROUP:      {rt.group}\n"
    out += f"KIND:       {rt.kind}\nVERSION:    {rt.version}\n\n"
    if fields:
        out += f"FIELD: {fields[-1]} <{_type_name(t)}>\n\n"
    out += "\nDESCRIPTION:\n" if fields else "DESCRIPTION:\n"
    out += _wrap(desc, "    ") + "\n    \n"
    if children:
        out += "FIELDS:\n"
        if recursive:
            out += _recursive(children, "  ")
        else:
            for name in sorted(children):
                ct, cd, _, req = _node(children[name])
                out += f"  {name}\t<{_type_name(ct)}>" + (" -required-" if req else "") + "\n"
                out += _wrap(cd, "    ") + "\n\n"
    # plaintext.tmpl ends every explanation with one more blank line
    return out + "\n"


def _recursive(children: dict, indent: str) -> str:
    out = ""
    for name in sorted(children):
        ct, _, sub, req = _node(children[name])
        out += f"{indent}{name}\t<{_type_name(ct)}>" + (" -required-" if req else "") + "\n"
        out += _recursive(sub, indent + "  ")
    return out
