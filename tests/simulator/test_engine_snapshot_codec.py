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
@pytest.fixture
def always_incremental(monkeypatch):
    """A lesson-sized cluster is encoded whole unless told otherwise (Encoder.INCREMENTAL_FROM_BYTES):
    from the second snapshot on, incrementally."""
    monkeypatch.setattr(snapshot_codec.Encoder, "INCREMENTAL_FROM_BYTES", 0)


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


def test_each_snapshot_is_the_json_of_the_whole_state_after_every_command(always_incremental):
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


def test_snapshot_restore_snapshot_gives_identical_data_and_the_same_future(always_incremental):
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


def test_a_small_cluster_is_encoded_whole_and_keeps_nothing_a_grown_one_keeps_its_chunks():
    """A state whose JSON is under INCREMENTAL_FROM_BYTES is written as encode() writes it, and
    the encoder keeps no pieces (the memory of a live lesson cluster); a longer one is written in
    pieces, kept for the next snapshot. Which depends on the state alone: a restored cluster
    (a fresh encoder) snapshots to the very bytes of the original, small or grown."""
    c = _lesson_cluster()
    c.run(LESSON[0], timeout=120)
    snap = c.snapshot()
    assert snap["data"] == snapshot_codec.encode(_state(c))
    assert Cluster.restore(snap).snapshot() == snap
    encoder = c._encoder
    assert not encoder._chunks and not encoder._pieces and encoder._compressor is None
    c.run("kubectl scale deployment kubia --replicas=200", timeout=120)
    c.advance(30)
    snap = c.snapshot()
    assert _raw(snap["data"]) == snapshot_codec._dumps(_state(c))
    assert encoder._chunks and encoder._pieces and encoder._compressor is None
    assert snap["data"] != snapshot_codec.encode(_state(c))  # in pieces
    assert Cluster.restore(snap).snapshot() == snap
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2", timeout=120)
    c.advance(5)
    snap = c.snapshot()
    assert _raw(snap["data"]) == snapshot_codec._dumps(_state(c))
    assert Cluster.restore(snap).snapshot() == snap


def test_an_encoder_whose_state_shrinks_below_the_threshold_writes_it_whole_again():
    small, big = _lesson_cluster(), _lesson_cluster()
    small.run(LESSON[0], timeout=120)
    big.run(LESSON[0], timeout=120)
    big.run("kubectl scale deployment kubia --replicas=200", timeout=120)
    big.advance(30)
    encoder = snapshot_codec.Encoder()
    encoder.encode(_state(big))
    assert encoder._chunks
    assert encoder.encode(_state(small)) == snapshot_codec.encode(_state(small))
    assert not encoder._chunks and not encoder._pieces


def test_adler32_combine_matches_zlib():
    import zlib

    a, b = b"rollout " * 1000, b"lab" * 70001
    assert snapshot_codec.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)
    assert snapshot_codec.adler32_combine(1, zlib.adler32(b), len(b)) == zlib.adler32(b)
    assert snapshot_codec.adler32_combine(zlib.adler32(a), 1, 0) == zlib.adler32(a)


def test_values_orjson_cannot_write_fall_back_to_the_standard_encoder(always_incremental):
    c = Cluster(seed=1)
    c.snapshot()
    state = _state(c)
    state["files"] = {"x": 1 << 70}  # beyond 64 bits
    data = snapshot_codec.Encoder().encode(state)
    assert snapshot_codec.decode(data)["files"] == {"x": 1 << 70}


def test_a_copy_equals_a_restore_and_goes_on_independently_of_its_original():
    """Cluster.copy shares the stored objects (never changed in place) and copies the rest: its
    snapshot is the original's, the two go on as two restored clusters would, and what one does
    leaves the other as it was."""
    c = _lesson_cluster()
    for line in LESSON[:4]:
        c.run(line, timeout=120)
        c.advance(2)
    before = _raw(c.snapshot()["data"])
    restored = Cluster.restore(c.snapshot())
    copied = c.copy()
    assert _raw(copied.snapshot()["data"]) == before
    script = ("kubectl scale deployment kubia --replicas=6", "kubectl set image deployment kubia nodejs=luksa/kubia:v3",
              "kubectl rollout status deployment kubia", "kubectl delete pod --all --wait=false",
              "kubectl label deployment kubia tier=web")
    outputs = {}
    for name, cluster in (("copied", copied), ("restored", restored)):
        outputs[name] = [cluster.run(line, timeout=120).stdout for line in script]
        cluster.advance(45)
    assert outputs["copied"] == outputs["restored"]
    assert _raw(copied.snapshot()["data"]) == _raw(restored.snapshot()["data"])
    assert _raw(c.snapshot()["data"]) == before  # the original did not see the copy's work
    c.run("kubectl delete deployment kubia", timeout=120)
    assert "kubia" in copied.run("kubectl get deployments").stdout  # nor the copy the original's


def test_kept_chunks_give_the_bytes_a_fresh_encoder_writes_whatever_the_objects_do(always_incremental):
    """An encoder keeps a chunk only where it starts and ends as before (Encoder._kept_chunk): a
    chunk the list's end closed grows when objects follow it, one an object's name closed stays.
    Objects removed, inserted, appended and replaced at random: after every change the kept
    encoder writes what a fresh one writes for the same state."""
    import random

    rnd = random.Random(7)
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    pool = [{"kind": "Pod", "metadata": {"name": "kubia-" + "".join(rnd.choices(alphabet, k=5))},
             "spec": {"pad": "x" * rnd.randint(10, 600)}} for _ in range(300)]
    closing = [o for o in pool if not snapshot_codec._ends_no_chunk(o)]
    assert closing and len(closing) < len(pool)  # both kinds of chunk end are drawn
    objects = sorted(rnd.sample(pool, 80), key=lambda o: o["metadata"]["name"])
    kept = snapshot_codec.Encoder()
    for step in range(400):
        roll = rnd.random()
        if roll < 0.3 and objects:
            objects.pop(rnd.randrange(len(objects)))
        elif roll < 0.55:
            objects.insert(rnd.randrange(len(objects) + 1), rnd.choice(pool))
        elif roll < 0.75:
            objects.append(rnd.choice(pool if roll < 0.65 else closing))
        elif objects:
            objects[rnd.randrange(len(objects))] = dict(rnd.choice(pool))  # a new object, same JSON
        state = {"engine": {"now": step, "store": {"objects": list(objects), "rv": step}}, "history": []}
        assert kept.encode(state) == snapshot_codec.Encoder().encode(state), step
