"""Engine.advance_steps / Cluster.advance_steps: a long jump in slices, with the same events in
the same order as advance (deterministic), however the slices are consumed."""
from simulator.cluster import Cluster

MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 40
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
"""


def _busy_cluster() -> Cluster:
    cluster = Cluster(seed=7)
    cluster.files["web.yaml"] = MANIFEST
    cluster.run("kubectl apply -f web.yaml")
    cluster.run("kubectl set image deployment/web web=nginx:1.26")
    return cluster


def test_cluster_advance_steps_yields_several_slices_and_ends_like_advance():
    whole, sliced = _busy_cluster(), _busy_cluster()
    whole.advance(600)
    slices = list(sliced.advance_steps(600, batch=5))
    assert len(slices) > 3  # the jump was cut
    assert slices == sorted(slices)  # simulated time only moves forward
    assert sliced.now == whole.now
    assert sliced.snapshot() == whole.snapshot()
    assert sliced.run("kubectl get events").stdout == whole.run("kubectl get events").stdout


def test_a_half_consumed_slice_leaves_a_consistent_cluster_that_finishes_the_same():
    whole, sliced = _busy_cluster(), _busy_cluster()
    whole.advance(120)
    steps = sliced.advance_steps(120, batch=3)
    first = next(steps)
    assert first <= 120
    # between slices the cluster answers commands (and they change nothing)
    assert "web" in sliced.run("kubectl get deployments").stdout
    whole.run("kubectl get deployments")  # the same command history on both
    for _ in steps:
        pass
    assert sliced.now == whole.now
    assert sliced.run("kubectl get pods -o wide").stdout == whole.run("kubectl get pods -o wide").stdout
    assert sliced.run("kubectl get rs").stdout == whole.run("kubectl get rs").stdout


def test_streaming_command_sees_the_same_output_sliced():
    whole, sliced = _busy_cluster(), _busy_cluster()
    a = whole.start("kubectl get pods -w")
    b = sliced.start("kubectl get pods -w")
    whole.advance(90)
    for _ in sliced.advance_steps(90, batch=2):
        pass
    assert a.read() == b.read()


def test_advance_steps_refuses_negative_seconds():
    import pytest

    with pytest.raises(ValueError):
        Cluster().advance_steps(-1)
