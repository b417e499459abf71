"""Informational kubectl commands through the public API (`Cluster.run`), against the simulated
kind v1.34 cluster. Goldens follow the upstream sources cited in simulator/kubectl/discovery.py and
simulator/kubectl/commands/info.py; the version JSON/YAML shapes match a real v1.34 cluster's
`kubectl version -o json|yaml` (struct order in JSON, sorted keys and a trailing blank line in YAML)."""
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import Cluster


@pytest.fixture
def c():
    return Cluster(seed=0)


def ok(c, line):
    r = c.run(line)
    assert r.exit_code == 0, (line, r.stderr)
    assert r.stderr == ""
    return r.stdout


def fail(c, line):
    r = c.run(line)
    assert r.exit_code != 0 and r.stdout == ""
    return r.stderr


def test_version(c):
    assert ok(c, "kubectl version") == "Client Version: v1.34.5\nKustomize Version: v5.7.1\nServer Version: v1.34.0\n"
    assert ok(c, "k version --client") == "Client Version: v1.34.5\nKustomize Version: v5.7.1\n"


def test_server_version_matches_the_nodes_kubelet(c):
    nodes = json.loads(ok(c, "kubectl get nodes -o json"))["items"]
    server = json.loads(ok(c, "kubectl version -o json"))["serverVersion"]["gitVersion"]
    assert {n["status"]["nodeInfo"]["kubeletVersion"] for n in nodes} == {server}


def test_version_json_is_in_struct_order(c):
    # the v1.34.5 release binary's own `kubectl version -o json` (kubectl pkg/cmd/version/version.go)
    out = ok(c, "kubectl version -o json")
    assert out.startswith('{\n  "clientVersion": {\n    "major": "1",\n    "minor": "34",\n    "gitVersion": "v1.34.5",\n'
                          '    "gitCommit": "ebfac057369b21558006b8815821ab2fb1e29f2d",\n    "gitTreeState": "clean",\n'
                          '    "buildDate": "2026-02-26T20:06:18Z",\n    "goVersion": "go1.24.13",\n    "compiler": "gc",\n'
                          '    "platform": "linux/amd64"\n  },\n  "kustomizeVersion": "v5.7.1",\n  "serverVersion": {\n'
                          '    "major": "1",\n    "minor": "34",\n    "emulationMajor": "1",\n    "emulationMinor": "34",\n'
                          '    "minCompatibilityMajor": "1",\n    "minCompatibilityMinor": "33",\n    "gitVersion": "v1.34.0",\n')
    assert out.endswith('    "platform": "linux/amd64"\n  }\n}\n')


def test_version_yaml_sorted_with_trailing_blank_line(c):
    out = ok(c, "kubectl version --output=yaml")
    assert out.startswith('clientVersion:\n  buildDate: "2026-02-26T20:06:18Z"\n  compiler: gc\n')
    assert "\n  major: \"1\"\n  minCompatibilityMajor: \"1\"\n  minCompatibilityMinor: \"33\"\n  minor: \"34\"\n" in out
    assert out.endswith("  platform: linux/amd64\n\n")
    assert yaml.safe_load(out)["kustomizeVersion"] == "v5.7.1"


def test_version_errors(c):
    assert fail(c, "kubectl version -o xml") == "error: --output must be 'yaml' or 'json'\n"
    assert fail(c, "kubectl version --short") == "error: unknown flag: --short\nSee 'kubectl version --help' for usage.\n"


def test_api_resources_table(c):
    out = ok(c, "kubectl api-resources")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert "deployments                         deploy       apps/v1                           true         Deployment" in lines
    assert lines[1].startswith("bindings ") and lines[1].endswith(" Binding")
    assert ok(c, "kubectl api-resources --api-group=apps --no-headers").splitlines()[0].split() == \
        ["controllerrevisions", "apps/v1", "true", "ControllerRevision"]


