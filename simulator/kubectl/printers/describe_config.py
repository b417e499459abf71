"""`kubectl describe configmap|secret` (kubectl pkg/describe/describe.go ConfigMapDescriber,
SecretDescriber: ConfigMap values are shown, Secret values only as their size in bytes). Go
iterates the maps in random order; keys are sorted here so that output is reproducible."""
from __future__ import annotations

import base64

from .context import PrintContext
from .describe_base import _d, _s, _tabbed, describe_events, print_annotations_multiline, print_labels_multiline


def describe_configmap(cm: dict, ctx: PrintContext, events, related: dict) -> str:
    meta = _d(cm.get("metadata"))

    def body(w) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, "\nData\n====\n")
        data = _d(cm.get("data"))
        for k in sorted(data):
            w.write(0, f"{k}:\n----\n")
            w.write(0, f"{_s(data[k])}\n")
            w.write(0, "\n")
        w.write(0, "\nBinaryData\n====\n")
        binary = _d(cm.get("binaryData"))
        for k in sorted(binary):
            w.write(0, f"{k}: {_size(binary[k])} bytes\n")
        w.write(0, "\n")
        if events is not None:
            describe_events(w, events, ctx)

    return _tabbed(body)


def describe_secret(secret: dict, ctx: PrintContext, events, related: dict) -> str:
    meta = _d(secret.get("metadata"))

    def body(w) -> None:
        w.write(0, f"Name:\t{_s(meta.get('name'))}\n")
        w.write(0, f"Namespace:\t{_s(meta.get('namespace'))}\n")
        print_labels_multiline(w, "Labels", meta.get("labels"))
        print_annotations_multiline(w, "Annotations", meta.get("annotations"))
        w.write(0, f"\nType:\t{_s(secret.get('type'))}\n")
        w.write(0, "\nData\n====\n")
        data = _d(secret.get("data"))
        for k in sorted(data):
            w.write(0, f"{k}:\t{_size(data[k])} bytes\n")

    return _tabbed(body)


def _size(value) -> int:
    try:
        return len(base64.b64decode(str(value)))
    except ValueError:
        return 0
