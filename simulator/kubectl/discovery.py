"""Discovery commands: `kubectl version`, `api-resources`, `api-versions`, `cluster-info`.

Layouts: kubectl pkg/cmd/version/version.go (`Client Version: %s`, `Kustomize Version: %s`,
`Server Version: %s`; -o yaml/json of {clientVersion, kustomizeVersion, serverVersion}),
pkg/cmd/apiresources/apiresources.go (NAME SHORTNAMES APIVERSION NAMESPACED KIND [VERBS CATEGORIES],
tabwriter; filters only when --namespaced was set), apiversions.go (sorted group/versions),
pkg/cmd/clusterinfo/clusterinfo.go. The simulated cluster runs kubectl and server v1.34.1 with the
kustomize kubectl v1.34 vendors (v5.7.1).
"""
from __future__ import annotations

import json

from simulator.api.errors import CLIError
from simulator.kubectl.resources import RESOURCE_TYPES, ResourceType

KUBECTL_VERSION = "v1.34.1"
SERVER_VERSION = "v1.34.1"
KUSTOMIZE_VERSION = "v5.7.1"
API_SERVER = "https://127.0.0.1:6443"
# build metadata shown by `version -o yaml` (values of the v1.34.1 release build; UNVERIFIED details)
_BUILD = {"buildDate": "2025-09-09T19:44:50Z", "compiler": "gc", "gitCommit": "93248f9ae092f571eb870b7664c534bfc7d00f03",
          "gitTreeState": "clean", "goVersion": "go1.24.6"}


def _info(git_version: str, platform: str) -> dict:
    major, minor = git_version.lstrip("v").split(".")[:2]
    d = dict(_BUILD, gitVersion=git_version, major=major, minor=minor, platform=platform)
    return {k: d[k] for k in sorted(d)}


def version(client_only: bool = False, output: str = "") -> str:
    if output not in ("", "yaml", "json"):
        raise CLIError("--output must be 'yaml' or 'json'")
    doc = {"clientVersion": _info(KUBECTL_VERSION, "linux/amd64"), "kustomizeVersion": KUSTOMIZE_VERSION}
    if not client_only:
        doc["serverVersion"] = _info(SERVER_VERSION, "linux/amd64")
    if output == "json":
        return json.dumps(doc, indent=2) + "\n"
    if output == "yaml":
        return _yaml(doc)
    out = f"Client Version: {KUBECTL_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    if not client_only:
        out += f"Server Version: {SERVER_VERSION}\n"
    return out


def _yaml(doc: dict, indent: str = "") -> str:
    out = ""
    for k, v in doc.items():
        if isinstance(v, dict):
            out += f"{indent}{k}:\n" + _yaml(v, indent + "  ")
        else:
            s = str(v)
            needs_quote = s.isdigit() or s[:1].isdigit() and ":" in s
            out += f'{indent}{k}: "{s}"\n' if needs_quote else f"{indent}{k}: {s}\n"
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
    """`kubectl api-resources`. `namespaced` None means the flag was not set (no filtering)."""
    if output not in ("", "wide", "name"):
        raise CLIError(f"--output {output} is not available")
    if sort_by not in ("", "name", "kind"):
        raise CLIError(f"--sort-by accepts only name or kind")
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
    if sort_by == "name":
        rts.sort(key=lambda r: r.plural)
    elif sort_by == "kind":
        rts.sort(key=lambda r: r.kind)
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


def api_versions() -> str:
    gvs = {rt.api_version for rt in RESOURCE_TYPES} | {"autoscaling/v1"}
    return "".join(gv + "\n" for gv in sorted(gvs))


def cluster_info() -> str:
    return (f"Kubernetes control plane is running at {API_SERVER}\n"
            f"CoreDNS is running at {API_SERVER}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n"
            "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
