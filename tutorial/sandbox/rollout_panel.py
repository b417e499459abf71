"""The "Rollout" panel beside the live view: which Deployment, its chart, its "why" log.

The chart and the sentences come from tutorial/visuals (chart.py, why.py); this module only picks
the Deployment, decides when a rollout is over (for "until settled") and builds template contexts.
"""

from __future__ import annotations

from tutorial.visuals.chart import rollout_chart_context
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


def chosen_deployment(cluster, wanted: str | None) -> str | None:
    names = deployment_names(cluster)
    if wanted in names:
        return wanted
    return names[0] if names else None


def rollout_settled(deployment: dict | None) -> bool:
    """The condition under which `kubectl rollout status` stops waiting, successfully or not.

    kubectl/pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer.Status: done when
    observedGeneration >= generation and updated == replicas, no old replicas left
    (status.replicas == updated) and available == updated; it also stops with an error when the
    Progressing condition has reason ProgressDeadlineExceeded.
    """
    if not deployment:
        return True
    meta, spec, status = deployment.get("metadata") or {}, deployment.get("spec") or {}, deployment.get("status") or {}
    if status.get("observedGeneration", 0) < meta.get("generation", 0):
        return False
    for condition in status.get("conditions") or ():
        if condition.get("type") == "Progressing" and condition.get("reason") == "ProgressDeadlineExceeded":
            return True
    if spec.get("paused"):
        return True  # a paused rollout will not progress by waiting
    replicas = spec.get("replicas", 1)
    updated = status.get("updatedReplicas", 0)
    return (updated >= replicas and status.get("replicas", 0) <= updated
            and status.get("availableReplicas", 0) >= updated)


def get_deployment(cluster, ref: str | None) -> dict | None:
    if not ref:
        return None
    namespace, _, name = ref.partition("/")
    return cluster.get("Deployment", namespace, name)


def panel_context(cluster, ref: str | None, language: str, at: float | None = None) -> dict:
    """Context for templates/sandbox/_rollout_chart_panel.html and _rollout_why_panel.html; with
    `at` (replay), only what had happened by simulated time `at`."""
    if not ref:
        return {"rollout_ref": None, "chart": None, "why": []}
    namespace, _, name = ref.partition("/")
    samples = cluster.timeline(name, namespace)
    until = cluster.now
    if at is not None:
        samples = [s for s in samples if s.get("t", 0) <= at]
        until = at
    chart = rollout_chart_context(samples, language, deployment=name, until=until,
                                  id_prefix="rollout-chart") if samples else None
    why = explain_items(cluster, name, language, namespace=namespace)
    if at is not None:
        why = [item for item in why if item.get("t", 0) <= at]
    why = why[-WHY_ITEMS_SHOWN:]
    return {"rollout_ref": ref, "chart": chart, "why": why}
