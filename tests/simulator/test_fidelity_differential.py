"""Console output that the differential suite (tests/differential) found differing from the real
kubectl v1.34.5; each test names the upstream file that prints it."""
from __future__ import annotations

import pytest

from simulator import Cluster


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.fixture
def web():
    c = Cluster(seed=0)
    _run(c, "kubectl create deployment web --image=nginx:1.25 --replicas=2")
    c.advance(30)
    return c


def test_delete_dry_run_marker_follows_namespace(web):
    # kubectl pkg/cmd/delete/delete.go PrintObj: "deleted" + " from NS namespace" + " (server dry run)"
    r = _run(web, "kubectl delete deployment web --dry-run=server")
    assert r.stdout == 'deployment.apps "web" deleted from default namespace (server dry run)\n'
    r = _run(web, "kubectl delete deployment web --dry-run=client")
    assert r.stdout == 'deployment.apps "web" deleted from default namespace (dry run)\n'
    r = _run(web, "kubectl delete deployment web --dry-run=client --force")
    assert r.stdout == 'deployment.apps "web" force deleted from default namespace (dry run)\n'
    assert web.get("Deployment", "default", "web") is not None


def test_rollout_undo_prints_no_last_applied_warning():
    # kubectl pkg/cmd/rollout/rollout_undo.go at v0.34.5 warns about nothing
    c = Cluster(seed=0)
    c.files["d.yaml"] = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
                         "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                         "    spec: {containers: [{name: c, image: 'nginx:1.25'}]}\n")
    _run(c, "kubectl apply -f d.yaml")
    c.advance(30)
    _run(c, "kubectl set image deployment web c=nginx:1.26")
    c.advance(30)
    r = _run(c, "kubectl rollout undo deployment web")
    assert (r.stdout, r.stderr) == ("deployment.apps/web rolled back\n", "")


def test_get_sort_by_sorts_rows_and_objects():
    # kubectl pkg/cmd/get/sorter.go: RuntimeSort/TableSorter Less over a relaxed JSONPath; a missing
    # field sorts first; strings that both parse as quantities compare as quantities
    c = Cluster(seed=0)
    for name, replicas in (("b", 3), ("a", 1), ("c", 2)):
        _run(c, f"kubectl create deployment {name} --image=nginx --replicas={replicas}")
    c.advance(30)
    rows = _run(c, "kubectl get deploy --sort-by=.spec.replicas").stdout.splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["a", "c", "b"]
    names = _run(c, "kubectl get deploy --sort-by={.spec.replicas} -o name").stdout.split()
    assert names == ["deployment.apps/a", "deployment.apps/c", "deployment.apps/b"]
    rows = _run(c, "kubectl get deploy --sort-by=metadata.name").stdout.splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["a", "b", "c"]
    _run(c, "kubectl label deploy b tier=x")
    rows = _run(c, "kubectl get deploy --sort-by=.metadata.labels.tier").stdout.splitlines()[1:]
    assert rows[-1].split()[0] == "b"  # the only one with the field: the others are "less"


def test_sort_by_quantities_compare_numerically():
    from simulator.kubectl.printers.sort_by import sort_objects

    objs = [{"v": "1Gi"}, {"v": "512Mi"}, {"v": "2"}]
    assert [o["v"] for o in sort_objects(objs, ".v")] == ["2", "512Mi", "1Gi"]
    assert [o["v"] for o in sort_objects([{"v": "b"}, {"v": "B"}, {"v": "a"}], "{.v}")] == ["B", "a", "b"]


def test_delete_file_of_missing_object_names_the_source():
    # kubectl pkg/cmd/delete/delete.go deleteResource: cmdutil.AddSourceToErr("deleting", info.Source, err)
    c = Cluster(seed=0)
    c.files["d.yaml"] = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
                         "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                         "    spec: {containers: [{name: c, image: 'nginx:1.25'}]}\n")
    r = _run(c, "kubectl delete -f d.yaml", code=1)
    assert r.stderr == ('Error from server (NotFound): error when deleting "d.yaml": '
                        'deployments.apps "web" not found\n')


