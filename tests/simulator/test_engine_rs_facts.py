"""The ReplicaSet controller caches what it reads of each pod (by stored object, per ReplicaSet:
controllers/replicaset.py _active_facts). Any pod change must still show in the status, as
upstream calculateStatus recomputes it on every sync (replica_set_utils.go)."""
import json

from simulator import Cluster


def _rs_yaml(name="web", replicas=3, labels=None) -> str:
    labels = labels or {"app": name, "tier": "front"}
    return json.dumps({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
                       "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                                "template": {"metadata": {"labels": labels},
                                             "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}}})


def _status(c, name="web") -> dict:
    return c.get("ReplicaSet", "default", name)["status"]


def _pods(c) -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.list("Pod", "default")
                  if not p["metadata"].get("deletionTimestamp"))


def test_label_changes_on_unchanged_pods_show_in_fully_labeled_replicas():
    c = Cluster(seed=2)
    c.files["rs.yaml"] = _rs_yaml()
    assert c.run("kubectl create -f rs.yaml").exit_code == 0
    c.advance(30)
    assert _status(c)["fullyLabeledReplicas"] == 3 and _status(c)["readyReplicas"] == 3
    first = _pods(c)[0]
    assert c.run(f"kubectl label pod {first} tier-").exit_code == 0
    c.advance(1)
    assert _status(c)["fullyLabeledReplicas"] == 2
    assert c.run(f"kubectl label pod {first} tier=front").exit_code == 0
    c.advance(1)
    assert _status(c)["fullyLabeledReplicas"] == 3


def test_a_recreated_replicaset_of_the_same_name_starts_from_its_own_pods():
    c = Cluster(seed=2)
    c.files["rs.yaml"] = _rs_yaml(replicas=2)
    c.run("kubectl create -f rs.yaml")
    c.advance(30)
    assert _status(c)["readyReplicas"] == 2
    assert c.run("kubectl delete rs web").exit_code == 0
    c.advance(60)
    assert _pods(c) == []
    c.files["rs.yaml"] = _rs_yaml(replicas=4, labels={"app": "web"})
    c.run("kubectl create -f rs.yaml")
    c.advance(0.1)  # scheduled, sandboxes not started yet
    st = _status(c)
    assert st["replicas"] == 4 and st["fullyLabeledReplicas"] == 4 and "readyReplicas" not in st
    c.advance(30)
    assert _status(c)["readyReplicas"] == 4


def test_deleted_and_crashing_pods_leave_the_counts():
    c = Cluster(seed=2)
    c.files["rs.yaml"] = _rs_yaml(replicas=3)
    c.run("kubectl create -f rs.yaml")
    c.advance(30)
    victim = _pods(c)[1]
    assert c.run(f"kubectl delete pod {victim} --wait=false").exit_code == 0
    c.advance(0.1)
    st = _status(c)
    # the terminating pod is no longer active; its replacement is not ready yet
    assert st["replicas"] == 3 and st["readyReplicas"] == 2
    c.advance(30)
    assert _status(c)["readyReplicas"] == 3 and victim not in _pods(c)



def _three_ready_and_a_stray(annotate=None) -> tuple[Cluster, list[str]]:
    c = Cluster(seed=4)
    c.files["rs.yaml"] = _rs_yaml(replicas=3)
    c.run("kubectl create -f rs.yaml")
    c.advance(30)
    ready = _pods(c)
    if annotate is not None:
        r = c.run(f"kubectl annotate pod {annotate} controller.kubernetes.io/pod-deletion-cost=-100")
        assert r.exit_code == 0, r.stderr
    c.files["pod.yaml"] = json.dumps({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "stray", "labels": {"app": "web", "tier": "front"}},
        "spec": {"containers": [{"name": "c", "image": "no-such-registry.example/none:1"}]}})
    # an orphan matching the selector is adopted; the ReplicaSet then has one pod too many
    assert c.run("kubectl create -f pod.yaml").exit_code == 0
    c.advance(5)
    return c, ready


