"""Manifests and helpers for the engine tests (plain text, as a learner would write them)."""
from __future__ import annotations

import json

from simulator import Cluster


def deployment_yaml(name="kubia", replicas=3, image="luksa/kubia:v1", surge=None, unavailable=None,
                    strategy="RollingUpdate", min_ready=None, readiness=None, progress_deadline=None,
                    container="nodejs", port=8080, history_limit=None) -> str:
    spec = {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"name": name, "labels": {"app": name}},
                         "spec": {"containers": [{"name": container, "image": image,
                                                  "ports": [{"containerPort": port}]}]}}}
    if strategy == "Recreate":
        spec["strategy"] = {"type": "Recreate"}
    elif surge is not None or unavailable is not None:
        ru = {}
        if surge is not None:
            ru["maxSurge"] = surge
        if unavailable is not None:
            ru["maxUnavailable"] = unavailable
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": ru}
    if min_ready is not None:
        spec["minReadySeconds"] = min_ready
    if progress_deadline is not None:
        spec["progressDeadlineSeconds"] = progress_deadline
    if history_limit is not None:
        spec["revisionHistoryLimit"] = history_limit
    if readiness is not None:
        spec["template"]["spec"]["containers"][0]["readinessProbe"] = readiness
    return json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec})


def cluster_with(text: str, seed: int = 0, settle: float = 60) -> Cluster:
    c = Cluster(seed=seed)
    c.files["d.yaml"] = text
    r = c.run("kubectl create -f d.yaml")
    assert r.exit_code == 0, r.stderr
    c.advance(settle)
    return c


def rs_sizes(c: Cluster, name="kubia") -> list[tuple[int, int, int]]:
    """(revision, spec.replicas, available) of every ReplicaSet of the deployment, oldest first."""
    rows = c.timeline(name)[-1]["rs"]
    return [(r[1], r[2], r[5]) for r in rows]


def deployment_events(c: Cluster, name="kubia") -> list[str]:
    evs = [e for e in c.list("Event", "default") if e["involvedObject"]["kind"] == "Deployment"
           and e["involvedObject"]["name"] == name]
    evs.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [e["message"] for e in evs]


def pods(c: Cluster, terminating=False):
    return [p for p in c.list("Pod", "default") if bool(p["metadata"].get("deletionTimestamp")) == terminating]
