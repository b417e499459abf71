"""`kubectl set resources`, `set env`, `set selector` (kubectl pkg/cmd/set/set_resources.go,
set_env.go, set_selector.go, with pkg/polymorphichelpers/updatepodspec.go and cmd/set/env/env_parse.go).

All three compute a patch per object (CalculatePatches); an object whose patch is empty prints
nothing; a per-object failure becomes `error: <resource>/<name> <reason>` and the others go on.
"""
from __future__ import annotations

import fnmatch
import re

from ...api import kinds
from ...api.errors import CLIError, KubeError
from ...objects import clone
from .. import cli
from ..selectors import SelectorSyntaxError, parse_label_selector
from .common import dry_run_mode, with_change_cause
from .create_sub import server_error_text
from .label import visit_targets
from .output import check_output_format, emit

POD_TEMPLATE_KINDS = {"Deployment", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job"}
GO_TYPES = {"Service": "*v1.Service", "Namespace": "*v1.Namespace", "Node": "*v1.Node",
            "Endpoints": "*v1.Endpoints", "Event": "*v1.Event"}


def _object_name(obj: dict) -> str:
    """resource.Info.ObjectName(): `<resource>/<name>` (deployments/kubia)."""
    k = kinds.by_kind(obj["kind"])
    return f"{k.plural if k else obj['kind'].lower() + 's'}/{obj['metadata']['name']}"


def pod_spec_of(obj: dict) -> dict:
    """updatepodspec.go UpdatePodSpecForObjectFn: the PodSpec to change, or its error."""
    if obj["kind"] == "Pod":
        return obj.setdefault("spec", {})
    if obj["kind"] in POD_TEMPLATE_KINDS:
        return obj.setdefault("spec", {}).setdefault("template", {}).setdefault("spec", {})
    raise CLIError(f"the object is not a pod or does not have a pod template: {GO_TYPES.get(obj['kind'], '*v1.' + obj['kind'])}")


def select_containers(containers: list, selector: str) -> list[dict]:
    """set/helper.go selectContainers: path.Match on the container name."""
    return [c for c in containers if fnmatch.fnmatchcase(c.get("name", ""), selector)]


def _container_selector(inv) -> str:
    value = inv.flags.get("containers", "*")
    if isinstance(value, (list, tuple)):
        value = ",".join(value)
    return value if value != "" else "*"


def _apply_patches(ctx, inv, objs: list[dict], errors: list[KubeError], change, operation: str,
                   early: list[str] | None = None) -> None:
    """The loop every set subcommand shares: change a copy, skip no-ops, send, print. `early`
    collects errors the change function meets (printed before the patch errors, as allErrs
    gathers them during CalculatePatches)."""
    mode = dry_run_mode(inv)
    local = bool(inv.flags.get("local"))
    out_errors: list[str] = []
    for obj in objs:
        new = clone(obj)
        try:
            changed = change(new)
        except KubeError as err:
            out_errors.append(f"error: {_object_name(obj)} {err.render().removeprefix('error: ')}")
            continue
        if not changed or new == obj:
            continue
        if local or mode == "client":
            emit(ctx, inv, new, operation, mode)
            continue
        new = with_change_cause(new, inv)
        try:
            actual = ctx.eng.api.update(new, dry_run=(mode == "server"))
        except KubeError as err:
            out_errors.append(f"error: failed to patch {operation.split(' ')[0]} update to pod template "
                              f"{server_error_text(err)}")
            continue
        ctx.eng.settle()
        emit(ctx, inv, actual, operation, mode)
    out_errors = list(early or []) + out_errors
    for err in errors:
        ctx.err(err.render() + "\n")
    for line in out_errors:
        ctx.err(line + "\n")
    ctx.exit_code = 1 if (errors or out_errors) else 0


# ---- set resources -----------------------------------------------------------------------------

_QUANTITY_RE = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_SUFFIXES = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}


def parse_quantity(text: str) -> str:
    """resource.ParseQuantity's accept/reject decision and error texts (the value is kept as written)."""
    m = _QUANTITY_RE.match(text)
    if not text or not m:
        raise CLIError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    number, suffix = m.groups()
    if number.count(".") > 1 or number in (".", "+.", "-."):
        raise CLIError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    if suffix not in _SUFFIXES and not re.fullmatch(r"[eE][-+]?[0-9]+", suffix):
        raise CLIError("unable to parse quantity's suffix")
    return text