def test_api_resources_filters_and_sorting(c):
    cluster_scoped = ok(c, "kubectl api-resources --namespaced=false -o name").splitlines()
    assert "nodes" in cluster_scoped and "namespaces" in cluster_scoped and "pods" not in cluster_scoped
    by_kind = ok(c, "kubectl api-resources --sort-by=kind -o name").splitlines()
    assert by_kind[0] == "apiservices.apiregistration.k8s.io"  # APIService sorts first by kind
    # same Kind `Event` in two groups: ties are broken by resource name, then stable
    assert [x for x in by_kind if x.startswith("events")] == ["events", "events.events.k8s.io"]
    wide = ok(c, "kubectl api-resources -o wide --api-group=apps").splitlines()
    assert wide[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS", "CATEGORIES"]
    assert wide[3].split()[-1] == "all" and "[create delete deletecollection get list patch update watch]" in wide[3]
    assert ok(c, "kubectl api-resources --verbs=create --categories=all -o name --api-group=") == \
        "pods\nreplicationcontrollers\nservices\n"


def test_api_resources_json_and_yaml(c):
    doc = json.loads(ok(c, "kubectl api-resources -o json --api-group=apps"))
    assert (doc["kind"], doc["apiVersion"], doc["groupVersion"]) == ("APIResourceList", "v1", "")
    deploy = next(r for r in doc["resources"] if r["name"] == "deployments")
    assert list(deploy) == ["name", "singularName", "namespaced", "group", "version", "kind", "verbs", "shortNames", "categories"]
    assert deploy["shortNames"] == ["deploy"] and deploy["categories"] == ["all"]
    assert ok(c, "kubectl api-resources -o json").startswith('{\n    "kind": "APIResourceList",\n')
    assert yaml.safe_load(ok(c, "kubectl api-resources -o yaml"))["resources"][0]["name"] == "bindings"


def test_api_resources_errors(c):
    assert fail(c, "kubectl api-resources pods") == \
        "error: unexpected arguments: [pods]\nSee 'kubectl api-resources -h' for help and examples\n"
    assert fail(c, "kubectl api-resources --sort-by=age") == "error: --sort-by accepts only name or kind\n"
    assert "allowed formats are: json,yaml,name,wide" in fail(c, "kubectl api-resources -o table")


def test_api_versions(c):
    out = ok(c, "kubectl api-versions").splitlines()
    assert out == sorted(out) and out[-1] == "v1"
    assert {"apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "policy/v1"} <= set(out)


def test_cluster_info_is_coloured_like_go_colortext(c):
    assert ok(c, "kubectl cluster-info") == (
        "\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33mhttps://127.0.0.1:6443\x1b[0m\n"
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")


def test_cluster_info_lists_labelled_cluster_services(c):
    c.files["dns.yaml"] = """apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/cluster-service: "true", kubernetes.io/name: CoreDNS}
spec:
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
"""
    ok(c, "kubectl apply -f dns.yaml")
    out = ok(c, "kubectl cluster-info")
    assert "\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33mhttps://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\x1b[0m\n" in out
    # another namespace has no cluster services: only the control plane line
    assert ok(c, "kubectl cluster-info -n default").count("is running at") == 1


def test_explain(c):
    out = ok(c, "kubectl explain deployment.spec.replicas")
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n")
    # kubectl pkg/explain/v2/templates/plaintext.tmpl: schema type names, one more blank line at the end
    assert ok(c, "kubectl explain deploy.spec.strategy --recursive").endswith(
        "FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n\n")
    assert ok(c, "kubectl explain pods --api-version=v1").startswith("KIND:       Pod\nVERSION:    v1\n")


def test_explain_errors(c):
    assert fail(c, "kubectl explain").startswith("error: You must specify the type of resource to explain.")
    assert fail(c, "kubectl explain pods svc") == "error: We accept only this format: explain RESOURCE\n"
    assert fail(c, "kubectl explain deploy.spec.foo") == 'error: field "foo" does not exist\n'
    assert fail(c, "kubectl explain foo") == 'error: the server doesn\'t have a resource type "foo"\n'
    assert fail(c, "kubectl explain deploy --api-version=apps/v2") == \
        'error: couldn\'t find resource for "apps/v2, Kind=Deployment"\n'


KIND_CONFIG = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: DATA+OMITTED
    server: https://127.0.0.1:6443
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: DATA+OMITTED
    client-key-data: DATA+OMITTED
"""


def test_config_view(c):
    assert ok(c, "kubectl config view") == KIND_CONFIG
    assert ok(c, "kubectl config view --minify") == KIND_CONFIG
    as_json = ok(c, "kubectl config view -o json")
    assert as_json.startswith('{\n    "kind": "Config",\n    "apiVersion": "v1",\n    "preferences": {},\n    "clusters": [\n')
    assert json.loads(as_json)["clusters"][0]["cluster"]["server"] == "https://127.0.0.1:6443"
    assert ok(c, "kubectl config view -o jsonpath='{.contexts[*].name}'") == "kind-kind"
    assert ok(c, "kubectl config view --minify -o jsonpath={..server}") == "https://127.0.0.1:6443"
    raw = yaml.safe_load(ok(c, "kubectl config view --raw"))
    assert raw["users"][0]["user"]["client-key-data"] != "DATA+OMITTED"


def test_config_contexts(c):
    assert ok(c, "kubectl config current-context") == "kind-kind\n"
    assert ok(c, "kubectl config get-contexts") == (
        "CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n"
        "*         kind-kind   kind-kind   kind-kind   \n")
    assert ok(c, "kubectl config get-contexts -o name") == "kind-kind\n"
    assert ok(c, "kubectl config get-clusters") == "NAME\nkind-kind\n"
    assert ok(c, "kubectl config get-users") == "NAME\nkind-kind\n"
    assert ok(c, "kubectl config use-context kind-kind") == 'Switched to context "kind-kind".\n'
    assert fail(c, "kubectl config use-context prod") == 'error: no context exists with the name: "prod"\n'
    r = c.run("kubectl config get-contexts prod")
    assert r.stdout.startswith("CURRENT") and r.stderr == "error: context prod not found\n" and r.exit_code == 1


def test_config_without_subcommand_prints_help_on_stderr(c):
    r = c.run("kubectl config")
    assert r.exit_code == 1 and "Available Commands:\n  current-context   Display the current-context\n" in r.stderr


def test_info_commands_change_nothing(c):
    kinds = ("Namespace", "Node", "Service", "Endpoints", "Pod", "Event")
    before = ({k: c.list(k) for k in kinds}, c.now)
    for line in ("kubectl version", "kubectl api-resources", "kubectl cluster-info", "kubectl config view",
                 "kubectl explain pods", "kubectl api-versions", "kubectl config use-context kind-kind"):
        ok(c, line)
    assert ({k: c.list(k) for k in kinds}, c.now) == before


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["-o", "json", "yaml", "wide", "name", "--namespaced", "--namespaced=false",
                                 "--api-group", "apps", "--sort-by", "kind", "x", "--verbs=get", "--client",
                                 "--raw", "--recursive", "pods.spec", "-n", "=", "'"]), max_size=5),
       st.sampled_from(["version", "api-resources", "api-versions", "cluster-info", "explain", "config view",
                        "config get-contexts", "config current-context"]))
def test_info_commands_never_crash(words, verb):
    r = Cluster(seed=1).run(f"kubectl {verb} " + " ".join(words))
    assert "internal error" not in r.stderr
    assert r.exit_code in (0, 1, 2)


def test_options_lists_the_global_flags(c):
    out = ok(c, "kubectl options")
    assert out.startswith("The following options can be passed to any command:\n\n    --as='':\n\tUsername to impersonate")
    assert "    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n\n" in out
    assert out.endswith("    --warnings-as-errors=false:\n\tTreat warnings received from the server as errors and exit "
                        "with a non-zero exit code\n\n")


def test_version_ignores_arguments_but_api_versions_does_not(c):
    assert ok(c, "kubectl version extra") == ok(c, "kubectl version")
    assert fail(c, "kubectl api-versions apps") == \
        "error: unexpected arguments: [apps]\nSee 'kubectl api-versions -h' for help and examples\n"
