"""`kubectl patch` through Cluster.run.

Golden outputs come from kubectl pkg/cmd/patch/patch.go (name printer `<kind>.<group>/<name>
patched`, `patched (no change)` when the object did not change, `unable to parse %q: %v`,
`unable to read patch file: %v`), the API server's PATCH handler
(apiserver pkg/endpoints/handlers/patch.go: BadRequest for undecodable bodies, `error decoding
patch:` for merge/json, the Warn field validation that kubectl patch gets by default, Invalid
`patch: Invalid value` for type errors), kubectl helpers.go checkErr (`The request is invalid: …`),
and the kubernetes.io task "Update API Objects in Place Using kubectl patch"
(content/en/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch.md).
"""
from __future__ import annotations

import json
import pathlib

import pytest

from simulator import Cluster

from .cmd_helpers import cluster_state

REF = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"

KUBIA = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      name: kubia
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v1
        name: nodejs
"""


def _cluster(*names: str) -> Cluster:
    c = Cluster(seed=0)
    for n in names:
        c.files[n] = (REF / n).read_text()
    return c


def _get(c: Cluster, what: str, path: str):
    r = c.run(f"kubectl get {what} -o json")
    assert r.exit_code == 0, r.stderr
    obj = json.loads(r.stdout)
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj.get(part)
        if obj is None:
            return None
    return obj


@pytest.fixture
def kubia():
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    assert c.run("kubectl create -f kubia.yaml").exit_code == 0
    c.advance(30)
    return c


def test_seed_min_ready_seconds(kubia):
    r = kubia.run("""kubectl patch deployment kubia -p '{"spec": {"minReadySeconds": 10}}'""")
    assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/kubia patched\n", "", 0)
    assert _get(kubia, "deploy kubia", "spec.minReadySeconds") == 10
    # same patch again: the server stores nothing new, kubectl says so
    r = kubia.run("""k patch deploy kubia -p '{"spec": {"minReadySeconds": 10}}'""")
    assert (r.stdout, r.exit_code) == ("deployment.apps/kubia patched (no change)\n", 0)


def test_patch_does_not_start_a_rollout_for_spec_only_fields(kubia):
    before = _get(kubia, "deploy kubia", "metadata.annotations")["deployment.kubernetes.io/revision"]
    kubia.run("""kubectl patch deployment kubia -p '{"spec": {"minReadySeconds": 10}}'""")
    kubia.advance(5)
    assert _get(kubia, "deploy kubia", "metadata.annotations")["deployment.kubernetes.io/revision"] == before


def test_website_patch_task_sequence():
    c = _cluster("deployment-patch.yaml", "patch-file.yaml", "patch-file-tolerations.yaml",
                 "patch-file-2.yaml", "patch-file.json", "deployment-retainkeys.yaml",
                 "patch-file-no-retainkeys.yaml", "patch-file-retainkeys.yaml")
    assert c.run("kubectl apply -f deployment-patch.yaml").stdout == "deployment.apps/patch-demo created\n"
    c.advance(30)
    # strategic merge: containers merge on `name`, the patch's containers come first
    r = c.run("kubectl patch deployment patch-demo --patch-file patch-file.yaml")
    assert (r.stdout, r.exit_code) == ("deployment.apps/patch-demo patched\n", 0)
    containers = _get(c, "deployment patch-demo", "spec.template.spec.containers")
    assert [(x["name"], x["image"]) for x in containers] == [("patch-demo-ctr-2", "redis"),
                                                             ("patch-demo-ctr", "nginx")]
    # the JSON form of the same patch changes nothing more
    r = c.run("kubectl patch deployment patch-demo --patch-file patch-file.json")
    assert r.stdout == "deployment.apps/patch-demo patched (no change)\n"
    # tolerations have no patch strategy: the list is replaced
    c.run("kubectl patch deployment patch-demo --patch-file patch-file-tolerations.yaml")
    assert _get(c, "deployment patch-demo", "spec.template.spec.tolerations") == [
        {"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]
    # JSON merge patch replaces the whole containers list
    r = c.run("kubectl patch deployment patch-demo --type merge --patch-file patch-file-2.yaml")
    assert r.stdout == "deployment.apps/patch-demo patched\n"
    containers = _get(c, "deployment patch-demo", "spec.template.spec.containers")
    assert [x["name"] for x in containers] == ["patch-demo-ctr-3"]
    # retainKeys
    c.run("kubectl apply -f deployment-retainkeys.yaml")
    r = c.run("kubectl patch deployment retainkeys-demo --type strategic --patch-file patch-file-no-retainkeys.yaml")
    assert r.exit_code == 1
    assert r.stderr == ("The Deployment \"retainkeys-demo\" is invalid: spec.strategy.rollingUpdate: Forbidden: "
                        "may not be specified when strategy `type` is 'Recreate'\n")
    r = c.run("kubectl patch deployment retainkeys-demo --type strategic --patch-file patch-file-retainkeys.yaml")
    assert r.stdout == "deployment.apps/retainkeys-demo patched\n"
    assert _get(c, "deployment retainkeys-demo", "spec.strategy") == {"type": "Recreate"}


def test_inline_yaml_patch_like_the_website(kubia):
    r = kubia.run("kubectl patch deployment kubia --patch 'spec:\n  replicas: 2'")
    assert r.stdout == "deployment.apps/kubia patched\n"
    assert _get(kubia, "deploy kubia", "spec.replicas") == 2


def test_blue_green_service_selector_switch():
    c = _cluster("bg-blue-deploy.apps-v1.yaml", "bg-green-deploy.apps-v1.yaml", "bg-service.yaml")
    for f in ("bg-blue-deploy.apps-v1.yaml", "bg-green-deploy.apps-v1.yaml", "bg-service.yaml"):
        assert c.run(f"kubectl apply -f {f}").exit_code == 0
    c.advance(40)
    r = c.run("""kubectl patch service nginx -p '{"spec":{"selector":{"name":"nginx","version":"1.11"}}}'""")
    assert (r.stdout, r.exit_code) == ("service/nginx patched\n", 0)
    assert _get(c, "svc nginx", "spec.selector") == {"name": "nginx", "version": "1.11"}
    c.advance(2)
    ep = _get(c, "endpoints nginx", "subsets")
    green = {p["status"]["podIP"] for p in json.loads(c.run("kubectl get pods -l version=1.11 -o json").stdout)["items"]}
    assert {a["ip"] for s in ep for a in s["addresses"]} == green


def test_unknown_field_is_a_warning_and_dropped(kubia):
    r = kubia.run("""kubectl patch deployment kubia -p '{"spec":{"replica":2}}'""")
    assert (r.stdout, r.stderr, r.exit_code) == (
        "deployment.apps/kubia patched (no change)\n", 'Warning: unknown field "spec.replica"\n', 0)


@pytest.mark.parametrize("patch, ptype, err", [
    ("{spec: 1}", "strategic",
     "Error from server (BadRequest): invalid character 's' looking for beginning of object key string"),
    ('{"spec":{"replicas":2}}}', "strategic",
     "Error from server (BadRequest): invalid character '}' after top-level value"),
    ('{"spec":{"replicas":2}', "strategic", "Error from server (BadRequest): unexpected end of JSON input"),
    ('{"spec":{"replicas":2}', "merge",
     "Error from server (BadRequest): error decoding patch: unexpected end of JSON input"),
    ('[{"op":"add"}]', "merge", "Error from server (BadRequest): error decoding patch: json: cannot unmarshal "
                                "array into Go value of type map[string]interface {}"),
    ('{"op":"add","path":"/spec/x","value":1}', "json",
     "Error from server (BadRequest): error decoding patch: json: cannot unmarshal object into Go value of "
     "type []handlers.jsonPatchOp"),
    ('[{"op":"replace","path":"/spec/nope/x","value":1}]', "json",
     "The request is invalid: the server rejected our request due to an error in our request"),
    ('{"spec":{"replicas":"2"}}', "strategic",
     'The request is invalid: patch: Invalid value: "map[spec:map[replicas:2]]": unrecognized type: int32'),
    ('{"spec":{"template":{"metadata":{"labels":{"v":2}}}}}', "strategic",
     'The request is invalid: patch: Invalid value: "map[spec:map[template:map[metadata:map[labels:map[v:2]]]]]": '
     "cannot convert int64 to string"),
    ('{"spec":{"replicas":-1}}', "strategic",
     'The Deployment "kubia" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'),
    ('{"spec":{"selector":{"matchLabels":{"app":"other"}}}}', "strategic", None),
])
def test_patch_errors(kubia, patch, ptype, err):
    before = cluster_state(kubia)
    r = kubia.run(f"kubectl patch deployment kubia --type {ptype} -p '{patch}'")
    assert r.exit_code == 1 and r.stdout == ""
    if err is not None:
        assert r.stderr == err + "\n"
    else:  # the selector is immutable: some Invalid error from validation
        assert r.stderr.startswith('The Deployment "kubia" is invalid: ')
    assert cluster_state(kubia) == before


def test_yaml_parse_error_quotes_the_flag_value(kubia):
    # the transcript in TsuyoshiUshio/KubernetesTask#36: `unable to parse "\"$(cat": yaml: …`
    r = kubia.run("""kubectl patch deployment kubia -p '"$(cat'""")
    assert r.stderr == 'error: unable to parse "\\"$(cat": yaml: found unexpected end of stream\n'
    r = kubia.run("kubectl patch deployment kubia -p 'a: b: c'")
    assert r.stderr == 'error: unable to parse "a: b: c": yaml: mapping values are not allowed in this context\n'


def test_patch_file_errors(kubia):
    r = kubia.run("kubectl patch deployment kubia --patch-file nope.yaml")
    assert r.stderr == "error: unable to read patch file: open nope.yaml: no such file or directory\n"
    kubia.files["bad.yaml"] = "a: b: c\n"
    r = kubia.run("kubectl patch deployment kubia --patch-file bad.yaml")
    # patch.go quotes o.Patch, which is empty when the patch came from a file
    assert r.stderr == 'error: unable to parse "": yaml: mapping values are not allowed in this context\n'
    r = kubia.run("kubectl patch deployment kubia")
    assert r.stderr == "error: must specify --patch or --patch-file containing the contents of the patch\n"


def test_not_found_and_continue_on_error(kubia):
    r = kubia.run("""kubectl patch deployment nope kubia -p '{"spec":{"replicas":2}}'""")
    assert r.stdout == "deployment.apps/kubia patched\n"
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'
    assert r.exit_code == 1


def test_json_patch_and_dry_runs(kubia):
    r = kubia.run("""kubectl patch deploy kubia --type json -p '[{"op":"replace","path":"/spec/replicas","value":5}]' --dry-run=client""")
    assert r.stdout == "deployment.apps/kubia patched (dry run)\n"
    r = kubia.run("""kubectl patch deploy kubia --type json -p '[{"op":"replace","path":"/spec/replicas","value":5}]' --dry-run=server -o jsonpath='{.spec.replicas}'""")
    assert _get(kubia, "deploy kubia", "spec.replicas") == 3
    r = kubia.run("""kubectl patch deploy kubia --type=json -p='[{"op":"replace","path":"/spec/replicas","value":5}]' -o name""")
    assert r.stdout == "deployment.apps/kubia\n"
    assert _get(kubia, "deploy kubia", "spec.replicas") == 5


def test_record_sets_change_cause(kubia):
    r = kubia.run("""kubectl patch deployment kubia -p '{"spec":{"template":{"spec":{"containers":[{"name":"nodejs","image":"luksa/kubia:v2"}]}}}}' --record""")
    assert r.stderr == "Flag --record has been deprecated, --record will be removed in the future\n"
    cause = _get(kubia, "deploy kubia", "metadata.annotations")["kubernetes.io/change-cause"]
    assert cause == ('kubectl patch deployment kubia --patch={"spec":{"template":{"spec":{"containers":'
                     '[{"name":"nodejs","image":"luksa/kubia:v2"}]}}}} --record=true')


def test_local_patch_of_a_file(kubia):
    r = kubia.run("""kubectl patch --local -f kubia.yaml -p '{"spec":{"replicas":1}}' -o jsonpath='{.spec.replicas}'""")
    assert (r.stdout, r.exit_code) == ("1", 0)
    r = kubia.run("""kubectl patch --local -f kubia.yaml --type json -p '[{"op":"replace","path":"/spec/x/y","value":1}]'""")
    # patch.go getPatchedJSON rewrites json-patch's "doc is missing key" error
    assert r.stderr == "error: Object to be patched is missing field (/spec/x/y: missing value)\n"
    assert _get(kubia, "deploy kubia", "spec.replicas") == 3


# ----------------------------------------------------------------------------- properties
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from simulator.api.errors import KubeError  # noqa: E402
from simulator.api.patch_handler import apply_patch_request  # noqa: E402
from simulator.kubectl.patch_body import patch_body  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", "a", "$patch", "delete", "replace", "1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["spec", "replicas", "template", "metadata", "labels", "containers", "name", "image",
                         "$patch", "$retainKeys", "$setElementOrder/containers", "selector", "op", "path",
                         "value", "strategy", "type", "x"]), inner, max_size=3),
    max_leaves=12)
_bodies = st.one_of(_json_values.map(json.dumps), st.text(alphabet='{}[]":,ab1 \n-$', max_size=30))


@settings(max_examples=150, deadline=None)
@given(body=_bodies, ptype=st.sampled_from(["strategic", "merge", "json"]))
def test_patch_request_only_raises_kube_errors(body, ptype):
    live = json.loads(json.dumps({"apiVersion": "apps/v1", "kind": "Deployment",
                                  "metadata": {"name": "kubia", "namespace": "default"},
                                  "spec": {"replicas": 3, "template": {"spec": {"containers": [
                                      {"name": "nodejs", "image": "luksa/kubia:v1"}]}}}}))
    try:
        apply_patch_request(live, ptype, patch_body(body, body))
    except KubeError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies, ptype=st.sampled_from(["strategic", "merge", "json"]))
def test_random_patch_commands_fail_cleanly(kubia, body, ptype):
    before = cluster_state(kubia)
    kubia.files["p.txt"] = body or " "
    r = kubia.run(f"kubectl patch deployment kubia --type {ptype} --patch-file p.txt")
    assert "internal error" not in r.stderr
    if r.exit_code != 0:
        after = cluster_state(kubia)
        after["files"].pop("p.txt"), before["files"].pop("p.txt", None)
        assert after == before
