"""tutorial/kubeapi: tokens (hashed, revocable, regenerated), the API's HTTP application (auth,
no cookies, query-string tokens refused, body and rate limits, watch cap, logs without tokens)
and the kubeconfig. The session layer is stood in for by a Cluster per sandbox id."""
from __future__ import annotations

import asyncio
import json
import logging

import pytest
import yaml

from simulator import Cluster
from tutorial.kubeapi import kubeconfig, tokens
from tutorial.kubeapi.asgi import KubeApiApp
from tutorial.kubeapi.models import ApiToken
from tutorial.kubeapi.ratelimit import Limiter


@pytest.mark.django_db
def test_tokens_are_stored_hashed_regenerated_and_revocable():
    t1 = tokens.issue(7)
    assert t1.startswith("rl_") and tokens.well_formed(t1)
    row = ApiToken.objects.get()
    assert row.token_hash == tokens.digest(t1) and t1 not in str(row.__dict__)
    assert tokens.sandbox_for(t1) == "7"
    t2 = tokens.issue(7)  # regenerate: the old one stops working
    assert t2 != t1 and tokens.sandbox_for(t1) is None and tokens.sandbox_for(t2) == "7"
    assert tokens.revoke(7) == 1 and tokens.sandbox_for(t2) is None
    assert tokens.sandbox_for("rl_" + "x" * 43) is None and tokens.sandbox_for("garbage") is None


def run_asgi(app, path, *, method="GET", headers=(), body=b"", query=b""):
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


GOOD = "rl_" + "a" * 43
OTHER = "rl_" + "b" * 43


@pytest.fixture
def app():
    clusters = {"1": Cluster(0), "2": Cluster(1)}
    owners = {GOOD: "1", OTHER: "2"}

    async def authenticate(token):
        return owners.get(token)

    async def run_api_request(sandbox_id, request):
        return clusters[sandbox_id].api(request.method, request.path, query=request.query,
                                        headers=request.headers, body=request.body)

    return KubeApiApp(run_api_request, prefix="/k8s/", authenticate=authenticate,
                      limiter=Limiter(rate=1.0, burst=5, max_watches=1, clock=lambda: 0.0), max_body=4096), clusters


def bearer(token):
    return [("Authorization", f"Bearer {token}")]


def test_a_valid_token_reaches_its_own_sandbox(app):
    app, clusters = app
    code, headers, body = run_asgi(app, "/k8s/1/api/v1/namespaces", headers=bearer(GOOD))
    assert code == 200 and {n["metadata"]["name"] for n in json.loads(body)["items"]} >= {"default", "kube-system"}
    code, _, body = run_asgi(app, "/k8s/1/apis/apps/v1/namespaces/default/deployments/x", headers=bearer(GOOD))
    assert code == 404 and json.loads(body)["reason"] == "NotFound"


@pytest.mark.parametrize("headers,path,query", [
    ([], "/k8s/1/api/v1/pods", b""),                                     # no token
    (bearer("rl_" + "z" * 43), "/k8s/1/api/v1/pods", b""),                # unknown token
    (bearer(OTHER), "/k8s/1/api/v1/pods", b""),                          # another sandbox's token
    ([("Cookie", "sessionid=abc"), ("Authorization", "Basic eDp5")], "/k8s/1/api/v1/pods", b""),  # no cookies, no basic
])
def test_refused_without_the_sandboxs_own_bearer_token(app, headers, path, query):
    app, _ = app
    code, hdrs, body = run_asgi(app, path, headers=headers, query=query)
    st = json.loads(body)
    assert code == 401 and st["kind"] == "Status" and st["reason"] == "Unauthorized" and st["code"] == 401
    assert "items" not in st


def test_token_in_the_query_string_is_refused(app):
    app, _ = app
    code, _, body = run_asgi(app, "/k8s/1/api/v1/pods", query=f"access_token={GOOD}".encode(), headers=bearer(GOOD))
    assert code == 400 and "query string" in json.loads(body)["message"]


def test_oversized_body_and_rate_limit(app):
    app, clusters = app
    code, _, body = run_asgi(app, "/k8s/1/apis/apps/v1/namespaces/default/deployments", method="POST",
                             headers=bearer(GOOD), body=b"{" + b" " * 5000 + b"}")
    assert code == 413 and json.loads(body)["reason"] == "RequestEntityTooLarge"
    codes = [run_asgi(app, "/k8s/1/version", headers=bearer(GOOD))[0] for _ in range(8)]
    assert codes[:4] == [200] * 4 and codes[-1] == 429
    # the other learner is unaffected
    assert run_asgi(app, "/k8s/2/version", headers=bearer(OTHER))[0] == 200


