"""kubernetes.io task pages typed as written, including their `https://k8s.io/examples/…` URLs:
tasks/run-application/run-stateless-application-deployment.md,
tasks/manage-kubernetes-objects/declarative-config.md and update-api-object-kubectl-patch.md
(kubernetes/website). The example manifests are served from simulator/kubectl/web_examples.py.

The pages print 2016-era output (`Annotations: deployment.kubernetes.io/revision=1`, `No events.`,
READY columns padded with tabs, numeric pod-template-hash); current kubectl prints `key: value`
annotations, an Events table, 3-space column gaps and SafeEncodeString hashes, which is what is asserted.
"""
import json
import re
from pathlib import Path

from simulator import Cluster

REF = Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"
EX = "https://k8s.io/examples/application"


def ok(c, line, **kw):
    r = c.run(line, **kw)
    assert r.exit_code == 0, (line, r.stdout, r.stderr)
    return r


def pods(c, sel="app=nginx"):
    return [l.split() for l in ok(c, f"kubectl get pods -l {sel}").stdout.splitlines()[1:]]


def test_run_stateless_application_deployment():
    c = Cluster(seed=4)
    assert ok(c, f"kubectl apply -f {EX}/deployment.yaml").stdout == "deployment.apps/nginx-deployment created\n"
    ok(c, "kubectl rollout status deployment/nginx-deployment")
    d = ok(c, "kubectl describe deployment nginx-deployment").stdout
    assert "Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\n" in d
    assert "Annotations:            deployment.kubernetes.io/revision: 1\n" in d
    assert "    Image:         nginx:1.14.2\n" in d
    assert "  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\n" in d
    rows = pods(c)
    assert len(rows) == 2 and all(r[1:3] == ["1/1", "Running"] for r in rows)
    assert ok(c, f"kubectl describe pod {rows[0][0]}").stdout.startswith(f"Name:             {rows[0][0]}\n")

    assert ok(c, f"kubectl apply -f {EX}/deployment-update.yaml").stdout == "deployment.apps/nginx-deployment configured\n"
    c.advance(1)
    names = {r[0] for r in pods(c)}
    assert len({n.rsplit("-", 1)[0] for n in names}) == 2  # new pod names next to the old ones
    ok(c, "kubectl rollout status deployment/nginx-deployment")

    assert ok(c, f"kubectl apply -f {EX}/deployment-scale.yaml").stdout == "deployment.apps/nginx-deployment configured\n"
    ok(c, "kubectl rollout status deployment/nginx-deployment")
    c.advance(40)
    rows = pods(c)
    assert len(rows) == 4 and all(r[1:3] == ["1/1", "Running"] for r in rows)
    assert all(c.get("Pod", "default", r[0])["spec"]["containers"][0]["image"] == "nginx:1.16.1" for r in rows)
    assert ok(c, "kubectl delete deployment nginx-deployment").stdout == \
        'deployment.apps "nginx-deployment" deleted from default namespace\n'


def test_declarative_config_page():
    c = Cluster(seed=8)
    r = c.run(f"kubectl diff -f {EX}/simple_deployment.yaml")
    assert (r.exit_code, r.stderr) == (1, 'error: "kubectl diff" is not available in this simulator\n')
    ok(c, f"kubectl apply -f {EX}/simple_deployment.yaml")
    live = ok(c, f"kubectl get -f {EX}/simple_deployment.yaml -o yaml").stdout
    assert live.startswith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n")
    last = json.loads(c.get("Deployment", "default", "nginx-deployment")["metadata"]["annotations"][
        "kubectl.kubernetes.io/last-applied-configuration"])
    assert last == {"apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"annotations": {}, "name": "nginx-deployment", "namespace": "default"},
                    "spec": {"minReadySeconds": 5, "selector": {"matchLabels": {"app": "nginx"}},
                             "template": {"metadata": {"labels": {"app": "nginx"}},
                                          "spec": {"containers": [{"image": "nginx:1.14.2", "name": "nginx",
                                                                   "ports": [{"containerPort": 80}]}]}}}}
    assert "  minReadySeconds: 5\n" in live

    assert ok(c, "kubectl scale deployment/nginx-deployment --replicas=2").stdout == "deployment.apps/nginx-deployment scaled\n"
    live = ok(c, "kubectl get deployment nginx-deployment -o yaml").stdout
    assert "  replicas: 2\n" in live and '"replicas"' not in live

    ok(c, f"kubectl apply -f {EX}/update_deployment.yaml")
    live = ok(c, f"kubectl get -f {EX}/update_deployment.yaml -o yaml").stdout
    d = c.get("Deployment", "default", "nginx-deployment")
    assert d["spec"]["replicas"] == 2                 # retained: set by scale, not in the file
    assert "  minReadySeconds:" not in live
    assert d["spec"].get("minReadySeconds", 0) == 0    # cleared: in last-applied, gone from the file
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"
    assert "minReadySeconds" not in d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]

    # `kubectl get -f <filename|url>` with resource arguments too is the builder's error
    r = c.run(f"kubectl get deploy -f {EX}/update_deployment.yaml")
    assert (r.exit_code, r.stderr) == (1, "error: when paths, URLs, or stdin is provided as input, you may not "
                                           "specify resource arguments as well\n")
    assert ok(c, f"kubectl delete -f {EX}/update_deployment.yaml").stdout == \
        'deployment.apps "nginx-deployment" deleted from default namespace\n'
    r = c.run(f"kubectl get -f {EX}/update_deployment.yaml")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", 'Error from server (NotFound): deployments.apps "nginx-deployment" not found\n')


