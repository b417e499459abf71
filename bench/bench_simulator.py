"""Simulator cost: a rolling update of N replicas to completion, and snapshot size and restore time.

Prints figures; asserts nothing (tests never time things). Run: `python bench/bench_simulator.py`
(`--quick` skips 5,000 replicas). The sandbox caps (simulator/limits.py) are lifted here so 5,000
replicas can be measured; the pod cap is twice that, since a rolling update surges (25 %) and
old pods terminate for 30 s after the new ones are ready.
CPU figures are process time, so other processes on a shared box disturb them less than wall
time, but not at all is too much to hope for: run it twice.
"""
from __future__ import annotations

import gc
import json
import os
import statistics
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


def restore_cost(replicas: int, runs: int = 5) -> tuple[float, float, float, float, float]:
    """For the cluster right after a rolling update of `replicas` (old pods still terminating, as a
    learner would save it): snapshot KB, then medians of `runs` in CPU ms: decode (base64, zlib,
    JSON), Engine.from_data (objects into the store and its indexes), the whole Cluster.restore,
    and the young-generation garbage collection the new objects cost right after (the collector
    is paused while JSON is parsed, so that pass comes after the restore, not inside it)."""
    from simulator import snapshot_codec
    from simulator.engine import Engine

    c = Cluster(seed=1)
    c.files["d.yaml"] = manifest(replicas)
    for line in ("kubectl create -f d.yaml", "kubectl rollout status deployment kubia",
                 "kubectl set image deployment kubia nodejs=luksa/kubia:v2", "kubectl rollout status deployment kubia"):
        c.run(line)
    snap = c.snapshot()
    size = len(json.dumps(snap)) / 1024
    del c
    decode, build, total, young = [], [], [], []
    for _ in range(runs):
        gc.collect()
        t0 = time.process_time()
        state = snapshot_codec.decode(snap["data"])
        t1 = time.process_time()
        Engine.from_data(state["engine"])
        t2 = time.process_time()
        del state
        gc.collect()
        t3 = time.process_time()
        restored = Cluster.restore(snap)
        t4 = time.process_time()
        gc.collect(1)
        t5 = time.process_time()
        del restored
        decode.append(t1 - t0)
        build.append(t2 - t1)
        total.append(t4 - t3)
        young.append(t5 - t4)
    ms = lambda xs: statistics.median(xs) * 1e3  # noqa: E731
    return size, ms(decode), ms(build), ms(total), ms(young)


def lesson_cluster(replicas: int = 3) -> Cluster:
    """The deployment-basics lesson after its story: 3 replicas, a Service, two rollouts, events."""
    c = Cluster(seed=1)
    c.files["d.yaml"] = manifest(replicas)
    c.files["svc.yaml"] = json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia"},
                                      "spec": {"selector": {"app": "kubia"}, "ports": [{"port": 80, "targetPort": 8080}]}})
    for line in ["kubectl create -f d.yaml --record", "kubectl create -f svc.yaml",
                 "kubectl rollout status deployment kubia",
                 "kubectl set image deployment kubia nodejs=luksa/kubia:v2", "kubectl rollout status deployment kubia",
                 "curl -s kubia", "kubectl rollout undo deployment kubia", "kubectl rollout status deployment kubia"]:
        c.run(line)
    c.advance(60)
    return c


def lesson_snapshot_size() -> int:
    return len(json.dumps(lesson_cluster().snapshot()))


