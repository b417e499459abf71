"""Simulator cost: a rolling update of N replicas to completion, and a lesson-sized snapshot.

Prints figures; asserts nothing (tests never time things). Run: `python bench/bench_simulator.py`.
The sandbox caps (simulator/limits.py) are lifted here so 1,000 replicas can be measured.
"""
from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from simulator import Cluster, limits  # noqa: E402


def manifest(replicas: int) -> str:
    return json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "kubia"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "kubia"}},
                 "template": {"metadata": {"labels": {"app": "kubia"}},
                              "spec": {"containers": [{"name": "nodejs", "image": "luksa/kubia:v1",
                                                       "ports": [{"containerPort": 8080}]}]}}}})


def rolling_update(replicas: int, trace_memory: bool = False) -> tuple[float, float, float]:
    """CPU seconds of (create to ready, update to complete); peak MB only when traced, because
    tracemalloc slows Python down several times and would spoil the CPU figures."""
    c = Cluster(seed=1)
    c.files["d.yaml"] = manifest(replicas)
    if trace_memory:
        tracemalloc.start()
    t0 = time.process_time()
    c.run("kubectl create -f d.yaml")
    c.run("kubectl rollout status deployment kubia")
    t1 = time.process_time()
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    r = c.run("kubectl rollout status deployment kubia")
    t2 = time.process_time()
    peak = 0.0
    if trace_memory:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    assert r.exit_code == 0, r.stderr
    return t1 - t0, t2 - t1, peak


def lesson_snapshot_size() -> int:
    """The deployment-basics lesson after its story: 3 replicas, a Service, two rollouts, events."""
    c = Cluster(seed=1)
    c.files["d.yaml"] = manifest(3)
    c.files["svc.yaml"] = json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia"},
                                      "spec": {"selector": {"app": "kubia"}, "ports": [{"port": 80, "targetPort": 8080}]}})
    for line in ["kubectl create -f d.yaml --record", "kubectl create -f svc.yaml",
                 "kubectl rollout status deployment kubia",
                 "kubectl set image deployment kubia nodejs=luksa/kubia:v2", "kubectl rollout status deployment kubia",
                 "curl -s kubia", "kubectl rollout undo deployment kubia", "kubectl rollout status deployment kubia"]:
        c.run(line)
    c.advance(60)
    return len(json.dumps(c.snapshot()))


def main() -> None:
    limits.MAX_REPLICAS = limits.MAX_PODS = 5000
    limits.COMMAND_CPU_MS = 600_000  # one command creates thousands of pods here, under tracemalloc too
    print("rolling update to completion (create + rollout, then set image + rollout)")
    print(f"{'replicas':>8}  {'create CPU s':>12}  {'update CPU s':>12}  {'µs/replica':>10}  {'peak MB':>8}")
    for n in (10, 100, 1000):
        create, update, _ = rolling_update(n)
        peak = rolling_update(n, trace_memory=True)[2]
        print(f"{n:>8}  {create:>12.3f}  {update:>12.3f}  {update / n * 1e6:>10.0f}  {peak:>8.1f}")
    print(f"lesson-sized snapshot: {lesson_snapshot_size() / 1024:.1f} KB (JSON, compressed state)")


if __name__ == "__main__":
    main()
