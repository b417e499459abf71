"""The fields the API server knows for each served type, and its strict decoding of a request body.

The structs mirror kubernetes/api `apps/v1/types.go`, `core/v1/types.go` and apimachinery
`pkg/apis/meta/v1/types.go`, down to the fields curriculum and CKAD manifests use (a few rarely used
volume sources and alpha fields are left out: they are reported as unknown).

Decoding follows the server path: `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go`
transformDecodeError → `<Kind> in version "<version>" cannot be handled as a <Kind>: <err>`, where
<err> comes from apimachinery `pkg/runtime/serializer/json/json.go` (strict mode, sigs.k8s.io/json):
- the first type mismatch, in Go's encoding/json words (`decode.go` UnmarshalTypeError):
  `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`;
- otherwise every unknown field, joined (`runtime.strictDecodingError`):
  `strict decoding error: unknown field "spec.replica", unknown field "spec.x"`.
kubectl sends the object as Go's json.Marshal writes it (keys sorted), so fields are visited in
sorted key order, as the server meets them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.api import kinds
from simulator.api.errors import BadRequest

# ----------------------------------------------------------------------------------------------
# type descriptors


@dataclass(frozen=True)
class Scalar:
    go: str  # Go type name as reflect prints it: string, int32, int64, bool


@dataclass(frozen=True)
class Custom:
    """Types with their own UnmarshalJSON: IntOrString, Quantity, Time, free JSON."""

    name: str  # intstr | quantity | time | raw


@dataclass(frozen=True)
class ListOf:
    elem: object


@dataclass(frozen=True)
class MapOf:
    elem: object


@dataclass(frozen=True)
class Ref:
    struct: str  # key of STRUCTS


S, I32, I64, B = Scalar("string"), Scalar("int32"), Scalar("int64"), Scalar("bool")
INTSTR, QUANTITY, TIME, RAW = Custom("intstr"), Custom("quantity"), Custom("time"), Custom("raw")


def L(elem):
    return ListOf(_t(elem))


def M(elem):
    return MapOf(_t(elem))


def _t(x):
    return Ref(x) if isinstance(x, str) else x


def _fields(**fields) -> dict:
    return {name: _t(kind) for name, kind in fields.items()}


# ----------------------------------------------------------------------------------------------
# the structs (Go name → JSON field → type)

_NAME_KEY = dict(name=S, key=S, optional=B)

STRUCTS: dict[str, dict] = {
    # apimachinery meta/v1
    "ObjectMeta": _fields(
        name=S, generateName=S, namespace=S, selfLink=S, uid=S, resourceVersion=S, generation=I64,
        creationTimestamp=TIME, deletionTimestamp=TIME, deletionGracePeriodSeconds=I64,
        labels=M(S), annotations=M(S), ownerReferences=L("OwnerReference"), finalizers=L(S),
        managedFields=L("ManagedFieldsEntry")),
    "OwnerReference": _fields(apiVersion=S, kind=S, name=S, uid=S, controller=B,
                              blockOwnerDeletion=B),
    "ManagedFieldsEntry": _fields(manager=S, operation=S, apiVersion=S, time=TIME, fieldsType=S,
                                  fieldsV1=RAW, subresource=S),
    "LabelSelector": _fields(matchLabels=M(S), matchExpressions=L("LabelSelectorRequirement")),
    "LabelSelectorRequirement": _fields(key=S, operator=S, values=L(S)),
    "Condition": _fields(type=S, status=S, observedGeneration=I64, lastTransitionTime=TIME,
                         reason=S, message=S),
    # apps/v1
    "DeploymentSpec": _fields(
        replicas=I32, selector="LabelSelector", template="PodTemplateSpec",
        strategy="DeploymentStrategy", minReadySeconds=I32, revisionHistoryLimit=I32, paused=B,
        progressDeadlineSeconds=I32),
    "DeploymentStrategy": _fields(type=S, rollingUpdate="RollingUpdateDeployment"),
    "RollingUpdateDeployment": _fields(maxUnavailable=INTSTR, maxSurge=INTSTR),
    "DeploymentStatus": _fields(
        observedGeneration=I64, replicas=I32, updatedReplicas=I32, readyReplicas=I32,
        availableReplicas=I32, unavailableReplicas=I32, terminatingReplicas=I32,
        conditions=L("DeploymentCondition"), collisionCount=I32),
    "DeploymentCondition": _fields(type=S, status=S, lastUpdateTime=TIME, lastTransitionTime=TIME,
                                   reason=S, message=S),
    "ReplicaSetSpec": _fields(replicas=I32, minReadySeconds=I32, selector="LabelSelector",
                              template="PodTemplateSpec"),
    "ReplicaSetStatus": _fields(
        replicas=I32, fullyLabeledReplicas=I32, readyReplicas=I32, availableReplicas=I32,
        terminatingReplicas=I32, observedGeneration=I64, conditions=L("ReplicaSetCondition")),
    "ReplicaSetCondition": _fields(type=S, status=S, lastTransitionTime=TIME, reason=S, message=S),
    # core/v1 workloads
    "ReplicationControllerSpec": _fields(replicas=I32, minReadySeconds=I32, selector=M(S),
                                         template="PodTemplateSpec"),
    "ReplicationControllerStatus": _fields(
        replicas=I32, fullyLabeledReplicas=I32, readyReplicas=I32, availableReplicas=I32,
        observedGeneration=I64, conditions=L("ReplicationControllerCondition")),
    "ReplicationControllerCondition": _fields(type=S, status=S, lastTransitionTime=TIME, reason=S,
                                              message=S),
    "PodTemplateSpec": _fields(metadata="ObjectMeta", spec="PodSpec"),
    "PodSpec": _fields(
        volumes=L("Volume"), initContainers=L("Container"), containers=L("Container"),
        ephemeralContainers=L("EphemeralContainer"), restartPolicy=S,
        terminationGracePeriodSeconds=I64, activeDeadlineSeconds=I64, dnsPolicy=S,
        nodeSelector=M(S), serviceAccountName=S, serviceAccount=S,
        automountServiceAccountToken=B, nodeName=S, hostNetwork=B, hostPID=B, hostIPC=B,
        shareProcessNamespace=B, securityContext="PodSecurityContext",
        imagePullSecrets=L("LocalObjectReference"), hostname=S, subdomain=S, affinity="Affinity",
        schedulerName=S, tolerations=L("Toleration"), hostAliases=L("HostAlias"),
        priorityClassName=S, priority=I32, dnsConfig="PodDNSConfig",
        readinessGates=L("PodReadinessGate"), runtimeClassName=S, enableServiceLinks=B,
        preemptionPolicy=S, overhead=M(QUANTITY),
        topologySpreadConstraints=L("TopologySpreadConstraint"), setHostnameAsFQDN=B, os="PodOS",
        hostUsers=B, schedulingGates=L("PodSchedulingGate")),
    "Container": _fields(
        name=S, image=S, command=L(S), args=L(S), workingDir=S, ports=L("ContainerPort"),
        envFrom=L("EnvFromSource"), env=L("EnvVar"), resources="ResourceRequirements",
        resizePolicy=L("ContainerResizePolicy"), restartPolicy=S, volumeMounts=L("VolumeMount"),
        volumeDevices=L("VolumeDevice"), livenessProbe="Probe", readinessProbe="Probe",
        startupProbe="Probe", lifecycle="Lifecycle", terminationMessagePath=S,
        terminationMessagePolicy=S, imagePullPolicy=S, securityContext="SecurityContext",
        stdin=B, stdinOnce=B, tty=B),
    "ContainerPort": _fields(name=S, hostPort=I32, containerPort=I32, protocol=S, hostIP=S),
    "EnvVar": _fields(name=S, value=S, valueFrom="EnvVarSource"),
    "EnvVarSource": _fields(fieldRef="ObjectFieldSelector",
                            resourceFieldRef="ResourceFieldSelector",
                            configMapKeyRef="ConfigMapKeySelector",
                            secretKeyRef="SecretKeySelector"),
    "ObjectFieldSelector": _fields(apiVersion=S, fieldPath=S),
    "ResourceFieldSelector": _fields(containerName=S, resource=S, divisor=QUANTITY),
    "ConfigMapKeySelector": _fields(**_NAME_KEY),
    "SecretKeySelector": _fields(**_NAME_KEY),
    "EnvFromSource": _fields(prefix=S, configMapRef="ConfigMapEnvSource",
                             secretRef="SecretEnvSource"),
    "ConfigMapEnvSource": _fields(name=S, optional=B),
    "SecretEnvSource": _fields(name=S, optional=B),
    "ResourceRequirements": _fields(limits=M(QUANTITY), requests=M(QUANTITY),
                                    claims=L("ResourceClaim")),
    "ResourceClaim": _fields(name=S, request=S),
    "ContainerResizePolicy": _fields(resourceName=S, restartPolicy=S),
    "VolumeMount": _fields(name=S, readOnly=B, recursiveReadOnly=S, mountPath=S, subPath=S,
                           mountPropagation=S, subPathExpr=S),
    "VolumeDevice": _fields(name=S, devicePath=S),
    "Probe": _fields(exec="ExecAction", httpGet="HTTPGetAction", tcpSocket="TCPSocketAction",
                     grpc="GRPCAction", initialDelaySeconds=I32, timeoutSeconds=I32,
                     periodSeconds=I32, successThreshold=I32, failureThreshold=I32,
                     terminationGracePeriodSeconds=I64),
    "ExecAction": _fields(command=L(S)),
    "HTTPGetAction": _fields(path=S, port=INTSTR, host=S, scheme=S, httpHeaders=L("HTTPHeader")),
    "HTTPHeader": _fields(name=S, value=S),
    "TCPSocketAction": _fields(port=INTSTR, host=S),
    "GRPCAction": _fields(port=I32, service=S),
    "Lifecycle": _fields(postStart="LifecycleHandler", preStop="LifecycleHandler", stopSignal=S),
    "LifecycleHandler": _fields(exec="ExecAction", httpGet="HTTPGetAction",
                                tcpSocket="TCPSocketAction", sleep="SleepAction"),
    "SleepAction": _fields(seconds=I64),
    "SecurityContext": _fields(
        capabilities="Capabilities", privileged=B, seLinuxOptions="SELinuxOptions",
        windowsOptions="WindowsSecurityContextOptions", runAsUser=I64, runAsGroup=I64,
        runAsNonRoot=B, readOnlyRootFilesystem=B, allowPrivilegeEscalation=B, procMount=S,
        seccompProfile="SeccompProfile", appArmorProfile="AppArmorProfile"),
    "Capabilities": _fields(add=L(S), drop=L(S)),
    "SELinuxOptions": _fields(user=S, role=S, type=S, level=S),
    "WindowsSecurityContextOptions": _fields(gmsaCredentialSpecName=S, gmsaCredentialSpec=S,
                                             runAsUserName=S, hostProcess=B),
    "SeccompProfile": _fields(type=S, localhostProfile=S),
    "AppArmorProfile": _fields(type=S, localhostProfile=S),
    "PodSecurityContext": _fields(
        seLinuxOptions="SELinuxOptions", windowsOptions="WindowsSecurityContextOptions",
        runAsUser=I64, runAsGroup=I64, runAsNonRoot=B, supplementalGroups=L(I64),
        supplementalGroupsPolicy=S, fsGroup=I64, sysctls=L("Sysctl"), fsGroupChangePolicy=S,
        seccompProfile="SeccompProfile", appArmorProfile="AppArmorProfile",
        seLinuxChangePolicy=S),
    "Sysctl": _fields(name=S, value=S),
    "LocalObjectReference": _fields(name=S),
    "HostAlias": _fields(ip=S, hostnames=L(S)),
    "PodDNSConfig": _fields(nameservers=L(S), searches=L(S), options=L("PodDNSConfigOption")),
    "PodDNSConfigOption": _fields(name=S, value=S),
    "PodReadinessGate": _fields(conditionType=S),
    "PodOS": _fields(name=S),
    "PodSchedulingGate": _fields(name=S),
    "Toleration": _fields(key=S, operator=S, value=S, effect=S, tolerationSeconds=I64),
    "TopologySpreadConstraint": _fields(
        maxSkew=I32, topologyKey=S, whenUnsatisfiable=S, labelSelector="LabelSelector",
        minDomains=I32, nodeAffinityPolicy=S, nodeTaintsPolicy=S, matchLabelKeys=L(S)),
    "Affinity": _fields(nodeAffinity="NodeAffinity", podAffinity="PodAffinity",
                        podAntiAffinity="PodAntiAffinity"),
    "NodeAffinity": _fields(
        requiredDuringSchedulingIgnoredDuringExecution="NodeSelector",
        preferredDuringSchedulingIgnoredDuringExecution=L("PreferredSchedulingTerm")),
    "NodeSelector": _fields(nodeSelectorTerms=L("NodeSelectorTerm")),
    "NodeSelectorTerm": _fields(matchExpressions=L("NodeSelectorRequirement"),
                                matchFields=L("NodeSelectorRequirement")),
    "NodeSelectorRequirement": _fields(key=S, operator=S, values=L(S)),
    "PreferredSchedulingTerm": _fields(weight=I32, preference="NodeSelectorTerm"),
    "PodAffinity": _fields(
        requiredDuringSchedulingIgnoredDuringExecution=L("PodAffinityTerm"),
        preferredDuringSchedulingIgnoredDuringExecution=L("WeightedPodAffinityTerm")),
    "PodAntiAffinity": _fields(
        requiredDuringSchedulingIgnoredDuringExecution=L("PodAffinityTerm"),
        preferredDuringSchedulingIgnoredDuringExecution=L("WeightedPodAffinityTerm")),
    "PodAffinityTerm": _fields(labelSelector="LabelSelector", namespaces=L(S), topologyKey=S,
                               namespaceSelector="LabelSelector", matchLabelKeys=L(S),
                               mismatchLabelKeys=L(S)),
    "WeightedPodAffinityTerm": _fields(weight=I32, podAffinityTerm="PodAffinityTerm"),
    "Volume": _fields(
        name=S, hostPath="HostPathVolumeSource", emptyDir="EmptyDirVolumeSource",
        secret="SecretVolumeSource", configMap="ConfigMapVolumeSource",
        persistentVolumeClaim="PersistentVolumeClaimVolumeSource",
        downwardAPI="DownwardAPIVolumeSource", projected="ProjectedVolumeSource",
        nfs="NFSVolumeSource"),
    "HostPathVolumeSource": _fields(path=S, type=S),
    "EmptyDirVolumeSource": _fields(medium=S, sizeLimit=QUANTITY),
    "SecretVolumeSource": _fields(secretName=S, items=L("KeyToPath"), defaultMode=I32,
                                  optional=B),
    "ConfigMapVolumeSource": _fields(name=S, items=L("KeyToPath"), defaultMode=I32, optional=B),
    "KeyToPath": _fields(key=S, path=S, mode=I32),
    "PersistentVolumeClaimVolumeSource": _fields(claimName=S, readOnly=B),
    "DownwardAPIVolumeSource": _fields(items=L("DownwardAPIVolumeFile"), defaultMode=I32),
    "DownwardAPIVolumeFile": _fields(path=S, fieldRef="ObjectFieldSelector",
                                     resourceFieldRef="ResourceFieldSelector", mode=I32),
    "ProjectedVolumeSource": _fields(sources=L("VolumeProjection"), defaultMode=I32),
    "VolumeProjection": _fields(secret="SecretProjection", downwardAPI="DownwardAPIProjection",
                                configMap="ConfigMapProjection",
                                serviceAccountToken="ServiceAccountTokenProjection"),
    "SecretProjection": _fields(name=S, items=L("KeyToPath"), optional=B),
    "ConfigMapProjection": _fields(name=S, items=L("KeyToPath"), optional=B),
    "DownwardAPIProjection": _fields(items=L("DownwardAPIVolumeFile")),
    "ServiceAccountTokenProjection": _fields(audience=S, expirationSeconds=I64, path=S),
    "NFSVolumeSource": _fields(server=S, path=S, readOnly=B),
    "EphemeralContainer": _fields(
        name=S, image=S, command=L(S), args=L(S), workingDir=S, ports=L("ContainerPort"),
        envFrom=L("EnvFromSource"), env=L("EnvVar"), resources="ResourceRequirements",
        volumeMounts=L("VolumeMount"), terminationMessagePath=S, terminationMessagePolicy=S,
        imagePullPolicy=S, securityContext="SecurityContext", stdin=B, stdinOnce=B, tty=B,
        targetContainerName=S),
    "PodStatus": _fields(
        observedGeneration=I64, phase=S, conditions=L("PodCondition"), message=S, reason=S,
        nominatedNodeName=S, hostIP=S, hostIPs=L("HostIP"), podIP=S, podIPs=L("PodIP"),
        startTime=TIME, initContainerStatuses=L("ContainerStatus"),
        containerStatuses=L("ContainerStatus"), qosClass=S),
    "PodCondition": _fields(type=S, observedGeneration=I64, status=S, lastProbeTime=TIME,
                            lastTransitionTime=TIME, reason=S, message=S),
    "HostIP": _fields(ip=S),
    "PodIP": _fields(ip=S),
    "ContainerStatus": _fields(name=S, state="ContainerState", lastState="ContainerState",
                               ready=B, restartCount=I32, image=S, imageID=S, containerID=S,
                               started=B, allocatedResources=M(QUANTITY),
                               resources="ResourceRequirements", volumeMounts=L("VolumeMountStatus"),
                               stopSignal=S),
    "VolumeMountStatus": _fields(name=S, mountPath=S, readOnly=B, recursiveReadOnly=S),
    "ContainerState": _fields(waiting="ContainerStateWaiting",
                              running="ContainerStateRunning",
                              terminated="ContainerStateTerminated"),
    "ContainerStateWaiting": _fields(reason=S, message=S),
    "ContainerStateRunning": _fields(startedAt=TIME),
    "ContainerStateTerminated": _fields(exitCode=I32, signal=I32, reason=S, message=S,
                                        startedAt=TIME, finishedAt=TIME, containerID=S),
    # core/v1 networking
    "ServiceSpec": _fields(
        ports=L("ServicePort"), selector=M(S), clusterIP=S, clusterIPs=L(S), type=S,
        externalIPs=L(S), sessionAffinity=S, loadBalancerIP=S, loadBalancerSourceRanges=L(S),
        externalName=S, externalTrafficPolicy=S, healthCheckNodePort=I32,
        publishNotReadyAddresses=B, sessionAffinityConfig="SessionAffinityConfig",
        ipFamilies=L(S), ipFamilyPolicy=S, allocateLoadBalancerNodePorts=B, loadBalancerClass=S,
        internalTrafficPolicy=S, trafficDistribution=S),
    "ServicePort": _fields(name=S, protocol=S, appProtocol=S, port=I32, targetPort=INTSTR,
                           nodePort=I32),
    "SessionAffinityConfig": _fields(clientIP="ClientIPConfig"),
    "ClientIPConfig": _fields(timeoutSeconds=I32),
    "ServiceStatus": _fields(loadBalancer="LoadBalancerStatus", conditions=L("Condition")),
    "LoadBalancerStatus": _fields(ingress=L("LoadBalancerIngress")),
    "LoadBalancerIngress": _fields(ip=S, hostname=S, ipMode=S, ports=L("PortStatus")),
    "PortStatus": _fields(port=I32, protocol=S, error=S),
    "EndpointSubset": _fields(addresses=L("EndpointAddress"),
                              notReadyAddresses=L("EndpointAddress"), ports=L("EndpointPort")),
    "EndpointAddress": _fields(ip=S, hostname=S, nodeName=S, targetRef="ObjectReference"),
    "EndpointPort": _fields(name=S, port=I32, protocol=S, appProtocol=S),
    "ObjectReference": _fields(kind=S, namespace=S, name=S, uid=S, apiVersion=S,
                               resourceVersion=S, fieldPath=S),
    # core/v1 cluster objects
    "EventSource": _fields(component=S, host=S),
    "EventSeries": _fields(count=I32, lastObservedTime=TIME),
    "NamespaceSpec": _fields(finalizers=L(S)),
    "NamespaceStatus": _fields(phase=S, conditions=L("NamespaceCondition")),
    "NamespaceCondition": _fields(type=S, status=S, lastTransitionTime=TIME, reason=S, message=S),
    "NodeSpec": _fields(podCIDR=S, podCIDRs=L(S), providerID=S, unschedulable=B,
                        taints=L("Taint"), externalID=S),
    "Taint": _fields(key=S, value=S, effect=S, timeAdded=TIME),
    "NodeStatus": _fields(
        capacity=M(QUANTITY), allocatable=M(QUANTITY), phase=S, conditions=L("NodeCondition"),
        addresses=L("NodeAddress"), daemonEndpoints="NodeDaemonEndpoints",
        nodeInfo="NodeSystemInfo", images=L("ContainerImage")),
    "NodeCondition": _fields(type=S, status=S, lastHeartbeatTime=TIME, lastTransitionTime=TIME,
                             reason=S, message=S),
    "NodeAddress": _fields(type=S, address=S),
    "NodeDaemonEndpoints": _fields(kubeletEndpoint="DaemonEndpoint"),
    "DaemonEndpoint": _fields(Port=I32),
    "NodeSystemInfo": _fields(machineID=S, systemUUID=S, bootID=S, kernelVersion=S, osImage=S,
                              containerRuntimeVersion=S, kubeletVersion=S, kubeProxyVersion=S,
                              operatingSystem=S, architecture=S),
    "ContainerImage": _fields(names=L(S), sizeBytes=I64),
}

_TYPE_META = dict(apiVersion=S, kind=S, metadata="ObjectMeta")

# top-level kinds: the struct is named after the Kind
STRUCTS.update({
    "Deployment": _fields(**_TYPE_META, spec="DeploymentSpec", status="DeploymentStatus"),
    "ReplicaSet": _fields(**_TYPE_META, spec="ReplicaSetSpec", status="ReplicaSetStatus"),
    "ReplicationController": _fields(**_TYPE_META, spec="ReplicationControllerSpec",
                                     status="ReplicationControllerStatus"),
    "Pod": _fields(**_TYPE_META, spec="PodSpec", status="PodStatus"),
    "Service": _fields(**_TYPE_META, spec="ServiceSpec", status="ServiceStatus"),
    "Endpoints": _fields(**_TYPE_META, subsets=L("EndpointSubset")),
    "Event": _fields(
        **_TYPE_META, involvedObject="ObjectReference", reason=S, message=S,
        source="EventSource", firstTimestamp=TIME, lastTimestamp=TIME, count=I32, type=S,
        eventTime=TIME, series="EventSeries", action=S, related="ObjectReference",
        reportingComponent=S, reportingInstance=S),
    "Namespace": _fields(**_TYPE_META, spec="NamespaceSpec", status="NamespaceStatus"),
    "Node": _fields(**_TYPE_META, spec="NodeSpec", status="NodeStatus"),
    "ConfigMap": _fields(**_TYPE_META, data=M(S), binaryData=M(S), immutable=B),
    "Secret": _fields(**_TYPE_META, data=M(S), stringData=M(S), type=S, immutable=B),
})


def known_fields(struct: str) -> frozenset[str]:
    """The JSON field names of one struct (e.g. "Container")."""
    return frozenset(STRUCTS[struct])


def field_type(struct: str, field: str):
    return STRUCTS[struct].get(field)


# ----------------------------------------------------------------------------------------------
# strict decoding


def go_type_name(t) -> str:
    """reflect.Type.String() of the field's (dereferenced) type: `[]v1.Container`, `int32`."""
    if isinstance(t, Scalar):
        return t.go
    if isinstance(t, ListOf):
        return "[]" + go_type_name(t.elem)
    if isinstance(t, MapOf):
        return "map[string]" + go_type_name(t.elem)
    if isinstance(t, Ref):
        return f"v1.{t.struct}"
    return {"intstr": "intstr.IntOrString", "quantity": "resource.Quantity", "time": "v1.Time",
            "raw": "v1.FieldsV1"}[t.name]


