"""`-l/--selector` and `--field-selector` as kubectl and the API server handle them.

kubectl sends both strings to the server untouched; the server parses them and, on failure,
answers 400. kubectl then rewrites the message (cli-runtime pkg/resource/selector.go
`Selector.Visit`): `Unable to find "<gvr>" that match label selector "<l>", field selector "<f>": <err>`.

- Label selectors: apimachinery pkg/labels/selector.go (Lexer/Parser, NewRequirement, the
  `unable to parse requirement: ` wrapping) and pkg/util/validation/validation.go messages.
- Field selectors: apimachinery pkg/fields/selector.go (splitTerms/splitTerm/UnescapeValue) and
  the per-kind field label conversions (kubernetes pkg/apis/core/v1/conversion.go; kinds without
  one fall back to runtime.DefaultMetaV1FieldSelectorConversion — this includes ReplicaSet and
  Deployment: `status.replicas` on a ReplicaSet is rejected, kubernetes/kubernetes#135136).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from simulator.api.errors import BadRequest
# apimachinery validation.IsQualifiedName / IsValidLabelValue: one port, shared with the API server
from simulator.api.validation import is_qualified_name as qualified_name_errors
from simulator.api.validation import is_valid_label_value as label_value_errors
from simulator.gofmt import go_quote as _go_quote


def _aggregate(msgs: list[str]) -> str:
    # field.ErrorList.ToAggregate + utilerrors.aggregate.Error (dedup, "[a, b]" when several)
    seen: list[str] = []
    for m in msgs:
        if m not in seen:
            seen.append(m)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


class SelectorSyntaxError(Exception):
    """The server's parse error text (before kubectl adds the `Unable to find` prefix)."""


# --------------------------------------------------------------------------- label selector lexer
_SPECIAL = set("=!(),><")
_WS = set(" \t\r\n")
_TOKENS = {")": "CLOSEPAR", ",": "COMMA", "!": "NOT", "==": "DEQ", "=": "EQ", ">": "GT", "in": "IN",
           "<": "LT", "!=": "NEQ", "notin": "NOTIN", "(": "OPENPAR"}
_BINARY_OPS = ["in", "notin", "=", "==", "!=", "gt", "lt"]  # labels.binaryOperators, in order


