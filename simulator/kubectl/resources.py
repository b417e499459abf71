"""kubectl's RESTMapper for the command line: resource words -> resource types.

- The table is what discovery returns on a standard v1.34 cluster (core + built-in groups), in
  discovery order (group priority, resources alphabetical). Short names and categories come from
  each type's registry storage (`pkg/registry/*/storage/storage.go` ShortNames()/Categories()).
  Category `all` members: pods, replicationcontrollers, services, daemonsets, deployments,
  replicasets, statefulsets, horizontalpodautoscalers, cronjobs, jobs.
- Types the simulator serves are those in `simulator/api/kinds.py`; every other type resolves too,
  marked `simulated=False`, so a verb can answer like an empty cluster ("No resources found").
- Argument grammar: cli-runtime pkg/resource/builder.go (ResourceTypeOrNameArgs,
  normalizeMultipleResourcesArgs, hasCombinedTypeArgs, splitResourceTypeName, SplitResourceArgument,
  ReplaceAliases, mappingFor) and apimachinery schema.ParseResourceArg.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from simulator.api import kinds as served_kinds
from simulator.api.errors import CLIError

_STD_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    plural: str
    singular: str
    kind: str
    group: str
    version: str
    short_names: tuple[str, ...]
    namespaced: bool
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = _STD_VERBS

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource(self) -> str:
        """`deployments.apps`, `pods`: how kubectl names the type in status errors."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def name_prefix(self) -> str:
        """`deployment.apps`, `pod`: `-o name` and success messages."""
        return f"{self.kind.lower()}.{self.group}" if self.group else self.kind.lower()

    @property
    def simulated(self) -> bool:
        k = served_kinds.by_kind(self.kind)
        return k is not None and k.group == self.group

    @property
    def served_kind(self):
        """The `simulator.api.kinds.Kind` for a simulated type, else None."""
        return served_kinds.by_kind(self.kind) if self.simulated else None


def _r(plural, kind, api_version, short="", namespaced=True, categories=(), verbs=_STD_VERBS, singular=None):
    group, _, version = api_version.rpartition("/")
    return ResourceType(plural, singular or kind.lower(), kind, group, version,
                        tuple(x for x in short.split(",") if x), namespaced, tuple(categories), tuple(verbs))


_NS_VERBS = ("create", "delete", "get", "list", "patch", "update", "watch")
_CREATE = ("create",)
_ALL = ("all",)