def parse_resource_list(spec: str) -> dict:
    """generateversioned populateResourceListV1."""
    out: dict[str, str] = {}
    if not spec:
        return out
    for pair in spec.split(","):
        parts = pair.split("=")
        if len(parts) != 2:
            raise CLIError(f"invalid argument syntax {pair}, expected <resource>=<value>")
        out[parts[0]] = parse_quantity(parts[1])
    return out


def run_set_resources(ctx, inv):
    limits_text, requests_text = inv.flags.get("limits") or "", inv.flags.get("requests") or ""
    if not limits_text and not requests_text:
        raise CLIError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    limits, requests = parse_resource_list(limits_text), parse_resource_list(requests_text)
    check_output_format(inv, ctx)
    selector = _container_selector(inv)
    objs, errors = visit_targets(ctx, inv, list(inv.args))

    def change(obj: dict) -> bool:
        spec = pod_spec_of(obj)
        containers = select_containers(spec.get("containers") or [], selector) + \
            select_containers(spec.get("initContainers") or [], selector)
        if not containers:
            # set_resources.go: an aggregated error, the other objects still go on
            missing.append(f"error: unable to find container named {selector}")
            return False
        for c in containers:
            res = c.setdefault("resources", {})
            if limits:
                res.setdefault("limits", {}).update(limits)
            if requests:
                res.setdefault("requests", {}).update(requests)
        return True

    missing: list[str] = []
    _apply_patches(ctx, inv, objs, errors, change, "resource requirements updated", missing)


# ---- set env -----------------------------------------------------------------------------------

_ENV_NAME_RE = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
ENV_NAME_MSG = ("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
                "and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex "
                "used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")


def split_env_args(args: list[str]) -> tuple[list[str], list[str]]:
    """envutil.SplitEnvironmentFromResources: resources first, then KEY=VAL / KEY- words."""
    first_env = len(args)
    for i, a in enumerate(args):
        if "=" in a or (a.endswith("-") and a != "-") or a == "-":
            first_env = i
            break
    resources, envs = args[:first_env], args[first_env:]
    for a in envs:
        if not ("=" in a or a.endswith("-")):
            raise CLIError(f"all resources must be specified before environment changes: {a}")
    return resources, envs


def read_env(text: str) -> list[dict]:
    """env_parse.go readEnv: KEY=VALUE lines, `#` starts a comment, other lines are skipped (no
    key validation here, as upstream)."""
    env = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        if "=" in line:
            key, _, value = line.partition("=")
            env.append({"name": key, "value": value})
    return env


def parse_env(specs: list[str], ctx=None) -> tuple[list[dict], list[str], bool]:
    """env_parse.go parseIntoEnvVar: (env, removed names, stdin used?). `-` reads KEY=VALUE lines
    from the console's stdin (a pipe: `echo A=1 | kubectl set env deploy/web -`)."""
    env: list[dict] = []
    remove: list[str] = []
    used_stdin = False
    for spec in specs:
        if spec == "-":
            stdin = getattr(ctx, "stdin", None) if ctx is not None else None
            if stdin is None:
                raise CLIError("when '-' is used, STDIN must be open")
            ctx.stdin = ""
            env.extend(read_env(stdin))
            used_stdin = True
            continue
        if "=" in spec:
            key, _, value = spec.partition("=")
            if not _ENV_NAME_RE.match(key):
                raise CLIError(f"{cli.go_quote(key)} is not a valid key name: {ENV_NAME_MSG}")
            env.append({"name": key, "value": value})
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise CLIError(f"unknown environment variable: {spec}")
    if any(e["name"] in remove for e in env):
        raise CLIError("can not both modify and remove the same environment variable in the same command")
    return env, remove, used_stdin


def update_env(existing: list[dict], env: list[dict], remove: list[str]) -> list[dict]:
    """set_env.go updateEnv: replace in place, append new ones, drop removed ones."""
    out = []
    covered = set(remove)
    latest = {}
    for e in env:
        latest[e["name"]] = e
    for e in existing:
        if e.get("name") in covered:
            continue
        if e.get("name") in latest:
            covered.add(e["name"])
            out.append(latest[e["name"]])
            continue
        out.append(e)
    for e in env:
        if e["name"] in covered:
            continue
        covered.add(e["name"])
        out.append(e)
    return out


