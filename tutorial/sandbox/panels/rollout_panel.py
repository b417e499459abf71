"""The "Rollout" panel beside the live view: which Deployment, its chart, its "why" log.

The chart and the sentences come from tutorial/visuals (chart.py, why.py); this module only picks
the Deployment, decides when a rollout is over (for "until settled") and builds template contexts.
"""

from __future__ import annotations

from tutorial.cluster_memo import ClusterMemo
from tutorial.visuals.chart import rollout_chart_context, rollout_chart_svg
from tutorial.visuals.why import explain_items

SETTLE_LIMIT_SECONDS = 600.0
WHY_ITEMS_SHOWN = 40  # the newest ones; the log scrolls


def deployment_names(cluster) -> list[str]:
    """Deployments as "namespace/name", default namespace first, then by name."""
    names = []
    for deployment in cluster.list("Deployment", copy=False):
        meta = deployment.get("metadata") or {}
        if meta.get("name"):
            names.append(f"{meta.get('namespace', 'default')}/{meta['name']}")
    return sorted(names, key=lambda n: (not n.startswith("default/"), n))


def rolling_deployment(cluster) -> str | None:
    """The Deployment whose rollout is under way (not settled), the most recently changed first;
    None when every rollout is over."""
    rolling = []
    for deployment in cluster.list("Deployment", copy=False):  # only read: no copies
        meta = deployment.get("metadata") or {}
        namespace, name = meta.get("namespace", "default"), meta.get("name")
        status = cluster.rollout_status(name, namespace) if name else None
        if status is not None and not status.done:
            rolling.append((int(meta.get("resourceVersion") or 0), f"{namespace}/{name}"))
    return max(rolling)[1] if rolling else None


def chosen_deployment(cluster, wanted: str | None) -> str | None:
    names = deployment_names(cluster)
    if wanted in names:
        return wanted
    return names[0] if names else None


class RolloutChoice:
    """Which Deployment the panel shows: the learner's pick while it exists; otherwise the one
    rolling out now, and after its rollout the one followed last (so the chart does not jump
    back to the first Deployment when `web`'s rollout ends), else the first by name."""

    def __init__(self) -> None:
        self.picked: str | None = None
        self.followed: str | None = None

    def pick(self, ref: str | None) -> None:
        self.picked = ref

    def ref(self, cluster) -> str | None:
        names = deployment_names(cluster)
        if self.picked in names:
            return self.picked
        rolling = rolling_deployment(cluster)
        if rolling is not None:
            self.followed = rolling
            return rolling
        return chosen_deployment(cluster, self.followed)


def rollout_settled(cluster, ref: str | None) -> bool:
    """The condition under which `kubectl rollout status` stops waiting, successfully or not
    (Cluster.rollout_status, kubectl's DeploymentStatusViewer); a paused or missing Deployment
    counts as settled: waiting would not move it."""
    if not ref:
        return True
    namespace, _, name = ref.partition("/")
    status = cluster.rollout_status(name, namespace)
    return status is None or status.done


class Kept:
    """What one cluster's panel contexts keep from one to the next (panel_context), and the HTML its
    parts were last rendered to (panels/fragments.py rollout_parts, by template name)."""

    __slots__ = ("chart", "why", "parts", "__weakref__")

    def __init__(self) -> None:
        self.chart: tuple | None = None  # ((ref, language, samples), chart context, until)
        self.why: tuple | None = None  # ((ref, language, samples, decisions), why items)
        self.parts: dict[str, tuple] = {}


_KEPT = ClusterMemo(Kept)  # Cluster → Kept, as long as it lives


def kept(cluster) -> Kept:
    return _KEPT.of(cluster)


def panel_context(cluster, ref: str | None, language: str, at: float | None = None, *,
                  why: bool = True) -> dict:
    """Context for templates/sandbox/_rollout_chart_panel.html and _rollout_why_panel.html; with
    `at` (replay), only what had happened by simulated time `at`.

    The chart's table, legend and caption depend on the samples alone and the why-log on the
    samples and the controller's decisions: while those are equal to the last ones (a change of
    an object the chart does not show), only the chart's SVG is drawn again, for the new `until`."""
    if not ref:
        return {"rollout_ref": None, "chart": None, "why": []}
    memory = kept(cluster)
    namespace, _, name = ref.partition("/")
    recorded = samples = cluster.timeline(name, namespace)
    until = cluster.now
    if at is not None:
        samples = [s for s in samples if s.get("t", 0) <= at]
        until = at
    chart = None
    if samples:
        key = (ref, language, samples)
        last = memory.chart
        if last is not None and last[0] == key:
            chart = last[1] if last[2] == until else {
                **last[1], "svg": rollout_chart_svg(samples, language, deployment=name, until=until,
                                                    id_prefix="rollout-chart")}
        else:
            chart = rollout_chart_context(samples, language, deployment=name, until=until, id_prefix="rollout-chart")
        memory.chart = (key, chart, until)
    if not why:  # no window shows the why-log (Screen.shown): not explained now
        return {"rollout_ref": ref, "chart": chart, "why": None}
    key = (ref, language, recorded, cluster.decisions(name, namespace))  # what explain_items reads
    if memory.why is not None and memory.why[0] == key:
        why = memory.why[1]
    else:
        why = explain_items(cluster, name, language, namespace=namespace)
        memory.why = (key, why)
    if at is not None:
        why = [item for item in why if item.get("t", 0) <= at]
    why = why[-WHY_ITEMS_SHOWN:]
    return {"rollout_ref": ref, "chart": chart, "why": why}
