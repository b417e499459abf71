"""What every describer shares (kubernetes/kubectl pkg/describe/describe.go): the PrefixWriter over
tabbedString's tabwriter, label/annotation blocks (printLabelsMultiline,
printAnnotationsMultiline), the Events table (DescribeEvents) and small readers of loose JSON.
describe.py and the describers beside it (ConfigMap/Secret, Namespace) build on this."""
from __future__ import annotations

from simulator.timeutil import to_rfc1123z

from .context import PrintContext
from .gosort import go_sort
from .tabwriter import TabWriter, describe_writer

MAX_ANNOTATION_LEN = 140  # describe.go maxAnnotationLen
SKIP_ANNOTATIONS = {"kubectl.kubernetes.io/last-applied-configuration"}


def _d(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


def _s(v) -> str:
    return v if isinstance(v, str) else ""


def _i(v, default: int = 0) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) else default


def _intstr(v) -> str:
    """intstr.IntOrString.String()."""
    if isinstance(v, bool):
        return ""
    if isinstance(v, int):
        return str(v)
    return _s(v)


class PrefixWriter:
    """describe.go prefixWriter: `level` × 2 spaces before each write; `flush` flushes the tabwriter."""

    def __init__(self, tw: TabWriter | None):
        self.tw = tw
        self.parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        text = "  " * level + text
        if self.tw is None:
            self.parts.append(text)
        else:
            self.tw.write(text)

    def write_line(self, text: str) -> None:
        self.write(0, text + "\n")

    def flush(self) -> None:
        if self.tw is not None:
            self.parts.append(self.tw.flush())

    def text(self) -> str:
        self.flush()
        return "".join(self.parts)


def _tabbed(fn) -> str:
    w = PrefixWriter(describe_writer())
    fn(w)
    return w.text()


# ---------------------------------------------------------------------------------------------
# shared pieces


def _time(ctx: PrintContext, text) -> str:
    t = ctx.seconds(text)
    if t is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"  # Go's zero time.Time in RFC1123Z
    return to_rfc1123z(ctx.epoch, t)


def print_labels_multiline(w: PrefixWriter, title: str, labels, initial_indent: str = "", inner_indent: str = "\t") -> None:
    w.write(0, f"{initial_indent}{title}:{inner_indent}")
    labels = _d(labels)
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, initial_indent)
            w.write(0, inner_indent)
        w.write(0, f"{key}={labels[key]}\n")


def _shorten(s: str, n: int) -> str:
    return s[:n] + "..." if len(s) > n else s


def print_annotations_multiline(w: PrefixWriter, title: str, annotations) -> None:
    w.write(0, f"{title}:\t")
    annotations = _d(annotations)
    keys = sorted(k for k in annotations if k not in SKIP_ANNOTATIONS)
    if not keys:
        w.write_line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i:
            w.write(0, indent)
        value = _s(annotations[key])
        if value.endswith("\n"):
            value = value[:-1]
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(0, f"{indent}  {_shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def describe_events(w: PrefixWriter, events, ctx: PrintContext) -> None:
    """describe.go DescribeEvents (events sorted by lastTimestamp, event.SortableEvents)."""
    events = [_d(e) for e in _l(events)]
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    # event.SortableEvents with Go's unstable sort.Sort: equal times keep the order Go leaves them in
    def when(e):
        t = ctx.seconds(e.get("lastTimestamp"))
        return float("-inf") if t is None else t

    go_sort(events, lambda x, y: when(x) < when(y))
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in events:
        first = ctx.since(e.get("eventTime")) if ctx.seconds(e.get("eventTime")) is not None \
            else ctx.since(e.get("firstTimestamp"))
        series = e.get("series")
        if isinstance(series, dict):
            interval = f"{ctx.since(series.get('lastObservedTime'))} (x{_i(series.get('count'))} over {first})"
        elif _i(e.get("count")) > 1:
            interval = f"{ctx.since(e.get('lastTimestamp'))} (x{e['count']} over {first})"
        else:
            interval = first
        source = _s(_d(e.get("source")).get("component")) or _s(e.get("reportingController"))
        w.write(1, f"{_s(e.get('type'))}\t{_s(e.get('reason'))}\t{interval}\t{source}\t{_s(e.get('message')).strip()}\n")