def _json_kind(value) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def _number_text(value) -> str:
    """How the number appears in the JSON kubectl sent (Go json.Marshal of int64/float64)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        text = repr(value)
        if "e" in text:
            mantissa, exp = text.split("e")
            sign = exp[0] if exp[0] in "+-" else "+"
            digits = exp.lstrip("+-").lstrip("0").rjust(2, "0")
            text = f"{mantissa}e{sign}{digits}"
        return text
    return str(value)


_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}

# resource.Quantity (apimachinery pkg/api/resource/quantity.go ParseQuantity)
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_QUANTITY_SUFFIXES = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E",
                      "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
ERR_QUANTITY_FORMAT = ("quantities must match the regular expression "
                       "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def quantity_error(text: str) -> str | None:
    """The ParseQuantity error for a quantity string, or None when it parses."""
    text = text.strip()
    m = _QUANTITY.match(text)
    if not m:
        return ERR_QUANTITY_FORMAT
    number, suffix = m.groups()
    if number.count(".") > 1 or number.strip("+-") in ("", "."):
        return "unable to parse numeric part of quantity"
    if suffix in _QUANTITY_SUFFIXES or re.fullmatch(r"[eE][-+]?[0-9]+", suffix):
        return None
    return "unable to parse quantity's suffix"


class _Fatal(Exception):
    """An UnmarshalJSON error: Go's decoder stops at once and returns it."""