def _lex(s: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    pos, n = 0, len(s)
    while True:
        while pos < n and s[pos] in _WS:
            pos += 1
        if pos >= n or s[pos] == "\0":
            items.append(("EOS", ""))
            return items
        if s[pos] in _SPECIAL:
            # scanSpecialSymbol: longest run of special chars that is still a known token
            buf, last, lastpos = "", None, pos
            while pos < n and s[pos] in _SPECIAL:
                buf += s[pos]
                pos += 1
                if buf in _TOKENS:
                    last, lastpos = (_TOKENS[buf], buf), pos
                elif last is not None:
                    pos = lastpos
                    break
            if last is None:
                items.append(("ERROR", f"error expected: keyword found '{buf}'"))
            else:
                items.append(last)
                pos = lastpos
            continue
        start = pos
        while pos < n and s[pos] not in _SPECIAL and s[pos] not in _WS and s[pos] != "\0":
            pos += 1
        word = s[start:pos]
        items.append((_TOKENS[word], word) if word in ("in", "notin") else ("ID", word))


@dataclass(frozen=True)
class Requirement:
    key: str
    op: str  # "=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt"
    values: tuple[str, ...]

    def matches(self, labels: dict) -> bool:
        # labels.Requirement.Matches
        has = self.key in labels
        if self.op in ("=", "==", "in"):
            return has and labels[self.key] in self.values
        if self.op in ("!=", "notin"):
            return not has or labels[self.key] not in self.values
        if self.op == "exists":
            return has
        if self.op == "!":
            return not has
        if not has:
            return False
        try:
            lv, rv = int(labels[self.key]), int(self.values[0])
        except (ValueError, TypeError):
            return False
        return lv > rv if self.op == "gt" else lv < rv

    def __str__(self) -> str:
        if self.op == "!":
            return "!" + self.key
        if self.op == "exists":
            return self.key
        vals = ",".join(sorted(self.values))
        sym = {"=": "=", "==": "==", "!=": "!=", "gt": ">", "lt": "<"}.get(self.op)
        if sym:
            return self.key + sym + vals
        return f"{self.key} {self.op} ({vals})"


_INT_RE = re.compile(r"^[+-]?[0-9]+$")


def _new_requirement(key: str, op: str, values: list[str]) -> Requirement:
    """labels.NewRequirement with the path the parser passes (nil)."""
    errs: list[str] = []
    kerr = qualified_name_errors(key)
    if kerr:
        errs.append(f"key: Invalid value: {_go_quote(key)}: " + "; ".join(kerr))
    if op in ("gt", "lt"):
        for i, v in enumerate(values):
            if not _INT_RE.match(v) or not (-(2 ** 63) <= int(v) < 2 ** 63):
                errs.append(f"values[{i}]: Invalid value: {_go_quote(v)}: "
                            "for 'Gt', 'Lt' operators, the value must be an integer")
    for i, v in enumerate(values):
        verr = label_value_errors(v)
        if verr:
            errs.append(f"values[{i}][{key}]: Invalid value: {_go_quote(v)}: " + "; ".join(verr))
    if errs:
        raise SelectorSyntaxError(_aggregate(errs))
    return Requirement(key, op, tuple(values))


class _Parser:
    def __init__(self, text: str):
        self.items = _lex(text)
        self.pos = 0

    def _tok(self, i: int, values_ctx: bool) -> tuple[str, str]:
        tok, lit = self.items[min(i, len(self.items) - 1)]
        if values_ctx and tok in ("IN", "NOTIN"):
            tok = "ID"
        return tok, lit

    def look(self, values_ctx: bool = True) -> tuple[str, str]:
        return self._tok(self.pos, values_ctx)

    def take(self, values_ctx: bool = True) -> tuple[str, str]:
        t = self._tok(self.pos, values_ctx)
        self.pos += 1
        return t

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.look()
            if tok in ("ID", "NOT"):
                try:
                    reqs.append(self.requirement())
                except SelectorSyntaxError as e:
                    raise SelectorSyntaxError(f"unable to parse requirement: {e}") from None
                t, l = self.take()
                if t == "EOS":
                    return reqs
                if t == "COMMA":
                    t2, l2 = self.look()
                    if t2 not in ("ID", "NOT"):
                        raise SelectorSyntaxError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise SelectorSyntaxError(f"found '{l}', expected: ',' or 'end of string'")
            elif tok == "EOS":
                return reqs
            else:
                raise SelectorSyntaxError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        op = None
        tok, lit = self.take()
        if tok == "NOT":
            op = "!"
            tok, lit = self.take()
        if tok != "ID":
            raise SelectorSyntaxError(f"found '{lit}', expected: identifier")
        kerr = qualified_name_errors(lit)
        if kerr:
            raise SelectorSyntaxError(f"<nil>: Invalid value: {_go_quote(lit)}: " + "; ".join(kerr))
        key = lit
        if self.look()[0] in ("EOS", "COMMA"):
            op = op or "exists"
        if op in ("exists", "!"):
            return _new_requirement(key, op, [])
        tok, lit = self.take(values_ctx=False)
        ops = {"IN": "in", "EQ": "=", "DEQ": "==", "GT": "gt", "LT": "lt", "NOTIN": "notin", "NEQ": "!="}
        if tok not in ops:
            raise SelectorSyntaxError(f"found '{lit}', expected: {', '.join(_BINARY_OPS)}")
        op = ops[tok]
        values = self.set_values() if op in ("in", "notin") else self.exact_value()
        return _new_requirement(key, op, sorted(values))

    def set_values(self) -> set[str]:
        tok, lit = self.take()
        if tok != "OPENPAR":
            raise SelectorSyntaxError(f"found '{lit}' expected: '('")
        tok, lit = self.look()
        if tok in ("ID", "COMMA"):
            s = self.identifiers()
            if self.take()[0] != "CLOSEPAR":
                raise SelectorSyntaxError(f"found '{lit}', expected: ')'")
            return s
        if tok == "CLOSEPAR":
            self.take()
            return {""}
        raise SelectorSyntaxError(f"found '{lit}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        s: set[str] = set()
        while True:
            tok, lit = self.take()
            if tok == "ID":
                s.add(lit)
                t2, l2 = self.look()
                if t2 == "COMMA":
                    continue
                if t2 == "CLOSEPAR":
                    return s
                raise SelectorSyntaxError(f"found '{l2}', expected: ',' or ')'")
            if tok == "COMMA":
                if not s:
                    s.add("")
                t2, _ = self.look()
                if t2 == "CLOSEPAR":
                    s.add("")
                    return s
                if t2 == "COMMA":
                    self.take()
                    s.add("")
            else:
                raise SelectorSyntaxError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        tok, _ = self.look()
        if tok in ("EOS", "COMMA"):
            return {""}
        tok, lit = self.take()
        if tok == "ID":
            return {lit}
        raise SelectorSyntaxError(f"found '{lit}', expected: identifier")


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple[Requirement, ...]

    def matches(self, labels: dict | None) -> bool:
        labels = labels if isinstance(labels, dict) else {}
        return all(r.matches(labels) for r in self.requirements)

    def __call__(self, labels: dict | None) -> bool:
        return self.matches(labels)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def parse_label_selector(text: str) -> LabelSelector:
    """labels.Parse. Raises SelectorSyntaxError carrying the server's message."""
    reqs = _Parser(text).parse()
    reqs.sort(key=lambda r: r.key)  # sort.Sort(ByKey): insertion sort for small n, i.e. stable
    return LabelSelector(tuple(reqs))


# --------------------------------------------------------------------------- field selectors
def _split_terms(s: str) -> list[str]:
    if not s:
        return []
    terms, start, in_slash = [], 0, False
    for i, c in enumerate(s):
        if in_slash:
            in_slash = False
        elif c == "\\":
            in_slash = True
        elif c == ",":
            terms.append(s[start:i])
            start = i + 1
    terms.append(s[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op):]
    return None


def _unescape(s: str) -> str:
    if not any(c in s for c in "\\,="):
        return s
    out, in_slash = [], False
    for c in s:
        if in_slash:
            if c in "\\,=":
                out.append(c)
            else:
                raise SelectorSyntaxError(f"invalid field selector: invalid escape sequence: \\{c}")
            in_slash = False
            continue
        if c == "\\":
            in_slash = True
        elif c in ",=":
            raise SelectorSyntaxError(f"invalid field selector: unescaped character in value: {ord(c)}")
        else:
            out.append(c)
    if in_slash:
        raise SelectorSyntaxError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


@dataclass(frozen=True)
class FieldTerm:
    field: str
    op: str  # "=" or "!="
    value: str


def parse_field_selector(text: str) -> list[FieldTerm]:
    """fields.ParseSelector (terms sorted as strings, empty terms skipped)."""
    terms = []
    for part in sorted(_split_terms(text)):
        if part == "":
            continue
        split = _split_term(part)
        if split is None:
            raise SelectorSyntaxError(f"invalid selector: '{text}'; can't understand '{part}'")
        lhs, op, rhs = split
        terms.append(FieldTerm(lhs, "!=" if op == "!=" else "=", _unescape(rhs)))
    return terms


# Field labels each kind's conversion func accepts (kubernetes pkg/apis/core/v1/conversion.go).
# Kinds not listed use DefaultMetaV1FieldSelectorConversion (name/namespace only).
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "Pod": ("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
            "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
            "status.podIP", "status.podIPs", "status.nominatedNodeName", "spec.host"),
    "Event": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
              "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
              "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
              "metadata.namespace", "metadata.name"),
    "ReplicationController": ("metadata.name", "metadata.namespace", "status.replicas"),
    "Service": ("metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"),
    "Namespace": ("status.phase", "metadata.name"),
    "Node": ("metadata.name", "spec.unschedulable"),
    "Secret": ("type", "metadata.namespace", "metadata.name"),
}


