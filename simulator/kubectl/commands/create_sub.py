"""`kubectl create deployment|namespace|service clusterip|nodeport|loadbalancer|externalname`
(kubectl pkg/cmd/create/create_deployment.go, create_namespace.go, create_service.go).

Each generator builds the object kubectl would send; `--dry-run=client -o yaml` prints exactly that
(only what the generator sets, plus the empty structs Go's encoder always writes: `status: {}`,
`strategy: {}`, `resources: {}`, `spec: {}`). kubectl v1.34 omits the zero
`metadata.creationTimestamp` (apimachinery ObjectMeta `creationTimestamp,omitempty,omitzero`).
"""
from __future__ import annotations

import re

from ...api.errors import CLIError, Invalid, KubeError, StatusError
from ...rng import NAME_ALPHABET
from .. import cli
from ..last_applied import set_last_applied
from .common import dry_run_mode, namespace, validation_directive
from .output import check_output_format, emit


def server_error_text(err: KubeError) -> str:
    """err.Error() of a failed API call, for the commands that wrap it (`failed to create …: %v`).
    A 422's Status message is `<Kind>.<group> "name" is invalid: <causes>` (apierrors.NewInvalid)."""
    if isinstance(err, Invalid):
        from ...api import kinds
        k = kinds.by_kind(err.kind)
        qualified = f"{err.kind}.{k.group}" if k and k.group else err.kind
        causes = [f"{f}: {d}" if f else d for f, d in err.causes]
        detail = causes[0] if len(causes) == 1 else "[" + ", ".join(causes) + "]"
        return f'{qualified} "{err.name}" is invalid: {detail}'
    if isinstance(err, StatusError):
        return err.message
    return err.render().removeprefix("error: ")


def _send(ctx, inv, obj: dict, mode: str, wrap: str | None) -> dict:
    """Create the object (server side unless --dry-run=client) and return what to print."""
    validation_directive(inv)  # Complete: an unknown --validate value stops the command
    if inv.flags.get("save-config"):
        obj = set_last_applied(obj, obj)
    if mode == "client":
        return obj
    sent = dict(obj)
    sent["metadata"] = dict(obj["metadata"], namespace=obj["metadata"].get("namespace") or namespace(inv))
    try:
        created = ctx.eng.api.create(sent, dry_run=(mode == "server"))
    except KubeError as err:
        if wrap is None:
            raise
        raise CLIError(f"{wrap}: {server_error_text(err)}") from None
    ctx.eng.settle()
    return created


def _enforced_namespace(inv) -> str:
    """The namespace kubectl writes into the generated object: only an explicit -n (EnforceNamespace)."""
    return inv.flags.get("namespace") or ""


# ---- deployment ----------------------------------------------------------------------------------

def container_name(ctx, image: str) -> str:
    """create_deployment.go buildPodSpec + sanitizeAndUniquify: last path segment, tag/digest cut;
    `_`/`.` become `-` plus a `-` and 5 random characters (utilrand.String(5))."""
    name = image.split("/")[-1]
    if ":" in name:
        name = name.split(":")[0]
    if "@" in name:
        name = name.split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-") + "-" + ctx.eng.rng.string(5, NAME_ALPHABET)
    return name


def build_deployment(ctx, inv) -> dict:
    name = inv.args[0]
    images = list(inv.flags.get("image") or [])
    command = inv.args[1:]
    if len(images) > 1 and command:
        raise CLIError("cannot specify multiple --image options and command")
    labels = {"app": name}
    containers = [{"image": image, "name": container_name(ctx, image), "resources": {}} for image in images]
    if command and containers:
        containers[0]["command"] = list(command)
    port = int(inv.flags.get("port", -1))
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    meta = {"labels": dict(labels), "name": name}
    if _enforced_namespace(inv):
        meta["namespace"] = _enforced_namespace(inv)
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
        "spec": {"replicas": int(inv.flags.get("replicas", 1)), "selector": {"matchLabels": dict(labels)},
                 "strategy": {},
                 "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}}},
        "status": {},
    }


