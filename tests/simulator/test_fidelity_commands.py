"""Commands and flags that exercises use: `set serviceaccount` (kubectl pkg/cmd/set/set_serviceaccount.go),
`set env` reading KEY=VALUE lines from stdin (pkg/cmd/set/env/env_parse.go readEnv/parseIntoEnvVar,
cli-runtime builder.go StdinMultiUseError), `set resources -c` naming no container
(pkg/cmd/set/set_resources.go: `error: unable to find container named %s`, exit 1), `expose -f`
without a lookup and `--overrides` / `--override-type` on expose and run
(pkg/cmd/expose/expose.go RunExpose, pkg/cmd/util/override_options.go, helpers.go Merge),
`replace --save-config` (pkg/cmd/replace/replace.go AddApplyAnnotationFlags; see
test_fidelity_apiserver_rules.py)."""
from __future__ import annotations

import json

import pytest

from simulator import Cluster

POD = """apiVersion: v1
kind: Pod
metadata:
  name: notyet
  labels: {app: notyet}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 8080}]
"""


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.fixture
def web():
    c = Cluster(seed=0)
    _run(c, "kubectl create deployment web --image=nginx:1.25 --replicas=2 --port=80")
    c.advance(30)
    c.files["web.yaml"] = _run(c, "kubectl get deploy web -o yaml").stdout
    c.files["app.env"] = "# settings\nA=1\nB=two # trailing comment\nnot a pair\n"
    return c


def _pod_spec(c: Cluster, name: str = "web") -> dict:
    return json.loads(_run(c, f"kubectl get deploy {name} -o json").stdout)["spec"]["template"]["spec"]


def test_set_serviceaccount(web):
    assert _run(web, "kubectl set serviceaccount deployment web builder").stdout == \
        "deployment.apps/web serviceaccount updated\n"
    assert _pod_spec(web)["serviceAccountName"] == "builder"
    r = _run(web, "kubectl set sa -f web.yaml other --local --dry-run=client -o yaml")
    assert "serviceAccountName: other" in r.stdout
    assert _pod_spec(web)["serviceAccountName"] == "builder"
    assert _run(web, "kubectl set sa", 1).stderr == "error: serviceaccount is required\n"
    assert "Update the service account of pod template resources." in _run(web, "kubectl set sa --help").stdout


def test_set_env_from_stdin(web):
    assert _run(web, "cat app.env | kubectl set env deploy/web -").stdout == "deployment.apps/web env updated\n"
    env = _pod_spec(web)["containers"][0]["env"]
    assert env == [{"name": "A", "value": "1"}, {"name": "B", "value": "two "}]
    _run(web, "echo C=3 | kubectl set env deploy/web -e -")
    assert _pod_spec(web)["containers"][0]["env"][-1] == {"name": "C", "value": "3"}


def test_set_env_stdin_used_twice(web):
    r = _run(web, "cat web.yaml | kubectl set env -f - -e -", 1)
    assert r.stderr == "error: standard input cannot be used for multiple arguments\n"
    r = _run(web, "kubectl set env deploy/web -", 1)
    assert r.stderr == "error: when '-' is used, STDIN must be open\n"


def test_set_resources_names_no_container(web):
    r = _run(web, "kubectl set resources deploy web -c nope --limits=cpu=200m", 1)
    assert (r.stdout, r.stderr) == ("", "error: unable to find container named nope\n")
    r = _run(web, "kubectl set resources deploy web -c 'ngi*' --limits=cpu=200m")
    assert r.stdout == "deployment.apps/web resource requirements updated\n"


def test_set_image_star_with_another_container(web):
    r = _run(web, "kubectl set image deploy/web '*=nginx:1.27' nginx=nginx:1.26", 1)
    assert r.stderr == ("error: all containers are already specified by *, but saw more than one "
                        "container_name=container_image pairs\n")


def test_expose_a_file_object_without_lookup(web):
    web.files["pod.yaml"] = POD
    # the pod does not exist: expose uses the file's object as written
    assert _run(web, "kubectl expose -f pod.yaml").stdout == "service/notyet exposed\n"
    svc = json.loads(_run(web, "kubectl get svc notyet -o json").stdout)
    assert svc["spec"]["selector"] == {"app": "notyet"}
    assert svc["spec"]["ports"] == [{"port": 8080, "protocol": "TCP", "targetPort": 8080}]


def test_expose_overrides(web):
    _run(web, """kubectl expose deploy web --overrides='{"spec":{"type":"NodePort"}}'""")
    assert json.loads(_run(web, "kubectl get svc web -o json").stdout)["spec"]["type"] == "NodePort"
    r = _run(web, """kubectl expose deploy web --name=w2 --port=81 --override-type=json """
                  """--overrides='[{"op":"add","path":"/metadata/labels/x","value":"y"}]' -o jsonpath={.metadata.labels}""")
    assert json.loads(r.stdout) == {"app": "web", "x": "y"}
    r = _run(web, "kubectl expose deploy web --name=w3 --overrides='{bad'", 1)
    assert r.stderr == "error: Invalid JSON Patch\n"
    r = _run(web, "kubectl expose deploy web --name=w3 --override-type=yaml --overrides='{}'", 1)
    assert r.stderr == "error: invalid override type: yaml\n"


def test_run_overrides(web):
    r = _run(web, """kubectl run p --image=nginx --dry-run=client -o json --overrides="""
                  """'{"spec":{"containers":[{"name":"p","image":"nginx:1.27","args":["a"]}]}}'""")
    assert json.loads(r.stdout)["spec"]["containers"] == [{"args": ["a"], "image": "nginx:1.27", "name": "p"}]
    r = _run(web, """kubectl run p --image=nginx --override-type=strategic --dry-run=client -o json """
                  """--overrides='{"spec":{"containers":[{"name":"p","imagePullPolicy":"Always"}]}}'""")
    assert json.loads(r.stdout)["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    _run(web, """kubectl run q --image=nginx --overrides='{"metadata":{"labels":{"team":"a"}}}'""")
    pod = json.loads(_run(web, "kubectl get pod q -o json").stdout)
    assert pod["metadata"]["labels"] == {"run": "q", "team": "a"}  # a merge patch merges maps


def test_generators_check_validate_and_document_themselves(web):
    # create.go generators call GetValidationDirective in Complete (kubectl pkg/cmd/util/helpers.go)
    r = _run(web, "kubectl create deployment x --image=nginx --validate=nope", 1)
    assert r.stderr.startswith('error: invalid - validate option "nope"')
    assert _run(web, "kubectl create configmap c --from-literal=a=1 --validate=warn").stdout == "configmap/c created\n"
    out = _run(web, "kubectl create configmap --help").stdout
    assert out.startswith("Create a config map based on a file, directory, or specified literal value.")
    assert "kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2" in out
    assert _run(web, "kubectl create secret generic --help").stdout.startswith(
        "Create a secret based on a file, directory, or specified literal value.")


def test_help_tip_names_every_parent(web):
    # kubectl pkg/util/templates/templates.go SectionTipsHelp with reverseParentsNames
    out = _run(web, "kubectl create secret", 1).stderr
    assert 'Use "kubectl create secret <command> --help" for more information about a given command.' in out