def _convert_field_label(kind: str, label: str) -> str:
    allowed = FIELD_LABELS.get(kind)
    if allowed is None:
        if label in ("metadata.name", "metadata.namespace"):
            return label
        raise SelectorSyntaxError(
            f'{_go_quote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"')
    if label not in allowed:
        raise SelectorSyntaxError(f"field label not supported: {label}")
    return "spec.nodeName" if (kind, label) == ("Pod", "spec.host") else label


def _dig(obj: dict, *path: str):
    cur = obj
    for p in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def _str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def selectable_fields(kind: str, obj: dict) -> dict[str, str]:
    """The field set the registry's ToSelectableFields/GetAttrs builds for this object."""
    meta = obj.get("metadata") or {}
    fields = {"metadata.name": _str(meta.get("name")), "metadata.namespace": _str(meta.get("namespace"))}
    if kind == "Pod":
        ips = _dig(obj, "status", "podIPs") or []
        first_ip = _str(ips[0].get("ip")) if ips and isinstance(ips[0], dict) else _str(_dig(obj, "status", "podIP"))
        fields.update({
            "spec.nodeName": _str(_dig(obj, "spec", "nodeName")),
            "spec.restartPolicy": _str(_dig(obj, "spec", "restartPolicy")),
            "spec.schedulerName": _str(_dig(obj, "spec", "schedulerName")),
            "spec.serviceAccountName": _str(_dig(obj, "spec", "serviceAccountName")),
            "spec.hostNetwork": "true" if _dig(obj, "spec", "hostNetwork") else "false",
            "status.phase": _str(_dig(obj, "status", "phase")),
            "status.podIP": first_ip,
            "status.nominatedNodeName": _str(_dig(obj, "status", "nominatedNodeName")),
        })
    elif kind == "Event":
        for f in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"):
            fields["involvedObject." + f] = _str(_dig(obj, "involvedObject", f))
        fields.update({"reason": _str(obj.get("reason")), "type": _str(obj.get("type")),
                       "reportingComponent": _str(obj.get("reportingComponent")),
                       "source": _str(_dig(obj, "source", "component"))})
    elif kind == "ReplicationController":
        fields["status.replicas"] = _str(_dig(obj, "status", "replicas") or 0)
    elif kind == "Service":
        fields["spec.clusterIP"] = _str(_dig(obj, "spec", "clusterIP"))
        fields["spec.type"] = _str(_dig(obj, "spec", "type"))
    elif kind == "Namespace":
        fields["status.phase"] = _str(_dig(obj, "status", "phase"))
        fields.pop("metadata.namespace")
    elif kind == "Secret":
        fields["type"] = _str(obj.get("type"))
    return fields


