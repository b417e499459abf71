"""Acceptance (issue 16): the learner's own kubectl — the real kubectl binary — drives the lesson's
sandbox through the served endpoint while the learner watches the page in Chromium.

The site runs over TLS for this test (kubectl sends a bearer token only over TLS), one uvicorn for
both the page and the API, so the browser's session and the API share one event loop's hub. The
kubeconfig is the one the panel's download link serves (with the self-signed CA embedded)."""
from __future__ import annotations

import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.differential.harness import KUBECTL, oracle_or_skip
from tutorial.kubeapi.tls import ensure_certificate

pytestmark = pytest.mark.django_db(transaction=True)
MANIFEST = Path(__file__).resolve().parents[1] / "fixtures/reference-manifests/kubia-deployment-v1.yaml"


@pytest.fixture
def tls_site(transactional_db, lesson_root, tmp_path, settings):
    """The real ASGI application over HTTPS on a free port, in a thread of this process."""
    oracle_or_skip()
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from tutorial.asgi import application

    settings.KUBEAPI_TLS_DIR = tmp_path / "tls"
    settings.KUBEAPI_PUBLIC_URL = ""
    cert, key, _ = ensure_certificate(settings.KUBEAPI_TLS_DIR)
    config = uvicorn.Config(ASGIStaticFilesHandler(application), host="127.0.0.1", port=0, log_level="warning",
                            lifespan="off", ws="websockets-sansio", ssl_certfile=str(cert), ssl_keyfile=str(key))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    settings.KUBEAPI_TLS_PORT = port  # the kubeconfig's server: this same HTTPS endpoint
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "ignore_https_errors": True, "locale": "en-US"}


def test_own_kubectl_drives_the_sandbox_the_page_shows(page: Page, tls_site, tmp_path, artifacts):
    page.goto(f"{tls_site}/en/lessons/first-deployment/")
    expect(page.locator("#console")).to_have_attribute("data-state", "open", timeout=15_000)
    page.get_by_role("button", name="×20").click()

    panel = page.locator("#own-kubectl")
    panel.locator("summary").click()
    link = panel.get_by_role("link", name="Download kubeconfig")
    href = link.get_attribute("href")
    assert "kubeconfig" in href
    config = page.request.get(f"{tls_site}{href}")
    assert config.ok
    (tmp_path / "kubeconfig").write_text(config.text())
    (tmp_path / "d.yaml").write_text(MANIFEST.read_text())
    editor = tmp_path / "editor.sh"  # kubectl edit: bump the replicas to 4 in the file it opened
    editor.write_text("#!/bin/sh\nsed -i 's/^  replicas: 3$/  replicas: 4/' \"$1\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": str(tmp_path),
           "KUBECONFIG": str(tmp_path / "kubeconfig"), "KUBE_EDITOR": str(editor)}

    def kubectl(*args, timeout=60):
        p = subprocess.run([str(KUBECTL), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=timeout)
        assert p.returncode == 0, (args, p.stdout, p.stderr)
        return p.stdout

    view = page.locator("#cluster-view")
    output = page.locator("#console-output")
    assert kubectl("apply", "-f", "d.yaml") == "deployment.apps/kubia created\n"
    expect(view.locator('.deployment[data-name="kubia"]')).to_be_visible(timeout=10_000)
    expect(output).to_contain_text("(from your kubectl) kubectl apply", timeout=10_000)

    watcher = subprocess.Popen([str(KUBECTL), "get", "pods", "-w"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched: list[str] = []
    reader = threading.Thread(target=lambda: watched.extend(watcher.stdout), daemon=True)
    reader.start()
    try:
        assert 'deployment "kubia" successfully rolled out' in kubectl("rollout", "status", "deployment/kubia",
                                                                      "--timeout=90s", timeout=120)
        expect(view.locator(".pod.pod--ready")).to_have_count(3, timeout=15_000)
        v1_pods = [p.get_attribute("data-name") for p in view.locator(".pod").all()]
        assert "Replicas:" in kubectl("describe", "deployment", "kubia")
        assert "deployment.apps/kubia edited" in kubectl("edit", "deployment/kubia")
        expect(view.locator(".pod")).to_have_count(4, timeout=20_000)
        assert "image updated" in kubectl("set", "image", "deployment/kubia", "nodejs=luksa/kubia:v2")
        expect(output).to_contain_text("(from your kubectl) kubectl set image", timeout=10_000)
        kubectl("rollout", "status", "deployment/kubia", "--timeout=90s", timeout=120)
        # The rolling update replaced the v1 pods: their names leave the live view.
        for name in v1_pods:
            expect(view.locator(f'.pod[data-name="{name}"]')).to_have_count(0, timeout=30_000)
        assert "rolled back" in kubectl("rollout", "undo", "deployment/kubia")
        kubectl("rollout", "status", "deployment/kubia", "--timeout=90s", timeout=120)
        assert kubectl("logs", "deployment/kubia").strip()
        page.screenshot(path=str(artifacts / "own-kubectl.png"), full_page=True)
        assert 'deployment.apps "kubia" deleted' in kubectl("delete", "deployment", "kubia")
        expect(view.locator('.deployment[data-name="kubia"]')).to_have_count(0, timeout=15_000)
        expect(view.locator(".pod")).to_have_count(0, timeout=30_000)
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
        reader.join(timeout=5)
    # The watch saw the pods come and go as they did.
    assert any(line.startswith("kubia-") for line in watched), watched
    assert any(name in "".join(watched) for name in v1_pods)
    # The console still answers the learner in the page.
    page.locator("#console-input").fill("kubectl get deployments")
    page.locator("#console-input").press("Enter")
    expect(output).to_contain_text("No resources found", timeout=10_000)


def test_panel_token_shown_once_then_revoked(page: Page, tls_site, tmp_path):
    """The panel's buttons (htmx POSTs with the CSRF token): a new token for the one-line command
    works with the real kubectl; "Revoke access" closes the API to it."""
    page.goto(f"{tls_site}/en/lessons/first-deployment/")
    expect(page.locator("#console")).to_have_attribute("data-state", "open", timeout=15_000)
    panel = page.locator("#own-kubectl")
    panel.locator("summary").click()
    panel.get_by_role("button", name="New token for a one-line command").click()
    line = panel.locator(".own-kubectl-line")
    expect(line).to_contain_text("kubectl --server https://", timeout=10_000)
    expect(panel).to_contain_text("shown only this once")
    args = line.inner_text().split()[1:]
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": str(tmp_path)}

    def run():
        return subprocess.run([str(KUBECTL), *args], env=env, capture_output=True, text=True, timeout=60)

    done = run()
    assert done.returncode == 0 and "No resources found" in done.stderr, done
    panel.get_by_role("button", name="Revoke access").click()
    expect(panel.locator(".own-kubectl-revoked")).to_be_visible(timeout=10_000)
    refused = run()
    assert refused.returncode == 1 and "You must be logged in to the server" in refused.stderr
