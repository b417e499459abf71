"""API-server rules kubectl meets: optimistic concurrency, immutable fields with `replace --force`
as the way out, the status and scale subresources, and fieldValidation from `--validate`.

Upstream sources:
- test/cmd/core.sh run_pod_tests: "If the resourceVersion is the different from the one stored in
  the server, the patch will be rejected" (grep "please apply your changes to the latest version
  and try again"), "--force replace pod can change other field, e.g., spec.container.name";
- apiserver pkg/registry/generic/registry/store.go + pkg/storage/errors.go (OptimisticLockErrorMsg);
- kubectl pkg/cmd/apply/apply.go (`applying patch:\n%s\nto:\n%v\nfor:`), apply/patcher.go
  (`patching`, maxPatchRetry), cli-runtime resource.Info.String();
- pkg/registry/apps/deployment/strategy.go deploymentStatusStrategy.PrepareForUpdate (spec and
  labels kept), pkg/apis/apps/validation/validation.go ValidateDeploymentStatus,
  pkg/registry/apps/deployment/storage/storage.go (scale subresource), ValidateScale;
- kubectl pkg/cmd/util/helpers.go GetValidationDirective; apiserver handlers/rest.go
  fieldValidation, handlers/patch.go applyPatchToObject (Strict → `patch: Invalid value`).
"""
from __future__ import annotations

import json

import pytest
import yaml

from simulator import Cluster

from .cmd_helpers import cluster_state

KUBIA = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 2
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - {name: nodejs, image: luksa/kubia:v1}
"""
UNKNOWN_FIELD = KUBIA.replace("  replicas: 2\n", "  replicas: 2\n  replica: 3\n")
VALID_POD = """apiVersion: v1
kind: Pod
metadata:
  name: valid-pod
  labels: {name: valid-pod}
spec:
  containers:
  - name: kubernetes-serve-hostname
    image: registry.k8s.io/serve_hostname
