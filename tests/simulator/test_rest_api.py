"""simulator/rest through Cluster.api: discovery, CRUD, patch, delete, subresources, Table,
Status errors, command history (no HTTP server, no Django)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import Cluster

MANIFEST = (Path(__file__).resolve().parents[1] / "fixtures/reference-manifests/kubia-deployment-v1.yaml").read_text()
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


def body(obj) -> bytes:
    return json.dumps(obj).encode()


@pytest.fixture
def c():
    cluster = Cluster(0)
    cluster.files["d.yaml"] = MANIFEST
    assert cluster.run("kubectl create -f d.yaml").exit_code == 0
    cluster.advance(30)
    return cluster


def deployment(name="web", replicas=2, image="nginx:1.25"):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "main", "image": image}]}}}}


def test_discovery_version_and_openapi():
    c = Cluster(0)
    v = c.api("GET", "/version").json()
    assert v["gitVersion"] == "v1.34.0" and v["major"] == "1"
    assert c.api("GET", "/api").json()["versions"] == ["v1"]
    groups = {g["name"] for g in c.api("GET", "/apis").json()["groups"]}
    assert {"apps", "batch", "autoscaling"} <= groups
    apps = {r["name"]: r for r in c.api("GET", "/apis/apps/v1").json()["resources"]}
    assert apps["deployments"]["shortNames"] == ["deploy"] and apps["deployments"]["namespaced"]
    assert apps["deployments/scale"]["group"] == "autoscaling" and apps["deployments/scale"]["kind"] == "Scale"
    index = c.api("GET", "/openapi/v3").json()["paths"]
    assert index["apis/apps/v1"]["serverRelativeURL"].startswith("/openapi/v3/apis/apps/v1?hash=")
    doc = c.api("GET", "/openapi/v3/apis/apps/v1").json()
    patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    assert "fieldValidation" in [p["name"] for p in patch["parameters"]]
    assert c.api("GET", "/openapi/v2").status == 200
    assert c.api("GET", "/apis/nope/v1").status == 404


def test_get_list_table_and_selectors(c):
    d = c.api("GET", DEPLOYMENTS + "/kubia").json()
    assert d["kind"] == "Deployment" and d["status"]["availableReplicas"] == 3
    pods = c.api("GET", "/api/v1/namespaces/default/pods", query={"labelSelector": "app=kubia"}).json()
    assert pods["kind"] == "PodList" and len(pods["items"]) == 3
    assert c.api("GET", "/api/v1/namespaces/default/pods", query={"labelSelector": "app=other"}).json()["items"] == []
    name = pods["items"][0]["metadata"]["name"]
    one = c.api("GET", "/api/v1/pods", query={"fieldSelector": f"metadata.name={name}"}).json()
    assert [p["metadata"]["name"] for p in one["items"]] == [name]
    page = c.api("GET", "/api/v1/namespaces/default/pods", query={"limit": "2"}).json()
    assert len(page["items"]) == 2 and page["metadata"]["continue"]
    rest = c.api("GET", "/api/v1/namespaces/default/pods", query={"limit": "2", "continue": page["metadata"]["continue"]}).json()
    assert len(rest["items"]) == 1 and "continue" not in rest["metadata"]
    table = c.api("GET", DEPLOYMENTS, headers={"Accept": TABLE}).json()
    assert table["kind"] == "Table"
    assert [col["name"] for col in table["columnDefinitions"]][:5] == ["Name", "Ready", "Up-to-date", "Available", "Age"]
    assert table["rows"][0]["cells"][:2] == ["kubia", "3/3"]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
    bad = c.api("GET", "/api/v1/pods", query={"labelSelector": "a in (b"})
    assert bad.status == 400 and bad.json()["reason"] == "BadRequest"
    # types the simulator does not run answer like an empty cluster
    assert c.api("GET", "/apis/batch/v1/namespaces/default/jobs").json()["items"] == []
    assert c.api("GET", "/apis/batch/v1/namespaces/default/jobs/x").status == 404
    assert c.api("POST", "/apis/batch/v1/namespaces/default/jobs", body=b"{}").status == 405


def test_not_found_status_body(c):
    r = c.api("GET", DEPLOYMENTS + "/nope")
    assert r.status == 404
    assert r.json() == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": 'deployments.apps "nope" not found', "reason": "NotFound",
                        "details": {"name": "nope", "group": "apps", "kind": "deployments"}, "code": 404}


def test_create_update_conflict_and_dry_run(c):
    created = c.api("POST", DEPLOYMENTS, body=body(deployment()))
    assert created.status == 201 and created.json()["metadata"]["generation"] == 1
    assert c.api("POST", DEPLOYMENTS, body=body(deployment())).json()["reason"] == "AlreadyExists"
    live = c.api("GET", DEPLOYMENTS + "/web").json()
    live["spec"]["replicas"] = 3
    updated = c.api("PUT", DEPLOYMENTS + "/web", body=body(live))
    assert updated.status == 200 and updated.json()["spec"]["replicas"] == 3
    stale = c.api("PUT", DEPLOYMENTS + "/web", body=body(live))  # the old resourceVersion
    assert stale.status == 409 and stale.json()["reason"] == "Conflict"
    before = c.changes
    dry = c.api("POST", DEPLOYMENTS, query={"dryRun": "All"}, body=body(deployment("dry")))
    assert dry.status == 201 and c.get("Deployment", "default", "dry") is None and c.changes == before
    wrong_ns = deployment("x")
    wrong_ns["metadata"]["namespace"] = "other"
    assert c.api("POST", DEPLOYMENTS, body=body(wrong_ns)).status == 400


def test_invalid_object_is_422_with_causes(c):
    r = c.api("POST", DEPLOYMENTS, body=body(deployment(replicas=-1)))
    assert r.status == 422
    st = r.json()
    assert st["reason"] == "Invalid" and st["details"]["kind"] == "Deployment" and st["details"]["name"] == "web"
    assert st["details"]["causes"][0]["field"] == "spec.replicas"


def test_field_validation_strict_warn_ignore(c):
    obj = deployment("fv")
    obj["spec"]["replica"] = 1
    strict = c.api("POST", DEPLOYMENTS, query={"fieldValidation": "Strict"}, body=body(obj))
    assert strict.status == 400 and 'unknown field "spec.replica"' in strict.json()["message"]
    warn = c.api("POST", DEPLOYMENTS, query={"fieldValidation": "Warn"}, body=body(obj))
    assert warn.status == 201 and warn.headers["Warning"] == ['299 - "unknown field \\"spec.replica\\""']
    obj["metadata"]["name"] = "fv2"
    ignored = c.api("POST", DEPLOYMENTS, query={"fieldValidation": "Ignore"}, body=body(obj))
    assert ignored.status == 201 and "Warning" not in ignored.headers


@pytest.mark.parametrize("ctype,patch", [
    ("application/strategic-merge-patch+json", {"spec": {"template": {"spec": {"containers": [{"name": "nodejs", "image": "luksa/kubia:v2"}]}}}}),
    ("application/merge-patch+json", {"spec": {"minReadySeconds": 5}}),
    ("application/json-patch+json", [{"op": "replace", "path": "/spec/replicas", "value": 4}]),
])
def test_patch_types(c, ctype, patch):
    r = c.api("PATCH", DEPLOYMENTS + "/kubia", headers={"Content-Type": ctype}, body=body(patch))
    assert r.status == 200, r.body
    d = c.get("Deployment", "default", "kubia")
    if "strategic" in ctype:
        containers = d["spec"]["template"]["spec"]["containers"]
        assert [x["image"] for x in containers] == ["luksa/kubia:v2"] and containers[0]["imagePullPolicy"]
        assert d["metadata"]["generation"] == 2
    elif "merge" in ctype:
        assert d["spec"]["minReadySeconds"] == 5
    else:
        assert d["spec"]["replicas"] == 4


def test_patch_errors(c):
    h = {"Content-Type": "application/json-patch+json"}
    r = c.api("PATCH", DEPLOYMENTS + "/kubia", headers=h, body=body([{"op": "remove", "path": "/spec/nope"}]))
    assert r.status == 422 and r.json()["reason"] == "Invalid"
    r = c.api("PATCH", DEPLOYMENTS + "/kubia", headers={"Content-Type": "text/plain"}, body=b"{}")
    assert r.status == 415
    r = c.api("PATCH", DEPLOYMENTS + "/kubia", headers={"Content-Type": "application/apply-patch+yaml"}, body=b"a: b")
    assert r.status == 415 and r.json()["reason"] == "UnsupportedMediaType"
    r = c.api("PATCH", DEPLOYMENTS + "/kubia", headers={"Content-Type": "application/merge-patch+json"}, body=b"{bad")
    assert r.status == 400


def test_scale_status_and_log_subresources(c):
    scale = c.api("GET", DEPLOYMENTS + "/kubia/scale").json()
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 3 and scale["status"]["selector"] == "app=kubia"
    r = c.api("PATCH", DEPLOYMENTS + "/kubia/scale", headers={"Content-Type": "application/merge-patch+json"},
              body=body({"spec": {"replicas": 5}}))
    assert r.status == 200 and r.json()["spec"]["replicas"] == 5
    assert c.get("Deployment", "default", "kubia")["spec"]["replicas"] == 5
    assert c.api("GET", DEPLOYMENTS + "/kubia/status").json()["status"]["replicas"] >= 3
    pod = next(p["metadata"]["name"] for p in c.list("Pod", "default") if p["status"]["phase"] == "Running")
    log = c.api("GET", f"/api/v1/namespaces/default/pods/{pod}/log")
    assert log.status == 200 and log.body.decode() == c.run(f"kubectl logs {pod}").stdout != ""
    assert c.api("GET", f"/api/v1/namespaces/default/pods/{pod}/log", query={"container": "x"}).status == 400
    assert c.api("GET", DEPLOYMENTS + "/kubia/exec").status == 404


def test_delete_orphan_preconditions_and_pod_grace(c):
    uid = c.get("Deployment", "default", "kubia")["metadata"]["uid"]
    bad = c.api("DELETE", DEPLOYMENTS + "/kubia", body=body({"preconditions": {"uid": "other"}}))
    assert bad.status == 409
    pod = c.list("Pod", "default")[0]["metadata"]["name"]
    r = c.api("DELETE", f"/api/v1/namespaces/default/pods/{pod}")
    assert r.status == 200 and r.json()["metadata"]["deletionTimestamp"]
    r = c.api("DELETE", DEPLOYMENTS + "/kubia", body=body({"propagationPolicy": "Orphan", "preconditions": {"uid": uid}}))
    assert r.status == 200 and r.json()["status"] == "Success" and r.json()["details"]["uid"] == uid
    c.advance(5)
    assert c.get("Deployment", "default", "kubia") is None
    assert len(c.list("ReplicaSet", "default")) == 1  # orphaned, not collected
    bad = c.api("DELETE", DEPLOYMENTS + "/x", query={"propagationPolicy": "Sideways"})
    assert bad.status in (400, 404)


def test_kubectl_command_header_is_recorded_once_per_invocation(c):
    h = {"Kubectl-Command": "kubectl set image", "Kubectl-Session": "s-1"}
    c.api("GET", DEPLOYMENTS + "/kubia", headers=h)
    c.api("GET", DEPLOYMENTS + "/kubia", headers=h)
    c.api("GET", DEPLOYMENTS, headers={"Kubectl-Command": "kubectl get", "Kubectl-Session": "s-2"})
    mine = [e for e in c.history if e.get("source") == "kubectl-api"]
    assert [e["line"] for e in mine] == ["kubectl set image", "kubectl get"]


def _pb(num: int, payload) -> bytes:
    if isinstance(payload, int):
        return bytes([num << 3]) + bytes([payload])  # small varints only
    return bytes([num << 3 | 2, len(payload)]) + payload


def test_protobuf_create_from_a_typed_client():
    """What `kubectl create deployment web --image=nginx --replicas=0` sends (k8s envelope,
    runtime.Unknown, apps/v1 Deployment), with the empty fields gogo-protobuf always writes."""
    c = Cluster(0)
    labels = _pb(11, _pb(1, b"app") + _pb(2, b"web"))
    meta = _pb(1, b"web") + _pb(2, b"") + _pb(8, b"") + labels
    container = _pb(1, b"nginx") + _pb(2, b"nginx") + _pb(5, b"")
    template = _pb(1, labels) + _pb(2, _pb(2, container))
    spec = _pb(1, 0) + _pb(2, _pb(1, _pb(1, b"app") + _pb(2, b"web"))) + _pb(3, template) + _pb(5, 0)
    raw = _pb(1, meta) + _pb(2, spec)
    body = b"k8s\x00" + _pb(1, _pb(1, b"apps/v1") + _pb(2, b"Deployment")) + _pb(2, raw)
    r = c.api("POST", DEPLOYMENTS, headers={"Content-Type": "application/vnd.kubernetes.protobuf"}, body=body)
    assert r.status == 201, r.body
    d = c.get("Deployment", "default", "web")
    assert d["spec"]["replicas"] == 0 and d["metadata"]["labels"] == {"app": "web"}
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx"
    assert "minReadySeconds" not in d["spec"] and "generateName" not in d["metadata"]
    bad = c.api("POST", DEPLOYMENTS, headers={"Content-Type": "application/vnd.kubernetes.protobuf"}, body=b"k8s\x00\x12\xff")
    assert bad.status == 400 and bad.json()["kind"] == "Status"
    other = b"k8s\x00" + _pb(1, _pb(1, b"v1") + _pb(2, b"ConfigMap"))
    assert c.api("POST", DEPLOYMENTS, headers={"Content-Type": "application/vnd.kubernetes.protobuf"}, body=other).status == 400


def test_protobuf_create_configmap_and_secret():
    """`kubectl create configmap|secret` send core/v1 ConfigMap/Secret in protobuf (generated.proto:
    ConfigMap data=2 map<string,string>; Secret data=2 map<string,bytes>, type=3)."""
    c = Cluster(0)
    pb = {"Content-Type": "application/vnd.kubernetes.protobuf"}
    entry = _pb(1, b"MODE") + _pb(2, b"prod")
    cm = _pb(1, _pb(1, b"app-config") + _pb(2, b"")) + _pb(2, entry)
    body = b"k8s\x00" + _pb(1, _pb(1, b"v1") + _pb(2, b"ConfigMap")) + _pb(2, cm)
    assert c.api("POST", "/api/v1/namespaces/default/configmaps", headers=pb, body=body).status == 201
    assert c.get("ConfigMap", "default", "app-config")["data"] == {"MODE": "prod"}
    secret = _pb(1, _pb(1, b"creds")) + _pb(2, _pb(1, b"user") + _pb(2, b"admin")) + _pb(3, b"Opaque")
    body = b"k8s\x00" + _pb(1, _pb(1, b"v1") + _pb(2, b"Secret")) + _pb(2, secret)
    assert c.api("POST", "/api/v1/namespaces/default/secrets", headers=pb, body=body).status == 201
    s = c.get("Secret", "default", "creds")
    assert s["data"] == {"user": "YWRtaW4="} and s["type"] == "Opaque"


def test_openapi_component_schemas_for_explain_and_apply():
    doc = Cluster(0).api("GET", "/openapi/v3/apis/apps/v1").json()
    schemas = doc["components"]["schemas"]
    dep = schemas["io.k8s.api.apps.v1.Deployment"]
    assert dep["x-kubernetes-group-version-kind"] == [{"group": "apps", "kind": "Deployment", "version": "v1"}]
    assert dep["properties"]["spec"]["allOf"] == [{"$ref": "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"}]
    pod_spec = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]
    assert pod_spec["containers"]["x-kubernetes-patch-merge-key"] == "name"
    assert pod_spec["containers"]["x-kubernetes-patch-strategy"] == "merge"
    assert pod_spec["volumes"]["x-kubernetes-patch-strategy"] == "merge,retainKeys"
    assert schemas["io.k8s.api.core.v1.Container"]["properties"]["ports"]["x-kubernetes-patch-merge-key"] == "containerPort"
    spec = schemas["io.k8s.api.apps.v1.DeploymentSpec"]
    assert spec["required"] == ["selector", "template"] and spec["properties"]["replicas"]["description"].startswith("Number of desired pods")
    assert "tolerations" in pod_spec  # every field the server decodes, so apply can diff any manifest
    core = Cluster(0).api("GET", "/openapi/v3/api/v1").json()["components"]["schemas"]
    assert core["io.k8s.api.core.v1.Service"]["x-kubernetes-group-version-kind"][0]["kind"] == "Service"


def test_delete_collection_by_label(c):
    r = c.api("DELETE", "/api/v1/namespaces/default/pods", query={"labelSelector": "app=kubia"})
    assert r.status == 200 and r.json()["kind"] == "PodList" and len(r.json()["items"]) == 3
    names = {p["metadata"]["name"] for p in r.json()["items"]}
    left = {p["metadata"]["name"]: p for p in c.list("Pod", "default")}
    assert all(left[n]["metadata"].get("deletionTimestamp") for n in names if n in left)
    assert len(left) > len(names) - 1  # the ReplicaSet already replaces them
    assert c.api("DELETE", "/api/v1/namespaces").status == 405  # namespaces have no deletecollection


def test_self_subject_access_review_allows_the_learner():
    c = Cluster(0)
    body_ = body({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                  "spec": {"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "default"}}})
    r = c.api("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body=body_)
    assert r.status == 201 and r.json()["status"]["allowed"] is True


def test_put_scale_and_patch_status(c):
    scale = c.api("GET", DEPLOYMENTS + "/kubia/scale").json()
    scale["spec"]["replicas"] = 4
    r = c.api("PUT", DEPLOYMENTS + "/kubia/scale", body=body(scale))
    assert r.status == 200 and c.get("Deployment", "default", "kubia")["spec"]["replicas"] == 4
    stale = c.api("PUT", DEPLOYMENTS + "/kubia/scale", body=body(scale))
    assert stale.status == 409
    neg = dict(scale, metadata={"name": "kubia"}, spec={"replicas": -1})
    assert c.api("PUT", DEPLOYMENTS + "/kubia/scale", body=body(neg)).json()["reason"] == "Invalid"
    r = c.api("PATCH", DEPLOYMENTS + "/kubia/status", headers={"Content-Type": "application/merge-patch+json"},
              body=body({"status": {"observedGeneration": 99}, "spec": {"replicas": 1}}))
    # the status subresource writes status only (the controller then reconciles it again)
    assert r.status == 200 and r.json()["status"]["observedGeneration"] == 99 and r.json()["spec"]["replicas"] == 4
    assert c.get("Deployment", "default", "kubia")["spec"]["replicas"] == 4