class _Walk:
    def __init__(self):
        self.type_error: str | None = None
        self.unknown: list[str] = []

    def type_mismatch(self, value_desc: str, struct: str, stack: list[str], t) -> None:
        if self.type_error is None:
            self.type_error = (f"json: cannot unmarshal {value_desc} into Go struct field "
                               f"{struct}.{'.'.join(stack)} of type {go_type_name(t)}")

    def value(self, value, t, struct: str, stack: list[str], path: str) -> None:
        if value is None:
            return  # null leaves the zero value, never an error
        if isinstance(t, Scalar):
            self.scalar(value, t, struct, stack)
        elif isinstance(t, Custom):
            self.custom(value, t, struct, stack)
        elif isinstance(t, ListOf):
            if not isinstance(value, list):
                self.type_mismatch(_json_kind(value), struct, stack, t)
                return
            for i, item in enumerate(value):
                self.value(item, t.elem, struct, stack, f"{path}[{i}]")
        elif isinstance(t, MapOf):
            if not isinstance(value, dict):
                self.type_mismatch(_json_kind(value), struct, stack, t)
                return
            for key in sorted(value):
                self.value(value[key], t.elem, struct, stack, f"{path}[{key}]")
        else:
            self.struct(value, t.struct, struct, stack, path)

    def struct(self, value, name: str, outer: str, stack: list[str], path: str) -> None:
        if not isinstance(value, dict):
            self.type_mismatch(_json_kind(value), outer, stack, Ref(name))
            return
        fields = STRUCTS[name]
        for key in sorted(value):
            sub = f"{path}.{key}" if path else key
            t = fields.get(key)
            if t is None:
                self.unknown.append(sub)
                continue
            self.value(value[key], t, name, stack + [key], sub)

    def scalar(self, value, t: Scalar, struct: str, stack: list[str]) -> None:
        kind = _json_kind(value)
        if t.go == "string":
            if kind != "string":
                self.type_mismatch(kind, struct, stack, t)
        elif t.go == "bool":
            if kind != "bool":
                self.type_mismatch(kind, struct, stack, t)
        else:
            if kind != "number":
                self.type_mismatch(kind, struct, stack, t)
                return
            lo, hi = _INT_RANGES[t.go]
            as_text = _number_text(value)
            if not re.fullmatch(r"-?\d+", as_text) or not lo <= int(as_text) <= hi:
                self.type_mismatch(f"number {as_text}", struct, stack, t)

    def custom(self, value, t: Custom, struct: str, stack: list[str]) -> None:
        kind = _json_kind(value)
        if t.name == "intstr":
            # IntOrString.UnmarshalJSON: a quoted value is a string, anything else an int32; its
            # inner json.Unmarshal error gets the outer field context (decode.go addErrorContext)
            if kind == "string":
                return
            before = self.type_error
            self.type_error = None
            self.scalar(value, I32, struct, stack)
            if self.type_error is not None:
                raise _Fatal(self.type_error)
            self.type_error = before
        elif t.name == "quantity":
            text = value if kind == "string" else (
                _number_text(value) if kind == "number" else None)
            problem = ERR_QUANTITY_FORMAT if text is None else quantity_error(text)
            if problem:
                raise _Fatal(problem)
        elif t.name == "time":
            # metav1.Time.UnmarshalJSON unmarshals a string first; the outer context names it
            if kind != "string":
                raise _Fatal(f"json: cannot unmarshal {kind} into Go struct field "
                             f"{struct}.{'.'.join(stack)} of type string")
        # raw: any JSON


