"""Hostile input on every WebSocket route: hypothesis-generated frames (text and bytes, JSON of random
shapes built on the keys the consoles understand, random values, types and sizes), a flood from one
connection, and sockets opened on someone else's sandbox or class.

What must hold: the consumer answers or ignores, never raises (no logged exception, no "Internal
error", the socket stays open), and the learner's sandbox (cluster, history, files) is intact: a real
command still works afterwards and the saved row still has what was there before.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.test_classroom_ws import connect as connect_dashboard
from tests.web.test_classroom_ws import expect_closed, make_world, session_of
from tests.web.test_console import new_session, open_console
from tutorial.asgi import application
from tutorial.classroom.live import notify
from tutorial.routing import websocket_urlpatterns
from tutorial.sandbox.realtime import consumer as consumers
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import restore_cluster

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SLUG = "deployment-basics"  # the real lesson 04: a Service set up, exercises to check and hint
MANIFEST = "kubia-deployment-v1.yaml"
CREATE = f"kubectl create -f {MANIFEST}"

# Every key the console session dispatches on (session/messages.py) except "reset",
# which legitimately wipes the sandbox.
KEYS = ["command", "cancel", "clear", "complete", "speed", "pause", "step", "rollout", "traffic",
        "traffic_service", "file_save", "text", "file_open", "file_new", "file_delete", "file_close",
        "edit_save", "edit_cancel", "replay", "check", "hint", "terminal", "HEADERS"]

# Values that reach deeper than random text: real names, numbers as text, path tricks, markup.
# Never MANIFEST itself (file_delete/file_save of it would be a legitimate loss).
INTERESTING = st.sampled_from([
    "", " ", "live", "settle", "1", "10", "-1", "1e308", "NaN", "Infinity", "default/kubia", "default/kubia-svc",
    "kube-system/x", "kubia-svc.yaml.bak", "../../etc/passwd", "/etc/passwd", ".hidden", "-rf", "a" * 101,
    "create-with-change-cause", "deployment-exists", "<script>alert(1)</script>", "{{ 7*7 }}", "%(name)s",
    "kubectl get pods", "kubectl get pods -w", "kubectl rollout status deployment kubia", "kubectl edit deploy kubia",
    "kubectl apply -f new.yaml", "cat kubia-svc.yaml", "ls", "한글 파일", "\x00", "\ud800", "\u202e",
])
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40) | INTERESTING)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
MESSAGES = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), VALUES, min_size=0, max_size=4)


def _dumps(value) -> str:
    # allow_nan: Python's json reads NaN/Infinity back (a browser could send those bytes too).
    return json.dumps(value, ensure_ascii=False)


FRAMES = st.one_of(
    MESSAGES.map(lambda m: ("text", _dumps(m))),
    VALUES.map(lambda v: ("text", _dumps(v))),  # JSON that is not an object
    st.text(max_size=200).map(lambda t: ("text", t)),  # not JSON at all
    st.binary(max_size=200).map(lambda b: ("bytes", b)),
    st.integers(min_value=0, max_value=40).map(lambda n: ("text", "[" * n * 100 + "]" * n * 100)),  # deep nesting
    st.integers(min_value=7000, max_value=20000).map(lambda n: ("text", _dumps({"command": "k" * n}))),
    st.integers(min_value=1, max_value=600_000).map(lambda n: ("text", _dumps({"file_save": "big.yaml", "text": "x" * n}))),
)


async def send_frame(communicator, frame) -> None:
    # send_input, not send_to: an empty frame is legal on the wire and send_to refuses it.
    kind, payload = frame
    await communicator.send_input({"type": "websocket.receive", kind: payload})


def routed(path: str) -> bool:
    """Whether the WebSocket URL router has a consumer for `path` (query string aside)."""
    bare = path.split("?", 1)[0].lstrip("/")
    return any(pattern.pattern.regex.match(bare) for pattern in websocket_urlpatterns)


def new_output(con, since: int) -> str:
    return con.output_text(con.received[since:])


async def run_probe(con, command: str, pattern: str, timeout: float = 10.0) -> str:
    """Stop whatever the fuzz left running, then show that `command` still runs and prints `pattern`."""
    await con.send({"cancel": True})
    await con.send({"edit_cancel": None})
    await con.drain(0.1)
    since = len(con.received)
    await con.command(command)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not re.search(pattern, new_output(con, since)):
        assert loop.time() < deadline, f"{command!r} gave no {pattern!r}; got:\n{new_output(con, since)}"
        await con.drain(0.1)
    return new_output(con, since)


@database_sync_to_async
def saved_sandbox(slug: str = SLUG) -> Sandbox:
    return Sandbox.objects.get(lesson_slug=slug)


def assert_intact(sandbox: Sandbox, manifest_text: str) -> None:
    cluster = restore_cluster(sandbox.snapshot)
    assert cluster.files[MANIFEST] == manifest_text
    assert "kubia-svc.yaml" in cluster.files
    assert cluster.get("Deployment", "default", "kubia") is not None
    assert sandbox.history[0] == CREATE


@pytest_asyncio.fixture
async def fuzz_console(monkeypatch):
    """A learner's console on lesson 04 with the Deployment created. The rate limit is lifted here
    (it has its own tests below): the fuzz is about what each message does, not how many."""
    monkeypatch.setattr(consumers, "COMMANDS_PER_SECOND", 100000.0)
    con, connected, _ = await open_console(await new_session("fuzzed"), lang="en", slug=SLUG)
    assert connected
    await con.drain(0.3)
    await run_probe(con, CREATE, r"deployment\.apps/kubia created")
    con.manifest = restore_cluster((await saved_sandbox()).snapshot).files[MANIFEST]
    yield con
    await con.communicator.disconnect()


def _errors(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()[:300]}" for r in caplog.records
            if r.levelno >= logging.ERROR and r.name.startswith(("tutorial", "simulator"))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(frames=st.lists(FRAMES, min_size=1, max_size=8))
async def test_fuzzed_frames_never_break_the_console(fuzz_console, caplog, frames):
    con = fuzz_console
    caplog.clear()
    caplog.set_level(logging.ERROR)
    for frame in frames:
        await send_frame(con.communicator, frame)
    await con.drain(0.15)
    # Still open (a raised exception closes the socket) and no exception logged or shown.
    assert _errors(caplog) == []
    # The site's "Internal error" and the simulator's "internal error in the simulator".
    assert not re.search("internal error", "".join(con.received[-50:]), re.I)
    await run_probe(con, "kubectl get deployment kubia -o name", r"deployment\.apps/kubia\n")


async def test_after_the_fuzz_the_saved_sandbox_has_everything(fuzz_console):
    """The fuzz above checks each example live; this checks the saved row after a fixed hostile mix,
    then reconnects (a restart) and runs a command on the restored cluster."""
    con = fuzz_console
    hostile = [
        {"file_save": MANIFEST},  # no text: refused, the file kept
        {"file_save": MANIFEST, "text": ["not", "text"]},
        {"file_delete": ["kubia-deployment-v1.yaml"]},  # a list, not a name
        {"file_new": MANIFEST},  # exists already
        {"edit_save": "forged-token", "text": "kind: Deployment"},
        {"command": None}, {"command": {"$ne": ""}}, {"complete": 1e308},
        {"step": True}, {"step": 1e300}, {"replay": -1e308}, {"replay": "NaN"}, {"replay": "live"},
        {"speed": [20]}, {"pause": {"x": 1}}, {"traffic": "yes"}, {"traffic_service": None},
        {"rollout": "../kubia"}, {"check": ["create-with-change-cause"]}, {"hint": 0},
    ]
    for message in hostile:
        await con.send(message)
    await con.drain(0.3)
    await run_probe(con, "ls", re.escape(MANIFEST))
    await con.communicator.disconnect()
    assert_intact(await saved_sandbox(), con.manifest)

    again, connected, _ = await open_console(await new_session("fuzzed"), lang="ko", slug=SLUG)
    assert connected
    await again.drain(0.3)
    await run_probe(again, "kubectl get deployment kubia -o name", r"deployment\.apps/kubia\n")
    await again.communicator.disconnect()


# ---------------------------------------------------------------- a flood from one connection
async def test_a_flood_of_thousands_is_limited_and_other_consoles_are_unaffected(lesson_root):
    flooder, _, _ = await open_console(await new_session("flooder"), lang="en")
    bystander, _, _ = await open_console(await new_session("bystander"), lang="en")
    await flooder.drain(0.2)
    await bystander.drain(0.2)
    before = len(flooder.received)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for index in range(3000):
        await flooder.command(f"kubectl get pods --no-headers # {index}")
        if index % 500 == 0:
            # The bystander's console answers at once while the flood goes on.
            since = len(bystander.received)
            await bystander.command(f"kubectl get deployments # {index}")
            deadline = loop.time() + 5
            while "No resources found" not in bystander.output_text(bystander.received[since:]):
                assert loop.time() < deadline, "the bystander's console stalled during the flood"
                await bystander.drain(0.05)
    await flooder.drain(1.0)
    elapsed = loop.time() - started
    flood_text = "".join(flooder.received[before:])
    warnings = flood_text.count("Too many messages: at most 20 commands per second.")
    # At most one warning per second of flooding, and at least one.
    assert 1 <= warnings <= int(elapsed) + 2
    # Only about the allowed number ran: the burst plus the rate over the flood's duration.
    ran = len(re.findall(r"\$ kubectl get pods --no-headers # \d+", flooder.output_text(flooder.received[before:])))
    assert 20 <= ran <= 20 + 20 * (elapsed + 1)
    # The flooder's own console is alive once the bucket refills, and its sandbox was saved.
    await asyncio.sleep(1.1)
    await run_probe(flooder, "kubectl get deployments", "No resources found")
    await flooder.communicator.disconnect()
    await bystander.communicator.disconnect()
    rows = await database_sync_to_async(lambda: {s.owner: len(s.history) for s in Sandbox.objects.all()})()
    assert rows["anon:bystander"] >= 6 and 20 <= rows["anon:flooder"] <= 20 + 20 * (elapsed + 2) + 2


async def test_a_flood_of_oversized_and_binary_frames_is_limited_too(lesson_root):
    con, _, _ = await open_console(await new_session(), lang="en")
    await con.drain(0.2)
    since = len(con.received)
    for index in range(1000):
        if index % 2:
            await con.communicator.send_to(bytes_data=b"\xff" * 4096)
        else:
            await con.communicator.send_to(text_data="x" * 70_000)
    await con.drain(0.5)
    got = "".join(con.received[since:])
    # Answers stay bounded: the burst's refusals plus one rate-limit warning per second.
    assert got.count("Only text messages are accepted.") + got.count("Message too large") <= 40
    assert got.count("Too many messages") >= 1
    await asyncio.sleep(1.1)
    await run_probe(con, "kubectl get pods", "No resources found")
    await con.communicator.disconnect()


# ---------------------------------------------------------------- someone else's sandbox or class
async def test_socket_paths_never_reach_another_learners_sandbox(lesson_root):
    owner, _, _ = await open_console(await new_session("owner-learner"), lang="en")
    await run_probe(owner, "kubectl create deployment secret-app --image=nginx", "created")
    await owner.communicator.disconnect()
    sandbox = await saved_sandbox("first-deployment")
    stranger_key = await new_session("stranger")
    # Guessed paths: the owner's id, the sandbox pk, its group name, path tricks. The router only
    # takes /ws/sandbox/<lang>/<lesson slug>/; everything else is refused before any consumer runs.
    for path in [f"/ws/sandbox/en/{sandbox.pk}/", "/ws/sandbox/en/owner-learner/",
                 f"/ws/sandbox/en/first-deployment/{sandbox.pk}/", "/ws/sandbox/en/first-deployment/../second/",
                 f"/ws/sandbox/en/{sandbox.group_name}/", "/ws/sandbox/en/first-deployment/?owner=anon:owner-learner",
                 "/ws/sandbox/EN/first-deployment/", "/ws/sandbox/en/FIRST-DEPLOYMENT/"]:
        if not routed(path):
            continue  # the URL router refuses it ("No route found"): no consumer, no data
        communicator = WebsocketCommunicator(application, path, headers=[
            (b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={stranger_key}".encode())])
        connected, _ = await communicator.connect(timeout=5)
        if connected:
            first = await communicator.receive_output(timeout=5)
            if first["type"] == "websocket.send":
                # A query string is ignored: this is the stranger's own console on that lesson.
                assert "secret-app" not in first["text"] and "?" in path, path
                await communicator.disconnect()
            else:
                assert first == {"type": "websocket.close", "code": first["code"]} and first["code"] in (4003, 4004), path
    # The real path with the stranger's session: their own, empty sandbox, never the owner's.
    stranger, _, _ = await open_console(stranger_key, lang="en")
    text = await run_probe(stranger, "kubectl get deployments", "No resources found")
    assert "secret-app" not in "".join(stranger.received) and "secret-app" not in text
    await stranger.communicator.disconnect()
    owners = await database_sync_to_async(lambda: sorted(Sandbox.objects.values_list("owner", flat=True)))()
    assert owners == ["anon:owner-learner", "anon:stranger"]
    assert "secret-app" not in json.dumps((await database_sync_to_async(
        Sandbox.objects.get)(owner="anon:stranger")).snapshot)


async def test_a_forged_or_stolen_cookie_gets_nothing(lesson_root):
    for cookie in ["sessionid=not-a-real-session", "sessionid=", "sessionid=" + "a" * 5000,
                   "sessionid=\x00\xff", "sessionid=1; sessionid=2", "garbage"]:
        communicator = WebsocketCommunicator(application, "/ws/sandbox/en/first-deployment/", headers=[
            (b"origin", b"http://127.0.0.1"), (b"cookie", cookie.encode("latin-1"))])
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        assert await communicator.receive_output(timeout=5) == {"type": "websocket.close", "code": 4003}
    assert await database_sync_to_async(Sandbox.objects.count)() == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frames=st.lists(FRAMES, min_size=1, max_size=6))
async def test_dashboard_socket_ignores_fuzz_and_keeps_updating(frames, dashboard):
    communicator, classroom = dashboard
    for frame in frames:
        await send_frame(communicator, frame)
    assert await communicator.receive_nothing(timeout=0.05)  # it only listens
    await database_sync_to_async(notify)([classroom.pk])  # a learner's progress was written
    update = await communicator.receive_from(timeout=5)
    assert 'id="class-grid"' in update


@pytest_asyncio.fixture
async def dashboard():
    teacher, other, learner, classroom = await make_world()
    communicator = await connect_dashboard(await session_of(teacher), classroom.pk)
    await communicator.receive_from(timeout=10)
    yield communicator, classroom
    await communicator.disconnect()


async def test_dashboard_socket_paths_for_other_classes_are_refused():
    teacher, other, learner, classroom = await make_world()
    for who in (learner, other):
        session = await session_of(who)
        for pk in (classroom.pk, classroom.pk + 1, 0, 999999999999):
            await expect_closed(await connect_dashboard(session, pk), 4003)
    for path in [f"/ws/classes/en/{classroom.pk}/../", f"/ws/classes/en/-{classroom.pk}/",
                 f"/ws/classes/en/{classroom.pk}x/", "/ws/classes/en/9999999999999/"]:
        assert not routed(path), path
    with pytest.raises(ValueError, match="No route found"):  # what the router does with those
        await WebsocketCommunicator(application, "/ws/classes/en/1x/", headers=[
            (b"origin", b"http://127.0.0.1")]).connect(timeout=0.5)


@pytest.mark.parametrize("key", [k for k in KEYS if k != "traffic"])
async def test_every_key_with_a_value_of_the_wrong_type_gets_an_answer(lesson_root, caplog, key):
    """An object where text, a number or a flag belongs: the console answers (an error, or the part
    of the page the message is about) and logs nothing. ("traffic" with a non-flag value means
    "off", which re-sends the strip only when it changes, so it may be silent.)"""
    con, connected, _ = await open_console(await new_session(), lang="en")
    assert connected
    await con.drain(0.3)
    caplog.set_level(logging.ERROR)
    await con.send({key: {"$gt": "", "nested": [None, 1e308]}})
    got = await con.drain(0.4)
    assert got, f"no answer to {key!r}"
    assert _errors(caplog) == []
    assert not re.search("internal error", "".join(got), re.I)
    await run_probe(con, "kubectl get pods", "No resources found")
    await con.communicator.disconnect()