def test_logs_never_contain_the_token(app, caplog):
    app, _ = app
    with caplog.at_level(logging.INFO, logger="tutorial.kubeapi"):
        run_asgi(app, "/k8s/1/version", headers=bearer(GOOD))
        run_asgi(app, "/k8s/2/version", headers=bearer(GOOD))
    assert caplog.records and GOOD not in caplog.text


def test_watch_streams_and_open_watches_are_capped(app):
    app, clusters = app
    limiter = app.limiter
    assert limiter.open_watch(tokens.digest(GOOD))  # one watch already open (the cap is 1)
    code, headers, body = run_asgi(app, "/k8s/1/api/v1/namespaces/default/pods", query=b"watch=true",
                                   headers=bearer(GOOD))
    assert code == 429 and json.loads(body)["reason"] == "TooManyRequests"
    limiter.close_watch(tokens.digest(GOOD))
    code, headers, body = run_asgi(app, "/k8s/1/api/v1/namespaces", query=b"watch=true&timeoutSeconds=0",
                                   headers=bearer(GOOD))
    assert code == 200
    events = [json.loads(line) for line in body.splitlines()]
    assert {e["type"] for e in events} == {"ADDED"} and len(events) >= 4


def test_kubeconfig_carries_the_token_and_ca():
    text = kubeconfig.render("https://lab.example/k8s/1", GOOD, ca_pem=b"PEM")
    doc = yaml.safe_load(text)
    assert doc["users"][0]["user"]["token"] == GOOD
    assert doc["clusters"][0]["cluster"] == {"server": "https://lab.example/k8s/1", "certificate-authority-data": "UEVN"}
    assert doc["current-context"] == doc["contexts"][0]["name"]
    assert kubeconfig.one_liner("https://lab.example/k8s/1", GOOD).startswith("kubectl --server https://")


@pytest.mark.django_db
def test_kubeconfig_download_issues_a_fresh_token():
    from tutorial.kubeapi.views import kubeconfig_response

    r1 = kubeconfig_response(3, "https://lab.example/k8s/3")
    token1 = yaml.safe_load(r1.content)["users"][0]["user"]["token"]
    assert r1["Cache-Control"] == "no-store" and "kubeconfig" in r1["Content-Disposition"]
    r2 = kubeconfig_response(3, "https://lab.example/k8s/3")
    token2 = yaml.safe_load(r2.content)["users"][0]["user"]["token"]
    assert tokens.sandbox_for(token1) is None and tokens.sandbox_for(token2) == "3"


@pytest.mark.django_db
def test_download_view_serves_only_the_learners_own_sandbox(rf, settings):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import Http404

    from tutorial.kubeapi import views
    from tutorial.sandbox.models import Sandbox
    from tutorial.learners import LEARNER_SESSION_KEY

    from django.utils import timezone

    mine = Sandbox.objects.create(owner="anon:me", lesson_slug="updating", snapshot={}, saved_at=timezone.now())
    Sandbox.objects.create(owner="anon:other", lesson_slug="updating", snapshot={}, saved_at=timezone.now())
    settings.KUBEAPI_PUBLIC_URL = "https://lab.example"
    request = rf.get("/kubeapi/updating/kubeconfig")
    request.user, request.session = AnonymousUser(), SessionStore()
    request.session[LEARNER_SESSION_KEY] = "me"
    resp = views.download(request, "updating")
    doc = yaml.safe_load(resp.content)
    assert doc["clusters"][0]["cluster"]["server"] == f"https://lab.example/k8s/{mine.pk}"
    assert tokens.sandbox_for(doc["users"][0]["user"]["token"]) == str(mine.pk)
    with pytest.raises(Http404):
        views.download(request, "no-such-lesson")
    stranger = rf.get("/kubeapi/updating/kubeconfig")
    stranger.user, stranger.session = AnonymousUser(), SessionStore()
    with pytest.raises(Http404):
        views.download(stranger, "updating")
    post = rf.post("/kubeapi/updating/kubeconfig/revoke")
    post.user, post.session = request.user, request.session
    assert json.loads(views.revoke(post, "updating").content) == {"revoked": 1}
    assert tokens.sandbox_for(doc["users"][0]["user"]["token"]) is None