def test_get_f_multi_document_prints_kind_prefixed_groups():
    c = Cluster(seed=0)
    out = ok(c, f"kubectl apply -f {EX}/nginx-app.yaml").stdout
    assert out == "service/my-nginx-svc created\ndeployment.apps/my-nginx created\n"
    lines = ok(c, f"kubectl get -f {EX}/nginx-app.yaml").stdout.splitlines()
    assert lines[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert lines[1].startswith("service/my-nginx-svc   LoadBalancer   10.96.")
    assert lines[2] == ""
    assert lines[3].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert lines[4].split()[:2] == ["deployment.apps/my-nginx", "0/3"]
    r = c.run("kubectl apply -f https://example.com/manifest.yaml")
    assert r.exit_code == 1 and "no internet access" in r.stderr


def test_kubectl_patch_page():
    c = Cluster(seed=6)
    for f in ("patch-file.yaml", "patch-file-tolerations.yaml", "patch-file-2.yaml", "patch-file-no-retainkeys.yaml",
              "patch-file-retainkeys.yaml", "patch-file.json"):
        c.files[f] = (REF / f).read_text()
    ok(c, f"kubectl apply -f {EX}/deployment-patch.yaml")
    c.advance(30)
    rows = [l.split() for l in ok(c, "kubectl get pods").stdout.splitlines()[1:]]
    assert len(rows) == 2 and all(r[1:3] == ["1/1", "Running"] for r in rows)
    first = {r[0] for r in rows}

    assert ok(c, "kubectl patch deployment patch-demo --patch-file patch-file.yaml").stdout == \
        "deployment.apps/patch-demo patched\n"
    y = ok(c, "kubectl get deployment patch-demo --output yaml").stdout
    # strategic merge on containers (patchMergeKey name): the new one first, nginx kept
    assert re.search(r"      containers:\n      - image: redis\n        imagePullPolicy: Always\n"
                     r"        name: patch-demo-ctr-2\n(?:        .*\n)*      - image: nginx\n"
                     r"        imagePullPolicy: Always\n        name: patch-demo-ctr\n", y)
    c.advance(60)
    rows = [l.split() for l in ok(c, "kubectl get pods").stdout.splitlines()[1:]]
    assert len(rows) == 2 and all(r[1:3] == ["2/2", "Running"] for r in rows) and not first & {r[0] for r in rows}
    pod = ok(c, f"kubectl get pod {rows[0][0]} --output yaml").stdout
    assert pod.index("- image: redis") < pod.index("- image: nginx")

    ok(c, "kubectl patch deployment patch-demo --patch-file patch-file-tolerations.yaml")
    r = ok(c, "kubectl get deployment patch-demo -o jsonpath='{.spec.template.spec.tolerations}'")
    assert r.stdout == '[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]'  # replaced, not merged

    ok(c, "kubectl patch deployment patch-demo --type merge --patch-file patch-file-2.yaml")
    r = ok(c, "kubectl get deployment patch-demo -o jsonpath='{.spec.template.spec.containers[*].name}'")
    assert r.stdout == "patch-demo-ctr-3"  # a JSON merge patch replaces the whole list
    c.advance(60)
    rows = [l.split() for l in ok(c, "kubectl get pods").stdout.splitlines()[1:]]
    assert len(rows) == 2 and all(r[1:3] == ["1/1", "Running"] for r in rows)

    ok(c, f"kubectl apply -f {EX}/deployment-retainkeys.yaml")
    r = c.run("kubectl patch deployment retainkeys-demo --type merge --patch-file patch-file-no-retainkeys.yaml")
    assert (r.exit_code, r.stderr) == (1, 'The Deployment "retainkeys-demo" is invalid: spec.strategy.rollingUpdate: '
                                          "Forbidden: may not be specified when strategy `type` is 'Recreate'\n")
    ok(c, "kubectl patch deployment retainkeys-demo --patch-file patch-file-retainkeys.yaml")
    y = ok(c, "kubectl get deployment retainkeys-demo --output yaml").stdout
    assert "  strategy:\n    type: Recreate\n  template:\n" in y

    # the alternate forms: all equivalent once ctr-2 is back
    assert ok(c, "kubectl patch deployment patch-demo --patch-file patch-file.yaml").stdout == "deployment.apps/patch-demo patched\n"
    for line in ("kubectl patch deployment patch-demo --patch-file patch-file.json",
                 """kubectl patch deployment patch-demo --patch '{"spec": {"template": {"spec": {"containers": [{"name": "patch-demo-ctr-2","image": "redis"}]}}}}'"""):
        assert ok(c, line).stdout == "deployment.apps/patch-demo patched (no change)\n"
    # in bash single quotes `\n` stays a backslash and an n: the page's one-line YAML form cannot parse
    # (patch.go: fmt.Errorf("unable to parse %q: %v", o.Patch, err))
    r = c.run("kubectl patch deployment patch-demo --patch 'spec:\\n template:\\n  spec:\\n   containers:\\n   - name: patch-demo-ctr-2\\n     image: redis'")
    assert r.exit_code == 1
    assert r.stderr.startswith('error: unable to parse "spec:\\\\n template:\\\\n  spec:')
    assert r.stderr.endswith(": yaml: mapping values are not allowed in this context\n")