def strict_decode_error(obj: dict) -> str | None:
    """The decoding error text for a served object, or None when it decodes cleanly."""
    kind = obj.get("kind")
    if not isinstance(kind, str) or kind not in STRUCTS or kinds.by_kind(kind) is None:
        return None
    walk = _Walk()
    try:
        walk.struct(obj, kind, kind, [], "")
    except _Fatal as fatal:
        return str(fatal)
    if walk.type_error:
        return walk.type_error
    if walk.unknown:
        return "strict decoding error: " + ", ".join(f'unknown field "{f}"' for f in walk.unknown)
    return None


def check_known_fields(obj: dict) -> None:
    """Raise BadRequest as the API server does for a body it cannot decode strictly.

    Callers that read the object from a file add the source with `err.with_source("creating",
    "kubia.yaml")`, giving kubectl's `error when creating "kubia.yaml": ...` prefix."""
    problem = strict_decode_error(obj)
    if problem is None:
        return
    kind = obj["kind"]
    served = kinds.by_kind(kind)
    raise BadRequest(f'{kind} in version "{served.version}" cannot be handled as a {kind}: '
                     f"{problem}")


# ----------------------------------------------------------------------------------------------
# strategic merge patch metadata: the `patchStrategy` / `patchMergeKey` struct tags of
# kubernetes/api core/v1/types.go and apps/v1/types.go, and apimachinery meta/v1/types.go
# (ObjectMeta), for the fields STRUCTS knows. An untagged list is replaced by a patch, an untagged
# struct is merged.

