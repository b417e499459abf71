"""Cluster.view_at(t): the Deployments, ReplicaSets and Pods that existed at an earlier simulated
time, each in its state then, read back against what Cluster.list showed at that very moment."""
from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cluster
from simulator.timeline import MAX_LIVES, MAX_STATES, Lives

KUBIA = (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests" / "kubia-deployment-v1.yaml").read_text()


def _pod_state(p: dict) -> tuple:
    """What a live view reads of a pod: name, owner, phase, Ready, deleting, container states."""
    meta, status = p["metadata"], p.get("status") or {}
    ready = next((c["status"] for c in status.get("conditions") or () if c["type"] == "Ready"), None)
    owner = next((r["name"] for r in meta.get("ownerReferences") or () if r.get("controller")), None)
    containers = tuple((cs["name"], next(iter(cs.get("state") or {}), ""), bool(cs.get("ready")),
                        cs.get("restartCount", 0)) for cs in status.get("containerStatuses") or ())
    return (meta["name"], meta["uid"], owner, status.get("phase"), ready, bool(meta.get("deletionTimestamp")),
            containers, tuple(c["image"] for c in p["spec"]["containers"]))


def _rs_state(rs: dict) -> tuple:
    st = rs.get("status") or {}
    return (rs["kind"], rs["metadata"]["name"], rs["spec"].get("replicas"), st.get("replicas", 0),
            st.get("readyReplicas", 0), st.get("availableReplicas", 0),
            (rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision", ""))


def _truth(c: Cluster) -> dict:
    return {"pods": sorted(_pod_state(p) for p in c.list("Pod")),
            "replicasets": sorted(_rs_state(r) for r in c.list("ReplicaSet") + c.list("ReplicationController")),
            "deployments": sorted(_rs_state(d) + (d["spec"].get("paused", False),) for d in c.list("Deployment"))}


def _replayed(c: Cluster, t: float) -> dict:
    v = c.view_at(t)
    return {"pods": sorted(_pod_state(p) for p in v["pods"]),
            "replicasets": sorted(_rs_state(r) for r in v["replicasets"]),
            "deployments": sorted(_rs_state(d) + (d["spec"].get("paused", False),) for d in v["deployments"])}


def _record(c: Cluster, seconds: float, step: float, seen: dict) -> None:
    end = c.now + seconds
    while c.now < end - 1e-9:
        c.advance(min(step, end - c.now))
        seen[c.now] = _truth(c)


@pytest.fixture
def rollout():
    """A rolling update v1 → v2 with a pod deleted midway, observed every 0.5 s."""
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    seen = {}
    c.run("kubectl create -f kubia.yaml")
    seen[c.now] = _truth(c)
    _record(c, 20, 0.5, seen)
    c.run("kubectl set image deployment/kubia nodejs=luksa/kubia:v2")
    seen[c.now] = _truth(c)
    _record(c, 6, 0.5, seen)
    name = sorted(p["metadata"]["name"] for p in c.list("Pod"))[0]
    c.run(f"kubectl delete pod {name} --wait=false")
    seen[c.now] = _truth(c)
    _record(c, 60, 0.5, seen)
    return c, seen


def test_replay_shows_exactly_what_existed(rollout):
    c, seen = rollout
    assert len({t for t in seen}) > 100
    for t, truth in seen.items():
        assert _replayed(c, t) == truth, t


def test_pods_come_and_go(rollout):
    c, seen = rollout
    # `create` ran at t=0: its pods already exist then, still Pending
    assert {p["status"]["phase"] for p in c.view_at(0.0)["pods"]} == {"Pending"}
    names_at = {t: {p[0] for p in truth["pods"]} for t, truth in seen.items()}
    v1 = {p[0] for p in seen[10.0]["pods"]}
    assert len(v1) == 3 and v1 == {p["metadata"]["name"] for p in c.view_at(10.0)["pods"]}
    end = {p["metadata"]["name"] for p in c.view_at(c.now)["pods"]}
    assert end == {p["metadata"]["name"] for p in c.list("Pod")} and not end & v1
    # in between, terminating pods of the old ReplicaSet show as deleting
    assert any(p[5] for truth in seen.values() for p in truth["pods"])
    assert any(names_at[t] != names_at[t2] for t, t2 in zip(sorted(names_at), sorted(names_at)[1:]))


def test_time_is_clamped_and_checked(rollout):
    c, _ = rollout
    assert c.view_at(-5) == c.view_at(0)
    assert c.view_at(c.now + 100) == c.view_at(c.now)
    with pytest.raises(ValueError):
        c.view_at("soon")
    with pytest.raises(ValueError):
        c.view_at(float("nan"))


def test_view_at_does_not_change_the_cluster(rollout):
    c, _ = rollout
    before = c.snapshot()
    c.view_at(12.5)
    assert c.snapshot() == before


def test_replay_survives_snapshot_and_is_small(rollout):
    c, seen = rollout
    c2 = Cluster.restore(json.loads(json.dumps(c.snapshot())))
    for t in sorted(seen)[::7]:
        assert _replayed(c2, t) == seen[t]
    lives = c2._eng.timeline.lives.records  # noqa: SLF001
    assert len(json.dumps(lives)) < 60_000  # 7 pods, 2 ReplicaSets, 1 Deployment over ~90 s


def test_snapshot_without_lives_adopts_live_objects():
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    c.run("kubectl create -f kubia.yaml")
    c.advance(30)
    c._eng.timeline.lives = Lives()  # noqa: SLF001 - as restored from an older snapshot
    now = _truth(c)
    assert _replayed(c, c.now) == now
    assert {p[0] for p in _replayed(c, 0.0)["pods"]} == {p[0] for p in now["pods"]}


def test_a_recreated_name_is_a_new_life():
    c = Cluster(seed=0)
    c.run("kubectl run solo --image=luksa/kubia:v1")
    c.advance(10)
    first = c.get("Pod", "default", "solo")["metadata"]["uid"]
    c.run("kubectl delete pod solo --grace-period=0 --force")
    t_gone = c.now
    c.advance(5)
    c.run("kubectl run solo --image=luksa/kubia:v2")
    c.advance(10)
    assert [p["metadata"]["uid"] for p in c.view_at(5)["pods"]] == [first]
    assert c.view_at(t_gone + 1)["pods"] == []
    later = c.view_at(c.now)["pods"]
    assert len(later) == 1 and later[0]["metadata"]["uid"] != first
    assert later[0]["spec"]["containers"][0]["image"] == "luksa/kubia:v2"


def test_lives_are_bounded():
    lives = Lives()
    for i in range(MAX_LIVES + 50):
        pod = {"kind": "Pod", "metadata": {"name": f"p{i}", "namespace": "default", "uid": f"u{i}"},
               "spec": {"containers": []}, "status": {"phase": "Pending"}}
        lives.observe(i, "ADDED", pod)
        for j in range(MAX_STATES + 10):
            pod["status"] = {"phase": "Running", "containerStatuses": [
                {"name": "c", "restartCount": j, "state": {"running": {}}}]}
            lives.observe(i + j / 1000, "MODIFIED", pod)
        if i % 2 == 0:
            lives.observe(i + 0.5, "DELETED", pod)
    assert int(MAX_LIVES * 0.8) <= len(lives.records) <= MAX_LIVES  # trimmed in batches, never above the cap
    assert all(len(r["states"]) <= MAX_STATES for r in lives.records)
    assert all(lives.known(f"u{i}") for i in range(1, MAX_LIVES + 50, 2))  # the living are kept


COMMANDS = st.sampled_from([
    "kubectl scale deploy kubia --replicas=1", "kubectl scale deploy kubia --replicas=4",
    "kubectl set image deploy/kubia nodejs=luksa/kubia:v2", "kubectl set image deploy/kubia nodejs=luksa/kubia:v3",
    "kubectl set image deploy/kubia nodejs=nope/missing:v9", "kubectl rollout undo deploy/kubia",
    "kubectl rollout pause deploy/kubia", "kubectl rollout resume deploy/kubia",
    "kubectl delete pod --all --wait=false", "kubectl run extra --image=luksa/kubia:v1",
    "kubectl delete pod extra --wait=false",
])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(COMMANDS, st.sampled_from([0.3, 1.0, 2.5, 7.0])), min_size=1, max_size=6))
def test_replay_matches_history_for_any_script(script):
    c = Cluster(seed=1)
    c.files["kubia.yaml"] = KUBIA
    c.run("kubectl create -f kubia.yaml")
    seen = {c.now: _truth(c)}
    for line, wait in script:
        c.run(line)
        seen[c.now] = _truth(c)
        _record(c, wait * 4, wait, seen)
    for t, truth in seen.items():
        assert _replayed(c, t) == truth, t
