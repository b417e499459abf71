"""The learner's own kubectl reaching the process that does NOT host the sandbox: process A hosts
it (the learner's window), the API request goes to process B, which relays it through Redis
(`sandbox.remote.api`, tutorial/kubeapi/remote.py) — a plain request, a change the window on A
shows as "(from your kubectl) …", and a watch streamed chunk by chunk; the lease stays on A."""
from __future__ import annotations

import asyncio
import json
import re
import threading
import urllib.request

import yaml

from tests.scaleout.client import Console, session_cookie
from tests.scaleout.test_two_processes import holder_pid

SLUG = "first-deployment"


def kubeconfig_of(http_base: str, cookie: str) -> tuple[str, str]:
    """The token and sandbox id of the learner's kubeconfig (the panel's download link)."""
    request = urllib.request.Request(f"{http_base}/en/kubeapi/{SLUG}/kubeconfig", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as reply:
        config = yaml.safe_load(reply.read())
    server = config["clusters"][0]["cluster"]["server"]
    return config["users"][0]["user"]["token"], server.rstrip("/").rsplit("/", 1)[1]


def api(http_base, sandbox_id, token, path, *, method="GET", body=None, headers=None):
    request = urllib.request.Request(f"{http_base}/k8s/{sandbox_id}{path}", method=method, data=body,
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                                              **(headers or {})})
    try:
        reply = urllib.request.urlopen(request, timeout=15)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    with reply:
        return reply.status, json.loads(reply.read())


def test_an_api_request_to_process_b_is_answered_by_the_host_a_through_redis(servers, scaleout_env):
    a, b = servers

    async def scenario():
        cookie = session_cookie(a.http, "en", SLUG)
        window = await Console.open(a.ws, a.http, cookie, "en", SLUG)
        await window.command("kubectl create -f kubia-deployment.yaml")
        await window.wait_for("deployment.apps/kubia created")
        assert holder_pid(scaleout_env) == a.process.pid
        token, sandbox_id = kubeconfig_of(a.http, cookie)

        code, listed = await asyncio.to_thread(api, b.http, sandbox_id, token,
                                               "/apis/apps/v1/namespaces/default/deployments")
        assert code == 200 and [d["metadata"]["name"] for d in listed["items"]] == ["kubia"]

        # A watch through B, relayed chunk by chunk.
        events, done = [], threading.Event()

        def watch():
            request = urllib.request.Request(
                f"{b.http}/k8s/{sandbox_id}/apis/apps/v1/namespaces/default/deployments?watch=true",
                headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=30) as reply:
                for line in reply:
                    events.append(json.loads(line))
                    if any(e["object"]["spec"]["replicas"] == 2 for e in events):
                        done.set()
                        return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        mark = len(window.received)
        patch = json.dumps({"spec": {"replicas": 2}}).encode()
        code, patched = await asyncio.to_thread(
            api, b.http, sandbox_id, token, "/apis/apps/v1/namespaces/default/deployments/kubia", method="PATCH",
            body=patch, headers={"Content-Type": "application/merge-patch+json", "Kubectl-Command": "kubectl scale",
                                 "Kubectl-Session": "remote-test"})
        assert code == 200 and patched["spec"]["replicas"] == 2
        await window.wait_for(re.escape("(from your kubectl) kubectl scale"), since=mark)
        assert await asyncio.to_thread(done.wait, 20), events
        assert events[0]["type"] == "ADDED" and events[0]["object"]["metadata"]["name"] == "kubia"
        assert holder_pid(scaleout_env) == a.process.pid  # B never took the sandbox away

        code, refused = await asyncio.to_thread(api, b.http, sandbox_id, "rl_" + "q" * 43,
                                                "/api/v1/namespaces/default/pods")
        assert code == 401 and refused["kind"] == "Status"
        await window.close()

    asyncio.run(scenario())