def _list_env(ctx, obj: dict, containers: list[dict]) -> None:
    k = kinds.by_kind(obj["kind"])
    for c in containers:
        ctx.out(f"# {k.plural if k else obj['kind'].lower()} {obj['metadata']['name']}, container {c.get('name', '')}\n")
        for e in c.get("env") or []:
            if "valueFrom" not in e:
                ctx.out(f"{e.get('name', '')}={e.get('value', '')}\n")
            else:
                ref = e["valueFrom"]
                if "fieldRef" in ref:
                    text = ref["fieldRef"].get("fieldPath", "")
                elif "configMapKeyRef" in ref:
                    text = f"configmap {ref['configMapKeyRef'].get('name', '')}, key {ref['configMapKeyRef'].get('key', '')}"
                elif "secretKeyRef" in ref:
                    text = f"secret {ref['secretKeyRef'].get('name', '')}, key {ref['secretKeyRef'].get('key', '')}"
                else:
                    text = "invalid valueFrom"
                ctx.out(f"# {e.get('name', '')} from {text}\n")


def run_set_env(ctx, inv):
    resource_args, env_args = split_env_args(list(inv.args))
    env_args = list(inv.flags.get("env") or []) + env_args
    if inv.flags.get("keys") and not inv.flags.get("from"):
        raise CLIError("when specifying --keys, a configmap or secret must be provided with --from")
    if not env_args and not inv.flags.get("list") and not inv.flags.get("from"):
        raise CLIError("at least one environment variable must be provided")
    if inv.flags.get("list") and inv.flags.get("output"):
        raise CLIError("--list and --output may not be specified together")
    check_output_format(inv, ctx)
    env, remove, used_stdin = parse_env(env_args, ctx)
    if used_stdin and "-" in (inv.flags.get("filename") or []):
        # cli-runtime builder.go StdinInUse after FilenameParam(-f -): StdinMultiUseError
        raise CLIError("standard input cannot be used for multiple arguments")
    if inv.flags.get("from"):
        env += _env_from(ctx, inv)
    prefix = inv.flags.get("prefix") or ""
    if prefix:
        env = [{**e, "name": prefix + e["name"]} for e in env]
    selector = _container_selector(inv)
    objs, errors = visit_targets(ctx, inv, resource_args)
    if inv.flags.get("list"):
        for obj in objs:
            spec = pod_spec_of(clone(obj))
            _list_env(ctx, obj, select_containers(spec.get("initContainers") or [], selector)
                      + select_containers(spec.get("containers") or [], selector))
        for err in errors:
            ctx.err(err.render() + "\n")
        ctx.exit_code = 1 if errors else 0
        return

    def change(obj: dict) -> bool:
        spec = pod_spec_of(obj)
        containers = select_containers(spec.get("initContainers") or [], selector) + \
            select_containers(spec.get("containers") or [], selector)
        if not containers:
            ctx.err(f"warning: {obj['kind']}/{obj['metadata']['name']} does not have any containers matching "
                    f"{cli.go_quote(selector)}\n")
            return False
        for c in containers:
            existing = c.get("env") or []
            if not inv.flags.get("overwrite", True):
                for e in env:
                    cur = next((x for x in existing if x.get("name") == e["name"]), None)
                    if cur is not None and cur.get("value", "") != e.get("value", ""):
                        raise CLIError(f"'{cur['name']}' already has a value ({cur.get('value', '')}), and "
                                       "--overwrite is false")
            updated = update_env(existing, env, remove)
            if updated:
                c["env"] = updated
            else:
                c.pop("env", None)
        return True

    _apply_patches(ctx, inv, objs, errors, change, "env updated")


_ENV_INVALID = re.compile(r"[^a-zA-Z0-9_]")


