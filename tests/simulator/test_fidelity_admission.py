"""Pod admission on create (ServiceAccount, Priority, DefaultTolerationSeconds), as a kind API
server runs it (plugin/pkg/admission/serviceaccount, priority, defaulttolerationseconds), and how
`kubectl get -o yaml` / `kubectl describe pod` then show it."""
import json
import re

from hypothesis import given, settings, strategies as st

from simulator import Cluster
from simulator.api import admission

from .engine_helpers import cluster_with, deployment_yaml

MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"


def _run_pod(c: Cluster, name="web", image="nginx:1.27.5", settle=20):
    r = c.run(f"kubectl run {name} --image={image}")
    assert r.exit_code == 0, r.stderr
    c.advance(settle)
    return c.get("Pod", "default", name)


def test_every_pod_gets_service_account_priority_tolerations_and_token_volume():
    pod = _run_pod(Cluster(seed=3))
    spec = pod["spec"]
    assert spec["serviceAccountName"] == "default" and spec["serviceAccount"] == "default"
    assert spec["priority"] == 0 and spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert spec["enableServiceLinks"] is True
    assert spec["tolerations"] == [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
    ]
    (vol,) = spec["volumes"]
    assert re.fullmatch(r"kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}", vol["name"])
    assert vol["projected"] == {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    "path": "namespace"}]}}]}
    assert spec["containers"][0]["volumeMounts"] == [{"mountPath": MOUNT, "name": vol["name"], "readOnly": True}]
    # the running container reports its mounts (kubelet, 1.30+)
    assert pod["status"]["containerStatuses"][0]["volumeMounts"] == [
        {"mountPath": MOUNT, "name": vol["name"], "readOnly": True, "recursiveReadOnly": "Disabled"}]


def test_templates_and_pod_template_hash_are_untouched():
    c = cluster_with(deployment_yaml(replicas=2))
    d = c.get("Deployment", "default", "kubia")
    tmpl = d["spec"]["template"]["spec"]
    for field in ("serviceAccountName", "priority", "tolerations", "volumes", "preemptionPolicy"):
        assert field not in tmpl
    assert "volumeMounts" not in tmpl["containers"][0]
    pods = c.list("Pod")
    assert len(pods) == 2
    names = {p["spec"]["volumes"][0]["name"] for p in pods}
    assert len(names) == 2  # each pod draws its own suffix
    rs = c.list("ReplicaSet")[0]
    assert rs["metadata"]["name"] == "kubia-" + rs["metadata"]["labels"]["pod-template-hash"]
    assert "volumes" not in rs["spec"]["template"]["spec"]


def test_describe_pod_shows_the_admitted_fields():
    c = Cluster(seed=3)
    pod = _run_pod(c)
    vol = pod["spec"]["volumes"][0]["name"]
    out = c.run("kubectl describe pod web").stdout
    # describe.go describePod / printProjectedVolumeSource / printPodTolerationsMultiline
    assert out.startswith("Name:             web\nNamespace:        default\nPriority:         0\n"
                          "Service Account:  default\n")
    assert f"    Mounts:\n      {MOUNT} from {vol} (ro)\n" in out
    assert (f"Volumes:\n  {vol}:\n"
            "    Type:                    Projected (a volume that contains injected data from multiple sources)\n"
            "    TokenExpirationSeconds:  3607\n"
            "    ConfigMapName:           kube-root-ca.crt\n"
            "    Optional:                false\n"  # v0.34.5 printProjectedVolumeSource
            "    DownwardAPI:             true\n") in out
    assert ("Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
            "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n") in out


def test_user_choices_are_kept():
    c = Cluster(seed=1)
    c.files["p.yaml"] = json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "automountServiceAccountToken": False,
        "tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                         "tolerationSeconds": 5}],
        "containers": [{"name": "c", "image": "nginx"}]}})
    assert c.run("kubectl create -f p.yaml").exit_code == 0
    spec = c.get("Pod", "default", "p")["spec"]
    assert "volumes" not in spec and "volumeMounts" not in spec["containers"][0]
    assert spec["serviceAccountName"] == "default"
    assert [(t["key"], t["tolerationSeconds"]) for t in spec["tolerations"]] == [
        ("node.kubernetes.io/unreachable", 5), ("node.kubernetes.io/not-ready", 300)]


def test_existing_mount_at_token_path_prevents_the_volume():
    pod = {"spec": {"containers": [{"name": "a", "volumeMounts": [{"name": "x", "mountPath": MOUNT}]}],
                    "volumes": [{"name": "x", "emptyDir": {}}]}}
    admission.admit_pod(pod, lambda: "abcde")
    assert [v["name"] for v in pod["spec"]["volumes"]] == ["x"]


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
                        st.sampled_from(["volumes", "containers", "initContainers", "tolerations", "volumeMounts",
                                         "serviceAccountName", "name", "mountPath", "key", "effect"]),
                        kids, max_size=4), max_leaves=12))
def test_admission_never_raises_on_malformed_specs(spec):
    pod = {"spec": spec}
    admission.admit_pod(pod, lambda: "bcdfg")
    admission.admit_pod(pod, lambda: "bcdfg")  # and is stable when run on its own output
