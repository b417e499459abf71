"""Same seed + same commands + same advances ⇒ byte-identical output; snapshots are lossless."""
import json

from simulator import Cluster

from .engine_helpers import deployment_yaml

SCRIPT = [
    ("kubectl create -f d.yaml --record", 3),
    ("kubectl get pods -o wide", 20),
    ("kubectl set image deployment kubia nodejs=luksa/kubia:v2", 2),
    ("kubectl get rs", 4),
    ("kubectl get pods", 30),
    ("kubectl rollout undo deployment kubia", 1),
    ("kubectl get deploy -o yaml", 15),
    ("kubectl describe deploy kubia", 5),
    ("kubectl get events", 0),
]


def _fresh(seed=7):
    c = Cluster(seed=seed)
    c.files["d.yaml"] = deployment_yaml(replicas=4)
    return c


def _play(c, steps):
    out = []
    for line, wait in steps:
        r = c.run(line)
        out.append((line, r.stdout, r.stderr, r.exit_code))
        c.advance(wait)
    return out


def test_same_seed_same_bytes():
    assert _play(_fresh(), SCRIPT) == _play(_fresh(), SCRIPT)


def test_different_seed_different_names():
    a = _play(_fresh(1), SCRIPT[:2])
    b = _play(_fresh(2), SCRIPT[:2])
    assert a[1][1] != b[1][1]


def test_snapshot_round_trip_mid_rollout_in_lockstep():
    c = _fresh()
    _play(c, SCRIPT[:3])  # mid-rollout: set image just happened
    state = c.snapshot()
    json.dumps(state)  # JSON-compatible
    twin = Cluster.restore(json.loads(json.dumps(state)))
    assert twin.now == c.now
    assert _play(c, SCRIPT[3:]) == _play(twin, SCRIPT[3:])
    assert c.snapshot() == twin.snapshot()


def test_snapshot_keeps_files_history_and_timeline():
    c = _fresh()
    _play(c, SCRIPT[:4])
    twin = Cluster.restore(c.snapshot())
    assert dict(twin.files) == dict(c.files)
    assert twin.history == c.history
    assert twin.timeline("kubia") == c.timeline("kubia")


def test_restore_refuses_garbage():
    import pytest
    for bad in (None, {}, {"format": 99}, "x"):
        with pytest.raises(ValueError):
            Cluster.restore(bad)
