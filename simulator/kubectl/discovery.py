"""Discovery commands: `kubectl version`, `api-resources`, `api-versions`, `cluster-info`.

Layouts: kubectl pkg/cmd/version/version.go (`Client Version: %s`, `Kustomize Version: %s`,
`Server Version: %s`; -o yaml/json of {clientVersion, kustomizeVersion, serverVersion}),
pkg/cmd/apiresources/apiresources.go (NAME SHORTNAMES APIVERSION NAMESPACED KIND [VERBS CATEGORIES],
tabwriter; filters only when --namespaced was set), apiversions.go (sorted group/versions),
pkg/cmd/clusterinfo/clusterinfo.go. The simulated cluster is a kind v1.34 cluster: kubectl v1.34.5 (with
the kustomize it vendors, v5.7.1) against a v1.34.0 server.
"""
from __future__ import annotations

import json

from simulator.api.errors import CLIError
from simulator.kubectl.resources import RESOURCE_TYPES, ResourceType

# the same release as the oracle binary the differential suite runs (tests/differential, PyPI kubectl 1.34.5)
KUBECTL_VERSION = "v1.34.5"
# kind's node image for v1.34 (kindest/node:v1.34.0): the nodes report kubelet v1.34.0, so does the server
SERVER_VERSION = "v1.34.0"
KUSTOMIZE_VERSION = "v5.7.1"
API_SERVER = "https://127.0.0.1:6443"
# Build metadata of the release binaries (`kubectl version -o json` of each): kubectl v1.34.5
# (ebfac057…, 2026-02-26T20:06:18Z, go1.24.13); v1.34.0 (f28b4c9e…, 2025-08-27T10:15:59Z, go1.24.6).
# A kind image is built from the same commit as its release.
_CLIENT_BUILD = {"gitCommit": "ebfac057369b21558006b8815821ab2fb1e29f2d", "buildDate": "2026-02-26T20:06:18Z",
                 "goVersion": "go1.24.13"}
_SERVER_BUILD = {"gitCommit": "f28b4c9efbca5c5c0af716d9f2d5702667ee8a45", "buildDate": "2025-08-27T10:15:59Z",
                 "goVersion": "go1.24.6"}


def _info(git_version: str, build: dict, server: bool) -> dict:
    """apimachinery pkg/version.Info in its struct (= JSON) order; a 1.31+ apiserver also reports
    its emulation and minimum compatibility versions (minor - 1), a client binary does not."""
    major, minor = git_version.lstrip("v").split(".")[:2]
    d = {"major": major, "minor": minor}
    if server:
        d.update(emulationMajor=major, emulationMinor=minor, minCompatibilityMajor=major,
                 minCompatibilityMinor=str(int(minor) - 1))
    d.update(gitVersion=git_version, gitCommit=build["gitCommit"], gitTreeState="clean",
             buildDate=build["buildDate"], goVersion=build["goVersion"], compiler="gc", platform="linux/amd64")
    return d


def version(client_only: bool = False, output: str = "") -> str:
    """kubectl pkg/cmd/version/version.go Run: text lines, `json.MarshalIndent(v, "", "  ")` or
    sigs.k8s.io/yaml (sorted keys); both printed with Fprintln, so YAML ends in a blank line."""
    if output not in ("", "yaml", "json"):
        raise CLIError("--output must be 'yaml' or 'json'")
    doc = {"clientVersion": _info(KUBECTL_VERSION, _CLIENT_BUILD, False), "kustomizeVersion": KUSTOMIZE_VERSION}
    if not client_only:
        doc["serverVersion"] = _info(SERVER_VERSION, _SERVER_BUILD, True)
    if output == "json":
        return json.dumps(doc, indent=2) + "\n"
    if output == "yaml":
        from simulator.kubectl.printers.serialize import to_yaml

        return to_yaml(doc) + "\n"
    out = f"Client Version: {KUBECTL_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    if not client_only:
        out += f"Server Version: {SERVER_VERSION}\n"
    return out


def tabwrite(rows: list[list[str]]) -> str:
    """cli-runtime printers.GetNewTabWriter: minwidth 6, padding 3, last cell unpadded."""
    if not rows:
        return ""
    ncol = max(len(r) for r in rows)
    widths = [0] * ncol
    for r in rows:
        for i, cell in enumerate(r[:-1]):
            widths[i] = max(widths[i], len(cell) + 3, 6)
    lines = []
    for r in rows:
        line = "".join(cell.ljust(widths[i]) for i, cell in enumerate(r[:-1])) + (r[-1] if r else "")
        lines.append(line)
    return "\n".join(lines) + "\n"