def per_command_costs(replicas: int, rounds: int = 300) -> tuple[float, float, float, float]:
    """CPU ms per command on the lesson's cluster (with `replicas` pods): the rollback checkpoint
    (taken and closed, as before a command that may change the cluster), a snapshot with nothing
    changed since the last, a snapshot after one scale command and a second of clock (what the web
    console saves after a command), and the plain one-shot encoder on the same state for comparison."""
    from simulator import snapshot_codec

    c = lesson_cluster(replicas)
    c.snapshot()
    t0 = time.process_time()
    for _ in range(rounds):
        c._checkpoint()[0].close()
    t1 = time.process_time()
    for _ in range(rounds):
        c.snapshot()
    t2 = time.process_time()
    after = 0.0
    for i in range(rounds // 10):
        c.run(f"kubectl scale deployment kubia --replicas={replicas + i % 2}")
        c.advance(1)
        s0 = time.process_time()
        c.snapshot()
        after += time.process_time() - s0
    state = {"engine": c._eng.to_data(), "files": dict(c.files), "seed": c.seed, "history": c.history,
             "traffic": c.traffic}
    t3 = time.process_time()
    for _ in range(rounds // 10):
        snapshot_codec.encode(state)
    plain = (time.process_time() - t3) / (rounds // 10)
    return ((t1 - t0) / rounds * 1e3, (t2 - t1) / rounds * 1e3, after / (rounds // 10) * 1e3, plain * 1e3)


def lesson_replay(commands: int = 300) -> dict[str, float]:
    """The simulator's share of the web console's work per command, replaying the `run` commands
    of the deployment-basics lesson (as bench/profile_commands.py does, without Django): the
    `kubectl edit` probe (Cluster.edit_begin), Cluster.start, 0.3 s of clock, and the snapshot
    saved after the command. CPU ms per command, after 30 commands of warm-up (imports)."""
    from pathlib import Path

    from bench.learners import ROOT, lesson_commands

    lines = lesson_commands("deployment-basics", "en")
    folder = next(f for f in sorted((ROOT / "tutorial" / "content").iterdir())
                  if (f / "lesson.yaml").exists() and "slug: deployment-basics" in (f / "lesson.yaml").read_text())

    def fresh() -> Cluster:
        c = Cluster(seed=1)
        for f in sorted(Path(folder).rglob("*.yaml")):
            if f.name not in ("lesson.yaml", "exercises.yaml"):
                c.files[f.name] = f.read_text()
        return c

    def replay(c: Cluster, n: int, parts: dict) -> None:
        for i in range(n):
            line = lines[i % len(lines)]
            t0 = time.process_time()
            c.edit_begin(line)
            t1 = time.process_time()
            proc = c.start(line)
            t2 = time.process_time()
            if not proc.done:
                proc.cancel()
            c.advance(0.3)
            t3 = time.process_time()
            c.snapshot()
            t4 = time.process_time()
            for k, v in zip(("edit probe", "start", "clock", "snapshot"), (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                parts[k] += v

    replay(fresh(), 30, dict.fromkeys(("edit probe", "start", "clock", "snapshot"), 0.0))
    parts = dict.fromkeys(("edit probe", "start", "clock", "snapshot"), 0.0)
    for _ in range(3):
        replay(fresh(), commands // 3, parts)
    return {k: v / (commands // 3 * 3) * 1e3 for k, v in parts.items()}


def main() -> None:
    sizes = (100, 1000) if "--quick" in sys.argv else (100, 1000, 5000)
    limits.MAX_REPLICAS = max(*sizes, 1000)
    limits.MAX_PODS = 2 * limits.MAX_REPLICAS
    limits.COMMAND_CPU_MS = 600_000  # one command creates thousands of pods here, under tracemalloc too
    print("rolling update to completion (create + rollout, then set image + rollout); CPU seconds")
    print(f"{'replicas':>8}  {'create s':>9}  {'ms/replica':>10}  {'update s':>9}  {'ms/replica':>10}  {'peak MB':>8}")
    for n in sizes:
        create, update, _ = rolling_update(n)
        # tracemalloc slows Python several times over: memory is traced in a separate run
        peak = f"{rolling_update(n, trace_memory=True)[2]:>8.1f}" if n <= 1000 else f"{'-':>8}"
        print(f"{n:>8}  {create:>9.3f}  {create / n * 1e3:>10.2f}  {update:>9.3f}  {update / n * 1e3:>10.2f}  {peak}")
    print("snapshot right after a rolling update (old pods terminating); restore CPU ms, medians of 5")
    for n in (200, 1000):  # 200: the largest sandbox the caps (limits.py) allow
        size, decode, build, total, young = restore_cost(n)
        print(f"  {n:>5} replicas: {size:>4.0f} KB; restore {total:>4.0f} ms (decode {decode:.0f} + "
              f"Engine.from_data {build:.0f}), then a young GC pass over the new objects {young:.0f} ms")
    print(f"lesson-sized snapshot: {lesson_snapshot_size() / 1024:.1f} KB (JSON, compressed state)")
    print("per command, CPU ms: rollback checkpoint; snapshot with nothing changed / after a scale and 1 s "
          "(incremental encoder); the one-shot encoder on the same state")
    for n in (3, 200):
        checkpoint, unchanged, changed, plain = per_command_costs(n)
        print(f"  lesson cluster, {n:>3} replicas: checkpoint {checkpoint:.3f}; snapshot {unchanged:.3f} / "
              f"{changed:.3f} (one-shot {plain:.3f})")
    parts = lesson_replay()
    print("deployment-basics replayed, simulator CPU ms per command: "
          + ", ".join(f"{k} {v:.3f}" for k, v in parts.items()) + f"; total {sum(parts.values()):.3f}")


if __name__ == "__main__":
    main()
