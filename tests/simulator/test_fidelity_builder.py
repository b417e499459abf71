"""Choosing objects as cli-runtime's resource builder does, for every command that builds the same
way: staging/src/k8s.io/cli-runtime/pkg/resource/builder.go (visitorResult, visitByPaths,
visitBySelector, SelectAllParam, ResourceTypeOrNameArgs, LocalResourceError, missingResourceError);
kubectl pkg/cmd/rollout/rollout_{status,history,pause,resume,restart,undo}.go (ResourceTypeOrNameArgs
(true, …), `No resources found in %s namespace.`), pkg/cmd/set/set_image.go (Validate's errors,
ResourceTypeOrNameArgs(o.All, …)), pkg/cmd/scale/scale.go + pkg/scale/scale.go (PreconditionError),
pkg/cmd/delete/delete.go (SelectAllParam, ResourceTypeOrNameArgs(false, …))."""
from __future__ import annotations

import json

import pytest

from simulator import Cluster


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.fixture
def two():
    c = Cluster(seed=0)
    _run(c, "kubectl create deployment web --image=nginx:1.25 --replicas=2")
    _run(c, "kubectl create deployment api --image=nginx:1.25")
    _run(c, "kubectl label deploy api tier=backend")
    c.advance(30)
    c.files["web.yaml"] = _run(c, "kubectl get deploy web -o yaml").stdout
    return c


def _replicas(c: Cluster, name: str) -> int:
    return json.loads(_run(c, f"kubectl get deploy {name} -o json").stdout)["spec"]["replicas"]


def _image(c: Cluster, name: str) -> str:
    d = json.loads(_run(c, f"kubectl get deploy {name} -o json").stdout)
    return d["spec"]["template"]["spec"]["containers"][0]["image"]


# ------------------------------------------------------------------ rollout verbs
def test_rollout_selector_is_honoured(two):
    assert _run(two, "kubectl rollout status deploy -l tier=backend").stdout == \
        'deployment "api" successfully rolled out\n'
    assert _run(two, "kubectl rollout restart deploy --selector tier=backend").stdout == \
        "deployment.apps/api restarted\n"
    assert _run(two, "kubectl rollout pause deploy -l tier=backend").stdout == "deployment.apps/api paused\n"
    assert _run(two, "kubectl rollout resume deploy -l tier=backend").stdout == "deployment.apps/api resumed\n"
    assert _run(two, "kubectl rollout history deploy -l tier=backend").stdout.startswith("deployment.apps/api \n")


@pytest.mark.parametrize("verb", ["status", "restart", "pause", "resume"])
def test_rollout_with_no_objects(two, verb):
    r = _run(two, f"kubectl rollout {verb} deploy -l tier=none")
    assert (r.stdout, r.stderr) == ("", "No resources found in default namespace.\n")


def test_rollout_status_visits_each_object(two):
    r = _run(two, "kubectl rollout status deployment")
    assert r.stdout == ('deployment "api" successfully rolled out\n'
                        'deployment "web" successfully rolled out\n')


def test_rollout_from_a_file_and_type_slash_name(two):
    assert _run(two, "kubectl rollout history -f web.yaml").stdout.startswith("deployment.apps/web \n")
    r = _run(two, "kubectl rollout pause deploy/web deploy/nope", 1)
    assert r.stdout == "deployment.apps/web paused\n"
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_rollout_builder_errors(two):
    r = _run(two, "kubectl rollout status deploy web -l x=y", 1)
    assert r.stderr == "error: name cannot be provided when a selector is specified\n"
    r = _run(two, "kubectl rollout status deploy/web -l x=y", 1)
    assert r.stderr == "error: selectors and the all flag cannot be used when passing resource/name arguments\n"
    r = _run(two, "kubectl rollout restart deploy web -f web.yaml", 1)
    assert r.stderr == ("error: when paths, URLs, or stdin is provided as input, you may not specify resource "
                        "arguments as well\n")
    r = _run(two, "kubectl rollout restart", 1)
    assert r.stderr == "error: required resource not specified\n"