def test_get_and_describe_file_errors_have_no_error_prefix():
    # cli-runtime builder errors reach get.go/describe.go as a utilerrors.Aggregate; kubectl
    # pkg/cmd/util/helpers.go checkErr prints it with MultipleErrors("", …): no `error: `
    c = Cluster(seed=0)
    c.files["bad.yaml"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n"
    for verb in ("get", "describe"):
        r = _run(c, f"kubectl {verb} -f bad.yaml", code=1)
        assert r.stderr.startswith("error parsing bad.yaml: error converting YAML to JSON: yaml: line"), r.stderr
    # get.go printGeneric (-o yaml|json|name…): utilerrors.Reduce leaves the lone error, printed with `error: `
    r = _run(c, "kubectl get -f bad.yaml -o yaml", code=1)
    assert r.stderr.startswith("error: error parsing bad.yaml: "), r.stderr


def test_get_named_object_in_missing_namespace_reports_the_namespace(web):
    # what kubectl v1.34.5 prints against the API (tests/differential oracle run)
    r = _run(web, "kubectl get pod nope -n nope", code=1)
    assert r.stderr == 'Error from server (NotFound): namespaces "nope" not found\n'
    r = _run(web, "kubectl get deploy nope", code=1)
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_get_several_missing_names_still_prints_the_list(web):
    # kubectl pkg/cmd/get/get.go printGeneric: only a single implied item returns its error alone;
    # otherwise the (here empty) List is printed beside the errors
    r = _run(web, "kubectl get deploy nope nope2 -o yaml", code=1)
    assert r.stdout == 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n'
    assert r.stderr.count("Error from server (NotFound)") == 2
    assert _run(web, "kubectl get deploy nope -o yaml", code=1).stdout == ""


def test_describe_namespace():
    # kubectl pkg/describe/describe.go describeNamespace; no quotas or limit ranges in the simulator
    c = Cluster(seed=0)
    _run(c, "kubectl create namespace lab")
    _run(c, "kubectl label namespace lab team=a")
    r = _run(c, "kubectl describe ns lab")
    assert r.stdout == ("Name:         lab\nLabels:       kubernetes.io/metadata.name=lab\n              team=a\n"
                        "Annotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n")
    assert _run(c, "kubectl describe ns nope", code=1).stderr == 'Error from server (NotFound): namespaces "nope" not found\n'


def test_wait_for_condition_jsonpath_and_timeouts(web):
    # kubectl pkg/cmd/wait/wait.go RunWait, condition.go getObjAndCheckCondition, json.go
    r = _run(web, "kubectl wait --for=condition=available deployment/web --timeout=60s")
    assert r.stdout == "deployment.apps/web condition met\n"
    r = _run(web, "kubectl wait --for=jsonpath={.status.readyReplicas}=2 deploy web -o name")
    assert r.stdout == "deployment.apps/web\n"
    before = web.now
    r = _run(web, "kubectl wait --for=condition=Available=false deploy/web --timeout=5s", code=1)
    assert r.stderr == "error: timed out waiting for the condition on deployments/web\n"
    assert web.now - before == 5  # it waited its timeout in simulated time, no longer
    r = _run(web, "kubectl wait --for=condition=Progressing=false deploy/web --timeout=0", code=1)
    assert r.stderr == "error: condition not met for deployments/web\n"
    assert _run(web, "kubectl wait deploy/web", code=1).stderr == 'error: unrecognized condition: ""\n'
    r = _run(web, "kubectl wait --for=jsonpath={.spec} deploy/web")
    assert r.stdout == "deployment.apps/web condition met\n"  # no value: any value will do
    r = _run(web, "kubectl wait --for=jsonpath={.spec}=x deploy/web", code=1)
    assert r.stderr == "error: jsonpath leads to a nested object or list which is not supported\n"
    r = _run(web, "kubectl wait --for=condition=available deploy -l app=nope", code=1)
    assert r.stderr == "error: no matching resources found\n"


def test_wait_blocks_until_the_condition_then_returns(web):
    _run(web, "kubectl scale deployment web --replicas=3")
    before = web.now
    r = _run(web, "kubectl wait --for=jsonpath={.status.readyReplicas}=3 deploy/web --timeout=120s")
    assert r.stdout == "deployment.apps/web condition met\n"
    assert 0 < web.now - before < 120  # woke up on the change, not at the deadline


def test_wait_for_delete(web):
    # kubectl pkg/cmd/wait/delete.go IsDeleted: a missing object is no error; a deleted one is met
    assert _run(web, "kubectl wait --for=delete pod/nope").stdout == ""
    _run(web, "kubectl run tmp --image=busybox -- sleep 3600")
    web.advance(10)
    _run(web, "kubectl delete pod tmp --wait=false")
    assert _run(web, "kubectl wait --for=delete pod/tmp --timeout=60s").stdout == "pod/tmp condition met\n"
    assert web.get("Pod", "default", "tmp") is None


def test_rollout_history_revision_prints_the_typed_replicaset(web):
    # kubectl pkg/polymorphichelpers/history.go reads ReplicaSets with the typed client: zero
    # omitempty ints (spec.minReadySeconds, …) are not printed
    out = _run(web, "kubectl rollout history deployment web --revision=1 -o yaml").stdout
    assert "kind: ReplicaSet" in out and "minReadySeconds" not in out
    assert "  replicas: 2\n" in out


def test_rollout_history_json_is_in_struct_order(web):
    # a typed appsv1.ReplicaSet printed by the JSON printer: encoding/json writes struct fields in order
    import json

    out = _run(web, "kubectl rollout history deployment web --revision=1 -o json").stdout
    doc = json.loads(out)
    assert list(doc)[:3] == ["kind", "apiVersion", "metadata"]
    assert list(doc["spec"]) == ["replicas", "selector", "template"]
    assert list(doc["metadata"]["ownerReferences"][0])[:2] == ["apiVersion", "kind"]
    assert list(doc["status"])[0] == "replicas"


def test_apply_prints_errors_after_the_warnings():
    # kubectl pkg/cmd/apply/apply.go: builder and request errors are aggregated and returned to
    # checkErr at the end; a warning (here the missing last-applied annotation) is printed at once
    c = Cluster(seed=0)
    svc = ("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: s}\n"
           "  ports: [{port: 80}]\n")
    c.files["svc.yaml"] = svc
    _run(c, "kubectl create -f svc.yaml")
    c.files["both.yaml"] = ("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n---\n" + svc)
    r = _run(c, "kubectl apply -f both.yaml", code=1)
    lines = r.stderr.splitlines()
    assert lines[0].startswith("Warning: resource services/s is missing the kubectl.kubernetes.io/last-applied")
    assert lines[-2].startswith('error: resource mapping not found for name: "d"'), lines


INIT_POD = """apiVersion: v1
kind: Pod
metadata: {name: init-demo}
spec:
  initContainers:
  - {name: setup, image: busybox, command: ["sh", "-c", "echo preparing; sleep 5"]}
  containers:
  - {name: app, image: nginx:1.25}
"""


def test_logs_of_an_init_container_and_the_default_container_note():
    # kubectl pkg/polymorphichelpers/logsforobject.go: init containers make the default noted,
    # listed by podcmd.AllContainerNames; the REST log subresource serves init containers too
    c = Cluster(seed=0)
    c.files["p.yaml"] = INIT_POD
    _run(c, "kubectl create -f p.yaml")
    c.advance(20)
    assert _run(c, "kubectl logs init-demo -c setup").stdout == "preparing\n"
    r = _run(c, "kubectl logs init-demo")
    assert r.stderr == 'Defaulted container "app" out of: app, setup (init)\n'
    r = c.api("GET", "/api/v1/namespaces/default/pods/init-demo/log", query={"container": "setup"})
    assert r.status == 200 and r.body == b"preparing\n"


def test_describe_projected_volume_optional_lines(web):
    # kubectl pkg/describe/describe.go printProjectedVolumeSource (v0.34.5): `Optional: false`
    pod = [p for p in web.list("Pod") if p["metadata"]["name"].startswith("web-")][0]["metadata"]["name"]
    out = _run(web, f"kubectl describe pod {pod}").stdout
    assert "    ConfigMapName:           kube-root-ca.crt\n    Optional:                false\n" in out


def test_delete_all_without_a_type_is_the_builder_selector_error():
    c = Cluster(seed=0)
    r = _run(c, "kubectl delete --all", code=1)
    assert r.stderr == "error: at least one resource must be specified to use a selector\n"


def test_edit_temp_file_does_not_draw_from_the_cluster_prng(web):
    # client-side randomness (os.CreateTemp in kubectl pkg/cmd/util/editor) must not change the
    # cluster's generated names: same PRNG state after an edit as without it
    before = web._eng.rng.state
    r = web.run("kubectl edit deployment web", env={"KUBE_EDITOR": "sed -i 's/replicas: 2/replicas: -2/'"})
    assert 'A copy of your changes has been stored to "/tmp/kubectl-edit-' in r.stderr
    assert web._eng.rng.state == before


def test_server_side_apply_is_refused_as_through_the_api():
    # the REST layer answers application/apply-patch+yaml with 415; kubectl apply.go then says
    # "Server-side apply not available on the server: (…)" — the console says the same
    c = Cluster(seed=0)
    c.files["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n"
    r = _run(c, "kubectl apply --server-side -f cm.yaml", code=1)
    assert r.stderr == ("error: Server-side apply not available on the server: (server-side apply is not "
                        "supported by the simulated cluster; use client-side kubectl apply)\n")
    assert c.get("ConfigMap", "default", "cm") is None


def test_sort_by_over_several_types_in_a_table(web):
    # kubectl v1.34.5 pkg/cmd/get/sorter.go NewTableSorter fails on multi-type Tables (seen through
    # tests/differential); -o name sorts the flattened objects
    r = _run(web, "kubectl get deploy,svc --sort-by=.metadata.name", code=1)
    assert (r.stdout, r.stderr) == ("", 'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n')
    assert _run(web, "kubectl get deploy,svc --sort-by=.metadata.name -o name").stdout.split() == [
        "service/kubernetes", "deployment.apps/web"]