def run_create_deployment(ctx, inv):
    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    obj = build_deployment(ctx, inv)
    emit(ctx, inv, _send(ctx, inv, obj, mode, "failed to create deployment"), "created", mode)


# ---- namespace -----------------------------------------------------------------------------------

def run_create_namespace(ctx, inv):
    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": inv.args[0]}, "spec": {}, "status": {}}
    emit(ctx, inv, _send(ctx, inv, obj, mode, None), "created", mode)


# ---- service -------------------------------------------------------------------------------------

_PORT_NAME_CHARS = re.compile(r"^[-a-z0-9]+$")
_PORT_NAME_LETTER = re.compile(r"[a-z]")


def port_name_errors(name: str) -> list[str]:
    """validation.IsValidPortName (IANA_SVC_NAME)."""
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.match(name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER.search(name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _parse_uint16(text: str) -> int:
    """strconv.ParseUint(text, 10, 16) with Go's error texts (utilsnet.ParsePort, allowZero)."""
    if not text or not text.isascii() or not text.isdigit():
        raise CLIError(f"strconv.ParseUint: parsing {cli.go_quote(text)}: invalid syntax")
    value = int(text)
    if value > 65535:
        raise CLIError(f"strconv.ParseUint: parsing {cli.go_quote(text)}: value out of range")
    return value


def parse_ports(spec: str) -> tuple[int, int | str]:
    """create_service.go parsePorts: `port[:targetPort]`, targetPort a number or a port name."""
    parts = spec.split(":")
    port = _parse_uint16(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    if re.fullmatch(r"[+-]?[0-9]+", target):
        number = int(target)
        if not 1 <= number <= 65535:
            raise CLIError("must be between 1 and 65535, inclusive")
        return port, number
    errs = port_name_errors(target)
    if errs:
        raise CLIError(",".join(errs))
    return port, target


def _dns1123_subdomain_ok(name: str) -> bool:
    return len(name) <= 253 and bool(re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name))


SERVICE_TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
                 "externalname": "ExternalName"}


def build_service(inv, svc_type: str) -> dict:
    name = inv.args[0]
    cluster_ip = inv.flags.get("clusterip") or ""
    tcp = list(inv.flags.get("tcp") or [])
    external_name = inv.flags.get("external-name") or ""
    # ServiceOptions.Validate
    if cluster_ip == "None" and svc_type != "ClusterIP":
        raise CLIError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not tcp and svc_type != "ExternalName":
        raise CLIError("at least one tcp port specifier must be provided")
    if svc_type == "ExternalName" and not _dns1123_subdomain_ok(external_name):
        raise CLIError(f"invalid service external name {external_name}")
    node_port = int(inv.flags.get("node-port") or 0)
    ports = []
    for spec in tcp:
        port, target = parse_ports(spec)
        entry = {"name": spec.replace(":", "-"), "port": port, "protocol": "TCP", "targetPort": target}
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    meta = {"labels": {"app": name}, "name": name}
    if _enforced_namespace(inv):
        meta["namespace"] = _enforced_namespace(inv)
    spec: dict = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = {"app": name}
    spec["type"] = svc_type
    if external_name:
        spec["externalName"] = external_name
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec, "status": {"loadBalancer": {}}}


def run_create_service(ctx, inv):
    mode = dry_run_mode(inv)
    check_output_format(inv, ctx)
    svc_type = SERVICE_TYPES[inv.path[-1]]
    obj = build_service(inv, svc_type)
    emit(ctx, inv, _send(ctx, inv, obj, mode, f"failed to create {svc_type} service"), "created", mode)


HANDLES = {
    ("create", "deployment"): run_create_deployment,
    ("create", "namespace"): run_create_namespace,
    ("create", "service", "clusterip"): run_create_service,
    ("create", "service", "nodeport"): run_create_service,
    ("create", "service", "loadbalancer"): run_create_service,
    ("create", "service", "externalname"): run_create_service,
}