def _env_from(ctx, inv) -> list[dict]:
    """set_env.go --from=configmap/NAME|secret/NAME [--keys]: one env var per key (sorted here; Go
    walks the map in random order), named by keyToEnvName, referring to the key."""
    from ..builder import select

    keys = [k for v in (inv.flags.get("keys") or []) for k in (v if isinstance(v, list) else [v])]
    found = select(ctx, inv, [inv.flags["from"]], allow_empty_selector=bool(inv.flags.get("all")))
    if found.errors:
        raise found.errors[0]
    out = []
    for obj in found.objects:
        if obj["kind"] == "Secret":
            ref = "secretKeyRef"
        elif obj["kind"] == "ConfigMap":
            ref = "configMapKeyRef"
        else:
            raise CLIError("unsupported resource specified in --from")
        for key in sorted(obj.get("data") or {}):
            if keys and key not in keys:
                continue
            name = _ENV_INVALID.sub("_", key).upper()
            if name != key:
                ctx.warn(f"Warning: key {key} transferred to {name}")
            out.append({"name": name, "valueFrom": {ref: {"key": key, "name": obj["metadata"]["name"]}}})
    return out


# ---- set selector ------------------------------------------------------------------------------

def parse_to_label_selector(text: str) -> dict:
    """metav1.ParseToLabelSelector."""
    try:
        reqs = parse_label_selector(text).requirements
    except SelectorSyntaxError as e:
        raise CLIError(f'couldn\'t parse the selector string "{text}": {e}') from None
    match_labels: dict[str, str] = {}
    exprs: list[dict] = []
    ops = {"in": "In", "notin": "NotIn", "exists": "Exists", "!": "DoesNotExist"}
    for r in reqs:
        if r.op in ("=", "=="):
            match_labels[r.key] = r.values[0]
        elif r.op in ops:
            exprs.append({"key": r.key, "operator": ops[r.op], "values": sorted(r.values)})
        elif r.op in ("gt", "lt"):
            raise CLIError(f'"{r.op}" isn\'t supported in label selectors')
        else:
            raise CLIError(f'"{r.op}" is not a valid label selector operator')
    return {"matchLabels": match_labels, "matchExpressions": exprs}


def run_set_selector(ctx, inv):
    args = list(inv.args)
    if not args:
        raise CLIError("one selector is required")
    resource_args, selector = args[:-1], parse_to_label_selector(args[-1])
    if not resource_args and not inv.flags.get("filename"):
        raise CLIError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    check_output_format(inv, ctx)
    objs, errors = visit_targets(ctx, inv, resource_args)

    def change(obj: dict) -> bool:
        if obj["kind"] != "Service":
            raise CLIError("setting a selector is only supported for Services")
        if selector["matchExpressions"]:
            shown = " ".join("{%s %s [%s]}" % (e["key"], e["operator"], " ".join(e["values"]))
                             for e in selector["matchExpressions"])
            raise CLIError(f"match expression [{shown}] not supported on this object")
        obj["spec"]["selector"] = dict(selector["matchLabels"])
        if not obj["spec"]["selector"]:
            obj["spec"].pop("selector")
        return True

    _apply_patches(ctx, inv, objs, errors, change, "selector updated")


# ---- set serviceaccount ------------------------------------------------------------------------

def run_set_serviceaccount(ctx, inv):
    """set_serviceaccount.go: the last argument is the service account; the builder takes the rest
    (ResourceTypeOrNameArgs(o.all, …), --local takes -f objects only); spec.serviceAccountName is set."""
    args = list(inv.args)
    if inv.flags.get("local") and dry_run_mode(inv) == "server":
        raise CLIError("cannot specify --local and --dry-run=server - did you mean --dry-run=client?")
    if not args:
        raise CLIError("serviceaccount is required")
    check_output_format(inv, ctx)
    account, resource_args = args[-1], args[:-1]
    from ..builder import select

    found = select(ctx, inv, [] if inv.flags.get("local") else resource_args,
                   allow_empty_selector=bool(inv.flags.get("all")), local=bool(inv.flags.get("local")))

    def change(obj: dict) -> bool:
        pod_spec_of(obj)["serviceAccountName"] = account
        return True

    _apply_patches(ctx, inv, found.objects, found.errors, change, "serviceaccount updated")


HANDLES = {
    ('set', 'serviceaccount'): run_set_serviceaccount,
    ("set", "resources"): run_set_resources,
    ("set", "env"): run_set_env,
    ("set", "selector"): run_set_selector,
}
