"""Tab completion through the public API (`Cluster.complete`): what kubectl's cobra completion
offers for each position of a command line, against the simulated cluster's objects and files."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import Cluster

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
  namespace: {ns}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: kubia}}
  template:
    metadata:
      labels: {{app: kubia}}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:v1
      - name: sidecar
        image: busybox
"""


@pytest.fixture(scope="module")
def c():
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = DEPLOYMENT.format(ns="default")
    c.files["kubia-v2.yaml"] = DEPLOYMENT.format(ns="default").replace("kubia:v1", "kubia:v2")
    c.files["staging/kubia.yaml"] = DEPLOYMENT.format(ns="staging")
    c.files["ns.yaml"] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n"
    assert c.run("kubectl apply -f ns.yaml").exit_code == 0
    assert c.run("kubectl apply -f kubia.yaml").exit_code == 0
    assert c.run("kubectl apply -f staging/kubia.yaml").exit_code == 0
    c.advance(30)
    return c


def test_first_word_is_a_console_command(c):
    assert c.complete("") == ["cat", "clear", "curl", "echo", "false", "grep", "head", "help", "k", "kubectl",
                              "ls", "sed", "sleep", "tail", "true", "wc"]
    assert c.complete("ku") == ["kubectl"]
    assert c.complete("kubectl get pods | g") == ["grep"]


def test_verbs_and_subcommands(c):
    assert c.complete("kubectl ro") == ["rollout"]
    assert c.complete("k ex") == ["exec", "explain", "expose"]
    assert c.complete("kubectl rollout ") == ["history", "pause", "restart", "resume", "status", "undo"]
    assert c.complete("kubectl set im") == ["image"]
    assert c.complete("kubectl config cu") == ["current-context"]
    assert c.complete("kubectl create dep") == ["deployment"]
    assert c.complete("kubectl help rol") == ["rollout"]
    assert "options" not in c.complete("kubectl o")  # hidden commands are not offered


def test_resource_types_with_short_names(c):
    assert c.complete("kubectl get dep") == ["deploy", "deployment", "deployments"]
    assert c.complete("kubectl get rs") == ["rs"]
    assert c.complete("kubectl get a") == ["all", "apiservices"]
    assert c.complete("kubectl describe svc") == ["svc"]
    # rollout and scale only offer the kinds they can act on
    assert c.complete("kubectl rollout history ") == ["daemonsets", "deploy", "deployment", "deployments", "ds",
                                                       "statefulsets", "sts"]
    assert "pods" not in c.complete("kubectl scale ")
    assert c.complete("kubectl scale r") == ["rc", "replicaset", "replicasets", "replicationcontroller",
                                             "replicationcontrollers", "rs"]


def test_object_names_in_the_right_namespace(c):
    default_pods = sorted(p["metadata"]["name"] for p in c.list("Pod", "default"))
    staging_pods = sorted(p["metadata"]["name"] for p in c.list("Pod", "staging"))
    assert len(default_pods) == 2 and len(staging_pods) == 2 and not set(default_pods) & set(staging_pods)
    assert c.complete("kubectl get pods ") == default_pods
    assert c.complete("kubectl get po -n staging ") == staging_pods
    assert c.complete("kubectl -n staging get po ") == staging_pods
    assert c.complete("kubectl get pods --namespace=staging ") == staging_pods
    assert c.complete("kubectl get pods -A ") == sorted(default_pods + staging_pods)
    assert c.complete("kubectl logs ") == default_pods
    assert c.complete("kubectl rollout status deploy k") == ["kubia"]
    assert c.complete("kubectl delete rs ") == sorted(r["metadata"]["name"] for r in c.list("ReplicaSet", "default"))
    assert c.complete("kubectl get ns s") == ["staging"]
    assert c.complete("kubectl get nodes ") == ["node1", "node2"]


def test_type_slash_name(c):
    assert c.complete("kubectl rollout undo deploy/") == ["deploy/kubia"]
    assert c.complete("kubectl get deployment.apps/k") == ["deployment.apps/kubia"]
    assert c.complete("kubectl get nope/") == []