"""
CONFLICT = ("Operation cannot be fulfilled on deployments.apps \"kubia\": the object has been modified; "
            "please apply your changes to the latest version and try again")


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.fixture
def kubia():
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    c.files["unknown.yaml"] = UNKNOWN_FIELD
    _run(c, "kubectl apply -f kubia.yaml")
    c.advance(20)
    return c


def _get(c: Cluster, what: str) -> dict:
    return json.loads(_run(c, f"kubectl get {what} -o json").stdout)


def _stale_copy(c: Cluster) -> str:
    """`kubectl get -o yaml > old.yaml`, then the object moves on (kubectl scale)."""
    c.files["old.yaml"] = _run(c, "kubectl get deploy kubia -o yaml").stdout
    _run(c, "kubectl scale deploy kubia --replicas=3")
    c.advance(5)
    return c.files["old.yaml"]


# ------------------------------------------------------------------ optimistic concurrency
def test_replace_with_a_stale_resource_version_is_a_conflict(kubia):
    _stale_copy(kubia)
    before = cluster_state(kubia)
    r = _run(kubia, "kubectl replace -f old.yaml", 1)
    assert r.stderr == f'Error from server (Conflict): error when replacing "old.yaml": {CONFLICT}\n'
    assert cluster_state(kubia) == before
    # the current version replaces fine
    kubia.files["new.yaml"] = _run(kubia, "kubectl get deploy kubia -o yaml").stdout
    assert _run(kubia, "kubectl replace -f new.yaml").stdout == "deployment.apps/kubia replaced\n"


def test_replace_without_a_resource_version_is_unconditional(kubia):
    _run(kubia, "kubectl scale deploy kubia --replicas=3")
    assert _run(kubia, "kubectl replace -f kubia.yaml").stdout == "deployment.apps/kubia replaced\n"
    assert _get(kubia, "deploy kubia")["spec"]["replicas"] == 2


def test_patch_with_a_stale_resource_version_is_a_conflict(kubia):
    # test/cmd/core.sh: ((resourceVersion+=100)); kubectl patch … "metadata":{"resourceVersion":…}
    rv = int(_get(kubia, "deploy kubia")["metadata"]["resourceVersion"]) + 100
    r = _run(kubia, f"""kubectl patch deploy kubia -p '{{"spec":{{"replicas":4}},"metadata":{{"resourceVersion":"{rv}"}}}}'""", 1)
    assert r.stderr == f"Error from server (Conflict): {CONFLICT}\n"
    rv = _get(kubia, "deploy kubia")["metadata"]["resourceVersion"]
    r = _run(kubia, f"""kubectl patch deploy kubia -p '{{"spec":{{"replicas":4}},"metadata":{{"resourceVersion":"{rv}"}}}}'""")
    assert r.stdout == "deployment.apps/kubia patched\n"


def test_apply_with_a_stale_resource_version_is_a_conflict(kubia):
    old = yaml.safe_load(_stale_copy(kubia))
    old.pop("status")
    kubia.files["old.yaml"] = yaml.safe_dump(old)
    r = _run(kubia, "kubectl apply -f old.yaml", 1)
    head, rest = r.stderr.split("\n", 1)
    assert head == "Error from server (Conflict): error when applying patch:"
    patch_line, rest = rest.split("\n", 1)
    patch = json.loads(patch_line)
    assert patch["metadata"]["resourceVersion"] == old["metadata"]["resourceVersion"]
    assert patch["spec"] == {"replicas": 2}
    assert rest == ('to:\nResource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"\n'
                    'Name: "kubia", Namespace: "default"\n'
                    f'for: "old.yaml": error when patching "old.yaml": {CONFLICT}\n')
    assert _get(kubia, "deploy kubia")["spec"]["replicas"] == 3


# ------------------------------------------------------------------ immutable fields
def test_pod_spec_is_immutable_and_replace_force_is_the_way_out():
    c = Cluster(seed=0)
    c.files["valid-pod.yaml"] = VALID_POD
    _run(c, "kubectl create -f valid-pod.yaml")
    c.advance(10)
    pod = _get(c, "pod valid-pod")
    pod["spec"]["containers"][0]["name"] = "replaced-k8s-serve-hostname"
    c.files["tmp-valid-pod.json"] = json.dumps(pod)
    r = _run(c, "kubectl replace -f tmp-valid-pod.json", 1)
    assert r.stderr.startswith('The Pod "valid-pod" is invalid: spec: Forbidden: pod updates may not change '
                               "fields other than `spec.containers[*].image`")
    r = _run(c, "kubectl replace --force -f tmp-valid-pod.json")
    assert r.stdout == 'pod "valid-pod" deleted from default namespace\npod/valid-pod replaced\n'
    assert _get(c, "pod valid-pod")["spec"]["containers"][0]["name"] == "replaced-k8s-serve-hostname"


def test_service_cluster_ip_is_immutable_and_replace_force_is_the_way_out():
    c = Cluster(seed=0)
    _run(c, "kubectl create service clusterip web --tcp=80:8080")
    svc = _get(c, "svc web")
    old_ip = svc["spec"]["clusterIP"]
    svc["spec"]["clusterIP"] = svc["spec"]["clusterIPs"][0] = "10.96.99.99"
    del svc["metadata"]["resourceVersion"]
    c.files["svc.json"] = json.dumps(svc)
    r = _run(c, "kubectl replace -f svc.json", 1)
    assert r.stderr == ('The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.99.99"}: '
                        "may not change once set\n")
    assert _get(c, "svc web")["spec"]["clusterIP"] == old_ip
    _run(c, "kubectl replace --force -f svc.json")
    assert _get(c, "svc web")["spec"]["clusterIP"] == "10.96.99.99"


def test_deployment_selector_is_immutable(kubia):
    r = _run(kubia, """kubectl patch deploy kubia -p '{"spec":{"selector":{"matchLabels":{"app":"other"}}}}'""", 1)
    assert "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}" in r.stderr
    assert "field is immutable" in r.stderr


# ------------------------------------------------------------------ status subresource
def test_patch_status_subresource_changes_status_only(kubia):
    r = _run(kubia, "kubectl patch deploy kubia --subresource=status --type=strategic -p "
                    """'{"status":{"conditions":[{"type":"Custom","status":"True","reason":"Checked"}]},"""
                    """"spec":{"replicas":5},"metadata":{"labels":{"x":"y"},"annotations":{"a":"b"}}}'""")
    assert r.stdout == "deployment.apps/kubia patched\n"
    kubia.advance(5)
    d = _get(kubia, "deploy kubia")
    assert d["spec"]["replicas"] == 2  # spec in a status write is ignored
    assert "labels" not in d["metadata"]  # so are the Deployment's labels
    assert d["metadata"]["annotations"]["a"] == "b"  # other metadata goes through
    types = [c["type"] for c in d["status"]["conditions"]]
    assert "Custom" in types and "Available" in types  # the controller keeps a condition it does not own
    assert d["metadata"]["generation"] == 1


