"""Hostile requests to simulator/rest get a proper Status (4xx), never a traceback, and leave the
cluster as it was."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import Cluster
from simulator.rest.body import MAX_BODY_BYTES

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"


def status_of(r) -> dict:
    st_ = r.json()
    assert st_["kind"] == "Status" and st_["status"] == "Failure" and st_["code"] == r.status
    assert "Traceback" not in st_["message"]
    return st_


def test_oversized_body_is_413():
    c = Cluster(0)
    r = c.api("POST", DEPLOYMENTS, body=b'{"a":"' + b"x" * (MAX_BODY_BYTES + 1) + b'"}')
    assert r.status == 413 and status_of(r)["reason"] == "RequestEntityTooLarge"


def test_deep_nesting_is_400_not_a_recursion_error():
    c = Cluster(0)
    for raw in (b"[" * 10_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000):
        r = c.api("POST", DEPLOYMENTS, body=raw)
        assert r.status == 400 and "nests deeper" in status_of(r)["message"]
    r = c.api("PATCH", DEPLOYMENTS + "/x", headers={"Content-Type": "application/merge-patch+json"},
              body=b"[" * 10_000)
    assert r.status in (400, 404)


def test_garbage_bodies_are_400():
    c = Cluster(0)
    for raw in (b"\xff\xfe\x00", b"not json", b"[1,2]", b'"str"', b"{", b"null"):
        r = c.api("POST", DEPLOYMENTS, body=raw)
        assert r.status == 400, raw
        status_of(r)


def test_null_or_odd_metadata_is_a_status_not_a_crash():
    c = Cluster(0)
    base = {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}}
    for meta in (None, [], "x", 3):
        r = c.api("POST", DEPLOYMENTS, body=json.dumps(dict(base, metadata=meta)).encode())
        assert 400 <= r.status < 500, (meta, r.body)
        status_of(r)


def test_too_many_json_patch_operations_is_413():
    c = Cluster(0)
    c.api("POST", DEPLOYMENTS, body=json.dumps({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                 "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}).encode())
    ops = json.dumps([{"op": "test", "path": "/kind", "value": "Deployment"}] * 10_001).encode()
    r = c.api("PATCH", DEPLOYMENTS + "/w", headers={"Content-Type": "application/json-patch+json"}, body=ops)
    assert r.status == 413


def test_odd_paths_and_methods():
    c = Cluster(0)
    assert c.api("GET", "/" + "a/" * 5000).status == 414
    assert c.api("TRACE", "/api/v1/pods").status == 405
    assert c.api("GET", "/api/v1/namespaces/default/pods/x/y/z").status == 404
    assert c.api("GET", "/api/v1/namespaces/default/nodes").status == 404  # cluster-scoped under a namespace
    assert c.api("GET", "/../../etc/passwd").status == 404
    assert c.api("GET", "/api/v1/pods", query={"limit": "x"}).status == 400
    assert c.api("GET", "/api/v1/pods", query={"continue": "garbage"}).status == 400


@settings(max_examples=60, deadline=None)
@given(method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]),
       path=st.sampled_from([DEPLOYMENTS, DEPLOYMENTS + "/w", DEPLOYMENTS + "/w/scale", "/api/v1/namespaces/default/pods/p/log",
                             "/api/v1/namespaces", "/api/v1/namespaces/default"]),
       ctype=st.sampled_from(["application/json", "application/merge-patch+json", "application/json-patch+json",
                              "application/strategic-merge-patch+json", "application/vnd.kubernetes.protobuf"]),
       raw=st.one_of(st.binary(max_size=200), st.recursive(
           st.none() | st.booleans() | st.integers() | st.text(max_size=10),
           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
           max_leaves=20).map(lambda v: json.dumps(v).encode())))
def test_any_request_gets_an_http_answer_and_the_cluster_survives(method, path, ctype, raw):
    c = Cluster(0)
    before = c.changes
    r = c.api(method, path, headers={"Content-Type": ctype}, body=raw)
    assert 200 <= r.status < 500, (r.status, r.body[:300])
    if r.status >= 400:
        status_of(r)
    if r.status >= 400 or method == "GET":
        assert c.changes == before
    assert c.run("kubectl get ns").exit_code == 0


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=300))
def test_hostile_protobuf_bodies_get_a_status(raw):
    c = Cluster(0)
    typed = b"k8s\x00\x0a\x15\x0a\x07apps/v1\x12\x0aDeployment\x12" + bytes([min(len(raw), 127)]) + raw[:127]
    for body in (raw, b"k8s\x00" + raw, typed):
        r = c.api("POST", DEPLOYMENTS, headers={"Content-Type": "application/vnd.kubernetes.protobuf"}, body=body)
        assert 200 <= r.status < 500, (r.status, r.body[:200])
        if r.status >= 400:
            status_of(r)
