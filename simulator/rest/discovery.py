"""Discovery: /version, /api, /apis and the per group/version resource lists (legacy discovery).

A v1.34 server also offers aggregated discovery (apidiscovery.k8s.io/v2) when asked for it; a
client that gets plain APIVersions / APIGroupList back falls back to the per group/version lists
(client-go discovery/aggregated_discovery.go, discovery_client.go), so the legacy form suffices.
Resource rows come from the simulator's RESTMapper table (kubectl/resources.py) in its discovery
order; subresources are those the real server registers for those types
(pkg/registry/*/rest/storage_*.go).
"""
from __future__ import annotations

from ..kubectl import discovery as kdiscovery
from ..kubectl.resources import RESOURCE_TYPES, ResourceType

# (group, plural) -> [(subresource, kind, group, version, verbs)]
_SUBRESOURCES = {
    ("", "pods"): [("binding", "Binding", "", "v1", ("create",)),
                   ("ephemeralcontainers", "Pod", "", "v1", ("get", "patch", "update")),
                   ("eviction", "Eviction", "policy", "v1", ("create",)),
                   ("log", "Pod", "", "v1", ("get",)),
                   ("status", "Pod", "", "v1", ("get", "patch", "update"))],
    ("", "replicationcontrollers"): [("scale", "Scale", "autoscaling", "v1", ("get", "patch", "update")),
                                     ("status", "ReplicationController", "", "v1", ("get", "patch", "update"))],
    ("", "services"): [("status", "Service", "", "v1", ("get", "patch", "update"))],
    ("", "namespaces"): [("finalize", "Namespace", "", "v1", ("update",)),
                         ("status", "Namespace", "", "v1", ("get", "patch", "update"))],
    ("", "nodes"): [("status", "Node", "", "v1", ("get", "patch", "update"))],
    ("apps", "deployments"): [("scale", "Scale", "autoscaling", "v1", ("get", "patch", "update")),
                              ("status", "Deployment", "apps", "v1", ("get", "patch", "update"))],
    ("apps", "replicasets"): [("scale", "Scale", "autoscaling", "v1", ("get", "patch", "update")),
                              ("status", "ReplicaSet", "apps", "v1", ("get", "patch", "update"))],
}

PREFERRED_GROUPS: list[tuple[str, str]] = []  # (group, version) in discovery order, groups only
for _rt in RESOURCE_TYPES:
    if _rt.group and (_rt.group, _rt.version) not in PREFERRED_GROUPS:
        PREFERRED_GROUPS.append((_rt.group, _rt.version))

# Older versions a v1.34 server still serves beside the preferred one (kubectl api-versions lists
# them): autoscaling/v1 keeps HorizontalPodAutoscaler (and names the Scale subresource's kind).
EXTRA_VERSIONS: dict[str, list[tuple[str, ResourceType]]] = {
    "autoscaling": [("v1", ResourceType("horizontalpodautoscalers", "horizontalpodautoscaler",
                                        "HorizontalPodAutoscaler", "autoscaling", "v1", ("hpa",), True, ("all",)))],
}


def all_types() -> list[ResourceType]:
    return list(RESOURCE_TYPES) + [rt for versions in EXTRA_VERSIONS.values() for _, rt in versions]


def version_info() -> dict:
    return kdiscovery._info(kdiscovery.SERVER_VERSION, kdiscovery._SERVER_BUILD, True)  # noqa: SLF001


def api_versions(server_address: str) -> dict:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}]}


def api_group_list() -> dict:
    groups = []
    for group, version in PREFERRED_GROUPS:
        gv = {"groupVersion": f"{group}/{version}", "version": version}
        versions = [gv] + [{"groupVersion": f"{group}/{v}", "version": v} for v, _ in EXTRA_VERSIONS.get(group, ())]
        groups.append({"name": group, "versions": versions, "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> dict | None:
    for g in api_group_list()["groups"]:
        if g["name"] == group:
            return dict(g, kind="APIGroup", apiVersion="v1")
    return None


def _resource_row(rt: ResourceType) -> dict:
    row = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
           "kind": rt.kind, "verbs": list(rt.verbs)}
    if rt.short_names:
        row["shortNames"] = list(rt.short_names)
    if rt.categories:
        row["categories"] = list(rt.categories)
    return row


def resource_list(group: str, version: str) -> dict | None:
    rows = []
    for rt in all_types():
        if rt.group != group or rt.version != version:
            continue
        rows.append(_resource_row(rt))
        for sub, kind, sgroup, sversion, verbs in _SUBRESOURCES.get((group, rt.plural), ()):
            srow = {"name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced,
                    "kind": kind, "verbs": list(verbs)}
            if (sgroup, sversion) != (group, version):
                srow["group"], srow["version"] = sgroup, sversion
            rows.append(srow)
    if not rows:
        return None
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": rows}


def find_type(group: str, version: str, plural: str) -> ResourceType | None:
    for rt in all_types():
        if rt.group == group and rt.version == version and rt.plural == plural:
            return rt
    return None


def has_subresource(rt: ResourceType, sub: str) -> bool:
    return any(s[0] == sub for s in _SUBRESOURCES.get((rt.group, rt.plural), ()))
