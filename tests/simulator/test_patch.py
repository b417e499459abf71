"""simulator/patching/ and simulator/kubectl/last_applied.py: website "Update API Objects in Place Using kubectl patch"
(kubernetes/website content/en/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch.md)
and apimachinery strategicpatch behaviour."""
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from simulator.api.errors import KubeError
from simulator.api.errors import JSONPatchError
from simulator.kubectl.last_applied import (
    LAST_APPLIED, apply_patch_is_empty, last_applied, last_applied_value, modified_configuration,
    set_last_applied,
)
from simulator.patching.jsonmerge import json_merge_patch
from simulator.patching.jsonpatch import json_patch
from simulator.patching.strategic import strategic_merge_patch
from simulator.patching.strategic_diff import three_way_merge, two_way_merge_patch

REF = Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"


def load(name):
    text = (REF / name).read_text()
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


def containers(obj):
    return obj["spec"]["template"]["spec"]["containers"]


def test_website_strategic_patch_adds_container_first():
    # "The output shows that the PodSpec in the Deployment has two Containers": redis, then nginx
    d = strategic_merge_patch(load("deployment-patch.yaml"), load("patch-file.yaml"), "Deployment")
    assert [c["name"] for c in containers(d)] == ["patch-demo-ctr-2", "patch-demo-ctr"]
    assert [c["image"] for c in containers(d)] == ["redis", "nginx"]
    # the JSON form of the same patch gives the same object
    assert strategic_merge_patch(load("deployment-patch.yaml"), load("patch-file.json"), "Deployment") == d


