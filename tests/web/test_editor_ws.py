"""The file editor panel, `kubectl edit` in it, and the replay slider, over the console WebSocket.

The clock is paused, so simulated time moves only by the +1 s / +10 s step messages."""

from __future__ import annotations

import html
import json
import re

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async

from tests.web.test_console import new_session, open_console
from tests.web.test_rollout_ws import latest, wait_until
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import restore_cluster

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HEADER = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"


def _part(con, element_id: str, tag: str = "div") -> str:
    found = [m for message in con.received
             for m in re.findall(rf'<{tag} id="{element_id}".*?</{tag}>', message, re.S)]
    return found[-1] if found else ""


def doc(con) -> dict:
    """The editor's document as the page would show it: mode, name, token and textarea text."""
    found = [m for message in con.received for m in re.findall(r'<div id="editor-doc".*?\n</div>', message, re.S)]
    if not found:
        return {}
    part = found[-1]
    attrs = dict(re.findall(r'data-(mode|name|token|seq)="([^"]*)"', part))
    text = re.search(r"<textarea[^>]*>\n(.*?)</textarea>", part, re.S)
    attrs = {k: html.unescape(v) for k, v in attrs.items()}
    attrs["text"] = html.unescape(text.group(1)) if text else None
    return attrs


def status(con) -> str:
    part = _part(con, "editor-status", "p")
    return html.unescape(re.sub(r"<[^>]+>", "", part)).strip()


def file_names(con) -> list[str]:
    return re.findall(r'class="editor-open" data-file="([^"]+)"', _part(con, "editor-files"))


async def _console(lang: str):
    con, connected, _ = await open_console(await new_session(), lang=lang)
    assert connected
    await con.send({"pause": True})
    await con.drain(0.3)
    return con


@pytest_asyncio.fixture
async def en(lesson_root):
    con = await _console("en")
    yield con
    await con.communicator.disconnect()


@pytest_asyncio.fixture
async def ko(lesson_root):
    con = await _console("ko")
    yield con
    await con.communicator.disconnect()


@database_sync_to_async
def saved_files() -> dict:
    return dict(restore_cluster(Sandbox.objects.get().snapshot).files)


async def test_files_listed_opened_saved_and_seen_by_cat(en):
    assert file_names(en) == ["kubia-deployment.yaml"]
    assert doc(en)["mode"] == "none"
    await en.send({"file_open": "kubia-deployment.yaml"})
    await wait_until(en, lambda: doc(en).get("mode") == "file")
    opened = doc(en)
    assert opened["name"] == "kubia-deployment.yaml" and opened["text"].startswith("apiVersion: apps/v1\n")
    changed = opened["text"].replace("replicas: 3", "replicas: 2")
    await en.send({"file_save": "kubia-deployment.yaml", "text": changed})
    await wait_until(en, lambda: status(en) == "Saved kubia-deployment.yaml.")
    assert (await saved_files())["kubia-deployment.yaml"] == changed
    await en.command("cat kubia-deployment.yaml")
    await en.wait_for(r"replicas: 2")
    # a file starting with a blank line keeps it through the textarea
    await en.send({"file_new": "notes.txt"})
    await wait_until(en, lambda: doc(en).get("name") == "notes.txt")
    assert doc(en)["text"] == "" and status(en) == "Created notes.txt."
    await en.send({"file_save": "notes.txt", "text": "\nsecond line <b>&amp;\n"})
    await wait_until(en, lambda: "notes.txt" in file_names(en) and status(en) == "Saved notes.txt.")
    await en.send({"file_open": "notes.txt"})
    await en.drain(0.3)
    assert doc(en)["text"] == "\nsecond line <b>&amp;\n"
    await en.command("ls")
    await en.wait_for(r"kubia-deployment\.yaml\s+notes\.txt|kubia-deployment\.yaml\nnotes\.txt")
    await en.send({"file_delete": "notes.txt"})
    await wait_until(en, lambda: file_names(en) == ["kubia-deployment.yaml"])
    assert doc(en)["mode"] == "none" and status(en) == "Deleted notes.txt."
    assert "notes.txt" not in await saved_files()


async def test_bad_names_and_limits_are_explained_in_korean(ko):
    await ko.send({"file_new": "../etc/passwd"})
    await wait_until(ko, lambda: "파일 이름" in status(ko))
    assert 'class="editor-status is-error"' in _part(ko, "editor-status", "p")
    await ko.send({"file_new": "kubia-deployment.yaml"})
    await wait_until(ko, lambda: "이미 있습니다" in status(ko))
    await ko.send({"file_new": ""})
    await wait_until(ko, lambda: "이름을" in status(ko))
    big = "x" * (256 * 1024 + 1)
    await ko.send({"file_save": "big.yaml", "text": big})
    await wait_until(ko, lambda: "256 KB" in status(ko))
    assert "big.yaml" not in await saved_files()
    for i in range(49):
        await ko.send({"file_save": f"f{i}.yaml", "text": "a: 1\n"})
        await ko.drain(0.06)  # under the message rate limit
    await wait_until(ko, lambda: len(file_names(ko)) == 50)
    await ko.send({"file_new": "one-more.yaml"})
    await wait_until(ko, lambda: "50" in status(ko) and "가득" in status(ko))
    await ko.send({"file_open": "missing.yaml"})
    await wait_until(ko, lambda: "missing.yaml" in status(ko))
    # a huge message that is not a file save is still refused
    await ko.send(json.dumps({"command": "x" * 20000}))
    await ko.wait_for("메시지")


