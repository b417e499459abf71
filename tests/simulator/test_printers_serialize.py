"""-o yaml / json / name. Golden YAML is K8S-FACTS §8.2 (what kubectl prints for a Deployment);
quoting cases follow go-yaml v2 resolve.go / emitterc.go rules cited in serialize.py."""
import yaml
from hypothesis import given, settings, strategies as st

from simulator.kubectl.printers.serialize import (
    list_object, to_json, to_name, to_yaml, to_yaml_documents, yaml_sorted_keys,
)

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "1"
  creationTimestamp: "2024-01-01T10:00:00Z"
  generation: 1
  labels:
    app: kubia
  name: kubia
  namespace: default
  resourceVersion: "1234"
  uid: 0b5c2f4e-1d2a-4c55-9d0e-3f6a7b8c9d01
spec:
  progressDeadlineSeconds: 600
  replicas: 1
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: kubia
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v1
        imagePullPolicy: IfNotPresent
        name: kubia
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status:
  availableReplicas: 1
  conditions:
  - lastTransitionTime: "2024-01-01T10:00:05Z"
    lastUpdateTime: "2024-01-01T10:00:05Z"
    message: Deployment has minimum availability.
    reason: MinimumReplicasAvailable
    status: "True"
    type: Available
  - lastTransitionTime: "2024-01-01T10:00:00Z"
    lastUpdateTime: "2024-01-01T10:00:05Z"
    message: ReplicaSet "kubia-74967b5695" has successfully progressed.
    reason: NewReplicaSetAvailable
    status: "True"
    type: Progressing
  observedGeneration: 1
  readyReplicas: 1
  replicas: 1
  updatedReplicas: 1