# ------------------------------------------------------------------ set image
def test_set_image_all_selector_file_and_local(two):
    assert _run(two, "kubectl set image deploy --all '*=nginx:1.26'").stdout == \
        "deployment.apps/api image updated\ndeployment.apps/web image updated\n"
    assert _run(two, "kubectl set image deploy -l tier=backend nginx=nginx:1.27").stdout == \
        "deployment.apps/api image updated\n"
    assert (_image(two, "api"), _image(two, "web")) == ("nginx:1.27", "nginx:1.26")
    assert _run(two, "kubectl set image -f web.yaml nginx=nginx:1.28").stdout == "deployment.apps/web image updated\n"
    r = _run(two, "kubectl set image --local -f web.yaml nginx=nginx:1.29 -o jsonpath={.spec.template.spec.containers[0].image}")
    assert r.stdout == "nginx:1.29"
    assert _image(two, "web") == "nginx:1.28"  # --local sends nothing


def test_set_image_validate_errors(two):
    r = _run(two, "kubectl set image deploy web '*=nginx:1.26' nginx=x", 1)
    assert r.stderr == ("error: all containers are already specified by *, but saw more than one "
                        "container_name=container_image pairs\n")
    r = _run(two, "kubectl set image --local deploy/web nginx=x", 1)
    assert r.stderr == ("error: you must specify resources by --filename when --local is set.\n"
                        "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n")
    # Complete (the builder) runs before Validate: missingResourceError
    r = _run(two, "kubectl set image nginx=x", 1)
    assert r.stderr.startswith("error: You must provide one or more resources by argument or filename.\n")
    r = _run(two, "kubectl set image deploy nginx=x", 1)
    assert r.stderr == "error: resource(s) were provided, but no name was specified\n"
    r = _run(two, "kubectl set image deploy web nope=x", 1)
    assert r.stderr == 'error: unable to find container named "nope"\n'
    # several errors: one per line, as utilerrors.Aggregate prints them
    r = _run(two, "kubectl set image deploy --all -l tier=backend nginx=x", 1)
    assert r.stderr == "error: cannot set --all and --selector at the same time\n"


# ------------------------------------------------------------------ scale
def test_scale_from_a_file_with_current_replicas(two):
    r = _run(two, "kubectl scale -f web.yaml --current-replicas=3 --replicas=4", 1)
    assert r.stderr == "error: Expected replicas to be 3, was 2\n"
    assert _run(two, "kubectl scale -f web.yaml --current-replicas=2 --replicas=4").stdout == \
        "deployment.apps/web scaled\n"
    assert _replicas(two, "web") == 4


def test_scale_all_and_selector(two):
    assert _run(two, "kubectl scale deploy --all --replicas=1").stdout == \
        "deployment.apps/api scaled\ndeployment.apps/web scaled\n"
    assert _run(two, "kubectl scale deploy -l tier=backend --replicas=3").stdout == "deployment.apps/api scaled\n"
    assert (_replicas(two, "api"), _replicas(two, "web")) == (3, 1)
    r = _run(two, "kubectl scale deploy --replicas=1", 1)
    assert r.stderr == "error: resource(s) were provided, but no name was specified\n"
    r = _run(two, "kubectl scale deploy -l tier=none --replicas=1", 1)
    assert r.stderr == "error: no objects passed to scale\n"
    rv = json.loads(_run(two, "kubectl get deploy api -o json").stdout)["metadata"]["resourceVersion"]
    r = _run(two, "kubectl scale deploy api --resource-version=1 --replicas=2", 1)
    assert r.stderr == f"error: Expected resource version to be 1, was {rv}\n"
    r = _run(two, "kubectl scale deploy --all --resource-version=1 --replicas=2", 1)
    assert r.stderr == "error: cannot use --resource-version with multiple resources\n"


# ------------------------------------------------------------------ delete guards
def test_delete_guards(two):
    r = _run(two, "kubectl delete deploy --all -l tier=backend", 1)
    assert r.stderr == "error: setting 'all' parameter but found a non empty selector. \n"
    r = _run(two, "kubectl delete deploy web --all", 1)
    assert r.stderr == "error: name cannot be provided when a selector is specified\n"
    r = _run(two, "kubectl delete deploy", 1)
    assert r.stderr == "error: resource(s) were provided, but no name was specified\n"
    r = _run(two, "kubectl delete deploy nope web", 1)
    assert r.stdout == 'deployment.apps "web" deleted from default namespace\n'
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
