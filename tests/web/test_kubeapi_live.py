"""The learner's own kubectl against the LIVE sandbox (issue 16): the real kubectl binary through
the site's ASGI application (tutorial/asgi.py routes /k8s/ to tutorial/kubeapi, run_api_request in
tutorial/kubeapi/live.py) under uvicorn with TLS. Nobody hosts the sandbox at first, so the API
hosts it (takes the lease); what kubectl does is saved in the sandbox's row and terminal 1's
transcript shows it as "(from your kubectl) …". Also: the official Python client, and hostile
requests through the real endpoint (wrong or another learner's token, query-string token, huge body,
nested JSON, a YAML bomb, watch flooding) while another learner's sandbox keeps answering."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.differential.harness import KUBECTL, oracle_or_skip
from tests.differential.tls import make_certificate
from tutorial.kubeapi import kubeconfig, tokens

pytestmark = pytest.mark.django_db(transaction=True)
MANIFEST = Path(__file__).resolve().parents[1] / "fixtures/reference-manifests/kubia-deployment-v1.yaml"


class _Site:
    cert = None


site_files = _Site()


@pytest.fixture
def site(tmp_path, lesson_root):
    oracle_or_skip()
    import uvicorn

    from tutorial.asgi import application
    from tutorial.curriculum.catalogue import get_catalogue
    from tutorial.sandbox.persistence.sandboxes import sandbox_get_or_create

    lesson = get_catalogue().get("first-deployment")
    sandbox = sandbox_get_or_create(owner="anon:kubectl-test", user=None, lesson=lesson)
    sandbox.speed = 20.0  # the rollout's readiness waits pass quickly
    sandbox.save(update_fields=["speed"])
    cert, key = make_certificate(tmp_path)
    config = uvicorn.Config(application, host="127.0.0.1", port=0, log_level="warning", lifespan="off",
                            ssl_certfile=str(cert), ssl_keyfile=str(key))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"https://127.0.0.1:{port}/k8s"
    token = tokens.issue(sandbox.pk)
    (tmp_path / "kubeconfig").write_text(kubeconfig.render(f"{base}/{sandbox.pk}", token, ca_pem=cert.read_bytes()))
    (tmp_path / "d.yaml").write_text(MANIFEST.read_text())
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "kubeconfig")}

    def kubectl(*args, timeout=60):
        p = subprocess.run([str(KUBECTL), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    site_files.cert = cert
    yield kubectl, sandbox, base, token
    server.should_exit = True
    thread.join(timeout=10)


def saved(sandbox_pk):
    from tutorial.sandbox.models import Sandbox

    return Sandbox.objects.get(pk=sandbox_pk)


def wait_for(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def deployments_in(row) -> list[str]:
    from simulator import Cluster

    return [d["metadata"]["name"] for d in Cluster.restore(row.snapshot).list("Deployment")]


def test_real_kubectl_drives_the_live_sandbox_and_the_console_says_so(site):
    kubectl, sandbox, base, token = site
    code, out, err = kubectl("apply", "-f", "d.yaml")
    assert (code, out) == (0, "deployment.apps/kubia created\n"), err
    # Saved under the lease as after a console command, with the transcript line.
    assert wait_for(lambda: "kubia" in deployments_in(saved(sandbox.pk)))
    assert any("kubectl apply" in e["text"] and ("kubectl" in e["text"].split("kubectl apply")[0])
               for e in saved(sandbox.pk).transcript)
    # Simulated time runs while kubectl is attached: the rollout finishes on its own.
    code, out, err = kubectl("rollout", "status", "deployment/kubia", "--timeout=60s", timeout=90)
    assert code == 0 and 'deployment "kubia" successfully rolled out' in out, err
    code, out, err = kubectl("set", "image", "deployment/kubia", "nodejs=luksa/kubia:v2")
    assert code == 0 and "image updated" in out, err
    code, out, err = kubectl("get", "deployment", "kubia", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
    assert (code, out) == (0, "luksa/kubia:v2"), err
    code, out, err = kubectl("delete", "deployment", "kubia")
    assert code == 0 and 'deployment.apps "kubia" deleted' in out, err
    assert wait_for(lambda: "kubia" not in deployments_in(saved(sandbox.pk)))
    lines = [e["text"] for e in saved(sandbox.pk).transcript]
    assert any(t.endswith("kubectl set image\n") for t in lines), lines


def test_wrong_token_and_another_sandbox_are_refused_alike(site):
    kubectl, sandbox, base, token = site
    code, out, err = kubectl("--token", "rl_" + "x" * 43, "get", "pods")
    assert code == 1 and "You must be logged in to the server" in err and not out
    code, out, err = kubectl("--server", f"{base}/{sandbox.pk + 1000}", "get", "pods")
    assert code == 1 and "You must be logged in to the server" in err and not out


def test_the_official_python_client_lists_watches_and_patches(site):
    from kubernetes import client, watch

    kubectl, sandbox, base, token = site
    assert kubectl("apply", "-f", "d.yaml")[0] == 0
    config = client.Configuration()
    config.host = f"{base}/{sandbox.pk}"
    config.api_key = {"authorization": token}
    config.api_key_prefix = {"authorization": "Bearer"}
    config.ssl_ca_cert = str(site_files.cert)
    with client.ApiClient(config) as api:
        core, apps = client.CoreV1Api(api), client.AppsV1Api(api)
        assert wait_for(lambda: len(core.list_namespaced_pod("default").items) == 3)
        names = {p.metadata.name for p in core.list_namespaced_pod("default").items}
        seen = set()
        for event in watch.Watch().stream(core.list_namespaced_pod, "default", timeout_seconds=5,
                                          _request_timeout=30):
            seen.add(event["object"].metadata.name)
            if seen >= names:
                break
        assert seen >= names
        patched = apps.patch_namespaced_deployment("kubia", "default", {"spec": {"replicas": 1}})
        assert patched.spec.replicas == 1
    assert wait_for(lambda: replicas_saved(sandbox.pk) == 1)  # saved in the sandbox's row


def replicas_saved(sandbox_pk):
    from simulator import Cluster

    deployment = Cluster.restore(saved(sandbox_pk).snapshot).get("Deployment", "default", "kubia")
    return deployment and deployment["spec"]["replicas"]


def test_hostile_requests_get_a_status_and_leak_nothing(site):
    import requests

    from tutorial.curriculum.catalogue import get_catalogue
    from tutorial.sandbox.persistence.sandboxes import sandbox_get_or_create

    kubectl, sandbox, base, token = site
    other = sandbox_get_or_create(owner="anon:someone-else", user=None, lesson=get_catalogue().get("first-deployment"))
    other_token = tokens.issue(other.pk)
    verify = str(site_files.cert)
    url = f"{base}/{sandbox.pk}/api/v1/namespaces/default/pods"
    auth = {"Authorization": f"Bearer {token}"}

    def status_of(resp):
        body = resp.json()
        assert body["kind"] == "Status" and token not in resp.text and other_token not in resp.text
        return resp.status_code, body["reason"]

    # Another learner's valid token on this sandbox: the same answer as a wrong token.
    assert status_of(requests.get(url, headers={"Authorization": f"Bearer {other_token}"}, verify=verify)) == (
        401, "Unauthorized")
    assert status_of(requests.get(url, headers={"Authorization": "Bearer rl_" + "z" * 43}, verify=verify)) == (
        401, "Unauthorized")
    assert status_of(requests.get(url, params={"token": token}, verify=verify)) == (400, "BadRequest")
    # Cookies are no credential on the API path.
    assert requests.get(url, cookies={"sessionid": "x"}, verify=verify).status_code == 401
    big = b"{" + b" " * (600 * 1024) + b"}"
    assert status_of(requests.post(url, data=big, headers={**auth, "Content-Type": "application/json"},
                                   verify=verify)) == (413, "RequestEntityTooLarge")
    deep = b"[" * 5000 + b"]" * 5000
    code, _ = status_of(requests.post(url, data=deep, headers={**auth, "Content-Type": "application/json"},
                                      verify=verify))
    assert code == 400
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    code, _ = status_of(requests.post(url, data=bomb, headers={**auth, "Content-Type": "application/yaml"},
                                      verify=verify))
    assert 400 <= code < 500
    # Watch flooding: the ninth open watch of one token is refused, the others stream.
    watches = [requests.get(url, params={"watch": "true"}, headers=auth, verify=verify, stream=True, timeout=30)
               for _ in range(9)]
    try:
        assert [w.status_code for w in watches[:8]] == [200] * 8
        assert watches[8].status_code == 429 and watches[8].json()["reason"] == "TooManyRequests"
        # Meanwhile another learner's sandbox answers at once.
        other_pods = requests.get(f"{base}/{other.pk}/api/v1/namespaces/default/pods",
                                  headers={"Authorization": f"Bearer {other_token}"}, verify=verify, timeout=10)
        assert other_pods.status_code == 200 and other_pods.json()["kind"] == "PodList"
    finally:
        for w in watches:
            w.close()