PATCH_TAGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("ObjectMeta", "finalizers"): (("merge",), ""),
    ("ObjectMeta", "ownerReferences"): (("merge",), "uid"),
    ("Container", "ports"): (("merge",), "containerPort"),
    ("Container", "env"): (("merge",), "name"),
    ("Container", "volumeMounts"): (("merge",), "mountPath"),
    ("Container", "volumeDevices"): (("merge",), "devicePath"),
    ("EphemeralContainer", "ports"): (("merge",), "containerPort"),
    ("EphemeralContainer", "env"): (("merge",), "name"),
    ("EphemeralContainer", "volumeMounts"): (("merge",), "mountPath"),
    ("PodSpec", "volumes"): (("merge", "retainKeys"), "name"),
    ("PodSpec", "initContainers"): (("merge",), "name"),
    ("PodSpec", "containers"): (("merge",), "name"),
    ("PodSpec", "ephemeralContainers"): (("merge",), "name"),
    ("PodSpec", "imagePullSecrets"): (("merge",), "name"),
    ("PodSpec", "hostAliases"): (("merge",), "ip"),
    ("PodSpec", "topologySpreadConstraints"): (("merge",), "topologyKey"),
    ("PodSpec", "schedulingGates"): (("merge",), "name"),
    ("PodStatus", "conditions"): (("merge",), "type"),
    ("PodStatus", "hostIPs"): (("merge",), "ip"),
    ("PodStatus", "podIPs"): (("merge",), "ip"),
    ("ReplicationControllerStatus", "conditions"): (("merge",), "type"),
    ("ServiceSpec", "ports"): (("merge",), "port"),
    ("ServiceStatus", "conditions"): (("merge",), "type"),
    ("NodeSpec", "podCIDRs"): (("merge",), ""),
    ("NodeStatus", "conditions"): (("merge",), "type"),
    ("NodeStatus", "addresses"): (("merge",), "type"),
    ("NamespaceStatus", "conditions"): (("merge",), "type"),
    ("DeploymentSpec", "strategy"): (("retainKeys",), ""),
    ("DeploymentStatus", "conditions"): (("merge",), "type"),
    ("ReplicaSetStatus", "conditions"): (("merge",), "type"),
}