def test_flags_of_the_command(c):
    assert c.complete("kubectl get --show-l") == ["--show-labels"]
    assert c.complete("kubectl rollout undo --to") == ["--to-revision", "--token"]  # local and global flags
    assert "--to-revision" not in c.complete("kubectl rollout status --")
    assert c.complete("kubectl scale --rep") == ["--replicas"]
    assert "-n" in c.complete("kubectl get -") and "--namespace" in c.complete("kubectl get -")
    assert c.complete("kubectl apply --reco") == []  # --record is deprecated: not offered


def test_flag_values(c):
    assert c.complete("kubectl get pods -o ") == ["custom-columns", "custom-columns-file", "go-template",
                                                  "go-template-file", "json", "jsonpath", "jsonpath-as-json",
                                                  "jsonpath-file", "name", "template", "templatefile", "wide", "yaml"]
    assert c.complete("kubectl get pods --output=ya") == ["--output=yaml"]
    assert c.complete("kubectl version -o ") == ["json", "yaml"]
    assert c.complete("kubectl get pods -n ") == ["default", "kube-node-lease", "kube-public", "kube-system", "staging"]
    assert c.complete("kubectl get pods --namespace=st") == ["--namespace=staging"]
    assert c.complete("kubectl get --context ") == ["kind-kind"]


def test_files_after_f(c):
    assert c.complete("kubectl apply -f ") == ["kubia-v2.yaml", "kubia.yaml", "ns.yaml", "staging/"]
    assert c.complete("kubectl apply -f kub") == ["kubia-v2.yaml", "kubia.yaml"]
    assert c.complete("kubectl create -f staging/") == ["staging/kubia.yaml"]
    assert c.complete("kubectl delete --filename=n") == ["--filename=ns.yaml"]
    assert c.complete("cat k") == ["kubia-v2.yaml", "kubia.yaml"]


def test_explain_field_paths(c):
    assert c.complete("kubectl explain deploy.spec.str") == ["deploy.spec.strategy"]
    assert c.complete("kubectl explain deployment.spec.strategy.rollingUpdate.") == [
        "deployment.spec.strategy.rollingUpdate.maxSurge", "deployment.spec.strategy.rollingUpdate.maxUnavailable"]
    assert c.complete("kubectl explain po") == ["po", "pod", "pods"]  # only types explain has schemas for
    assert c.complete("kubectl explain deploy.nope.") == []


def test_set_image_offers_containers(c):
    assert c.complete("kubectl set image deployment/kubia ") == ["nodejs=", "sidecar="]
    assert c.complete("kubectl set image deploy kubia s") == ["sidecar="]
    assert c.complete("kubectl set image deploy kubia nodejs=x ") == []


def test_contexts_and_services(c):
    assert c.complete("kubectl config use-context ") == ["kind-kind"]
    assert c.complete("curl ") == ["kubernetes"]
    assert c.complete("frobnicate ") == []


WORDS = ["kubectl", "k", "get", "rollout", "status", "set", "image", "deploy", "deploy/", "pods", "po", "kubia",
         "-n", "staging", "-A", "-o", "--output=", "-f", "--", "|", "explain", "deploy.spec.", "config", "help",
         "=", "-", "'", '"', "\\", "all", "pods,svc", "--namespace", "x=y", "ls", "cat"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=6), st.sampled_from(["", " ", "k", "-", "--n", "deploy/", "s"]))
def test_candidates_always_extend_the_current_word(words, tail):
    c = _shared()
    text = " ".join(words) + (" " if words else "") + tail
    got = c.complete(text)
    current = text.split(" ")[-1]
    assert got == sorted(set(got))
    assert all(isinstance(x, str) and x.startswith(current) for x in got)


_CLUSTER = []


def _shared():
    if not _CLUSTER:
        c = Cluster(seed=0)
        c.files["kubia.yaml"] = DEPLOYMENT.format(ns="default")
        c.run("kubectl apply -f kubia.yaml")
        _CLUSTER.append(c)
    return _CLUSTER[0]
