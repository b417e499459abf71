"""Read-only informational commands: version, api-resources, api-versions, cluster-info, explain,
and the kubeconfig views (config view / current-context / get-contexts / get-clusters / get-users /
use-context).

The console is attached to a kind cluster named `kind` (context, cluster and user `kind-kind`,
API server https://127.0.0.1:6443). Layouts live in simulator/kubectl/discovery.py and explain.py;
this module only turns flags into calls. Upstream: kubectl pkg/cmd/{version,apiresources,
clusterinfo,explain,config}/.
"""
from __future__ import annotations

import base64
import json

from ...api.errors import CLIError
from .. import cli, discovery, explain, resources
from ..printers.serialize import to_yaml

CONTEXT = "kind-kind"


def _no_args(inv) -> None:
    # apiresources.go / apiversions.go Complete: cmdutil.UsageErrorf(cmd, "unexpected arguments: %v", args)
    if inv.args:
        raise cli.usage_errorf(inv.path, f"unexpected arguments: [{' '.join(inv.args)}]")


def run_version(ctx, inv):
    # version.go Complete(f, cmd) never looks at args: `kubectl version foo` just prints the versions
    ctx.out(discovery.version(client_only=bool(inv.flags["client"]), output=inv.flags["output"] or ""))


def run_api_resources(ctx, inv):
    _no_args(inv)
    f = inv.flags
    ctx.out(discovery.api_resources(
        output=f["output"] or "",
        namespaced=f["namespaced"] if inv.changed("namespaced") else None,
        api_group=f["api-group"] if inv.changed("api-group") else None,
        no_headers=bool(f["no-headers"]), sort_by=f["sort-by"] or "",
        verbs=list(f["verbs"]), categories=list(f["categories"])))


def run_api_versions(ctx, inv):
    _no_args(inv)
    ctx.out(discovery.api_versions())


def run_cluster_info(ctx, inv):
    # clusterinfo.go Complete: the namespace flag, else kube-system; services labelled as cluster services
    ns = inv.flags.get("namespace") or "kube-system"
    services = [s for s in ctx.eng.store.list("Service", ns)
                if ((s.get("metadata") or {}).get("labels") or {}).get("kubernetes.io/cluster-service") == "true"]
    services.sort(key=lambda s: s["metadata"]["name"])
    ctx.out(discovery.cluster_info(services))


def run_explain(ctx, inv):
    fmt = inv.flags.get("output") or "plaintext"
    if fmt == "plaintext-openapiv2":
        raise CLIError('"kubectl explain --output=plaintext-openapiv2" is not available in this simulator')
    if fmt != "plaintext":
        # explain v2 generator: a template name it does not know (UNVERIFIED wording)
        raise CLIError(f"unrecognized format: {fmt}")
    api_version = inv.flags.get("api-version") or ""
    recursive = bool(inv.flags.get("recursive"))
    target = inv.args[0]
    if api_version:
        rt = resources.resolve(target.split(".")[0])
        if api_version != rt.api_version:
            group, _, version = api_version.rpartition("/")
            gv = f"{group}/{version}" if group else version
            raise CLIError(f'couldn\'t find resource for "{gv}, Kind={rt.kind}"')
    ctx.out(explain.explain(target, recursive=recursive))


# ---- kubeconfig ---------------------------------------------------------------------------------

# --raw / --flatten show the credential bytes; a simulated cluster has none, so these are PEM blocks
# that say so (the shape matches a kind kubeconfig; nothing here is a usable key).
def _pem(what: str) -> str:
    body = base64.b64encode(f"Rollout Lab simulated cluster: no real {what}".encode()).decode()
    kind = "RSA PRIVATE KEY" if what == "key" else "CERTIFICATE"
    return base64.b64encode(f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n".encode()).decode()


def kubeconfig(raw: bool = False) -> dict:
    """clientcmd api/v1 Config in struct order (kind, apiVersion, preferences, clusters, users,
    contexts, current-context). Without --raw, clientcmdapi.ShortenConfig: data → DATA+OMITTED."""
    data = (lambda what: _pem(what)) if raw else (lambda what: "DATA+OMITTED")
    return {
        "kind": "Config",
        "apiVersion": "v1",
        "preferences": {},
        "clusters": [{"name": CONTEXT, "cluster": {"server": discovery.API_SERVER,
                                                   "certificate-authority-data": data("certificate authority")}}],
        "users": [{"name": CONTEXT, "user": {"client-certificate-data": data("certificate"),
                                             "client-key-data": data("key")}}],
        "contexts": [{"name": CONTEXT, "context": {"cluster": CONTEXT, "user": CONTEXT}}],
        "current-context": CONTEXT,
    }


_VIEW_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
                 "name", "template", "templatefile", "yaml")