RESOURCE_TYPES: tuple[ResourceType, ...] = (
    _r("bindings", "Binding", "v1", verbs=_CREATE),
    _r("componentstatuses", "ComponentStatus", "v1", "cs", False, verbs=("get", "list")),
    _r("configmaps", "ConfigMap", "v1", "cm"),
    _r("endpoints", "Endpoints", "v1", "ep", singular="endpoints"),
    _r("events", "Event", "v1", "ev"),
    _r("limitranges", "LimitRange", "v1", "limits"),
    _r("namespaces", "Namespace", "v1", "ns", False, verbs=_NS_VERBS),
    _r("nodes", "Node", "v1", "no", False),
    _r("persistentvolumeclaims", "PersistentVolumeClaim", "v1", "pvc"),
    _r("persistentvolumes", "PersistentVolume", "v1", "pv", False),
    _r("pods", "Pod", "v1", "po", categories=_ALL),
    _r("podtemplates", "PodTemplate", "v1"),
    _r("replicationcontrollers", "ReplicationController", "v1", "rc", categories=_ALL),
    _r("resourcequotas", "ResourceQuota", "v1", "quota"),
    _r("secrets", "Secret", "v1"),
    _r("serviceaccounts", "ServiceAccount", "v1", "sa"),
    _r("services", "Service", "v1", "svc", categories=_ALL, verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
    _r("mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "", False, ("api-extensions",)),
    _r("validatingadmissionpolicies", "ValidatingAdmissionPolicy", "admissionregistration.k8s.io/v1", "", False, ("api-extensions",)),
    _r("validatingadmissionpolicybindings", "ValidatingAdmissionPolicyBinding", "admissionregistration.k8s.io/v1", "", False, ("api-extensions",)),
    _r("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "", False, ("api-extensions",)),
    _r("customresourcedefinitions", "CustomResourceDefinition", "apiextensions.k8s.io/v1", "crd,crds", False, ("api-extensions",)),
    _r("apiservices", "APIService", "apiregistration.k8s.io/v1", "", False, ("api-extensions",)),
    _r("controllerrevisions", "ControllerRevision", "apps/v1"),
    _r("daemonsets", "DaemonSet", "apps/v1", "ds", categories=_ALL),
    _r("deployments", "Deployment", "apps/v1", "deploy", categories=_ALL),
    _r("replicasets", "ReplicaSet", "apps/v1", "rs", categories=_ALL),
    _r("statefulsets", "StatefulSet", "apps/v1", "sts", categories=_ALL),
    _r("selfsubjectreviews", "SelfSubjectReview", "authentication.k8s.io/v1", "", False, verbs=_CREATE),
    _r("tokenreviews", "TokenReview", "authentication.k8s.io/v1", "", False, verbs=_CREATE),
    _r("localsubjectaccessreviews", "LocalSubjectAccessReview", "authorization.k8s.io/v1", verbs=_CREATE),
    _r("selfsubjectaccessreviews", "SelfSubjectAccessReview", "authorization.k8s.io/v1", "", False, verbs=_CREATE),
    _r("selfsubjectrulesreviews", "SelfSubjectRulesReview", "authorization.k8s.io/v1", "", False, verbs=_CREATE),
    _r("subjectaccessreviews", "SubjectAccessReview", "authorization.k8s.io/v1", "", False, verbs=_CREATE),
    _r("horizontalpodautoscalers", "HorizontalPodAutoscaler", "autoscaling/v2", "hpa", categories=_ALL),
    _r("cronjobs", "CronJob", "batch/v1", "cj", categories=_ALL),
    _r("jobs", "Job", "batch/v1", categories=_ALL),
    _r("certificatesigningrequests", "CertificateSigningRequest", "certificates.k8s.io/v1", "csr", False),
    _r("leases", "Lease", "coordination.k8s.io/v1"),
    _r("endpointslices", "EndpointSlice", "discovery.k8s.io/v1"),
    _r("events", "Event", "events.k8s.io/v1", "ev"),
    _r("flowschemas", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1", "", False),
    _r("prioritylevelconfigurations", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1", "", False),
    _r("ingressclasses", "IngressClass", "networking.k8s.io/v1", "", False),
    _r("ingresses", "Ingress", "networking.k8s.io/v1", "ing"),
    _r("ipaddresses", "IPAddress", "networking.k8s.io/v1", "ip", False),
    _r("networkpolicies", "NetworkPolicy", "networking.k8s.io/v1", "netpol"),
    _r("servicecidrs", "ServiceCIDR", "networking.k8s.io/v1", "", False),
    _r("runtimeclasses", "RuntimeClass", "node.k8s.io/v1", "", False),
    _r("poddisruptionbudgets", "PodDisruptionBudget", "policy/v1", "pdb"),
    _r("clusterrolebindings", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "", False),
    _r("clusterroles", "ClusterRole", "rbac.authorization.k8s.io/v1", "", False),
    _r("rolebindings", "RoleBinding", "rbac.authorization.k8s.io/v1"),
    _r("roles", "Role", "rbac.authorization.k8s.io/v1"),
    _r("deviceclasses", "DeviceClass", "resource.k8s.io/v1", "", False),
    _r("resourceclaims", "ResourceClaim", "resource.k8s.io/v1"),
    _r("resourceclaimtemplates", "ResourceClaimTemplate", "resource.k8s.io/v1"),
    _r("resourceslices", "ResourceSlice", "resource.k8s.io/v1", "", False),
    _r("priorityclasses", "PriorityClass", "scheduling.k8s.io/v1", "pc", False),
    _r("csidrivers", "CSIDriver", "storage.k8s.io/v1", "", False),
    _r("csinodes", "CSINode", "storage.k8s.io/v1", "", False),
    _r("csistoragecapacities", "CSIStorageCapacity", "storage.k8s.io/v1"),
    _r("storageclasses", "StorageClass", "storage.k8s.io/v1", "sc", False),
    _r("volumeattachments", "VolumeAttachment", "storage.k8s.io/v1", "", False),
    _r("volumeattributesclasses", "VolumeAttributesClass", "storage.k8s.io/v1", "vac", False),
)


def no_resource_type(word: str) -> CLIError:
    """builder.go mappingFor: NoMatch -> `the server doesn't have a resource type %q` (the part
    before the first dot, as typed)."""
    from simulator.kubectl.cli import go_quote

    return CLIError(f"the server doesn't have a resource type {go_quote(word.split('.', 1)[0])}")


def _matches(rt: ResourceType, resource: str, group: str | None, version: str | None) -> bool:
    if group is not None and rt.group != group:
        return False
    if version is not None and rt.version != version:
        return False
    names = {rt.plural, rt.singular, rt.kind.lower()}
    if group is None:  # short names only expand without a group (ShortcutExpander) or with their own
        names |= set(rt.short_names)
    else:
        names |= set(rt.short_names)
    return resource in names


@functools.lru_cache(maxsize=256)
def resolve(word: str) -> ResourceType:
    """One resource word (`deploy`, `Deployment`, `deployments.v1.apps`, `rs`, ...) to its type.
    Case-insensitive like the RESTMapper; the core group wins a tie (`events` is core v1).
    Cached: the table is fixed, learners type the same few words, and a word found late in the
    table cost ~50 set builds (_matches) per lookup; an unknown word raises, which is not cached."""
    w = word.lower()
    candidates: list[tuple[str, str | None, str | None]] = []
    parts = w.split(".")
    if len(parts) >= 3:  # resource.version.group
        candidates.append((parts[0], ".".join(parts[2:]), parts[1]))
    if len(parts) >= 2:  # resource.group
        candidates.append((parts[0], ".".join(parts[1:]), None))
    candidates.append((w, None, None) if len(parts) == 1 else (w, "\0", None))
    for resource, group, version in candidates:
        for rt in RESOURCE_TYPES:
            if _matches(rt, resource, group, version):
                return rt
    raise no_resource_type(word)


def expand_category(word: str, simulated_only: bool = True) -> list[ResourceType] | None:
    """Category expansion (`all`, `api-extensions`): member types in discovery order, or None."""
    members = _category_members(word, simulated_only)
    return None if members is None else list(members)


@functools.lru_cache(maxsize=256)
def _category_members(word: str, simulated_only: bool) -> tuple[ResourceType, ...] | None:
    # cached like resolve(): every resource word of every command is first tried as a category,
    # a pass over the whole table
    members = [rt for rt in RESOURCE_TYPES if word.lower() in rt.categories and word.lower() == word]
    if word != word.lower():
        members = [rt for rt in RESOURCE_TYPES if word in rt.categories]
    if not members:
        return None
    return tuple(rt for rt in members if rt.simulated or not simulated_only)


def split_resource_argument(arg: str) -> list[str]:
    """SplitResourceArgument: comma list, duplicates dropped, order kept."""
    out: list[str] = []
    for s in arg.split(","):
        if s not in out:
            out.append(s)
    return out


def _resolve_types(arg: str, simulated_only: bool) -> list[ResourceType]:
    out: list[ResourceType] = []
    for w in split_resource_argument(arg):
        cat = expand_category(w, simulated_only)
        types = cat if cat is not None else [resolve(w)]
        for rt in types:
            if rt not in out:
                out.append(rt)
    return out


@dataclass
class ResourceArgs:
    """What the positional args name: (type, name) pairs in order; name None = every object of the
    type (or those a selector picks)."""

    items: list[tuple[ResourceType, str | None]]

    @property
    def types(self) -> list[ResourceType]:
        seen: list[ResourceType] = []
        for rt, _ in self.items:
            if rt not in seen:
                seen.append(rt)
        return seen

    @property
    def has_names(self) -> bool:
        return any(n is not None for _, n in self.items)


def parse_resource_args(args: list[str], simulated_only_categories: bool = True) -> ResourceArgs:
    """builder ResourceTypeOrNameArgs: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2 NAME`, `TYPE/NAME...`.
    Raises the builder's errors (mixed forms, slashes, unknown types)."""
    args = list(args)
    if len(args) >= 2:  # normalizeMultipleResourcesArgs: a,b x -> a/x b/x
        first = split_resource_argument(args[0])
        if len(first) > 1:
            args = [f"{r}/{n}" for r in first for n in args[1:]]
    slashes = sum("/" in a for a in args)
    if slashes and slashes != len(args):
        raise CLIError("there is no need to specify a resource type as a separate argument when passing arguments in "
                       "resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
                       "'kubectl get resource resource/<resource_name>'")
    items: list[tuple[ResourceType, str | None]] = []
    if slashes:
        for a in args:
            seg = a.split("/")
            if len(seg) != 2:
                raise CLIError("arguments in resource/name form may not have more than one slash")
            res, name = seg
            if not res or not name or len(split_resource_argument(res)) != 1:
                raise CLIError("arguments in resource/name form must have a single resource and name")
            items.append((resolve(res), name))
        return ResourceArgs(items)
    if not args:
        return ResourceArgs([])
    types = _resolve_types(args[0], simulated_only_categories)
    names = args[1:]
    if not names:
        return ResourceArgs([(rt, None) for rt in types])
    return ResourceArgs([(rt, n) for rt in types for n in names])


NO_NAME_GIVEN = "resource(s) were provided, but no name was specified"
