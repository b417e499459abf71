"""Strategic-merge directives through `kubectl patch` (apimachinery pkg/util/strategicpatch/patch.go:
handleDirectiveInMergeMap, mergeSliceWithSpecialElements, applyRetainKeysDirective,
mergePatchIntoOriginal for $setElementOrder, mergeSliceHandler for $deleteFromPrimitiveList, whose
"Delete lists are handled the same way regardless of what the field's patch strategy is"), and the
examples of kubernetes/community contributors/devel/sig-api-machinery/strategic-merge-patch.md."""
from __future__ import annotations

import json

import pytest

from simulator import Cluster

APP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  finalizers: [example.com/a, example.com/b, example.com/c]
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      volumes:
      - name: data
        emptyDir: {}
      containers:
      - name: nginx
        image: nginx:1.25
        args: [-a, -b, -c]
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
        volumeMounts:
        - {name: data, mountPath: /data}
      - name: sidecar
        image: busybox:1.36
        command: [sleep, "3600"]
"""


@pytest.fixture
def web():
    c = Cluster(seed=0)
    c.files["web.yaml"] = APP
    assert c.run("kubectl create -f web.yaml").exit_code == 0
    c.advance(5)
    return c


def _deploy(c: Cluster) -> dict:
    r = c.run("kubectl get deploy web -o json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _patch(c: Cluster, body: dict, ok: bool = True):
    c.files["p.json"] = json.dumps(body)
    r = c.run("kubectl patch deploy web --patch-file p.json")
    if ok:
        assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/web patched\n", "", 0)
    return r


def _pod_spec(c: Cluster) -> dict:
    return _deploy(c)["spec"]["template"]["spec"]


def test_patch_delete_removes_one_list_element(web):
    _patch(web, {"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}}}})
    assert [x["name"] for x in _pod_spec(web)["containers"]] == ["nginx"]


def test_patch_delete_on_a_map_empties_it(web):
    _patch(web, {"spec": {"template": {"metadata": {"labels": {"$patch": "delete"}}}}}, ok=False)
    # the labels map becomes {} and the Deployment's selector no longer matches: Invalid, nothing stored
    assert _deploy(web)["spec"]["template"]["metadata"]["labels"] == {"app": "web"}
    _patch(web, {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "env": [{"name": "A", "$patch": "delete"}]}]}}}})
    assert _pod_spec(web)["containers"][0]["env"] == [{"name": "B", "value": "2"}]


def test_patch_replace_on_a_list_replaces_it_whole(web):
    _patch(web, {"spec": {"template": {"spec": {"containers": [
        {"name": "only", "image": "httpd:2.4"}, {"$patch": "replace"}]}}}})
    containers = _pod_spec(web)["containers"]
    assert [(x["name"], x["image"]) for x in containers] == [("only", "httpd:2.4")]


def test_patch_replace_on_a_map_replaces_it_whole(web):
    _patch(web, {"spec": {"template": {"metadata": {"labels": {"$patch": "replace", "app": "web", "tier": "x"}}}}})
    assert _deploy(web)["spec"]["template"]["metadata"]["labels"] == {"app": "web", "tier": "x"}


def test_unknown_patch_directive_is_the_servers_error(web):
    r = _patch(web, {"spec": {"template": {"spec": {"$patch": "explode"}}}}, ok=False)
    assert (r.stderr, r.exit_code) == ("Error from server: unknown patch type: explode in map: "
                                       "map[$patch:explode]\n", 1)


def test_retain_keys_swaps_a_volume_source(web):
    # strategic-merge-patch.md "retainKeys Strategy": switching a volume's source
    _patch(web, {"spec": {"template": {"spec": {"volumes": [
        {"name": "data", "$retainKeys": ["name", "hostPath"], "hostPath": {"path": "/tmp/data"}}]}}}})
    assert _pod_spec(web)["volumes"] == [{"name": "data", "hostPath": {"path": "/tmp/data", "type": ""}}]


def test_retain_keys_on_the_strategy(web):
    _patch(web, {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})
    assert _deploy(web)["spec"]["strategy"] == {"type": "Recreate"}


def test_delete_from_primitive_list_on_a_merged_list(web):
    _patch(web, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/b"]}})
    assert _deploy(web)["metadata"]["finalizers"] == ["example.com/a", "example.com/c"]


def test_delete_from_primitive_list_on_a_replaced_list(web):
    # args has no patch strategy; a delete list still deletes (mergeSliceHandler)
    _patch(web, {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "$deleteFromPrimitiveList/args": ["-b"]}]}}}})
    assert _pod_spec(web)["containers"][0]["args"] == ["-a", "-c"]


def test_set_element_order_reorders_the_merged_list(web):
    _patch(web, {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}],
        "containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}})
    containers = _pod_spec(web)["containers"]
    assert [(x["name"], x["image"]) for x in containers] == [("sidecar", "busybox:1.36"), ("nginx", "nginx:1.27")]


def test_set_element_order_on_env(web):
    _patch(web, {"spec": {"template": {"spec": {"containers": [
        {"name": "nginx", "$setElementOrder/env": [{"name": "C"}, {"name": "B"}, {"name": "A"}],
         "env": [{"name": "C", "value": "3"}]}]}}}})
    assert [e["name"] for e in _pod_spec(web)["containers"][0]["env"]] == ["C", "B", "A"]


def test_directives_never_reach_the_stored_object(web):
    _patch(web, {"spec": {"template": {"spec": {"containers": [
        {"name": "extra", "image": "nginx:1.25", "env": [{"name": "X", "value": "1", "$patch": "merge"}]}]}}}},
           ok=False)
    stored = json.dumps(_deploy(web))
    assert "$patch" not in stored and "$retainKeys" not in stored