"""


def test_deployment_yaml_matches_k8s_facts():
    obj = yaml.safe_load(DEPLOYMENT_YAML.replace("creationTimestamp: null", "creationTimestamp: ~"))
    # safe_load turns the quoted timestamps into str already; the dict is the JSON shape
    assert to_yaml(obj) == DEPLOYMENT_YAML


def test_string_quoting_rules():
    cases = {
        "1": '"1"', "true": '"true"', "True": '"True"', "yes": '"yes"', "off": '"off"', "~": '"~"',
        "null": '"null"', "": '""', "1.5": '"1.5"', "1e3": '"1e3"', "0x1F": '"0x1F"', "1:20": '"1:20"',
        "2026-01-01": '"2026-01-01"', "2026-01-01T09:00:00Z": '"2026-01-01T09:00:00Z"',
        "7496785695": '"7496785695"', "74967b5695": "74967b5695", ".inf": '".inf"',
        "25%": "25%", "luksa/kubia:v1": "luksa/kubia:v1", "http://x:80/a": "http://x:80/a",
        "--port=8080": "--port=8080", "-x": "-x", "a#b": "a#b",
        '{"a":1}': "'{\"a\":1}'", "*": "'*'", "foo: bar": "'foo: bar'", "a #b": "'a #b'", " lead": "' lead'",
        "trail ": "'trail '", "- x": "'- x'", "@x": "'@x'", "it's": "it's", "'q'": "'''q'''",
        "a\tb": '"a\\tb"', "é한글": "é한글",
    }
    for value, expected in cases.items():
        assert to_yaml({"k": value}) == f"k: {expected}\n", value


def test_multiline_strings_are_literal_blocks():
    assert to_yaml({"k": "x\n"}) == "k: |\n  x\n"
    assert to_yaml({"k": "a\n\nb"}) == "k: |-\n  a\n\n  b\n"
    assert to_yaml({"k": "a\n\n"}) == "k: |+\n  a\n\n"
    assert to_yaml({"k": " a\n"}) == "k: |2\n   a\n"
    assert to_yaml({"k": "a \nb"}) == 'k: "a \\nb"\n'  # space before a break: double-quoted
    # the last-applied annotation kubectl apply writes (JSON + trailing newline)
    ann = '{"apiVersion":"apps/v1","kind":"Deployment"}\n'
    assert to_yaml({"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": ann}}}) == (
        "metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n"
        '      {"apiVersion":"apps/v1","kind":"Deployment"}\n')
    assert to_yaml({"args": ["line1\nline2\n"]}) == "args:\n- |\n  line1\n  line2\n"


def test_nested_sequences_numbers_and_empties():
    assert to_yaml({"a": [[1, 2], []], "b": {}, "c": [], "d": None, "e": 1.5, "f": 2.0, "g": False,
                    "h": 1234567.5}) == (
        "a:\n- - 1\n  - 2\n- []\nb: {}\nc: []\nd: null\ne: 1.5\nf: 2\ng: false\nh: 1.2345675e+06\n")
    assert to_yaml({"items": [{"a": {"b": 1}, "c": [{"d": 1}]}]}) == (
        "items:\n- a:\n    b: 1\n  c:\n  - d: 1\n")
    assert to_yaml({"1": "a"}) == '"1": a\n'


def test_go_yaml_key_order():
    # sorter.go: digit runs compare numerically, a non-letter sorts before a letter
    assert yaml_sorted_keys(["a10", "a9", "a_b", "aB", "b", "A"]) == ["A", "a_b", "a9", "a10", "aB", "b"]
    assert yaml_sorted_keys(["app.kubernetes.io/name", "app", "apps"]) == ["app", "app.kubernetes.io/name", "apps"]


def test_list_and_documents():
    items = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}]
    assert to_yaml(list_object(items)) == (
        "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n"
        'kind: List\nmetadata:\n  resourceVersion: ""\n')
    assert to_yaml_documents([{"a": 1}, {"b": 2}]) == "a: 1\n---\nb: 2\n"


def test_json_output():
    assert to_json({"b": [], "a": {"z": "<x>&", "y": 1.0, "x": 0.5, "w": None, "v": "한"}, "c": {}}) == (
        '{\n    "a": {\n        "v": "한",\n        "w": null,\n        "x": 0.5,\n        "y": 1,\n'
        '        "z": "\\u003cx\\u003e\\u0026"\n    },\n    "b": [],\n    "c": {}\n}\n')
    assert to_json({"m": "a\nb\t\"\\"}) == '{\n    "m": "a\\nb\\t\\"\\\\"\n}\n'
    assert to_json({"n": [1e-7, 3e-05, 1e21]}) == '{\n    "n": [\n        1e-7,\n        0.00003,\n        1e+21\n    ]\n}\n'
    assert to_json(list_object([])) == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n'
        '        "resourceVersion": ""\n    }\n}\n')


def test_names():
    assert to_name({"kind": "Deployment", "metadata": {"name": "kubia"}}) == "deployment.apps/kubia"
    assert to_name({"kind": "ReplicaSet", "metadata": {"name": "kubia-74967b5695"}}) == "replicaset.apps/kubia-74967b5695"
    assert to_name({"kind": "Pod", "metadata": {"name": "x"}}) == "pod/x"
    assert to_name({"kind": "Service", "metadata": {"name": "kubia"}}) == "service/kubia"
    assert to_name({"kind": "Endpoints", "metadata": {"name": "kubia"}}) == "endpoints/kubia"


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                         st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: "\n" not in k and "_" not in k and k.strip() == k), inner, max_size=3)),
    max_leaves=12)


class _GoYamlLikeLoader(yaml.SafeLoader):
    """PyYAML without YAML 1.1's `=` "value" type, which go-yaml v2 does not have (a plain `=`
    is just a string there, and go-yaml writes it unquoted)."""


_GoYamlLikeLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:value"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@settings(max_examples=300)
@given(st.dictionaries(st.text(alphabet="abcxyz-./0123", min_size=1, max_size=6), json_values, min_size=1, max_size=4))
def test_yaml_reads_back_as_the_same_data(obj):
    # PyYAML (YAML 1.1) agrees with go-yaml on everything we quote; plain scalars we emit must read back as text.
    text = to_yaml(obj)
    back = yaml.load(text, Loader=_GoYamlLikeLoader)  # noqa: S506 - a SafeLoader subclass
    assert back == obj or _equal_modulo_yaml11(back, obj)


def _equal_modulo_yaml11(a, b):
    # YAML 1.1 resolves a few plain forms go-yaml leaves as strings (e.g. `0o17`, `1_0`, `+1` handled
    # already); anything else must match exactly.
    if isinstance(b, dict) and isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal_modulo_yaml11(a[k], b[k]) for k in b)
    if isinstance(b, list) and isinstance(a, list):
        return len(a) == len(b) and all(_equal_modulo_yaml11(x, y) for x, y in zip(a, b))
    # YAML 1.1 (PyYAML) allows `_` in numbers (`.0_`); Go's ParseFloat does not, so go-yaml keeps it plain
    return a == b or (isinstance(b, str) and not isinstance(a, str) and "_" in b)


@given(json_values)
def test_json_parses_back(obj):
    import json
    assert json.loads(to_json(obj)) == obj