async def test_kubectl_edit_opens_the_editor_and_save_applies(en):
    await en.command("kubectl create -f kubia-deployment.yaml")
    await en.wait_for(r"deployment.apps/kubia created")
    await en.command("kubectl edit deployment kubia")
    await wait_until(en, lambda: doc(en).get("mode") == "edit")
    opened = doc(en)
    assert opened["name"] == "kubectl edit deployment kubia" and opened["text"].startswith(HEADER)
    assert 'data-running="true"' in _part(en, "console-controls")
    # the console waits for the editor, like a terminal
    await en.command("kubectl get pods")
    await en.wait_for(r"kubectl edit is waiting in the editor panel")
    await en.send({"file_open": "kubia-deployment.yaml"})
    await wait_until(en, lambda: "kubectl edit is waiting" in status(en))
    # an invalid save: kubectl's error, and the editor reopens with the reasons on top
    await en.send({"edit_save": opened["token"], "text": opened["text"].replace("replicas: 3", "replicas: -3")})
    await en.wait_for(r'error: deployments.apps "kubia" is invalid')
    await wait_until(en, lambda: doc(en).get("token") not in ("", opened["token"]))
    reopened = doc(en)
    assert reopened["mode"] == "edit"
    assert reopened["text"].startswith(HEADER + "# and an empty file will abort the edit.")
    assert '# deployments.apps "kubia" was not valid:\n# * spec.replicas: Invalid value: -3: must be greater ' \
           "than or equal to 0\n" in reopened["text"]
    # the old token is spent
    await en.send({"edit_save": opened["token"], "text": reopened["text"]})
    await wait_until(en, lambda: "no longer open" in status(en))
    await en.send({"edit_save": reopened["token"],
                   "text": reopened["text"].replace("replicas: -3", "replicas: 2").replace("kubia:v1", "kubia:v2")})
    await en.wait_for(r"deployment.apps/kubia edited")
    await wait_until(en, lambda: doc(en).get("mode") == "none")
    sandbox = await database_sync_to_async(Sandbox.objects.get)()
    cluster = restore_cluster(sandbox.snapshot)
    d = cluster.get("Deployment", "default", "kubia")
    assert d["spec"]["replicas"] == 2 and d["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":v2")
    assert [(h["line"], h["exit"]) for h in cluster.history[-2:]] == [
        ("kubectl create -f kubia-deployment.yaml", 0), ("kubectl edit deployment kubia", 0)]
    assert 'data-running="false"' in _part(en, "console-controls")


async def test_kubectl_edit_cancel_and_errors(en):
    await en.command("kubectl edit deploy nope")
    await en.wait_for(r'Error from server \(NotFound\): deployments.apps "nope" not found')
    assert doc(en)["mode"] == "none"
    await en.command("kubectl create -f kubia-deployment.yaml")
    await en.wait_for(r"created")
    await en.command("k edit deploy/kubia")
    await wait_until(en, lambda: doc(en).get("mode") == "edit")
    await en.send({"edit_cancel": doc(en)["token"]})
    await en.wait_for(r"Edit cancelled, no changes made\.\n")
    await wait_until(en, lambda: doc(en).get("mode") == "none")
    # Ctrl+C while the editor is open ends the edit the same way
    await en.command("k edit deploy/kubia")
    await wait_until(en, lambda: doc(en).get("mode") == "edit")
    await en.send({"cancel": True})
    await wait_until(en, lambda: en.output_text().count("Edit cancelled, no changes made.") == 2)
    await en.command("kubectl get deploy kubia -o name")
    await en.wait_for(r"deployment.apps/kubia\n")


def pod_names(view: str) -> set[str]:
    return set(re.findall(r'<span class="pod-name">([^<]+)</span>', view))


async def test_replay_slider_shows_the_cluster_then(en):
    await en.command("kubectl create -f kubia-deployment.yaml")
    await en.wait_for(r"created")
    for _ in range(3):
        await en.send({"step": 10})
        await en.drain(0.2)
    await en.command("kubectl set image deployment/kubia nodejs=luksa/kubia:v2")
    await en.wait_for(r"image updated")
    await en.send({"step": "settle"})
    for _ in range(6):  # and the old pods' 30 s of graceful termination
        await en.send({"step": 10})
        await en.drain(0.3)
        if len(pod_names(en.last_view())) == 3:
            break
    sandbox = await database_sync_to_async(Sandbox.objects.get)()
    cluster = restore_cluster(sandbox.snapshot)
    then = {p["metadata"]["name"] for p in cluster.view_at(20.0)["pods"]}
    now = pod_names(en.last_view())
    assert len(then) == 3 and len(now) == 3 and then.isdisjoint(now)

    await en.send({"replay": 20})
    await wait_until(en, lambda: "is-replay" in en.last_view())
    view = en.last_view()
    assert "at 0:20 (replay)" in view
    assert pod_names(view) == then
    chart_then = latest(en, "rollout-chart-panel")
    rows = [float(t) for t in re.findall(r'<tr data-t="([^"]+)"', chart_then)]
    assert rows and max(rows) <= 20.0  # the chart as of the replayed moment
    # the view stays at the replayed moment while time passes
    await en.send({"step": 1})
    await en.drain(0.3)
    assert "is-replay" in en.last_view()
    # back to live: the live view and the slider at the clock
    await en.send({"replay": "live"})
    await wait_until(en, lambda: "is-replay" not in en.last_view())
    assert pod_names(en.last_view()) == now
    assert 'data-mode="live"' in _part(en, "replay-bar")
    assert latest(en, "rollout-chart-panel") != chart_then
    # bad values
    await en.send({"replay": "soon"})
    await en.wait_for(r'"replay" must be a number of seconds or "live"')
    await en.send({"replay": 10})
    await wait_until(en, lambda: "is-replay" in en.last_view())
    await en.command("kubectl get deploy -o name")  # a command brings the live view back
    await wait_until(en, lambda: "is-replay" not in en.last_view())
