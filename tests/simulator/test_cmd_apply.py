"""`kubectl apply` / `replace` through Cluster.run.

Sequences follow kubernetes.io "Declarative Management of Kubernetes Objects Using Configuration
Files" (content/en/docs/tasks/manage-kubernetes-objects/declarative-config.md: simple_deployment.yaml,
`kubectl scale`, update_deployment.yaml; fields set by other writers survive, fields dropped from
the file are removed). Texts: kubectl pkg/cmd/apply/apply.go (`created`/`configured`/`unchanged`,
warningNoLastAppliedConfigAnnotation), replace.go (`replaced`; --force deletes with the delete
printer first), record_flags.go (--record).
"""
from __future__ import annotations

import json

import pytest

from simulator import Cluster

from .cmd_helpers import cluster_state

SIMPLE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  selector:
    matchLabels:
      app: nginx
  minReadySeconds: 5
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
"""
UPDATE = SIMPLE.replace("  minReadySeconds: 5\n", "").replace("nginx:1.14.2", "nginx:1.16.1")


def _deploy(c, name="nginx-deployment"):
    return json.loads(c.run(f"kubectl get deployment {name} -o json").stdout)


@pytest.fixture
def c():
    c = Cluster(seed=0)
    c.files["simple_deployment.yaml"] = SIMPLE
    c.files["update_deployment.yaml"] = UPDATE
    return c


def test_declarative_config_page_sequence(c):
    r = c.run("kubectl apply -f simple_deployment.yaml")
    assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/nginx-deployment created\n", "", 0)
    d = _deploy(c)
    last = json.loads(d["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last["spec"]["minReadySeconds"] == 5 and "replicas" not in last["spec"]
    c.advance(30)
    assert c.run("kubectl scale deployment/nginx-deployment --replicas=2").stdout == \
        "deployment.apps/nginx-deployment scaled\n"
    r = c.run("kubectl apply -f update_deployment.yaml")
    assert (r.stdout, r.stderr) == ("deployment.apps/nginx-deployment configured\n", "")
    d = _deploy(c)
    assert d["spec"]["replicas"] == 2                      # set by `kubectl scale`, kept
    assert "minReadySeconds" not in d["spec"] or d["spec"]["minReadySeconds"] == 0   # dropped from the file
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"
    r = c.run("kubectl apply -f update_deployment.yaml")
    assert r.stdout == "deployment.apps/nginx-deployment unchanged\n"


def test_missing_annotation_warning(c):
    c.run("kubectl create -f simple_deployment.yaml")
    r = c.run("kubectl apply -f update_deployment.yaml")
    assert r.stderr == (
        "Warning: resource deployments/nginx-deployment is missing the kubectl.kubernetes.io/last-applied-configuration "
        "annotation which is required by kubectl apply. kubectl apply should only be used on resources created "
        "declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be "
        "patched automatically.\n")
    assert r.stdout == "deployment.apps/nginx-deployment configured\n"
    # the annotation is there now: no second warning
    r = c.run("kubectl apply -f update_deployment.yaml")
    assert (r.stdout, r.stderr) == ("deployment.apps/nginx-deployment unchanged\n", "")


def test_dry_runs(c):
    r = c.run("kubectl apply -f simple_deployment.yaml --dry-run=client")
    assert r.stdout == "deployment.apps/nginx-deployment created (dry run)\n"
    assert c.run("kubectl get deploy").stderr == "No resources found in default namespace.\n"
    r = c.run("kubectl apply -f simple_deployment.yaml --dry-run=server")
    assert r.stdout == "deployment.apps/nginx-deployment created (server dry run)\n"
    c.run("kubectl apply -f simple_deployment.yaml")
    before = cluster_state(c)
    # client dry run sends nothing, so it cannot know the object is unchanged
    assert c.run("kubectl apply -f simple_deployment.yaml --dry-run=client").stdout == \
        "deployment.apps/nginx-deployment configured (dry run)\n"
    assert c.run("kubectl apply -f simple_deployment.yaml --dry-run=server").stdout == \
        "deployment.apps/nginx-deployment unchanged (server dry run)\n"
    assert c.run("kubectl apply -f update_deployment.yaml --dry-run=server").stdout == \
        "deployment.apps/nginx-deployment configured (server dry run)\n"
    after = cluster_state(c)
    assert after["engine"] == before["engine"]


def test_record(c):
    r = c.run("kubectl apply -f simple_deployment.yaml --record")
    assert r.stderr == "Flag --record has been deprecated, --record will be removed in the future\n"
    cause = _deploy(c)["metadata"]["annotations"]["kubernetes.io/change-cause"]
    assert cause == "kubectl apply --filename=simple_deployment.yaml --record=true"


def test_multi_document_with_one_bad_document(c):
    c.files["multi.yaml"] = SIMPLE + "---\napiVersion: v1\nkind: Servic\nmetadata:\n  name: x\n---\n" + \
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  selector:\n    app: nginx\n" \
        "  ports:\n  - port: 80\n"
    r = c.run("kubectl apply -f multi.yaml")
    assert r.stdout == "deployment.apps/nginx-deployment created\nservice/nginx created\n"
    assert r.exit_code == 1
    assert r.stderr.startswith("error: resource mapping not found for name: \"x\"")


def test_replace_and_replace_force(c):
    c.run("kubectl create -f simple_deployment.yaml")
    r = c.run("kubectl replace -f update_deployment.yaml")
    assert (r.stdout, r.exit_code) == ("deployment.apps/nginx-deployment replaced\n", 0)
    r = c.run("kubectl replace --force -f simple_deployment.yaml")
    assert r.stdout == ('deployment.apps "nginx-deployment" deleted from default namespace\n'
                        "deployment.apps/nginx-deployment replaced\n")
    c.run("kubectl delete deploy nginx-deployment")
    r = c.run("kubectl replace -f simple_deployment.yaml")
    assert r.stderr == ('Error from server (NotFound): error when replacing "simple_deployment.yaml": '
                        'deployments.apps "nginx-deployment" not found\n')
