"""An API request for a sandbox another process hosts, relayed over the channel layer
(tutorial/kubeapi/remote.py + realtime/bridge.py's `sandbox.remote.api`), here over the in-memory
layer: a plain request, a watch relayed chunk by chunk, the browser's window sees the change.
tests/scaleout/test_api_remote.py is the same through Redis between two processes."""
from __future__ import annotations

import asyncio
import json

import pytest
from channels.layers import get_channel_layer

from tests.session.helpers import FakeClient, open_session
from tutorial.kubeapi.asgi import ApiRequest
from tutorial.kubeapi.remote import ask_host
from tutorial.sandbox.realtime.bridge import HostListener
from tutorial.sandbox.session.hub import Hub

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
             "template": {"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}},
}


def request(method, path, *, query=None, body=b"", command=None):
    headers = {"content-type": "application/json", "accept": "application/json"}
    if command:
        headers.update({"kubectl-command": command, "kubectl-session": "s-" + command.replace(" ", "-")})
    return ApiRequest(method, path, query or {}, headers, body)


async def test_a_request_and_a_watch_are_relayed_to_the_host(lesson_root):
    layer, hub, browser = get_channel_layer(), Hub(), FakeClient("en")
    session = await open_session(hub, browser)
    await HostListener(layer, session, hub).start()
    pk = session.sandbox.pk

    watch = await ask_host(pk, request("GET", "/apis/apps/v1/namespaces/default/deployments",
                                       query={"watch": ["true"]}))
    assert watch.status == 200 and watch.streaming
    created = await ask_host(pk, request("POST", "/apis/apps/v1/namespaces/default/deployments",
                                         body=json.dumps(DEPLOYMENT).encode(), command="kubectl apply"))
    assert created.status == 201 and json.loads(created.body)["metadata"]["name"] == "web"
    assert session.cluster.get("Deployment", "default", "web") is not None
    # The browser's window hears of it: terminal 1 shows the learner's kubectl command.
    for _ in range(50):
        if "(from your kubectl) kubectl apply" in browser.output():
            break
        await asyncio.sleep(0.05)
    assert "(from your kubectl) kubectl apply" in browser.output()

    events = []
    async def first_event():
        async for chunk in watch.body:
            events.extend(json.loads(line) for line in chunk.splitlines() if line.strip())
            if any(e["type"] == "ADDED" for e in events):
                return
    await asyncio.wait_for(first_event(), 10)
    assert [e["object"]["metadata"]["name"] for e in events if e["type"] == "ADDED"] == ["web"]
    await watch.body.aclose()

    missing = await ask_host(pk, request("GET", "/apis/apps/v1/namespaces/default/deployments/nope"))
    assert missing.status == 404 and json.loads(missing.body)["reason"] == "NotFound"
    await hub.detach(session, browser)


async def test_a_silent_host_with_a_live_lease_is_a_503_and_a_dead_one_is_replaced(lesson_root, monkeypatch):
    """The lease names another process that never answers: while its lease lives, a 503 Status
    (kubectl retries); once expired (the process was SIGKILLed), this process hosts the sandbox."""
    import time

    from tests.session.helpers import _sandbox
    from tutorial.kubeapi import live, remote, route
    from tutorial.sandbox.persistence import lease
    from tutorial.sandbox.persistence.db import console_db
    from tutorial.sandbox.session.hub import hub

    monkeypatch.setattr(remote, "ANSWER_SECONDS", 0.3)
    sandbox, _lesson = await _sandbox("anon:api-dead-host", "first-deployment")
    now = time.time()
    await console_db(lease.acquire)(sandbox.pk, "elsewhere:1:dead/x", ttl=60, now=now)
    pods = request("GET", "/api/v1/namespaces/default/pods")
    refused = await route.run_api_request(str(sandbox.pk), pods)
    assert refused.status == 503 and json.loads(refused.body)["reason"] == "ServiceUnavailable"
    assert hub().hosted(sandbox.pk) is None
    await console_db(lease.acquire)(sandbox.pk, "elsewhere:1:dead/x", ttl=-1, now=now, steal=True)  # expired
    answered = await route.run_api_request(str(sandbox.pk), pods)
    assert answered.status == 200 and json.loads(answered.body)["kind"] == "PodList"
    session = hub().hosted(sandbox.pk)
    assert session is not None and (await console_db(lease.current)(sandbox.pk)).holder == session.holder_id
    assert session.clock.busy()  # the API client keeps its clock running: no dormancy while attached
    await live._registry()[sandbox.pk].leave()
    assert hub().hosted(sandbox.pk) is None  # the last client left: saved, the lease let go
