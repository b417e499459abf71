"""Hostile input: whatever a learner types into a manifest, the API layer answers with a KubeError
(kubectl's message or a limit), never another exception."""
import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.api.decode import decode_stream
from simulator.api.defaults import apply_defaults, prepare_for_create
from simulator.api.errors import KubeError
from simulator.api.schema import check_known_fields
from simulator.api.validation import validate_create, validate_update

KEYS = st.sampled_from(["apiVersion", "kind", "metadata", "spec", "name", "labels", "selector",
                        "matchLabels", "template", "containers", "image", "ports", "replicas",
                        "strategy", "rollingUpdate", "maxSurge", "maxUnavailable", "type",
                        "readinessProbe", "httpGet", "port", "items", "resources", "limits",
                        "volumes", "volumeMounts", "env", "x"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(["apps/v1", "v1", "Deployment", "Service", "Pod",
                                     "ReplicaSet", "ReplicationController", "Namespace", "25%",
                                     "0", "RollingUpdate", "Recreate", "nginx"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)), max_leaves=40)
YAMLISH = st.lists(st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`,?\n\t 01.~") + ["---\n", "<<: "]),
                   max_size=200).map("".join)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def admit(obj):
    for kind in ("Deployment", "Service", "Pod", "ReplicaSet", "ReplicationController",
                 "Namespace", "Endpoints", "Node", "Event"):
        candidate = copy.deepcopy(obj)
        candidate["kind"] = kind
        try:
            check_known_fields(candidate)
            apply_defaults(candidate)
            validate_create(candidate)
            validate_update(candidate, copy.deepcopy(candidate))
            prepare_for_create(candidate)
        except KubeError:
            pass


@SETTINGS
@given(YAMLISH)
def test_arbitrary_text_only_raises_kube_errors(text):
    try:
        items = decode_stream(text, "f.yaml")
    except KubeError:
        return
    for item in items:
        assert isinstance(item, (dict, KubeError))
        if isinstance(item, dict):
            admit(item)


@SETTINGS
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    try:
        decode_stream(text, "f.yaml")
        decode_stream("{" + text, "f.json")
    except KubeError:
        pass


@SETTINGS
@given(st.dictionaries(KEYS, DATA, max_size=8))
def test_arbitrary_nested_data_only_raises_kube_errors(obj):
    admit(obj)
    try:
        apply_defaults(copy.deepcopy(obj))
    except KubeError:
        pass
