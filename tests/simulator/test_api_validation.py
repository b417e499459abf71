"""Server-side strict decoding, defaults and validation, against the reference manifests.

Upstream cited per test: apiserver handlers/create.go transformDecodeError, apimachinery
serializer/json strict errors, pkg/apis/apps/v1/defaults.go, pkg/apis/core/v1/defaults.go,
pkg/apis/apps/validation/validation.go, pkg/apis/core/validation/validation.go,
apimachinery util/validation/validation.go and field/errors.go.
"""
import copy
import pathlib

import pytest
import yaml

from simulator.api import kinds
from simulator.api.decode import decode_documents, decode_stream
from simulator.api.defaults import apply_defaults, default_pull_policy, prepare_for_create
from simulator.api.errors import BadRequest, Invalid, KubeError
from simulator.api.schema import check_known_fields
from simulator.api.validation import validate_create, validate_update

REF = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"
# SOURCES.yaml: these must be rejected by the API server
MUST_REJECT = {"kubia-deployment-v2.no-selector.yaml"}


def load(name):
    return decode_documents((REF / name).read_text(), name)


def admit(obj):
    check_known_fields(obj)
    apply_defaults(obj)
    validate_create(obj)
    return obj


def invalid_text(obj):
    with pytest.raises(KubeError) as e:
        admit(obj)
    return e.value.render()


KUBIA = """apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 3
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers:
      - {name: nodejs, image: "luksa/kubia:v1"}
"""


def kubia():
    return decode_documents(KUBIA, "kubia.yaml")[0]


def test_every_valid_reference_manifest_is_admitted():
    checked = 0
    for path in sorted(REF.glob("*.y*ml")):
        if path.name == "SOURCES.yaml" or path.name.startswith("err-"):
            continue
        for item in decode_stream(path.read_text(), path.name):
            if isinstance(item, KubeError):
                continue  # retired apiVersions and patch files: decode errors, tested elsewhere
            if path.name in MUST_REJECT:
                with pytest.raises(Invalid):
                    admit(item)
            else:
                admit(item)
                checked += 1
    assert checked >= 30


