"""snapshot_codec.decode pauses the cyclic garbage collector for the JSON parse only: it must
hand back the collector exactly as it found it, even when the data is bad."""
import gc

import pytest

from simulator import Cluster, snapshot_codec


def test_decode_round_trips_and_leaves_the_collector_enabled():
    c = Cluster(seed=3)
    state = {"a": [1, {"b": "c"}], "n": None}
    assert gc.isenabled()
    assert snapshot_codec.decode(snapshot_codec.encode(state)) == state
    assert gc.isenabled()
    restored = Cluster.restore(c.snapshot())
    assert restored.run("kubectl get ns").exit_code == 0
    assert gc.isenabled()


def test_decode_keeps_a_disabled_collector_disabled():
    gc.disable()
    try:
        snapshot_codec.decode(snapshot_codec.encode([1, 2]))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_bad_data_still_reenables_the_collector():
    import base64
    import zlib
    bad = base64.b64encode(zlib.compress(b"{not json")).decode()
    with pytest.raises(ValueError):
        snapshot_codec.decode(bad)
    assert gc.isenabled()


# ---- the incremental encoder (snapshot_codec.Encoder) ----------------------------------------
def _state(c) -> dict:
    return {"engine": c._eng.to_data(), "files": dict(c.files), "seed": c.seed, "history": c.history,
            "traffic": c.traffic}


def _raw(data: str) -> bytes:
    import base64
    import zlib
    return zlib.decompress(base64.b64decode(data))


LESSON = ["kubectl create -f d.yaml --record", "kubectl create -f svc.yaml", "kubectl rollout status deployment kubia",
          "kubectl set image deployment kubia nodejs=luksa/kubia:v2", "curl -s kubia", "kubectl get pods",
          "kubectl rollout status deployment kubia", "kubectl scale deployment kubia --replicas=5",
          "kubectl delete pod --all --wait=false", "kubectl rollout undo deployment kubia",
          "kubectl create configmap cfg --from-literal=a=b", "kubectl delete deployment kubia"]


def _lesson_cluster():
    from .engine_helpers import deployment_yaml
    from .test_engine_checkpoint import SERVICE

    c = Cluster(seed=5)
    c.files["d.yaml"] = deployment_yaml(replicas=3)
    c.files["svc.yaml"] = SERVICE
    return c


def test_each_snapshot_is_the_json_of_the_whole_state_after_every_command():
    """The encoder reuses the bytes of unchanged objects and chunks; what it writes is one zlib
    stream of exactly the JSON the plain encoder writes (sorted keys), after every command and
    clock step of a lesson, objects added, changed and deleted."""
    c = _lesson_cluster()
    for line in LESSON:
        c.run(line, timeout=120)
        for _ in range(2):
            snap = c.snapshot()
            assert _raw(snap["data"]) == snapshot_codec._dumps(_state(c)), line
            c.advance(3)


def test_snapshot_restore_snapshot_gives_identical_data_and_the_same_future():
    """After many commands: a restored cluster snapshots to the same data, and it and the
    original go on identically (objects, events, names from the random generator, timers)."""
    c = _lesson_cluster()
    for line in LESSON[:-1]:
        c.run(line, timeout=120)
        c.advance(2)
    snap = c.snapshot()
    restored = Cluster.restore(snap)
    assert snapshot_codec.decode(restored.snapshot()["data"]) == snapshot_codec.decode(snap["data"])
    for cluster in (c, restored):
        for line in ("kubectl scale deployment kubia --replicas=7", "kubectl set image deployment kubia nodejs=luksa/kubia:v3",
                     "kubectl rollout status deployment kubia", "kubectl delete pod --all --wait=false"):
            cluster.run(line, timeout=120)
        cluster.advance(45)
    assert _raw(restored.snapshot()["data"]) == _raw(c.snapshot()["data"])


def test_adler32_combine_matches_zlib():
    import zlib

    a, b = b"rollout " * 1000, b"lab" * 70001
    assert snapshot_codec.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)
    assert snapshot_codec.adler32_combine(1, zlib.adler32(b), len(b)) == zlib.adler32(b)
    assert snapshot_codec.adler32_combine(zlib.adler32(a), 1, 0) == zlib.adler32(a)


def test_values_orjson_cannot_write_fall_back_to_the_standard_encoder():
    c = Cluster(seed=1)
    c.snapshot()
    state = _state(c)
    state["files"] = {"x": 1 << 70}  # beyond 64 bits
    data = snapshot_codec.Encoder().encode(state)
    assert snapshot_codec.decode(data)["files"] == {"x": 1 << 70}
