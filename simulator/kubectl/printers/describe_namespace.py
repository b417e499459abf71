"""`kubectl describe namespace` (kubectl pkg/describe/describe.go NamespaceDescriber, describeNamespace):
Name, Labels, Annotations, Status, its conditions when it has any, then the namespace's
ResourceQuotas and LimitRanges. The simulator serves neither kind, so both lists are empty
(DescribeResourceQuotas: `No resource quota.`, DescribeLimitRanges: `No LimitRange resource.`).
NamespaceDescriber prints no events."""
from __future__ import annotations

from .context import PrintContext
from .describe_base import _d, _l, _s, _tabbed, _time, print_annotations_multiline, print_labels_multiline


def describe_namespace(ns: dict, ctx: PrintContext, events, related: dict) -> str:
    meta, status = _d(ns.get("metadata")), _d(ns.get("status"))

    def body(w) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, f"Status:\t{_s(status.get('phase'))}\n")
        conditions = _l(status.get("conditions"))
        if conditions:
            w.write(0, "Conditions:\n")
            w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
            w.write(1, "----\t------\t------------------\t------\t-------\n")
            for c in map(_d, conditions):
                w.write(1, f"{_s(c.get('type'))}\t{_s(c.get('status'))}\t{_time(ctx, c.get('lastTransitionTime'))}"
                           f"\t{_s(c.get('reason'))}\t{_s(c.get('message'))}\n")
        w.write(0, "\n")
        w.write(0, "No resource quota.\n")
        w.write(0, "\n")
        w.write(0, "No LimitRange resource.\n")

    return _tabbed(body)
