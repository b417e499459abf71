"""The lesson page's "use your own kubectl" panel (templates/kubeapi/_panel.html, tutorial/kubeapi/views.py):
ko/en text, the kubeconfig download (https endpoint, embedded self-signed CA or KUBEAPI_PUBLIC_URL),
a one-line token shown once, revoke, anonymous learners too, never another learner's sandbox;
`manage.py kubeapi_cert` makes the certificate once (tutorial/kubeapi/tls.py)."""
from __future__ import annotations

import base64

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tutorial.kubeapi import tokens
from tutorial.kubeapi.tls import paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def tls_dir(tmp_path, settings):
    settings.KUBEAPI_TLS_DIR = tmp_path / "tls"
    settings.KUBEAPI_PUBLIC_URL = ""
    settings.KUBEAPI_TLS_PORT = 8443
    call_command("kubeapi_cert", verbosity=0)
    return settings.KUBEAPI_TLS_DIR


def opened(client: Client, lang: str = "ko"):
    return client.get(f"/{lang}/lessons/first-deployment/")


def test_the_panel_is_on_the_lesson_page_in_both_languages(client, lesson_root):
    page = opened(client, "ko").content.decode()
    assert "내 kubectl 사용하기" in page and 'href="/ko/kubeapi/first-deployment/kubeconfig"' in page
    page = opened(client, "en").content.decode()
    assert "Use your own kubectl" in page and 'href="/en/kubeapi/first-deployment/kubeconfig"' in page


def test_kubeconfig_points_at_the_https_endpoint_with_its_certificate(client, lesson_root, tls_dir, settings):
    settings.ALLOWED_HOSTS = ["lab.example", "testserver"]
    opened(client)
    resp = client.get("/ko/kubeapi/first-deployment/kubeconfig", HTTP_HOST="lab.example:8000")
    assert resp.status_code == 200 and resp["Cache-Control"] == "no-store"
    config = yaml.safe_load(resp.content)
    cluster = config["clusters"][0]["cluster"]
    from tutorial.sandbox.models import Sandbox

    sandbox = Sandbox.objects.get()
    assert cluster["server"] == f"https://lab.example:8443/k8s/{sandbox.pk}"
    assert base64.b64decode(cluster["certificate-authority-data"]) == paths(tls_dir)[0].read_bytes()
    token = config["users"][0]["user"]["token"]
    assert tokens.sandbox_for(token) == str(sandbox.pk)


def test_public_url_overrides_and_needs_no_certificate(client, lesson_root, tls_dir, settings):
    settings.KUBEAPI_PUBLIC_URL = "https://api.rollout.example"
    opened(client)
    config = yaml.safe_load(client.get("/en/kubeapi/first-deployment/kubeconfig").content)
    cluster = config["clusters"][0]["cluster"]
    assert cluster["server"].startswith("https://api.rollout.example/k8s/")
    assert "certificate-authority-data" not in cluster


def test_one_line_token_is_shown_once_and_revoke_closes_the_api(client, lesson_root, tls_dir):
    opened(client)
    first = yaml.safe_load(client.get("/ko/kubeapi/first-deployment/kubeconfig").content)["users"][0]["user"]["token"]
    resp = client.post("/ko/kubeapi/first-deployment/kubeconfig/token", HTTP_HX_REQUEST="true")
    text = resp.content.decode()
    assert resp.status_code == 200 and "한 번만" in text and "kubectl --server https://" in text
    token = text.split("--token ")[1].split()[0]
    assert tokens.sandbox_for(token) is not None and tokens.sandbox_for(first) is None  # regenerated
    assert client.get("/ko/kubeapi/first-deployment/kubeconfig/token").status_code == 405
    resp = client.post("/ko/kubeapi/first-deployment/kubeconfig/revoke", HTTP_HX_REQUEST="true")
    assert "접근을 취소했습니다" in resp.content.decode()
    assert tokens.sandbox_for(token) is None


def test_no_sandbox_of_another_learner_and_none_before_the_page(client, lesson_root, tls_dir):
    assert client.get("/ko/kubeapi/first-deployment/kubeconfig").status_code == 404  # page never opened
    opened(client)
    other = Client()
    assert other.get("/ko/kubeapi/first-deployment/kubeconfig").status_code == 404
    assert other.post("/ko/kubeapi/first-deployment/kubeconfig/revoke").status_code == 404


def test_certificate_is_made_once(tls_dir):
    cert, key = paths(tls_dir)
    before = cert.read_bytes()
    call_command("kubeapi_cert", verbosity=0)
    assert cert.read_bytes() == before and (key.stat().st_mode & 0o777) == 0o600
