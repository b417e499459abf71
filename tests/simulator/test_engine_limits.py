"""Caps that keep one learner from exhausting a shared server (simulator/limits.py)."""
import json

from simulator import Cluster, limits

from .engine_helpers import deployment_yaml


def test_replicas_over_the_cap_are_refused_with_a_clear_error():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml(replicas=limits.MAX_REPLICAS + 1)
    r = c.run("kubectl create -f d.yaml")
    assert r.exit_code == 1
    assert r.stderr == f"error: this sandbox allows at most {limits.MAX_REPLICAS} replicas per Deployment (asked for {limits.MAX_REPLICAS + 1})\n"
    assert c.list("Deployment") == []


def test_scale_beyond_the_cap_keeps_the_deployment():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml(replicas=2)
    c.run("kubectl create -f d.yaml")
    before = c.get("Deployment", "default", "kubia")["spec"]["replicas"]
    r = c.run("kubectl scale deployment kubia --replicas=100000")
    assert r.exit_code == 1 and "at most" in r.stderr
    assert c.get("Deployment", "default", "kubia")["spec"]["replicas"] == before


def test_pod_cap_across_deployments():
    c = Cluster()
    for i in range(3):
        c.files[f"d{i}.yaml"] = deployment_yaml(name=f"d{i}", replicas=limits.MAX_REPLICAS)
        c.run(f"kubectl create -f d{i}.yaml")
    c.advance(5)
    assert len(c.list("Pod")) == limits.MAX_PODS
    rs_events = [e for e in c.list("Event", "default") if e["reason"] == "FailedCreate"]
    assert rs_events and f"limited to {limits.MAX_PODS} pods" in rs_events[0]["message"]


def test_object_cap():
    c = Cluster()
    created = 0
    for i in range(limits.MAX_OBJECTS + 5):
        c.files["s.yaml"] = json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"s{i}"},
                                        "spec": {"ports": [{"port": 80}]}})
        r = c.run("kubectl create -f s.yaml")
        created += r.exit_code == 0
    assert created < limits.MAX_OBJECTS
    assert "limited to" in r.stderr


def test_long_command_and_big_file_refused():
    c = Cluster()
    r = c.run("kubectl get pods " + "x" * limits.MAX_COMMAND_BYTES)
    assert r.exit_code != 0 and "too long" in r.stderr
    import pytest
    with pytest.raises(Exception):
        c.files["big.yaml"] = "a: b\n" * (limits.MAX_FILE_BYTES // 4)


def test_advance_refuses_nan_and_negative():
    import pytest
    c = Cluster()
    for bad in (float("nan"), -1):
        with pytest.raises(ValueError):
            c.advance(bad)