def api_resources(output: str = "", namespaced: bool | None = None, api_group: str | None = None,
                  no_headers: bool = False, sort_by: str = "", verbs: list[str] | None = None,
                  categories: list[str] | None = None) -> str:
    """`kubectl api-resources`. `namespaced` None means the flag was not set (no filtering).

    Sorted stably by group (or name/kind), ties by name (apiresources.go sortableResource). -o json
    and -o yaml print the flattened metav1.APIResourceList (apiresources/flags.go AllowedFormats)."""
    if output not in ("", "wide", "name", "json", "yaml"):
        raise CLIError(f'unable to match a printer suitable for the output format "{output}", '
                       "allowed formats are: json,yaml,name,wide")
    if sort_by not in ("", "name", "kind"):
        raise CLIError("--sort-by accepts only name or kind")
    rts: list[ResourceType] = []
    for rt in RESOURCE_TYPES:
        if api_group is not None and rt.group != api_group:
            continue
        if namespaced is not None and rt.namespaced != namespaced:
            continue
        if verbs and not set(verbs) <= set(rt.verbs):
            continue
        if categories and not set(categories) <= set(rt.categories):
            continue
        rts.append(rt)
    field = {"name": lambda r: r.plural, "kind": lambda r: r.kind}.get(sort_by, lambda r: r.group)
    rts.sort(key=lambda r: (field(r), r.plural))
    if output in ("json", "yaml"):
        return _resource_list(rts, output)
    if output == "name":
        return "".join((rt.resource if rt.group else rt.plural) + "\n" for rt in rts)
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if output == "wide":
        header += ["VERBS", "CATEGORIES"]
    rows = [] if no_headers else [header]
    for rt in rts:
        row = [rt.plural, ",".join(rt.short_names), rt.api_version, "true" if rt.namespaced else "false", rt.kind]
        if output == "wide":
            row += ["[" + " ".join(rt.verbs) + "]", ",".join(rt.categories)]
        rows.append(row)
    return tabwrite(rows)


def _resource_list(rts: list[ResourceType], output: str) -> str:
    """metav1.APIResourceList in struct order (JSONPrinter: json.MarshalIndent, 4 spaces); the
    apiserver's storageVersionHash values are not modelled and left out."""
    items = []
    for rt in rts:
        item = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced}
        if rt.group:
            item["group"] = rt.group
        item.update(version=rt.version, kind=rt.kind, verbs=list(rt.verbs))
        if rt.short_names:
            item["shortNames"] = list(rt.short_names)
        if rt.categories:
            item["categories"] = list(rt.categories)
        items.append(item)
    doc = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "", "resources": items}
    if output == "json":
        return json.dumps(doc, indent=4, ensure_ascii=False) + "\n"
    from simulator.kubectl.printers.serialize import to_yaml

    return to_yaml(doc)


def api_versions() -> str:
    gvs = {rt.api_version for rt in RESOURCE_TYPES} | {"autoscaling/v1"}
    return "".join(gv + "\n" for gv in sorted(gvs))


# go-colortext (daviddengcn/go-colortext) ChangeColor/ResetColor: ANSI SGR written to stdout whether
# or not it is a terminal, so `kubectl cluster-info | cat -v` shows ^[[0;32m… too.
GREEN, YELLOW, RESET = "\x1b[0;32m", "\x1b[0;33m", "\x1b[0m"


def _print_service(name: str, link: str) -> str:
    return f"{GREEN}{name}{RESET} is running at {YELLOW}{link}{RESET}\n"


def _service_link(svc: dict) -> str:
    """clusterinfo.go Run: a LoadBalancer ingress as `http://ip:port ` per port, else the API server
    proxy path `[scheme:]name[:port name]` (utilnet.JoinSchemeNamePort), https guessed from the port."""
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        ip = ingress[0].get("ip") or ingress[0].get("hostname") or ""
        return "".join(f"http://{ip}:{p.get('port')} " for p in spec.get("ports") or [])
    name = meta.get("name", "")
    ports = spec.get("ports") or []
    if ports:
        port = ports[0]
        scheme = "https" if port.get("name") == "https" or port.get("port") == 443 else ""
        port_name = port.get("name") or ""
        if scheme:
            name = f"{scheme}:{name}:{port_name}"
        elif port_name:
            name = f"{name}:{port_name}"
    return f"{API_SERVER}/api/v1/namespaces/{meta.get('namespace', '')}/services/{name}/proxy"


def cluster_info(services: list[dict]) -> str:
    """`kubectl cluster-info` (pkg/cmd/clusterinfo/clusterinfo.go): the control plane, then every
    Service labelled kubernetes.io/cluster-service=true in the namespace (kube-system by default),
    named by its kubernetes.io/name label (kind's kube-dns Service says `CoreDNS`)."""
    out = _print_service("Kubernetes control plane", API_SERVER)
    for svc in services:
        labels = (svc.get("metadata") or {}).get("labels") or {}
        out += _print_service(labels.get("kubernetes.io/name") or svc["metadata"]["name"], _service_link(svc))
    return out + "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
