"""The official Python client (`kubernetes` on PyPI) against the REST layer through the test
server: it lists and watches pods and patches a Deployment."""
from __future__ import annotations

from pathlib import Path

import pytest

kubernetes = pytest.importorskip("kubernetes")

MANIFEST = Path(__file__).resolve().parents[2] / "tests/fixtures/reference-manifests/kubia-deployment-v1.yaml"


@pytest.fixture
def apis(api_server, tmp_path):
    from kubernetes import client

    ca = tmp_path / "ca.crt"
    ca.write_bytes(api_server.ca_pem)
    cfg = client.Configuration()
    cfg.host = api_server.url
    cfg.ssl_ca_cert = str(ca)
    cfg.api_key = {"authorization": f"Bearer {api_server.token}"}
    api = client.ApiClient(cfg)
    return api_server, client.CoreV1Api(api), client.AppsV1Api(api)


def test_list_watch_pods_and_patch_a_deployment(apis):
    from kubernetes import watch

    server, core, apps = apis
    with server.lock:
        server.cluster.files["d.yaml"] = MANIFEST.read_text()
        assert server.cluster.run("kubectl create -f d.yaml").exit_code == 0

    pods = core.list_namespaced_pod("default", label_selector="app=kubia")
    assert len(pods.items) == 3
    assert {p.status.phase for p in pods.items} == {"Pending"}

    # watched from the list's resourceVersion: the server lets simulated time run while the watch
    # is idle, so the pods go Running; the stream ends after timeout_seconds of simulated time
    running = set()
    for event in watch.Watch().stream(core.list_namespaced_pod, "default", label_selector="app=kubia",
                                      resource_version=pods.metadata.resource_version, timeout_seconds=60):
        assert event["type"] in ("ADDED", "MODIFIED", "DELETED")
        if event["object"].status.phase == "Running":
            running.add(event["object"].metadata.name)
    assert running == {p.metadata.name for p in pods.items}

    patched = apps.patch_namespaced_deployment(
        "kubia", "default", {"spec": {"template": {"spec": {"containers": [{"name": "nodejs", "image": "luksa/kubia:v2"}]}}}})
    assert patched.spec.template.spec.containers[0].image == "luksa/kubia:v2"
    assert patched.metadata.generation == 2
    with server.lock:
        live = server.cluster.get("Deployment", "default", "kubia")
    assert live["spec"]["template"]["spec"]["containers"][0]["image"] == "luksa/kubia:v2"
    assert live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"  # merged by name

    with pytest.raises(kubernetes.client.ApiException) as err:
        apps.read_namespaced_deployment("nope", "default")
    assert err.value.status == 404 and '"reason":"NotFound"' in err.value.body