def test_patch_without_subresource_ignores_status(kubia):
    r = _run(kubia, """kubectl patch deploy kubia --type=merge -p '{"status":{"replicas":9}}'""")
    assert r.stdout == "deployment.apps/kubia patched (no change)\n"


def test_status_write_is_validated(kubia):
    r = _run(kubia, """kubectl patch deploy kubia --subresource=status --type=merge -p '{"status":{"readyReplicas":9}}'""", 1)
    assert r.stderr == ('The Deployment "kubia" is invalid: status.readyReplicas: Invalid value: 9: '
                        "cannot be greater than status.replicas\n")
    r = _run(kubia, """kubectl patch deploy kubia --subresource=status --type=merge -p '{"status":{"replicas":-1}}'""", 1)
    assert "status.replicas: Invalid value: -1: must be greater than or equal to 0" in r.stderr


def test_replace_status_subresource(kubia):
    d = _get(kubia, "deploy kubia")
    d["status"]["conditions"].append({"type": "Reviewed", "status": "True"})
    d["spec"]["replicas"] = 7
    kubia.files["d.json"] = json.dumps(d)
    assert _run(kubia, "kubectl replace --subresource=status -f d.json").stdout == "deployment.apps/kubia replaced\n"
    after = _get(kubia, "deploy kubia")
    assert after["spec"]["replicas"] == 2
    assert {"type": "Reviewed", "status": "True"} in after["status"]["conditions"]


def test_unknown_subresource_is_not_found(kubia):
    r = _run(kubia, """kubectl patch deploy kubia --subresource=foo -p '{}'""", 1)
    assert r.stderr == "Error from server (NotFound): the server could not find the requested resource\n"
    r = _run(kubia, """kubectl patch svc kubernetes --subresource=scale -p '{}'""", 1)
    assert r.stderr == "Error from server (NotFound): the server could not find the requested resource\n"


def test_patch_scale_subresource(kubia):
    # kubectl patch's own example: --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'
    r = _run(kubia, """kubectl patch deployment kubia --subresource='scale' --type='merge' -p '{"spec":{"replicas":4}}'""")
    assert r.stdout == "scale.autoscaling/kubia patched\n"
    assert _get(kubia, "deploy kubia")["spec"]["replicas"] == 4
    r = _run(kubia, """kubectl patch deployment kubia --subresource=scale --type=merge -p '{"spec":{"replicas":4}}' -o json""")
    scale = json.loads(r.stdout)
    assert (scale["kind"], scale["apiVersion"], scale["spec"], scale["status"]["selector"]) == (
        "Scale", "autoscaling/v1", {"replicas": 4}, "app=kubia")
    r = _run(kubia, """kubectl patch deployment kubia --subresource=scale --type=merge -p '{"spec":{"replicas":-1}}'""", 1)
    assert r.stderr == 'The Scale "kubia" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'


# ------------------------------------------------------------------ fieldValidation
@pytest.mark.parametrize("flag", ["", "--validate", "--validate=strict", "--validate=true", "--validate=T"])
def test_strict_validation_refuses_unknown_fields(flag):
    c = Cluster(seed=0)
    c.files["unknown.yaml"] = UNKNOWN_FIELD
    r = _run(c, f"kubectl create -f unknown.yaml {flag}", 1)
    assert r.stderr == ('Error from server (BadRequest): error when creating "unknown.yaml": Deployment in version '
                        '"v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"\n')


def test_warn_validation_warns_and_drops():
    c = Cluster(seed=0)
    c.files["unknown.yaml"] = UNKNOWN_FIELD
    r = _run(c, "kubectl create -f unknown.yaml --validate=warn")
    assert (r.stdout, r.stderr) == ("deployment.apps/kubia created\n", 'Warning: unknown field "spec.replica"\n')
    assert "replica" not in _get(c, "deploy kubia")["spec"]