def test_scale_down_takes_the_pending_pod_then_the_cheapest_by_deletion_cost():
    """getPodsToDelete order (controller_utils.go ActivePodsWithRanks) read from the cached facts:
    the not-ready Pending pod goes before the Ready ones; among Ready ones, a lower
    pod-deletion-cost goes first, whatever the other criteria say."""
    c, ready = _three_ready_and_a_stray()
    assert set(ready + ["stray"]) - set(_pods(c)) == {"stray"}
    c.run("kubectl scale rs web --replicas=2")
    c.advance(1)
    (default_victim,) = set(ready) - set(_pods(c))

    cheap = next(p for p in ready if p != default_victim)
    c, ready_again = _three_ready_and_a_stray(annotate=cheap)
    assert ready_again == ready  # same seed, same pods
    assert set(ready + ["stray"]) - set(_pods(c)) == {"stray"}
    c.run("kubectl scale rs web --replicas=2")
    c.advance(1)
    assert set(ready) - set(_pods(c)) == {cheap}


def _scale_downs(c: Cluster) -> list[str]:
    """A Deployment scaled down three times, one pod made cheaper and one rolled out between:
    the pods left each time."""
    from tests.simulator.engine_helpers import deployment_yaml

    c.files["d.yaml"] = deployment_yaml(replicas=8)
    c.run("kubectl create -f d.yaml")
    c.advance(30)
    left = []
    for replicas, annotate in ((6, True), (4, False), (2, False)):
        c.run(f"kubectl scale deployment kubia --replicas={replicas}")
        c.advance(1)
        left.append(" ".join(_pods(c)))
        if annotate:
            r = c.run(f"kubectl annotate pod {_pods(c)[-1]} controller.kubernetes.io/pod-deletion-cost=-5")
            assert r.exit_code == 0, r.stderr
        c.advance(40)
    return left


def test_scale_downs_choose_the_same_pods_as_without_the_rank_cache(monkeypatch):
    """_pods_to_delete keeps what it read of each pod (_rank_entries) between calls; a pod
    written since (an annotation, a deletion) must be read again."""
    from simulator.controllers import replicaset

    cached = _scale_downs(Cluster(seed=3))
    original = replicaset._pods_to_delete

    def fresh(eng, *args):
        replicaset._RANK_FACTS.clear()
        return original(eng, *args)

    monkeypatch.setattr(replicaset, "_pods_to_delete", fresh)
    assert _scale_downs(Cluster(seed=3)) == cached


def test_the_facts_cache_lets_go_of_pods_gone():
    """The per-ReplicaSet cache adds the pods written since the last reconcile and is rebuilt
    once gone pods are a quarter of the live ones: bounded by the live pods, not by the writes."""
    from simulator.controllers import replicaset

    c = Cluster(seed=2)
    c.files["rs.yaml"] = _rs_yaml(replicas=40)
    c.run("kubectl create -f rs.yaml")
    c.advance(30)
    for replicas in (10, 30, 5, 0):
        c.run(f"kubectl scale rs web --replicas={replicas}")
        c.advance(60)
        assert _status(c)["replicas"] == replicas
        (_, _, seen) = replicaset._pod_facts_cache(c._eng)[("ReplicaSet", "default", "web")]
        assert len(seen) <= replicas + replicas // 4 + 64


def test_dependents_of_a_kind_keep_the_order_of_the_last_writes():
    from simulator.store import Store

    s = Store()
    owner = {"uid": "u1", "controller": True, "kind": "ReplicaSet", "name": "rs"}

    def put(kind, name):
        s.put({"kind": kind, "metadata": {"name": name, "namespace": "default", "ownerReferences": [owner]}})

    for kind, name in (("Pod", "a"), ("ConfigMap", "x"), ("Pod", "b"), ("Pod", "c")):
        put(kind, name)
    put("Pod", "a")  # written again: last
    names = lambda objs: [o["metadata"]["name"] for o in objs]  # noqa: E731
    assert names(s.dependents("u1")) == ["x", "b", "c", "a"]
    assert names(s.dependents("u1", "Pod")) == ["b", "c", "a"]
    assert names(s.dependents("u1", "ConfigMap")) == ["x"]
    assert s.dependents("u1", "Secret") == [] and s.dependents("nobody", "Pod") == []
