"""API server validation with the exact field paths and messages kubectl prints.

Upstream: kubernetes/kubernetes `pkg/apis/apps/validation/validation.go` (ValidateDeployment,
ValidateDeploymentSpec, ValidateRollingUpdateDeployment, ValidatePodTemplateSpecForReplicaSet,
ValidateReplicaSet), `pkg/apis/core/validation/validation.go` (ValidateObjectMeta, ValidatePodSpec,
validateContainers, validateContainerPorts, validateProbe, ValidateService, ValidateReplicationController,
ValidateNamespace), apimachinery `pkg/util/validation/validation.go` (name/label/port messages),
`pkg/util/validation/field/errors.go` (ErrorBody: how the bad value is printed) and
`pkg/apis/meta/v1/validation` (ValidateLabels, ValidateLabelSelector).

Objects arrive decoded (schema.check_known_fields passed) and defaulted (defaults.apply_defaults).
Errors are `errors.Invalid(kind, name, [(field path, "Required value" / "Invalid value: ...")])`.
"""
from __future__ import annotations

import re
from fractions import Fraction

from simulator.api.errors import Invalid
from simulator.gofmt import go_quote

# ----------------------------------------------------------------------------------------------
# field.Error bodies (apimachinery field/errors.go)


def go_value(value) -> str:
    """How ErrorBody prints a bad value: numbers and bools plainly, strings quoted, maps and lists
    in Go syntax (%#v); Go sorts map keys when printing."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, GoLiteral):
        return value.text
    raise TypeError(value)


class GoLiteral:
    """A value already spelled as Go's %#v would print it."""

    def __init__(self, text: str):
        self.text = text


def go_string_map(m, type_name: str = "map[string]string") -> GoLiteral:
    if m is None or not isinstance(m, dict):
        return GoLiteral(f"{type_name}(nil)")
    items = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(m.items()))
    return GoLiteral(f"{type_name}{{{items}}}")


def go_string_list(items) -> GoLiteral:
    if not isinstance(items, list):
        return GoLiteral("[]string(nil)")
    return GoLiteral("[]string{" + ", ".join(go_quote(str(i)) for i in items) + "}")


def go_label_selector(sel) -> GoLiteral:
    """%#v of a dereferenced *metav1.LabelSelector."""
    sel = sel if isinstance(sel, dict) else {}
    match_labels = go_string_map(sel.get("matchLabels")).text
    exprs = sel.get("matchExpressions")
    if not isinstance(exprs, list):
        exprs_text = "[]v1.LabelSelectorRequirement(nil)"
    else:
        parts = []
        for e in exprs:
            e = e if isinstance(e, dict) else {}
            values = e.get("values")
            values_text = go_string_list(values).text if isinstance(values, list) \
                else "[]string(nil)"
            parts.append(f"v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get('key', '')))}, "
                         f"Operator:{go_quote(str(e.get('operator', '')))}, Values:{values_text}}}")
        exprs_text = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    return GoLiteral(f"v1.LabelSelector{{MatchLabels:{match_labels}, MatchExpressions:{exprs_text}}}")


def required(path: str, detail: str = "") -> tuple[str, str]:
    return path, "Required value" + (f": {detail}" if detail else "")


def invalid(path: str, value, detail: str) -> tuple[str, str]:
    return path, f"Invalid value: {go_value(value)}" + (f": {detail}" if detail else "")


def not_supported(path: str, value, valid: list[str]) -> tuple[str, str]:
    detail = "supported values: " + ", ".join(go_quote(v) for v in valid) if valid else ""
    return path, f"Unsupported value: {go_value(value)}" + (f": {detail}" if detail else "")


def duplicate(path: str, value) -> tuple[str, str]:
    return path, f"Duplicate value: {go_value(value)}"


def forbidden(path: str, detail: str) -> tuple[str, str]:
    return path, f"Forbidden: {detail}"


def not_found(path: str, value) -> tuple[str, str]:
    return path, f"Not found: {go_value(value)}"


