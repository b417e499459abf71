"""Label selectors: matching and formatting, as apimachinery does it.

- metav1.LabelSelector (Deployment/ReplicaSet `spec.selector`): converted like
  apimachinery pkg/apis/meta/v1/helpers.go `LabelSelectorAsSelector` — None selects nothing,
  `{}` selects everything, otherwise every requirement must match.
- map selectors (Service / ReplicationController `spec.selector`): `k: v` pairs, all must equal.
- Formatting follows pkg/labels/selector.go `Requirement.String` / `internalSelector.String`
  (requirements sorted by key, values sorted) and metav1 `FormatLabelSelector` (`<none>` when empty).

Selectors that reach this module were validated by the API layer; a malformed one (unknown
operator, non-dict) simply matches nothing instead of raising, and formats as `<error>` like
FormatLabelSelector does when LabelSelectorAsSelector fails.
"""
from __future__ import annotations

from typing import Any

_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def _requirements(selector: dict) -> list[tuple[str, str, list[str]]] | None:
    """(key, operator, values) triples sorted by key (stable, as Go's insertion sort for small n);
    None when the selector is malformed (LabelSelectorAsSelector would return an error)."""
    match_labels = selector.get("matchLabels") or {}
    exprs = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(exprs, list):
        return None
    reqs: list[tuple[str, str, list[str]]] = []
    for k, v in match_labels.items():
        if not isinstance(k, str) or not isinstance(v, str):
            return None
        reqs.append((k, "=", [v]))
    for e in exprs:
        if not isinstance(e, dict):
            return None
        key, op, values = e.get("key"), e.get("operator"), e.get("values") or []
        if not isinstance(key, str) or op not in _OPERATORS or not isinstance(values, list):
            return None
        if not all(isinstance(v, str) for v in values):
            return None
        # NewRequirement: In/NotIn need values; Exists/DoesNotExist must have none
        if op in ("In", "NotIn") and not values:
            return None
        if op in ("Exists", "DoesNotExist") and values:
            return None
        reqs.append((key, op, list(values)))
    reqs.sort(key=lambda r: r[0])
    return reqs


def _requirement_matches(key: str, op: str, values: list[str], labels: dict) -> bool:
    # pkg/labels/selector.go Requirement.Matches
    if op in ("=", "In"):
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    return False


def selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """Does a metav1.LabelSelector select an object with these labels?"""
    if selector is None or not isinstance(selector, dict):
        return False  # labels.Nothing()
    reqs = _requirements(selector)
    if reqs is None:
        return False
    labels = labels if isinstance(labels, dict) else {}
    return all(_requirement_matches(k, op, vals, labels) for k, op, vals in reqs)


def map_selector_matches(selector: dict | None, labels: dict | None, *, empty_selects_all: bool = False) -> bool:
    """A map selector (Service `spec.selector`, RC `spec.selector`).

    For a Service, None/`{}` selects nothing: the endpoints controllers skip services without a
    selector (kubernetes/kubernetes pkg/controller/endpoint/endpoints_controller.go syncService:
    `if service.Spec.Selector == nil { return nil }`; an empty map does not survive the
    protobuf round trip, so it is nil too). `labels.SelectorFromSet` itself treats an empty set
    as Everything, which is what `empty_selects_all=True` gives (an RC's selector is defaulted
    from its template labels and validated non-empty, so this rarely matters there).
    """
    if not selector or not isinstance(selector, dict):
        return empty_selects_all and isinstance(selector, dict | None)
    labels = labels if isinstance(labels, dict) else {}
    return all(k in labels and labels[k] == v for k, v in selector.items())


def _requirement_string(key: str, op: str, values: list[str]) -> str:
    # pkg/labels/selector.go Requirement.String: values sorted, `in (a,b)` with parentheses
    if op == "DoesNotExist":
        return "!" + key
    if op == "Exists":
        return key
    joined = ",".join(sorted(values))
    if op == "=":
        return f"{key}={joined}"
    if op == "In":
        return f"{key} in ({joined})"
    return f"{key} notin ({joined})"


def selector_string(selector: dict | None) -> str:
    """labels.Selector.String() of LabelSelectorAsSelector(selector): '' for None or `{}`."""
    if selector is None or not isinstance(selector, dict):
        return ""
    reqs = _requirements(selector)
    if reqs is None:
        return "<error>"
    return ",".join(_requirement_string(*r) for r in reqs)


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: `app=kubia,pod-template-hash=74967b5695`, `<none>` if empty."""
    s = selector_string(selector)
    return s or "<none>"


def format_map_selector(selector: dict | None) -> str:
    """A Service/RC map selector as kubectl prints it (labels.FormatLabels): sorted `k=v`, `<none>`."""
    return format_labels(selector)


def format_labels(labels: dict[str, Any] | None) -> str:
    """labels.FormatLabels: sorted `k=v,k2=v2`; `<none>` when empty."""
    if not labels or not isinstance(labels, dict):
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))
