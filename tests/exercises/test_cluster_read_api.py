"""The Cluster read methods graders use instead of simulator internals (simulator/ARCHITECTURE.md)."""
import pytest

from simulator import Cluster


def test_resolve_kind_follows_kubectl_words():
    assert Cluster.resolve_kind("rc") == "ReplicationController"
    assert Cluster.resolve_kind("deploy") == "Deployment"
    assert Cluster.resolve_kind("Pods") == "Pod"
    assert Cluster.resolve_kind("nonsense") is None
    assert Cluster.resolve_kind("") is None


def test_label_selector_error_names_the_problem():
    assert Cluster.label_selector_error("app=kubia,version!=v1") is None
    assert Cluster.label_selector_error("env in (a,b)") is None
    assert "unable to parse" in Cluster.label_selector_error("env in (a")
    assert Cluster.label_selector_error(3) is not None


def test_select_matches_labels_like_kubectl_get_l():
    c = Cluster(seed=0)
    assert c.run("kubectl create deployment kubia --image=luksa/kubia:v1 --replicas=2").exit_code == 0
    assert c.run("kubectl create deployment other --image=nginx").exit_code == 0
    c.advance(30)
    pods = c.select("Pod", "default", "app=kubia")
    assert len(pods) == 2 and all(p["metadata"]["labels"]["app"] == "kubia" for p in pods)
    assert len(c.select("Pod", "default", "app in (kubia,other)")) == 3
    assert len(c.select("Pod", "default", "")) == 3
    pods[0]["metadata"]["labels"]["app"] = "changed"  # a copy: the cluster is untouched
    assert len(c.select("Pod", "default", "app=kubia")) == 2
    with pytest.raises(ValueError):
        c.select("Pod", "default", "app in (")
