"""The types the simulated API server serves, as discovery would describe them.

Names come from the registry storage of each resource (`pkg/registry/*/storage/storage.go`
ShortNames()) and the discovery table in kubernetes/website
`content/en/docs/reference/kubectl/_index.md`. kubectl prints `-o name` as `<singular>[.<group>]/<name>`
(cli-runtime `pkg/printers/name.go`, which uses the lower-cased Kind) and error messages with the
resource plural (`deployments.apps "kubia" not found`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    kind: str
    group: str  # "" for the core group
    version: str
    plural: str
    singular: str
    short_names: tuple[str, ...]
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def name_prefix(self) -> str:
        """`kubectl get -o name` / success messages: `deployment.apps`, `pod`."""
        return f"{self.kind.lower()}.{self.group}" if self.group else self.kind.lower()

    @property
    def resource(self) -> str:
        """Status error messages: `deployments.apps`, `pods`."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


KINDS: tuple[Kind, ...] = (
    Kind("Deployment", "apps", "v1", "deployments", "deployment", ("deploy",), True),
    Kind("ReplicaSet", "apps", "v1", "replicasets", "replicaset", ("rs",), True),
    Kind("Pod", "", "v1", "pods", "pod", ("po",), True),
    Kind("Service", "", "v1", "services", "service", ("svc",), True),
    Kind("Endpoints", "", "v1", "endpoints", "endpoints", ("ep",), True),
    Kind("Event", "", "v1", "events", "event", ("ev",), True),
    Kind("Namespace", "", "v1", "namespaces", "namespace", ("ns",), False),
    Kind("ReplicationController", "", "v1", "replicationcontrollers", "replicationcontroller", ("rc",), True),
    Kind("Node", "", "v1", "nodes", "node", ("no",), False),
    Kind("ConfigMap", "", "v1", "configmaps", "configmap", ("cm",), True),
    Kind("Secret", "", "v1", "secrets", "secret", (), True),
)

_BY_KIND = {k.kind: k for k in KINDS}
_BY_GVK = {(k.api_version, k.kind): k for k in KINDS}

# apiVersion/kind pairs real clusters used to serve and no longer do (apps/v1beta1 and v1beta2 were
# removed in 1.16, extensions/v1beta1 Deployment/ReplicaSet too). Decoding them gives kubectl's
# NoKindMatchError, exactly like any other unknown pair; they are listed so lessons can explain it.
RETIRED: frozenset[tuple[str, str]] = frozenset(
    (api_version, kind)
    for api_version in ("apps/v1beta1", "apps/v1beta2", "extensions/v1beta1")
    for kind in ("Deployment", "ReplicaSet")
)


def lookup(api_version: str, kind: str) -> Kind | None:
    """The served type for an apiVersion/kind pair, or None (kubectl: no matches for kind ...)."""
    return _BY_GVK.get((api_version, kind))


def by_kind(kind: str) -> Kind | None:
    """The served type with this exact Kind name (Deployment, Pod, ...)."""
    return _BY_KIND.get(kind)


def is_retired(api_version: str, kind: str) -> bool:
    return (api_version, kind) in RETIRED


def resolve_resource(name: str) -> Kind | None:
    """What kubectl's RESTMapper accepts on the command line, case-insensitive: plural, singular,
    Kind, short name, and the group-qualified forms `deployments.apps`, `deployment.apps`,
    `deployments.v1.apps`."""
    word = name.lower()
    for k in KINDS:
        spellings = {k.plural, k.singular, k.kind.lower(), *k.short_names}
        if word in spellings:
            return k
        if k.group:
            for base in (k.plural, k.singular, k.kind.lower()):
                if word in (f"{base}.{k.group}", f"{base}.{k.version}.{k.group}"):
                    return k
    return None
