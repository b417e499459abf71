"""The real kubectl v1.34 through tutorial/kubeapi's ASGI app under uvicorn (TLS), against an
in-process cluster standing in for the session layer: apply, get, rollout status (a watch through
the ASGI stream), set image, logs, delete; a wrong token is refused."""
from __future__ import annotations

import asyncio
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from simulator import Cluster
from tests.differential.harness import KUBECTL, oracle_or_skip
from tests.differential.tls import make_certificate
from tutorial.kubeapi import kubeconfig
from tutorial.kubeapi.asgi import KubeApiApp

TOKEN = "rl_" + "k" * 43
MANIFEST = Path(__file__).resolve().parents[1] / "fixtures/reference-manifests/kubia-deployment-v1.yaml"


def lockstep(cluster, lock, body):
    """The session layer's job in this test: while a stream is idle, run the clock to the next event."""
    for chunk in body:
        if not chunk:
            with lock:
                due = cluster.next_due()
                if due is not None:
                    cluster.advance(max(0.0, due - cluster.now))
        yield chunk


@pytest.fixture
def served(tmp_path):
    oracle_or_skip()
    import uvicorn

    cluster, lock = Cluster(0), threading.Lock()

    async def authenticate(token):
        return "42" if token == TOKEN else None

    async def run_api_request(sandbox_id, request):
        with lock:
            resp = cluster.api(request.method, request.path, query=request.query, headers=request.headers,
                               body=request.body)
        if resp.streaming:
            resp.body = lockstep(cluster, lock, resp.body)
        return resp

    cert, key = make_certificate(tmp_path)
    app = KubeApiApp(run_api_request, prefix="/k8s/", authenticate=authenticate)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off",
                            ssl_certfile=str(cert), ssl_keyfile=str(key))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"https://127.0.0.1:{port}/k8s/42"
    (tmp_path / "kubeconfig").write_text(kubeconfig.render(url, TOKEN, ca_pem=cert.read_bytes()))
    (tmp_path / "d.yaml").write_text(MANIFEST.read_text())
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "kubeconfig")}

    def kubectl(*args):
        p = subprocess.run([str(KUBECTL), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    yield kubectl, cluster, url, env
    server.should_exit = True
    thread.join(timeout=10)


def test_real_kubectl_through_the_asgi_app(served):
    kubectl, cluster, url, env = served
    assert kubectl("apply", "-f", "d.yaml") == (0, "deployment.apps/kubia created\n", "")
    code, out, err = kubectl("rollout", "status", "deployment", "kubia")
    assert code == 0 and out.endswith('deployment "kubia" successfully rolled out\n'), err
    code, out, _ = kubectl("get", "deploy", "kubia")
    assert code == 0 and out.splitlines()[1].split()[:2] == ["kubia", "3/3"]
    assert kubectl("set", "image", "deployment/kubia", "nodejs=luksa/kubia:v2")[0] == 0
    code, out, _ = kubectl("rollout", "status", "deployment", "kubia")
    assert code == 0 and "successfully rolled out" in out
    assert cluster.get("Deployment", "default", "kubia")["spec"]["template"]["spec"]["containers"][0]["image"] == "luksa/kubia:v2"
    code, out, _ = kubectl("logs", "deployment/kubia")
    assert code == 0 and out.strip()
    assert [e["line"] for e in cluster.history if e.get("source") == "kubectl-api"][:3] == [
        "kubectl apply", "kubectl rollout status", "kubectl get"]
    assert kubectl("delete", "deployment", "kubia")[0] == 0
    assert cluster.get("Deployment", "default", "kubia") is None


def test_a_wrong_token_is_refused(served):
    kubectl, cluster, url, env = served
    code, out, err = kubectl("--token", "rl_" + "x" * 43, "get", "pods")
    assert code == 1 and "You must be logged in to the server" in err and not out
