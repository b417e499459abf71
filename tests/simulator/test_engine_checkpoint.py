"""The checkpoint taken before every command (Engine.checkpoint_data) shares the stored objects
instead of deep-copying them; a command that crashes half-way must still leave the cluster
exactly as it was, lives and timeline included."""
from simulator import snapshot_codec
from simulator.controllers import deployment

from .engine_helpers import cluster_with, deployment_yaml


def _engine_state(c) -> dict:
    return snapshot_codec.decode(c.snapshot()["data"])["engine"]


def test_crash_mid_rollout_restores_every_object_life_and_sample(monkeypatch):
    c = cluster_with(deployment_yaml(replicas=4))
    before = _engine_state(c)
    real_sync = deployment.sync_deployment
    calls = []

    def crash_after_real_work(eng, *key):
        real_sync(eng, *key)  # the new ReplicaSet and its first pods are written, then a bug
        calls.append(key)
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(deployment, "sync_deployment", crash_after_real_work)
    r = c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    assert calls, "the crash must happen after the controller wrote something"
    assert r.exit_code == 1 and "internal error in the simulator" in r.stderr
    assert _engine_state(c) == before

    monkeypatch.setattr(deployment, "sync_deployment", real_sync)
    r = c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    assert r.exit_code == 0, r.stderr
    assert c.run("kubectl rollout status deployment kubia").exit_code == 0
    images = {p["spec"]["containers"][0]["image"] for p in c.list("Pod", "default")
              if not p["metadata"].get("deletionTimestamp")}
    assert images == {"luksa/kubia:v2"}


def test_checkpoint_is_independent_of_later_changes():
    c = cluster_with(deployment_yaml(replicas=3))
    eng = c._eng
    data = eng.checkpoint_data()
    frozen = snapshot_codec.decode(snapshot_codec.encode(data))
    c.run("kubectl scale deployment kubia --replicas=5")
    c.advance(30)
    c.run("kubectl delete pod --all --wait=false")
    c.advance(5)
    assert snapshot_codec.decode(snapshot_codec.encode(data)) == frozen


def test_clone_copies_every_container_and_keeps_leaves():
    import collections

    from simulator.objects import clone

    src = {"a": [1, 2.5, None, True, "x", {"b": [[], {"c": "d"}]}], "e": collections.OrderedDict(f=[1]),
           "t": (1, [2])}
    out = clone(src)
    assert out == src
    assert out["a"] is not src["a"] and out["a"][5] is not src["a"][5]
    assert out["a"][5]["b"][1] is not src["a"][5]["b"][1]
    assert type(out["e"]) is dict and out["e"]["f"] is not src["e"]["f"]
    assert out["t"] is src["t"]  # not JSON data: handed back as it is, as before
    out["a"][5]["b"][1]["c"] = "changed"
    assert src["a"][5]["b"][1]["c"] == "d"