def test_website_tolerations_are_replaced():
    d = strategic_merge_patch(load("deployment-patch.yaml"), load("patch-file.yaml"), "Deployment")
    d = strategic_merge_patch(d, load("patch-file-tolerations.yaml"), "Deployment")
    assert d["spec"]["template"]["spec"]["tolerations"] == [
        {"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]
    assert len(containers(d)) == 2


def test_website_json_merge_patch_replaces_list():
    d = strategic_merge_patch(load("deployment-patch.yaml"), load("patch-file.yaml"), "Deployment")
    d = json_merge_patch(d, load("patch-file-2.yaml"))
    assert containers(d) == [{"name": "patch-demo-ctr-3", "image": "gcr.io/google-samples/node-hello:1.0"}]


def test_website_retain_keys():
    base = load("deployment-retainkeys.yaml")
    merged = json_merge_patch(base, load("patch-file-no-retainkeys.yaml"))
    # without $retainKeys rollingUpdate survives (and validation then rejects it)
    assert merged["spec"]["strategy"] == {"rollingUpdate": {"maxSurge": "30%"}, "type": "Recreate"}
    d = strategic_merge_patch(base, load("patch-file-retainkeys.yaml"), "Deployment")
    assert d["spec"]["strategy"] == {"type": "Recreate"}


def test_inputs_not_mutated():
    base, patch = load("deployment-patch.yaml"), load("patch-file.yaml")
    b0, p0 = json.dumps(base), json.dumps(patch)
    strategic_merge_patch(base, patch, "Deployment")
    json_merge_patch(base, patch)
    assert json.dumps(base) == b0 and json.dumps(patch) == p0


def test_strategic_directives():
    base = {"spec": {"template": {"spec": {"containers": [
        {"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
         "ports": [{"containerPort": 80}], "args": ["--x"]},
        {"name": "b", "image": "y"}],
        "volumes": [{"name": "v", "emptyDir": {}}]}}}}
    # $patch: delete on a list item; null deletes a key; env merged by name; args replaced
    p = {"spec": {"template": {"spec": {"containers": [
        {"name": "b", "$patch": "delete"},
        {"name": "a", "image": None, "env": [{"name": "B", "value": "3"}], "args": ["--y"],
         "ports": [{"containerPort": 8080}]}]}}}}
    d = strategic_merge_patch(base, p, "Deployment")
    cs = containers(d)
    assert [c["name"] for c in cs] == ["a"]
    assert "image" not in cs[0]
    assert cs[0]["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}]
    assert cs[0]["args"] == ["--y"]
    assert cs[0]["ports"] == [{"containerPort": 8080}, {"containerPort": 80}]
    # $patch: replace on a list and on a map
    d = strategic_merge_patch(base, {"spec": {"template": {"spec": {"containers": [
        {"name": "c", "image": "z"}, {"$patch": "replace"}]}}}}, "Deployment")
    assert containers(d) == [{"name": "c", "image": "z"}]
    d = strategic_merge_patch(base, {"spec": {"template": {"spec": {"$patch": "replace", "containers": []}}}}, "Deployment")
    assert d["spec"]["template"]["spec"] == {"containers": []}
    # $deleteFromPrimitiveList on finalizers (patchStrategy merge for scalars)
    o = {"metadata": {"finalizers": ["a", "b", "c"]}}
    assert strategic_merge_patch(o, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"]}}, "Pod") == \
        {"metadata": {"finalizers": ["a", "c"]}}
    # merged scalars: patch items in patch order, then server-only items (normalizeElementOrder)
    assert strategic_merge_patch(o, {"metadata": {"finalizers": ["d", "a"]}}, "Pod")["metadata"]["finalizers"] == \
        ["d", "a", "b", "c"]
    # $setElementOrder reorders a merged list
    d = strategic_merge_patch(base, {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}}}}, "Deployment")
    assert [c["name"] for c in containers(d)] == ["b", "a"]


def test_bad_directive_is_a_kube_error():
    with pytest.raises(KubeError) as e:
        strategic_merge_patch({"spec": {}}, {"spec": {"$patch": "explode"}}, "Deployment")
    assert e.value.render() == "Error from server: unknown patch type: explode in map: map[$patch:explode]"
    with pytest.raises(KubeError) as e:
        strategic_merge_patch({"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}},
                              {"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}, "Deployment")
    assert "does not contain declared merge key: name" in e.value.render()


def test_json_patch_ops():
    doc = {"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "a", "args": ["x"]}]}}}}
    out = json_patch(doc, [
        {"op": "replace", "path": "/spec/replicas", "value": 3},
        {"op": "add", "path": "/spec/template/spec/containers/0/args/-", "value": "y"},
        {"op": "test", "path": "/spec/replicas", "value": 3},
        {"op": "copy", "from": "/spec/replicas", "path": "/spec/minReadySeconds"},
        {"op": "move", "from": "/spec/minReadySeconds", "path": "/spec/revisionHistoryLimit"},
        {"op": "add", "path": "/metadata", "value": {"labels": {"a/b": "c"}}},
        {"op": "remove", "path": "/metadata/labels/a~1b"},
    ])
    assert out["spec"]["replicas"] == 3 and out["spec"]["revisionHistoryLimit"] == 3
    assert "minReadySeconds" not in out["spec"]
    assert out["spec"]["template"]["spec"]["containers"][0]["args"] == ["x", "y"]
    assert out["metadata"] == {"labels": {}}
    with pytest.raises(JSONPatchError) as e:
        json_patch(doc, [{"op": "test", "path": "/spec/replicas", "value": 2}])
    # kubectl helpers.go checkErr (v1.33+) appends the Status message when there are no causes
    assert e.value.render() == ("The request is invalid: the server rejected our request due to an "
                                "error in our request")
    assert e.value.detail == "testing value /spec/replicas failed: test failed"
    with pytest.raises(JSONPatchError):
        json_patch(doc, [{"op": "replace", "path": "/spec/nope/x", "value": 1}])
    with pytest.raises(JSONPatchError):
        json_patch(doc, [{"op": "frobnicate", "path": "/spec"}])


# ------------------------------------------------------------------ apply
def _apply(live, file_obj, kind="Deployment"):
    modified = modified_configuration(file_obj)
    patch = three_way_merge(last_applied(live), modified, live, kind)
    return patch, strategic_merge_patch(live, patch, kind)


def test_last_applied_value_shape():
    # kubectl writes the file's object as compact sorted JSON, `annotations: {}` kept, trailing newline
    obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "kubia", "namespace": "default"},
           "spec": {"replicas": 3}}
    assert last_applied_value(obj) == (
        '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"kubia",'
        '"namespace":"default"},"spec":{"replicas":3}}\n')
    live = set_last_applied(obj, obj)
    assert last_applied(live) == {**obj, "metadata": {**obj["metadata"], "annotations": {}}}
    assert last_applied({"metadata": {}}) is None
    assert last_applied({"metadata": {"annotations": {LAST_APPLIED: "not json"}}}) is None


def test_apply_three_way_semantics():
    v1 = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "kubia", "namespace": "default"},
          "spec": {"replicas": 3, "minReadySeconds": 10, "template": {"spec": {"containers": [
              {"name": "nodejs", "image": "luksa/kubia:v1"}]}}}}
    live = set_last_applied(v1, v1)
    # someone else scales with kubectl scale and sets paused; never in the file
    live["spec"]["replicas"] = 5
    live["spec"]["paused"] = False
    live["status"] = {"replicas": 5}
    # re-applying the same file: replicas from the file win again, paused/status untouched
    patch, after = _apply(live, v1)
    assert patch == {"spec": {"replicas": 3}}
    assert after["spec"]["paused"] is False and after["status"] == {"replicas": 5}
    # applying exactly what is live: empty patch -> "unchanged"
    patch, _ = _apply(after, v1)
    assert apply_patch_is_empty(patch)
    # v2 drops minReadySeconds and changes the image: minReadySeconds deleted, image replaced
    v2 = json.loads(json.dumps(v1))
    del v2["spec"]["minReadySeconds"]
    v2["spec"]["template"]["spec"]["containers"][0]["image"] = "luksa/kubia:v2"
    patch, after2 = _apply(after, v2)
    assert patch["spec"]["minReadySeconds"] is None
    assert patch["spec"]["template"]["spec"]["containers"] == [{"image": "luksa/kubia:v2", "name": "nodejs"}]
    assert patch["spec"]["template"]["spec"]["$setElementOrder/containers"] == [{"name": "nodejs"}]
    assert "minReadySeconds" not in after2["spec"]
    assert containers(after2) == [{"name": "nodejs", "image": "luksa/kubia:v2"}]
    assert last_applied(after2)["spec"] == v2["spec"]


def test_apply_removes_container_dropped_from_file_and_keeps_server_defaults():
    f1 = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [
        {"name": "a", "image": "nginx"}, {"name": "b", "image": "redis"}]}}}}
    live = set_last_applied(f1, f1)
    for c in containers(live):
        c["imagePullPolicy"] = "Always"  # defaulted by the server, never in the file
    f2 = json.loads(json.dumps(f1))
    containers(f2).pop()
    patch, after = _apply(live, f2)
    assert {"name": "b", "$patch": "delete"} in patch["spec"]["template"]["spec"]["containers"]
    assert containers(after) == [{"name": "a", "image": "nginx", "imagePullPolicy": "Always"}]