@pytest.mark.parametrize("flag", ["--validate=ignore", "--validate=false", "--validate=0"])
def test_ignore_validation_drops_silently(flag):
    c = Cluster(seed=0)
    c.files["unknown.yaml"] = UNKNOWN_FIELD
    r = _run(c, f"kubectl apply -f unknown.yaml {flag}")
    assert (r.stdout, r.stderr) == ("deployment.apps/kubia created\n", "")
    assert "replica" not in _get(c, "deploy kubia")["spec"]


def test_a_type_error_fails_under_every_directive():
    c = Cluster(seed=0)
    c.files["bad.yaml"] = KUBIA.replace("replicas: 2", 'replicas: "two"')
    r = _run(c, "kubectl create -f bad.yaml --validate=ignore", 1)
    assert "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32" in r.stderr


def test_invalid_validate_value():
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    r = _run(c, "kubectl apply -f kubia.yaml --validate=nope", 1)
    assert r.stderr == ('error: invalid - validate option "nope"; must be one of: strict (or true), warn, '
                        "ignore (or false)\n")


def test_apply_to_an_existing_object_validates_the_patch(kubia):
    r = _run(kubia, "kubectl apply -f unknown.yaml", 1)
    assert r.stderr.startswith('The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map['
                               "kubectl.kubernetes.io/last-applied-configuration:")
    assert r.stderr.endswith(' spec:map[replica:3]]": strict decoding error: unknown field "spec.replica"\n')
    r = _run(kubia, "kubectl apply -f unknown.yaml --validate=warn")
    assert (r.stdout, r.stderr) == ("deployment.apps/kubia configured\n", 'Warning: unknown field "spec.replica"\n')
    assert "replica" not in _get(kubia, "deploy kubia")["spec"]


def test_replace_honours_validate(kubia):
    r = _run(kubia, "kubectl replace -f unknown.yaml --validate=warn")
    assert (r.stdout, r.stderr) == ("deployment.apps/kubia replaced\n", 'Warning: unknown field "spec.replica"\n')


def test_patch_has_no_validate_flag_and_warns(kubia):
    # kubectl pkg/cmd/patch/patch.go adds no validate flag; the server's default directive is Warn
    r = _run(kubia, """kubectl patch deploy kubia --validate=strict -p '{}'""", 1)
    assert r.stderr.startswith("error: unknown flag: --validate\n")
    r = _run(kubia, """kubectl patch deploy kubia -p '{"spec":{"replica":2}}'""")
    assert r.stderr == 'Warning: unknown field "spec.replica"\n'


def test_replace_save_config_and_annotation_upkeep(kubia):
    # kubectl pkg/util/apply.go CreateOrUpdateAnnotation: --save-config writes the annotation; a file
    # that already carries one gets it brought up to date
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    _run(c, "kubectl create -f kubia.yaml")
    c.files["two.yaml"] = KUBIA.replace("replicas: 2", "replicas: 4")
    _run(c, "kubectl replace -f two.yaml --save-config")
    ann = _get(c, "deploy kubia")["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert json.loads(ann)["spec"]["replicas"] == 4
    live = _get(c, "deploy kubia")
    live["spec"]["replicas"] = 5
    del live["metadata"]["resourceVersion"]
    c.files["five.json"] = json.dumps(live)
    _run(c, "kubectl replace -f five.json")
    ann = _get(c, "deploy kubia")["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert json.loads(ann)["spec"]["replicas"] == 5


def test_apply_type_error_on_an_existing_object_keeps_the_decode_error(kubia):
    # a value of the wrong type is the server's decode error whether the object exists or not
    # (tests/web/test_hostile_yaml.py relies on it); unknown fields follow --validate instead
    kubia.files["big.yaml"] = KUBIA.replace("replicas: 2", "replicas: 99999999999999999999999999")
    r = _run(kubia, "kubectl apply -f big.yaml", 1)
    assert r.stderr.startswith('Error from server (BadRequest): error when applying "big.yaml": Deployment in '
                               'version "v1" cannot be handled as a Deployment: json: cannot unmarshal number')