_NO_PATCH_META = ((), "", None)


class PatchMeta:
    """One struct's strategic-merge metadata (strategicpatch.PatchMetaFromStruct): `lookup(field)`
    gives the field's strategies, its merge key and the PatchMeta of its struct or list element
    (None for scalars, maps of scalars and fields the schema does not know)."""

    __slots__ = ("struct", "_cache")
    _instances: dict[str, "PatchMeta"] = {}

    def __init__(self, struct: str):
        self.struct = struct
        self._cache: dict[str, tuple] = {}

    @classmethod
    def of(cls, struct: str) -> "PatchMeta":
        meta = cls._instances.get(struct)
        if meta is None:
            meta = cls._instances[struct] = cls(struct)
        return meta

    def lookup(self, field: str) -> tuple[tuple[str, ...], str, "PatchMeta | None"]:
        found = self._cache.get(field)
        if found is None:
            found = self._cache[field] = self._resolve(field)
        return found

    def _resolve(self, field: str) -> tuple[tuple[str, ...], str, "PatchMeta | None"]:
        fields = STRUCTS.get(self.struct) or _GENERIC_FIELDS
        t = fields.get(field)
        if t is None:
            return _NO_PATCH_META
        strategies, key = PATCH_TAGS.get((self.struct, field), ((), ""))
        if isinstance(t, ListOf):
            t = t.elem
        child = PatchMeta.of(t.struct) if isinstance(t, Ref) else None
        return strategies, key, child


# kinds without a struct here (ConfigMap, Secret, Job …): only their metadata has tagged lists
_GENERIC_FIELDS = _fields(**_TYPE_META)


def patch_meta(kind: str | None) -> PatchMeta:
    """The strategic-merge metadata of a top-level kind (a generic object for unknown kinds)."""
    return PatchMeta.of(kind if kind in STRUCTS else "")