def test_apply_strategy_change_sends_retain_keys():
    f1 = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"strategy": {"type": "RollingUpdate"}}}
    live = set_last_applied(f1, f1)
    live["spec"]["strategy"]["rollingUpdate"] = {"maxSurge": "25%", "maxUnavailable": "25%"}  # defaults
    f2 = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"strategy": {"type": "Recreate"}}}
    patch, after = _apply(live, f2)
    assert patch["spec"]["strategy"] == {"$retainKeys": ["type"], "type": "Recreate"}
    assert after["spec"]["strategy"] == {"type": "Recreate"}


def test_two_way_patch_roundtrip():
    a = load("deployment-patch.yaml")
    b = strategic_merge_patch(a, load("patch-file.yaml"), "Deployment")
    p = two_way_merge_patch(a, b, "Deployment")
    assert strategic_merge_patch(a, p, "Deployment") == b


# ------------------------------------------------------------------ properties
json_scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text("abc", max_size=3)
json_values = st.recursive(json_scalars, lambda c: st.lists(c, max_size=3)
                           | st.dictionaries(st.sampled_from(["a", "b", "name", "$patch", "c"]), c, max_size=3),
                           max_leaves=10)
json_objects = st.dictionaries(st.sampled_from(["a", "b", "spec", "metadata"]), json_values, max_size=3)


@given(json_objects)
def test_empty_patches_are_identities(doc):
    assert json_merge_patch(doc, {}) == doc
    assert json_patch(doc, []) == doc


@given(json_objects, json_objects)
def test_merge_patch_idempotent(doc, patch):
    once = json_merge_patch(doc, patch)
    assert json_merge_patch(once, patch) == once


@settings(max_examples=200)
@given(json_objects, json_objects, st.sampled_from(["Deployment", "Pod", "Service", None]))
def test_strategic_never_raises_unexpected(doc, patch, kind):
    try:
        strategic_merge_patch(doc, patch, kind)
    except KubeError:
        pass
    try:
        three_way_merge(doc, patch, doc, kind)
    except KubeError:
        pass


@given(json_values, st.lists(st.dictionaries(st.sampled_from(["op", "path", "value", "from"]),
                                              json_values | st.sampled_from(["add", "remove", "/a", "/a/0", "/-"]),
                                              max_size=4), max_size=3))
def test_json_patch_never_raises_unexpected(doc, ops):
    try:
        json_patch(doc, ops)
    except KubeError:
        pass