# ----------------------------------------------------------------------------------------------
# apimachinery util/validation messages


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
PERCENT_FMT = "[0-9]+%"

QUALIFIED_NAME_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                      "end with an alphanumeric character")


def _max_len(n: int) -> str:
    return f"must be no more than {n} characters"


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not re.fullmatch(DNS1123_LABEL_FMT, value):
        errs.append(_regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(_max_len(253))
    if not re.fullmatch(DNS1123_SUBDOMAIN_FMT, value):
        errs.append(_regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not re.fullmatch(DNS1035_LABEL_FMT, value):
        errs.append(_regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            "with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    errs = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return ["a qualified name " + _regex_error(
            QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + _max_len(63))
    if not re.fullmatch(QUALIFIED_NAME_FMT, name):
        errs.append("name part " + _regex_error(
            QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not re.fullmatch(LABEL_VALUE_FMT, value):
        errs.append(_regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


PORT_RANGE_MSG = "must be between 1 and 65535, inclusive"
NEGATIVE_MSG = "must be greater than or equal to 0"
IMMUTABLE_MSG = "field is immutable"


def is_valid_port_num(port) -> list[str]:
    return [] if isinstance(port, int) and 1 <= port <= 65535 else [PORT_RANGE_MSG]


def is_valid_port_name(name: str) -> list[str]:
    errs = []
    if len(name) > 15:
        errs.append(_max_len(15))
    if not re.fullmatch(r"[-a-z0-9]+", name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name and (name[0] == "-" or name[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


# ----------------------------------------------------------------------------------------------
# small accessors (objects are decoded dicts; wrong types were rejected by strict decoding)


def _d(value) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value) -> list:
    return value if isinstance(value, list) else []


def _s(value) -> str:
    return value if isinstance(value, str) else ""


def _i(value, default=0):
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _nonnegative(value, path: str) -> list:
    return [invalid(path, value, NEGATIVE_MSG)] if _i(value) < 0 else []


# ----------------------------------------------------------------------------------------------
# metadata, labels, selectors


def validate_labels(labels, path: str) -> list:
    errs = []
    for key in sorted(_d(labels)):
        errs += [invalid(path, key, m) for m in is_qualified_name(key)]
        value = labels[key]
        if isinstance(value, str):
            errs += [invalid(path, value, m) for m in is_valid_label_value(value)]
    return errs


def validate_annotations(annotations, path: str) -> list:
    errs = []
    for key in sorted(_d(annotations)):
        errs += [invalid(path, key, m) for m in is_qualified_name(key.lower())]
    return errs


def validate_object_meta(meta, name_fn, path: str = "metadata") -> list:
    meta = _d(meta)
    errs = []
    name, generate = _s(meta.get("name")), _s(meta.get("generateName"))
    if not name and not generate:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    elif name:
        errs += [invalid(f"{path}.name", name, m) for m in name_fn(name)]
    namespace = _s(meta.get("namespace"))
    if namespace:
        errs += [invalid(f"{path}.namespace", namespace, m) for m in is_dns1123_label(namespace)]
    errs += validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    return errs


def validate_label_selector(sel, path: str) -> list:
    sel = _d(sel)
    errs = validate_labels(sel.get("matchLabels"), f"{path}.matchLabels")
    for i, req in enumerate(_l(sel.get("matchExpressions"))):
        req = _d(req)
        rpath = f"{path}.matchExpressions[{i}]"
        op, values = _s(req.get("operator")), _l(req.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{rpath}.values",
                                     "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{rpath}.values", "may not be specified when `operator` "
                                                        "is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(f"{rpath}.operator", op, "not a valid selector operator"))
        errs += [invalid(f"{rpath}.key", _s(req.get("key")), m)
                 for m in is_qualified_name(_s(req.get("key")))]
    return errs


def selector_matches(sel, labels) -> bool:
    """metav1.LabelSelectorAsSelector(sel).Matches(labels); a nil selector matches nothing."""
    if not isinstance(sel, dict):
        return False
    labels = {k: v for k, v in _d(labels).items()}
    for k, v in _d(sel.get("matchLabels")).items():
        if labels.get(k) != v:
            return False
    for req in _l(sel.get("matchExpressions")):
        req = _d(req)
        key, op, values = req.get("key"), req.get("operator"), _l(req.get("values"))
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _selector_is_empty(sel) -> bool:
    sel = _d(sel)
    return not _d(sel.get("matchLabels")) and not _l(sel.get("matchExpressions"))


# ----------------------------------------------------------------------------------------------
# quantities (for requests <= limits)

_SUFFIX = {"": 1, "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
           "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
           "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def parse_quantity(value) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Fraction(value)
    m = re.fullmatch(r"([+-]?[0-9.]+)([eE][-+]?[0-9]+|[a-zA-Z]*)", _s(value).strip())
    if not m:
        return None
    try:
        number = Fraction(m.group(1))
    except (ValueError, ZeroDivisionError):
        return None
    suffix = m.group(2)
    if suffix[:1] in ("e", "E") and len(suffix) > 1:
        return number * Fraction(10) ** int(suffix[1:])
    if suffix not in _SUFFIX:
        return None
    return number * _SUFFIX[suffix]


# ----------------------------------------------------------------------------------------------
# pods


def _validate_port_num_or_name(port, path: str) -> list:
    if isinstance(port, str):
        if not port:
            return [required(path, "")]
        return [invalid(path, port, m) for m in is_valid_port_name(port)]
    if isinstance(port, int) and not isinstance(port, bool):
        return [invalid(path, port, m) for m in is_valid_port_num(port)]
    return [required(path, "")]


def _validate_handler(handler, path: str, is_probe: bool) -> list:
    handler = _d(handler)
    kinds = ["exec", "httpGet", "tcpSocket"] + (["grpc"] if is_probe else ["sleep"])
    present = [k for k in kinds if handler.get(k) is not None]
    if not present:
        return [required(path, "must specify a handler type")]
    errs = []
    if len(present) > 1:
        errs.append(forbidden(f"{path}.{present[1]}", "may not specify more than 1 handler type"))
    first = present[0]
    body = _d(handler.get(first))
    sub = f"{path}.{first}"
    if first == "exec":
        if not _l(body.get("command")):
            errs.append(required(f"{sub}.command", ""))
    elif first == "httpGet":
        if not _s(body.get("path")):
            errs.append(required(f"{sub}.path", ""))
        errs += _validate_port_num_or_name(body.get("port"), f"{sub}.port")
        scheme = _s(body.get("scheme"))
        if scheme not in ("HTTP", "HTTPS"):
            errs.append(not_supported(f"{sub}.scheme", scheme, ["HTTP", "HTTPS"]))
    elif first == "tcpSocket":
        errs += _validate_port_num_or_name(body.get("port"), f"{sub}.port")
    elif first == "grpc":
        errs += [invalid(f"{sub}.port", body.get("port"), m)
                 for m in is_valid_port_num(body.get("port"))]
    return errs


def _validate_probe(probe, path: str, kind: str) -> list:
    if not isinstance(probe, dict):
        return []
    errs = _validate_handler(probe, path, True)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        errs += _nonnegative(probe.get(key), f"{path}.{key}")
    grace = probe.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and grace <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace, "must be greater than 0"))
    if kind in ("livenessProbe", "startupProbe") and _i(probe.get("successThreshold"), 1) != 1:
        errs.append(invalid(f"{path}.successThreshold", probe.get("successThreshold"), "must be 1"))
    if kind == "readinessProbe" and grace is not None:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace,
                            "must not be set for readinessProbes"))
    return errs


def _validate_container_ports(ports, path: str) -> list:
    errs, names = [], set()
    for i, port in enumerate(_l(ports)):
        port, p = _d(port), f"{path}[{i}]"
        name = _s(port.get("name"))
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += [invalid(f"{p}.name", name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(f"{p}.name", name))
            else:
                names.add(name)
        cp = _i(port.get("containerPort"))
        if cp == 0:
            errs.append(required(f"{p}.containerPort", ""))
        else:
            errs += [invalid(f"{p}.containerPort", cp, m) for m in is_valid_port_num(cp)]
        hp = _i(port.get("hostPort"))
        if hp != 0:
            errs += [invalid(f"{p}.hostPort", hp, m) for m in is_valid_port_num(hp)]
        protocol = _s(port.get("protocol"))
        if not protocol:
            errs.append(required(f"{p}.protocol", ""))
        elif protocol not in ("SCTP", "TCP", "UDP"):
            errs.append(not_supported(f"{p}.protocol", protocol, ["SCTP", "TCP", "UDP"]))
    return errs


def _validate_resources(resources, path: str) -> list:
    resources = _d(resources)
    limits, requests = _d(resources.get("limits")), _d(resources.get("requests"))
    errs = []
    for name in sorted(requests):
        if name not in limits:
            continue
        req, lim = parse_quantity(requests[name]), parse_quantity(limits[name])
        if req is not None and lim is not None and req > lim:
            errs.append(invalid(f"{path}.requests[{name}]", str(requests[name]),
                                f"must be less than or equal to {name} limit of {limits[name]}"))
    return errs


def _validate_container(c: dict, path: str, volumes: set[str], image_required: bool) -> list:
    errs = []
    name = _s(c.get("name"))
    if not name:
        errs.append(required(f"{path}.name", ""))
    else:
        errs += [invalid(f"{path}.name", name, m) for m in is_dns1123_label(name)]
    if image_required and not _s(c.get("image")):
        errs.append(required(f"{path}.image", ""))
    policy = _s(c.get("terminationMessagePolicy"))
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy",
                             "must be 'File' or 'FallbackToLogsOnError'"))
    elif policy not in ("File", "FallbackToLogsOnError"):
        errs.append(invalid(f"{path}.terminationMessagePolicy", policy,
                            "must be 'File' or 'FallbackToLogsOnError'"))
    errs += _validate_container_ports(c.get("ports"), f"{path}.ports")
    for i, var in enumerate(_l(c.get("env"))):
        if not _s(_d(var).get("name")):
            errs.append(required(f"{path}.env[{i}].name", ""))
    mount_paths: set[str] = set()
    for i, mount in enumerate(_l(c.get("volumeMounts"))):
        mount, p = _d(mount), f"{path}.volumeMounts[{i}]"
        mname = _s(mount.get("name"))
        if not mname:
            errs.append(required(f"{p}.name", ""))
        if mname not in volumes:
            errs.append(not_found(f"{p}.name", mname))
        mpath = _s(mount.get("mountPath"))
        if not mpath:
            errs.append(required(f"{p}.mountPath", ""))
        if mpath in mount_paths:
            errs.append(invalid(f"{p}.mountPath", mpath, "must be unique"))
        mount_paths.add(mpath)
    pull = _s(c.get("imagePullPolicy"))
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy", ""))
    elif pull not in ("Always", "IfNotPresent", "Never"):
        errs.append(not_supported(f"{path}.imagePullPolicy", pull,
                                  ["Always", "IfNotPresent", "Never"]))
    errs += _validate_resources(c.get("resources"), f"{path}.resources")
    return errs


def _validate_volumes(volumes, path: str) -> tuple[set[str], list]:
    names, errs = set(), []
    sources = ("hostPath", "emptyDir", "secret", "configMap", "persistentVolumeClaim",
               "downwardAPI", "projected", "nfs")
    for i, vol in enumerate(_l(volumes)):
        vol, p = _d(vol), f"{path}[{i}]"
        name = _s(vol.get("name"))
        if not name:
            errs.append(required(f"{p}.name", ""))
        else:
            errs += [invalid(f"{p}.name", name, m) for m in is_dns1123_label(name)]
            if name in names:
                errs.append(duplicate(f"{p}.name", name))
        present = [s for s in sources if vol.get(s) is not None]
        if not present:
            errs.append(required(p, "must specify a volume type"))
        for extra in present[1:]:
            errs.append(forbidden(f"{p}.{extra}", "may not specify more than 1 volume type"))
        if name:
            names.add(name)
    return names, errs


def validate_pod_spec(spec, path: str) -> list:
    spec = _d(spec)
    volumes, errs = _validate_volumes(spec.get("volumes"), f"{path}.volumes")
    containers = _l(spec.get("containers"))
    if not containers:
        errs.append(required(f"{path}.containers", ""))
    seen: set[str] = set()
    for key, list_ in (("containers", containers), ("initContainers", _l(spec.get("initContainers")))):
        for i, c in enumerate(list_):
            c, p = _d(c), f"{path}.{key}[{i}]"
            errs += _validate_container(c, p, volumes, True)
            name = _s(c.get("name"))
            if name in seen:
                errs.append(duplicate(f"{p}.name", name))
            seen.add(name)
            lifecycle = _d(c.get("lifecycle"))
            for hook in ("postStart", "preStop"):
                if lifecycle.get(hook) is not None:
                    errs += _validate_handler(lifecycle[hook], f"{p}.lifecycle.{hook}", False)
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                errs += _validate_probe(c.get(probe), f"{p}.{probe}", probe)
    restart = _s(spec.get("restartPolicy"))
    if not restart:
        errs.append(required(f"{path}.restartPolicy", ""))
    elif restart not in ("Always", "OnFailure", "Never"):
        errs.append(not_supported(f"{path}.restartPolicy", restart,
                                  ["Always", "OnFailure", "Never"]))
    dns = _s(spec.get("dnsPolicy"))
    if dns not in ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"):
        errs.append(not_supported(f"{path}.dnsPolicy", dns,
                                  ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]))
    errs += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    sa = _s(spec.get("serviceAccountName"))
    if sa:
        errs += [invalid(f"{path}.serviceAccountName", sa, m) for m in is_dns1123_subdomain(sa)]
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and not 1 <= deadline <= 2**31 - 1:
        errs.append(invalid(f"{path}.activeDeadlineSeconds", deadline,
                            f"must be between 1 and {2**31 - 1}, inclusive"))
    for key in ("hostname", "subdomain"):
        value = _s(spec.get(key))
        if value:
            errs += [invalid(f"{path}.{key}", value, m) for m in is_dns1123_label(value)]
    for i, tol in enumerate(_l(spec.get("tolerations"))):
        tol, p = _d(tol), f"{path}.tolerations[{i}]"
        op, effect = _s(tol.get("operator")), _s(tol.get("effect"))
        if op not in ("", "Equal", "Exists"):
            errs.append(not_supported(f"{p}.operator", op, ["Equal", "Exists"]))
        if op == "Exists" and _s(tol.get("value")):
            errs.append(invalid(f"{p}.operator", tol.get("value"),
                                "value must be empty when `operator` is 'Exists'"))
        if effect not in ("", "NoSchedule", "PreferNoSchedule", "NoExecute"):
            errs.append(not_supported(f"{p}.effect", effect,
                                      ["NoExecute", "NoSchedule", "PreferNoSchedule"]))
    return errs


def validate_pod_template(template, path: str) -> list:
    template = _d(template)
    meta = _d(template.get("metadata"))
    errs = validate_labels(meta.get("labels"), f"{path}.metadata.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.metadata.annotations")
    errs += validate_pod_spec(template.get("spec"), f"{path}.spec")
    return errs


def _template_for_controller(template, selector_ok: bool, path: str) -> list:
    """ValidatePodTemplateSpecForReplicaSet / ForRC: selector match, pod template, Always."""
    errs = []
    template = _d(template)
    labels = _d(template.get("metadata")).get("labels")
    if not selector_ok:
        errs.append(invalid(f"{path}.metadata.labels", go_string_map(labels),
                            "`selector` does not match template `labels`"))
    errs += validate_pod_template(template, path)
    spec = _d(template.get("spec"))
    restart = _s(spec.get("restartPolicy"))
    if restart != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", restart, ["Always"]))
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden(f"{path}.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in ReplicaSet is not Supported"))
    return errs


# ----------------------------------------------------------------------------------------------
# apps/v1


def _int_or_percent(value) -> tuple[int, bool]:
    """getIntOrPercentValue: (number, is_percent); unparsable percents count as 0."""
    if isinstance(value, str):
        m = re.fullmatch(r"(-?[0-9]+)%?", value)
        return (int(m.group(1)) if m else 0), value.endswith("%")
    return _i(value), False


def _validate_positive_int_or_percent(value, path: str) -> list:
    if isinstance(value, str):
        if not re.fullmatch(PERCENT_FMT, value):
            return [invalid(path, value, _regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'",
                PERCENT_FMT, "1%", "93%"))]
        return []
    return _nonnegative(value, path)


def validate_rolling_update(ru, path: str) -> list:
    ru = _d(ru)
    unavailable, surge = ru.get("maxUnavailable"), ru.get("maxSurge")
    errs = _validate_positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs += _validate_positive_int_or_percent(surge, f"{path}.maxSurge")
    if _int_or_percent(unavailable)[0] == 0 and _int_or_percent(surge)[0] == 0:
        errs.append(invalid(f"{path}.maxUnavailable", unavailable,
                            "may not be 0 when `maxSurge` is 0"))
    number, is_percent = _int_or_percent(unavailable)
    if is_percent and number > 100:
        errs.append(invalid(f"{path}.maxUnavailable", unavailable, "must not be greater than 100%"))
    return errs


def _go_strategy(strategy: dict) -> GoLiteral:
    ru = "(*apps.RollingUpdateDeployment)(nil)" if strategy.get("rollingUpdate") is None \
        else "(*apps.RollingUpdateDeployment)(0xc000a1b2c0)"
    return GoLiteral(f"apps.DeploymentStrategy{{Type:{go_quote(_s(strategy.get('type')))}, "
                     f"RollingUpdate:{ru}}}")


def validate_strategy(strategy, path: str) -> list:
    strategy = _d(strategy)
    kind = strategy.get("type")
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            return [forbidden(f"{path}.rollingUpdate",
                              "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if strategy.get("rollingUpdate") is None:
            return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
        return validate_rolling_update(strategy["rollingUpdate"], f"{path}.rollingUpdate")
    return [not_supported(path, _go_strategy(strategy), ["Recreate", "RollingUpdate"])]


def _validate_selector_and_template(spec: dict, path: str) -> list:
    errs = []
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        errs.append(required(f"{path}.selector", ""))
    else:
        errs += validate_label_selector(selector, f"{path}.selector")
        if _selector_is_empty(selector):
            errs.append(invalid(f"{path}.selector", go_label_selector(selector),
                                "empty selector is invalid for deployment"))
    template = _d(spec.get("template"))
    labels = _d(template.get("metadata")).get("labels")
    # an empty selector selects everything: the template check is skipped (selector.Empty())
    matches = isinstance(selector, dict) and (
        _selector_is_empty(selector) or selector_matches(selector, labels))
    errs += _template_for_controller(template, matches, f"{path}.template")
    return errs


def validate_deployment_spec(spec, path: str = "spec") -> list:
    spec = _d(spec)
    errs = _nonnegative(spec.get("replicas"), f"{path}.replicas")
    errs += _validate_selector_and_template(spec, path)
    errs += validate_strategy(spec.get("strategy"), f"{path}.strategy")
    errs += _nonnegative(spec.get("minReadySeconds"), f"{path}.minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errs += _nonnegative(spec["revisionHistoryLimit"], f"{path}.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += _nonnegative(deadline, f"{path}.progressDeadlineSeconds")
        if _i(deadline) <= _i(spec.get("minReadySeconds")):
            errs.append(invalid(f"{path}.progressDeadlineSeconds", deadline,
                                "must be greater than minReadySeconds"))
    return errs


def validate_replicaset_spec(spec, path: str = "spec") -> list:
    spec = _d(spec)
    errs = _nonnegative(spec.get("replicas"), f"{path}.replicas")
    errs += _nonnegative(spec.get("minReadySeconds"), f"{path}.minReadySeconds")
    errs += _validate_selector_and_template(spec, path)
    return errs


# ----------------------------------------------------------------------------------------------
# core/v1 controllers, services, namespaces


def validate_rc_spec(spec, path: str = "spec") -> list:
    spec = _d(spec)
    errs = _nonnegative(spec.get("minReadySeconds"), f"{path}.minReadySeconds")
    selector = _d(spec.get("selector"))
    if not selector:
        errs.append(required(f"{path}.selector", ""))
    errs += _nonnegative(spec.get("replicas"), f"{path}.replicas")
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(required(f"{path}.template", ""))
        return errs
    labels = _d(_d(template.get("metadata")).get("labels"))
    matches = not selector or all(labels.get(k) == v for k, v in selector.items())
    errs += _template_for_controller(template, matches, f"{path}.template")
    return errs


SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def _go_service_port_key(port: int, protocol: str) -> GoLiteral:
    return GoLiteral(f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, '
                     f"AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString"
                     f'{{Type:0, IntVal:0, StrVal:""}}, NodePort:0}}')


def validate_service_spec(spec, path: str = "spec") -> list:
    spec = _d(spec)
    errs = []
    kind = _s(spec.get("type"))
    headless = spec.get("clusterIP") == "None"
    ports = _l(spec.get("ports"))
    if not ports and not headless and kind != "ExternalName":
        errs.append(required(f"{path}.ports", ""))
    names: set[str] = set()
    seen: set[tuple] = set()
    for i, port in enumerate(ports):
        port, p = _d(port), f"{path}.ports[{i}]"
        name = _s(port.get("name"))
        if len(ports) > 1 and not name:
            errs.append(required(f"{p}.name", ""))
        elif name:
            errs += [invalid(f"{p}.name", name, m) for m in is_dns1123_label(name)]
            if name in names:
                errs.append(duplicate(f"{p}.name", name))
            names.add(name)
        number = _i(port.get("port"))
        errs += [invalid(f"{p}.port", number, m) for m in is_valid_port_num(number)]
        protocol = _s(port.get("protocol"))
        if not protocol:
            errs.append(required(f"{p}.protocol", ""))
        elif protocol not in ("SCTP", "TCP", "UDP"):
            errs.append(not_supported(f"{p}.protocol", protocol, ["SCTP", "TCP", "UDP"]))
        errs += _validate_port_num_or_name(port.get("targetPort"), f"{p}.targetPort")
        node_port = _i(port.get("nodePort"))
        if node_port and kind not in ("NodePort", "LoadBalancer"):
            errs.append(forbidden(f"{p}.nodePort", "may not be used when `type` is 'ClusterIP'"))
        key = (number, protocol)
        if key in seen:
            errs.append(duplicate(p, _go_service_port_key(number, protocol)))
        seen.add(key)
    if kind not in SERVICE_TYPES:
        errs.append(not_supported(f"{path}.type", kind, SERVICE_TYPES))
    affinity = _s(spec.get("sessionAffinity"))
    if affinity not in ("ClientIP", "None"):
        errs.append(not_supported(f"{path}.sessionAffinity", affinity, ["ClientIP", "None"]))
    if kind == "ExternalName" and not _s(spec.get("externalName")):
        errs.append(required(f"{path}.externalName", ""))
    errs += validate_labels(spec.get("selector"), f"{path}.selector")
    return errs


# ----------------------------------------------------------------------------------------------
# entry points

_NAME_FN = {
    "Deployment": is_dns1123_subdomain, "ReplicaSet": is_dns1123_subdomain,
    "ReplicationController": is_dns1123_subdomain, "Pod": is_dns1123_subdomain,
    "Endpoints": is_dns1123_subdomain, "Event": is_dns1123_subdomain,
    "Node": is_dns1123_subdomain, "Service": is_dns1035_label, "Namespace": is_dns1123_label,
}

_SPEC_FN = {
    "Deployment": validate_deployment_spec,
    "ReplicaSet": validate_replicaset_spec,
    "ReplicationController": validate_rc_spec,
    "Pod": validate_pod_spec,
    "Service": validate_service_spec,
}


def _causes_for(obj: dict) -> list:
    kind = _s(obj.get("kind"))
    causes = validate_object_meta(obj.get("metadata"), _NAME_FN.get(kind, is_dns1123_subdomain))
    spec_fn = _SPEC_FN.get(kind)
    if spec_fn is not None:
        causes += spec_fn(obj.get("spec"), "spec")
    return causes


def _raise(obj: dict, causes: list) -> None:
    if causes:
        raise Invalid(_s(obj.get("kind")), _s(_d(obj.get("metadata")).get("name")), causes)


def validate_create(obj: dict) -> None:
    """Raise Invalid with every cause the API server reports for a new object."""
    _raise(obj, _causes_for(obj))


def metadata_update_causes(old: dict, new: dict) -> list:
    """An update may not change an object's name, namespace or uid (ValidateObjectMetaUpdate)."""
    causes = []
    old_meta, new_meta = _d(old.get("metadata")), _d(new.get("metadata"))
    for key in ("name", "namespace", "uid"):
        if old_meta.get(key) and new_meta.get(key) != old_meta.get(key):
            causes.append(invalid(f"metadata.{key}", _s(new_meta.get(key)), IMMUTABLE_MSG))
    return causes


def validate_update(old: dict, new: dict) -> None:
    """Raise Invalid for an update: the new object's own problems plus immutable fields."""
    causes = metadata_update_causes(old, new)
    causes += _causes_for(new)
    kind = _s(new.get("kind"))
    old_spec, new_spec = _d(old.get("spec")), _d(new.get("spec"))
    if kind in ("Deployment", "ReplicaSet"):
        if old_spec.get("selector") != new_spec.get("selector"):
            causes.append(invalid("spec.selector", go_label_selector(new_spec.get("selector")),
                                  IMMUTABLE_MSG))
    elif kind == "Service":
        causes += _service_update(old_spec, new_spec)
    elif kind == "Pod":
        causes += _pod_update(old_spec, new_spec)
    _raise(new, causes)


def _cluster_ips(spec: dict) -> list:
    ips = _l(spec.get("clusterIPs"))
    if not ips and _s(spec.get("clusterIP")):
        ips = [spec["clusterIP"]]
    return ips


def _service_update(old: dict, new: dict) -> list:
    """validateUpgradeDowngradeClusterIPs (core validation): the primary clusterIP is fixed."""
    if "ExternalName" in (old.get("type"), new.get("type")):
        return []
    old_ips, new_ips = _cluster_ips(old), _cluster_ips(new)
    if not new_ips or not old_ips:
        return []  # the registry carries the allocated IPs over when the update omits them
    if old_ips[0] == "None" and new_ips[0] == "None":
        return []
    errs = []
    for i, ip in enumerate(old_ips):
        if i < len(new_ips) and new_ips[i] != ip:
            errs.append(invalid(f"spec.clusterIPs[{i}]", go_string_list(new_ips),
                                "may not change once set"))
    return errs


_POD_MUTABLE = ("`spec.containers[*].image`,`spec.initContainers[*].image`,"
                "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
                "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
                "was previously negative)")


def _pod_update(old: dict, new: dict) -> list:
    """ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change.
    (The real message ends with a diff of the spec, not reproduced here.)"""
    def strip(spec: dict) -> dict:
        spec = dict(spec)
        spec["containers"] = [{**_d(c), "image": None} for c in _l(spec.get("containers"))]
        spec["initContainers"] = [{**_d(c), "image": None}
                                  for c in _l(spec.get("initContainers"))]
        for key in ("activeDeadlineSeconds", "tolerations", "nodeName"):
            spec.pop(key, None)
        return spec

    if strip(old) != strip(new):
        return [forbidden("spec", f"pod updates may not change fields other than {_POD_MUTABLE}")]
    return []