def test_unknown_field_fixture():
    obj = load("err-unknown-field.yaml")[0]
    with pytest.raises(BadRequest) as e:
        check_known_fields(obj)
    assert e.value.with_source("creating", "err-unknown-field.yaml").render() == (
        'Error from server (BadRequest): error when creating "err-unknown-field.yaml": '
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.replica"')


def test_several_unknown_fields_are_joined_in_key_order():
    obj = kubia()
    obj["spec"]["template"]["spec"]["containers"][0]["imagee"] = "x"
    obj["spec"]["foo"] = 1
    assert invalid_text(obj) == (
        'Error from server (BadRequest): Deployment in version "v1" cannot be handled as a '
        'Deployment: strict decoding error: unknown field "spec.foo", unknown field '
        '"spec.template.spec.containers[0].imagee"')


@pytest.mark.parametrize("patch,message", [
    ({"replicas": "3"}, "json: cannot unmarshal string into Go struct field "
                        "DeploymentSpec.spec.replicas of type int32"),
    ({"replicas": 1.5}, "json: cannot unmarshal number 1.5 into Go struct field "
                        "DeploymentSpec.spec.replicas of type int32"),
    ({"paused": "yes"}, "json: cannot unmarshal string into Go struct field "
                        "DeploymentSpec.spec.paused of type bool"),
    ({"selector": []}, "json: cannot unmarshal array into Go struct field "
                       "DeploymentSpec.spec.selector of type v1.LabelSelector"),
    ({"strategy": {"rollingUpdate": {"maxSurge": True}}},
     "json: cannot unmarshal bool into Go struct field "
     "RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32"),
])
def test_wrong_types(patch, message):
    obj = kubia()
    obj["spec"].update(patch)
    assert invalid_text(obj) == ('Error from server (BadRequest): Deployment in version "v1" '
                                 f"cannot be handled as a Deployment: {message}")


def test_env_value_must_be_a_string():
    obj = kubia()
    obj["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "A", "value": True}]
    assert invalid_text(obj).endswith(
        "json: cannot unmarshal bool into Go struct field "
        "EnvVar.spec.template.spec.containers.env.value of type string")


def test_deployment_defaults_match_k8s_facts_8_2():
    obj = apply_defaults(kubia())
    spec = obj["spec"]
    assert spec["strategy"] == {"type": "RollingUpdate",
                                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    pod = spec["template"]["spec"]
    assert {k: pod[k] for k in ("dnsPolicy", "restartPolicy", "schedulerName", "securityContext",
                                "terminationGracePeriodSeconds")} == {
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
        "schedulerName": "default-scheduler", "securityContext": {},
        "terminationGracePeriodSeconds": 30}
    assert pod["containers"][0] == {
        "name": "nodejs", "image": "luksa/kubia:v1", "imagePullPolicy": "IfNotPresent",
        "resources": {}, "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File"}
    assert apply_defaults(copy.deepcopy(obj)) == obj  # idempotent


def test_recreate_gets_no_rolling_update_and_replicas_default_to_one():
    obj = kubia()
    del obj["spec"]["replicas"]
    obj["spec"]["strategy"] = {"type": "Recreate"}
    apply_defaults(obj)
    assert obj["spec"]["replicas"] == 1 and obj["spec"]["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize("image,policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.14.2", "IfNotPresent"),
    ("busybox@sha256:" + "a" * 64, "IfNotPresent"), ("localhost:5000/app", "Always"),
    ("gcr.io/google-samples/kubernetes-bootcamp:v1", "IfNotPresent"),
])
def test_image_pull_policy_rule(image, policy):
    assert default_pull_policy(image) == policy


def test_probe_and_port_defaults():
    obj = load("kubia-deployment-v3-with-readinesscheck.apps-v1.yaml")[0]
    c = apply_defaults(obj)["spec"]["template"]["spec"]["containers"][0]
    assert c["readinessProbe"] == {"periodSeconds": 1, "timeoutSeconds": 1, "successThreshold": 1,
                                   "failureThreshold": 3,
                                   "httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}}


def test_service_defaults():
    svc = apply_defaults(load("kubia-svc.yaml")[0])["spec"]
    assert svc["type"] == "ClusterIP" and svc["sessionAffinity"] == "None"
    assert svc["ports"] == [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]
    assert (svc["ipFamilies"], svc["ipFamilyPolicy"], svc["internalTrafficPolicy"]) == (
        ["IPv4"], "SingleStack", "Cluster")
    lb = apply_defaults(load("nginx-app.yaml")[0])["spec"]
    assert lb["ports"][0]["targetPort"] == 80
    assert lb["externalTrafficPolicy"] == "Cluster" and lb["allocateLoadBalancerNodePorts"] is True
    assert "clusterIP" not in lb  # allocation is the store's


def test_rc_selector_and_labels_default_to_template_labels():
    rc = apply_defaults(load("kubia-rc-and-service-v1.yaml")[0])
    assert rc["spec"]["selector"] == {"app": "kubia"}
    assert rc["metadata"]["labels"] == {"app": "kubia"}


def test_pod_create_status_and_namespace():
    pod = decode_documents("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                           "  - {name: c, image: nginx, resources: {limits: {cpu: 1, memory: 1Gi}}}\n",
                           "p")[0]
    admit(pod)
    assert pod["spec"]["containers"][0]["resources"]["requests"] == {"cpu": 1, "memory": "1Gi"}
    assert pod["spec"]["enableServiceLinks"] is True
    assert prepare_for_create(pod)["status"] == {"phase": "Pending", "qosClass": "Guaranteed"}
    ns = admit(load("ckad-mmularski-namespace.yaml")[0])
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "exam-1-task-15"}


def test_both_zero_fixture():
    assert invalid_text(load("err-both-zero.yaml")[0]) == (
        'The Deployment "kubia" is invalid: spec.strategy.rollingUpdate.maxUnavailable: '
        "Invalid value: 0: may not be 0 when `maxSurge` is 0")


def test_progress_deadline_fixture():
    assert invalid_text(load("err-progress-deadline.yaml")[0]) == (
        'The Deployment "kubia" is invalid: spec.progressDeadlineSeconds: Invalid value: 10: '
        "must be greater than minReadySeconds")


def test_selector_mismatch_fixture():
    assert invalid_text(load("err-selector-mismatch.yaml")[0]) == (
        'The Deployment "kubia" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"kubia-v1"}: `selector` does not match template `labels`')


def test_no_selector_is_two_causes():
    assert invalid_text(load("kubia-deployment-v2.no-selector.yaml")[0]) == (
        'The Deployment "kubia" is invalid: \n'
        "* spec.selector: Required value\n"
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"kubia"}: '
        "`selector` does not match template `labels`")


def test_empty_selector():
    obj = kubia()
    obj["spec"]["selector"] = {}
    assert invalid_text(obj) == (
        'The Deployment "kubia" is invalid: spec.selector: Invalid value: '
        "v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
        "empty selector is invalid for deployment")


@pytest.mark.parametrize("patch,cause", [
    ({"replicas": -1}, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
    ({"minReadySeconds": -5, "progressDeadlineSeconds": 600},
     "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"),
    ({"revisionHistoryLimit": -1},
     "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"),
    ({"strategy": {"rollingUpdate": {"maxUnavailable": "120%"}}},
     'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater '
     "than 100%"),
    ({"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
     "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
     "'Recreate'"),
    ({"strategy": {"type": "BlueGreen"}},
     'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
     'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", '
     '"RollingUpdate"'),
])
def test_deployment_spec_causes(patch, cause):
    obj = kubia()
    obj["spec"].update(patch)
    assert invalid_text(obj) == f'The Deployment "kubia" is invalid: {cause}'


def test_percent_syntax():
    obj = kubia()
    obj["spec"]["strategy"] = {"rollingUpdate": {"maxSurge": "50"}}
    assert invalid_text(obj) == (
        'The Deployment "kubia" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: '
        "\"50\": a valid percent string must be a numeric string followed by an ending '%' "
        "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")


@pytest.mark.parametrize("container,cause", [
    ({"name": "nodejs"}, "spec.template.spec.containers[0].image: Required value"),
    ({"image": "x"}, "spec.template.spec.containers[0].name: Required value"),
    ({"name": "Web", "image": "x"},
     'spec.template.spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label '
     "must consist of lower case alphanumeric characters or '-', and must start and end with an "
     "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
    ({"name": "n", "image": "x", "ports": [{"containerPort": 70000}]},
     "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be "
     "between 1 and 65535, inclusive"),
    ({"name": "n", "image": "x", "imagePullPolicy": "Sometimes"},
     'spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": '
     'supported values: "Always", "IfNotPresent", "Never"'),
    ({"name": "n", "image": "x", "readinessProbe": {"periodSeconds": 5}},
     "spec.template.spec.containers[0].readinessProbe: Required value: must specify a handler "
     "type"),
    ({"name": "n", "image": "x", "livenessProbe": {"successThreshold": 2,
                                                    "tcpSocket": {"port": 80}}},
     "spec.template.spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must "
     "be 1"),
    ({"name": "n", "image": "x", "readinessProbe": {"httpGet": {"port": "http-alt-port-name"}}},
     'spec.template.spec.containers[0].readinessProbe.httpGet.port: Invalid value: '
     '"http-alt-port-name": must be no more than 15 characters'),
    ({"name": "n", "image": "x", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}},
     'spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be '
     "less than or equal to cpu limit of 1"),
    ({"name": "n", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/d"}]},
     'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"'),
])
def test_container_causes(container, cause):
    obj = kubia()
    obj["spec"]["template"]["spec"]["containers"] = [container]
    assert invalid_text(obj) == f'The Deployment "kubia" is invalid: {cause}'


def test_duplicate_container_names_and_restart_policy():
    obj = kubia()
    pod = obj["spec"]["template"]["spec"]
    pod["containers"].append({"name": "nodejs", "image": "nginx"})
    pod["restartPolicy"] = "Never"
    assert invalid_text(obj) == (
        'The Deployment "kubia" is invalid: \n'
        '* spec.template.spec.containers[1].name: Duplicate value: "nodejs"\n'
        '* spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: '
        '"Always"')


def test_names():
    obj = kubia()
    obj["metadata"]["name"] = "Kubia_1"
    assert invalid_text(obj) == (
        'The Deployment "Kubia_1" is invalid: metadata.name: Invalid value: "Kubia_1": a '
        "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
        "[a-z0-9])?)*')")
    svc = load("kubia-svc.yaml")[0]
    svc["metadata"]["name"] = "1kubia"
    assert "a DNS-1035 label must consist of lower case alphanumeric characters" in \
        invalid_text(svc)
    ns = load("ckad-mmularski-namespace.yaml")[0]
    ns["metadata"]["name"] = "a.b"
    assert "a lowercase RFC 1123 label must consist" in invalid_text(ns)


def test_service_causes():
    svc = load("kubia-svc.yaml")[0]
    svc["spec"]["type"] = "Internal"
    svc["spec"]["ports"].append({"port": 443})
    assert invalid_text(svc) == (
        'The Service "kubia" is invalid: \n'
        "* spec.ports[0].name: Required value\n"
        "* spec.ports[1].name: Required value\n"
        '* spec.type: Unsupported value: "Internal": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"')
    svc = load("kubia-svc.yaml")[0]
    svc["spec"]["ports"] = []
    assert invalid_text(svc) == 'The Service "kubia" is invalid: spec.ports: Required value'


def test_selector_is_immutable():
    old = admit(load("nginx-app.yaml")[1])
    new = admit(load("my-nginx-deployment.yaml")[0])
    with pytest.raises(Invalid) as e:
        validate_update(old, new)
    assert e.value.render() == (
        'The Deployment "my-nginx" is invalid: spec.selector: Invalid value: '
        'v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/name":"nginx"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable")
    validate_update(old, copy.deepcopy(old))


def test_cluster_ip_is_immutable():
    old = admit(load("kubia-svc.yaml")[0])
    old["spec"]["clusterIP"], old["spec"]["clusterIPs"] = "10.96.0.10", ["10.96.0.10"]
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"], new["spec"]["clusterIPs"] = "10.96.0.11", ["10.96.0.11"]
    with pytest.raises(Invalid) as e:
        validate_update(old, new)
    assert e.value.render() == ('The Service "kubia" is invalid: spec.clusterIPs[0]: Invalid '
                                'value: []string{"10.96.0.11"}: may not change once set')


def test_kinds_registry():
    d = kinds.lookup("apps/v1", "Deployment")
    assert (d.name_prefix, d.resource, d.short_names) == ("deployment.apps", "deployments.apps",
                                                          ("deploy",))
    assert kinds.lookup("v1", "Pod").name_prefix == "pod"
    assert kinds.is_retired("extensions/v1beta1", "ReplicaSet")
    assert kinds.lookup("apps/v1beta1", "Deployment") is None
    for word in ("deploy", "Deployments", "deployment.apps", "deployments.v1.apps"):
        assert kinds.resolve_resource(word) is d
    assert kinds.resolve_resource("svc").kind == "Service"
    assert not kinds.by_kind("Namespace").namespaced
