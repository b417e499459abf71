"""The learner's own kubectl against the LIVE sandbox (issue 16): the real kubectl binary through
the site's ASGI application (tutorial/asgi.py routes /k8s/ to tutorial/kubeapi, run_api_request in
tutorial/kubeapi/live.py) under uvicorn with TLS. Nobody hosts the sandbox at first, so the API
hosts it (takes the lease); what kubectl does is saved in the sandbox's row and terminal 1's
transcript shows it as "(from your kubectl) …"."""
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


@pytest.fixture
def site(tmp_path, lesson_root):
    oracle_or_skip()
    import uvicorn

    from tutorial.asgi import application
    from tutorial.lessons.catalogue import get_catalogue
    from tutorial.sandbox.services import sandbox_get_or_create

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
