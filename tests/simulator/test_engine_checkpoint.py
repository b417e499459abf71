"""The checkpoint taken before every command (Engine.checkpoint: an undo journal, journal.py)
copies nothing big; a command that crashes half-way must still leave the cluster exactly as it
was, lives and timeline included."""
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


def test_rollback_after_many_changes_gives_the_state_of_the_checkpoint():
    """The journals (journal.py) hold the old values of everything written after the checkpoint:
    scaling, a clock advance (kubelet memory, lives, samples, timers) and deletions, then a
    rollback is the cluster of the checkpoint, to the last timer and allocator."""
    import pytest

    from simulator.console import execute
    from simulator.kubectl.runtime import Process

    c = cluster_with(deployment_yaml(replicas=3))
    before = _engine_state(c)
    checkpoint = c._checkpoint()
    for line in ("kubectl scale deployment kubia --replicas=5", 30, "kubectl delete pod --all --wait=false", 5,
                 "kubectl set image deployment kubia nodejs=luksa/kubia:v2", 10):
        if isinstance(line, str):  # as Cluster.start runs it, without a checkpoint of its own
            execute(c, Process(line), line, None)
        else:
            c.advance(line)
    with pytest.raises(RuntimeError):  # one journal at a time: a second checkpoint is refused
        c._eng.checkpoint()
    assert _engine_state(c) != before
    c._rollback(checkpoint)
    assert _engine_state(c) == before
    assert c.run("kubectl get pods").exit_code == 0 and c._eng.store.journal is None


def test_a_journal_is_closed_when_the_command_ends():
    """After a command the journals stop: time passing later is not recorded for a rollback."""
    c = cluster_with(deployment_yaml(replicas=3))
    assert c.run("kubectl scale deployment kubia --replicas=4").exit_code == 0
    eng = c._eng
    assert eng.store.journal is None and eng.kubelet["pods"].journal is None
    assert eng.timeline.lives.journal is None


SERVICE = """apiVersion: v1
kind: Service
metadata: {name: kubia}
spec:
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
"""


def _crash_after(monkeypatch, reconciles: int) -> list:
    """Engine._reconcile raises after `reconciles` real reconciles (a bug deep in a command)."""
    from simulator.engine import Engine

    real = Engine._reconcile
    done = []

    def reconcile(self, controller, key):
        if len(done) >= reconciles:
            raise RuntimeError("simulated bug")
        real(self, controller, key)
        done.append((controller, key))

    monkeypatch.setattr(Engine, "_reconcile", reconcile)
    return done


CRASHING = ("curl -s kubia | sed -i s/kubia:v1/kubia:v2/ d.yaml | kubectl apply -f d.yaml -f extra.yaml")


def _crash_cluster():
    c = cluster_with(deployment_yaml(replicas=3))
    c.files["svc.yaml"] = SERVICE
    c.files["extra.yaml"] = deployment_yaml(name="extra", replicas=2)
    assert c.run("kubectl create -f svc.yaml").exit_code == 0
    c.advance(5)
    assert c.run("kubectl get pods").exit_code == 0
    return c


def test_a_crash_after_several_writes_leaves_everything_as_it_was(monkeypatch):
    """One command writes a file (sed -i), records a curl answer, applies two Deployments (new
    ReplicaSets, pods with random names, kubelet memory, lives, events) and crashes after many
    reconciles: objects, events, files, history, clock and RNG state are all as before."""
    c = _crash_cluster()
    before = _engine_state(c)
    files, history, traffic = dict(c.files), list(c.history), list(c.traffic)
    now, rng, changes = c.now, c._eng.rng.state, c.changes
    events = c.list("Event", "default")
    done = _crash_after(monkeypatch, 12)
    r = c.run(CRASHING)
    assert len(done) == 12, "the crash must come after real work"
    assert r.exit_code == 1 and "internal error in the simulator" in r.stderr
    assert _engine_state(c) == before
    assert dict(c.files) == files and c.files["d.yaml"].count("kubia:v1") == 1
    assert c.traffic == traffic
    assert c.history[:-1] == history and c.history[-1]["line"] == CRASHING and c.history[-1]["exit"] == 1
    assert (c.now, c._eng.rng.state, c.changes) == (now, rng, changes)
    assert c.list("Event", "default") == events
    monkeypatch.undo()
    assert c.run(CRASHING).exit_code == 0 and len(c.traffic) == len(traffic) + 1  # curl did record, before


def test_after_a_rolled_back_crash_the_cluster_runs_as_if_it_never_happened(monkeypatch):
    """Hidden state too (timer sequence, pending work, allocators): a twin that never crashed
    and the rolled-back cluster go on to identical snapshots, at every crash point."""
    for reconciles in (0, 1, 3, 7, 12):
        crashed, twin = _crash_cluster(), _crash_cluster()
        with monkeypatch.context() as m:
            _crash_after(m, reconciles)
            assert crashed.run(CRASHING).exit_code == 1
        for c in (crashed, twin):
            assert c.run(CRASHING).exit_code == 0
            c.advance(40)
            assert c.run("kubectl rollout status deployment extra").exit_code == 0
        a, b = _engine_state(crashed), _engine_state(twin)
        assert a == b, reconciles


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