# --------------------------------------------------------------------------- kubectl's view
# GroupVersionResource.String() as kubectl prints it in the "Unable to find" message
_GVR = {
    "Pod": "/v1, Resource=pods", "Service": "/v1, Resource=services", "Event": "/v1, Resource=events",
    "ReplicationController": "/v1, Resource=replicationcontrollers", "Namespace": "/v1, Resource=namespaces",
    "Node": "/v1, Resource=nodes", "Endpoints": "/v1, Resource=endpoints", "Secret": "/v1, Resource=secrets",
    "ConfigMap": "/v1, Resource=configmaps", "ServiceAccount": "/v1, Resource=serviceaccounts",
    "Deployment": "apps/v1, Resource=deployments", "ReplicaSet": "apps/v1, Resource=replicasets",
    "StatefulSet": "apps/v1, Resource=statefulsets", "DaemonSet": "apps/v1, Resource=daemonsets",
}


def gvr_string(kind: str) -> str:
    return _GVR.get(kind, f"/v1, Resource={kind.lower()}s")


def selector_error(kind: str, label_selector: str, field_selector: str, message: str) -> BadRequest:
    """cli-runtime Selector.Visit's rewrite of the server's 400."""
    if not label_selector and not field_selector:
        return BadRequest(f"Unable to list {_go_quote(gvr_string(kind))}: {message}")
    return BadRequest(f"Unable to find {_go_quote(gvr_string(kind))} that match label selector "
                      f"{_go_quote(label_selector)}, field selector {_go_quote(field_selector)}: {message}")


def compile_selectors(kind: str, label_selector: str = "", field_selector: str = "") -> Callable[[dict], bool]:
    """A predicate over objects of `kind` for `kubectl get KIND -l … --field-selector …`.

    Errors are raised as the BadRequest kubectl prints. The server decodes labelSelector before
    fieldSelector (ListOptions field order), then converts field labels.
    """
    try:
        lsel = parse_label_selector(label_selector)
        terms = parse_field_selector(field_selector)
        terms = [FieldTerm(_convert_field_label(kind, t.field), t.op, t.value) for t in terms]
    except SelectorSyntaxError as e:
        raise selector_error(kind, label_selector, field_selector, str(e)) from None

    def predicate(obj: dict) -> bool:
        if not isinstance(obj, dict):
            return False
        if not lsel.matches((obj.get("metadata") or {}).get("labels")):
            return False
        if terms:
            fields = selectable_fields(kind, obj)
            for t in terms:
                v = fields.get(t.field, "")
                if (v == t.value) != (t.op == "="):
                    return False
        return True

    return predicate