def run_config_view(ctx, inv):
    f = inv.flags
    cfg = kubeconfig(raw=bool(f["raw"]) or bool(f["flatten"]))
    fmt = f["output"] or "yaml"
    if fmt == "yaml":
        ctx.out(to_yaml(cfg))
    elif fmt == "json":
        # cli-runtime JSONPrinter on a typed object: json.MarshalIndent(obj, "", "    ") (struct order)
        ctx.out(json.dumps(cfg, indent=4) + "\n")
    elif fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        from ..jsonpath import render_jsonpath

        kind, _, template = fmt.partition("=")
        if kind == "jsonpath-as-json":
            raise CLIError('"kubectl config view -o jsonpath-as-json" is not available in this simulator')
        ctx.out(render_jsonpath(template, cfg, allow_missing_keys=bool(f.get("allow-missing-template-keys", True))))
    elif fmt in ("jsonpath", "go-template", "template"):
        raise CLIError(f"{fmt} template format specified but no template given")
    elif fmt in _VIEW_FORMATS:
        raise CLIError(f'"kubectl config view -o {fmt}" is not available in this simulator')
    else:
        raise CLIError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                       + ",".join(_VIEW_FORMATS))


def run_current_context(ctx, inv):
    ctx.out(CONTEXT + "\n")


def run_get_contexts(ctx, inv):
    """get_contexts.go: tabwriter rows `CURRENT NAME CLUSTER AUTHINFO NAMESPACE`; the empty NAMESPACE
    cell leaves AUTHINFO padded (trailing spaces, as kubectl prints). `-o name`: names only."""
    out = inv.flags.get("output") or ""
    if out not in ("", "name"):
        raise CLIError(f"output must be one of '' or 'name': {out}")
    wanted = inv.args or [CONTEXT]
    missing = [n for n in wanted if n != CONTEXT]
    if out == "name":
        if CONTEXT in wanted:
            ctx.out(CONTEXT + "\n")
    else:
        rows = [] if inv.flags.get("no-headers") else [["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]]
        if CONTEXT in wanted:
            rows.append(["*", CONTEXT, CONTEXT, CONTEXT, ""])
        if rows:
            ctx.out(discovery.tabwrite(rows))
    if missing:
        errs = [f"context {n} not found" for n in missing]
        # utilerrors.NewAggregate: one error as is, several as [a, b]
        raise CLIError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")


def run_get_clusters(ctx, inv):
    ctx.out("NAME\n" + CONTEXT + "\n")


def run_get_users(ctx, inv):
    ctx.out("NAME\n" + CONTEXT + "\n")


def run_use_context(ctx, inv):
    # use_context.go: exactly one argument, which must name an existing context
    if len(inv.args) != 1:
        raise CLIError(f"Unexpected args: [{' '.join(inv.args)}]\nSee '{cli.command_path(inv.path)} -h' for help and examples")
    name = inv.args[0]
    if not name:
        raise CLIError("empty context names are not allowed")
    if name != CONTEXT:
        raise CLIError(f"no context exists with the name: {cli.go_quote(name)}")
    ctx.out(f'Switched to context "{name}".\n')


def run_options(ctx, inv):
    from ..help import render_options

    ctx.out(render_options())


HANDLES = {
    ("options",): run_options,
    ("version",): run_version,
    ("api-resources",): run_api_resources,
    ("api-versions",): run_api_versions,
    ("cluster-info",): run_cluster_info,
    ("explain",): run_explain,
    ("config", "view"): run_config_view,
    ("config", "current-context"): run_current_context,
    ("config", "get-contexts"): run_get_contexts,
    ("config", "get-clusters"): run_get_clusters,
    ("config", "get-users"): run_get_users,
    ("config", "use-context"): run_use_context,
}
