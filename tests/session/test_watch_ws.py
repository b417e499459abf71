"""An instructor's read-only view of a learner's live sandbox (tutorial/classroom/watch.py): the
learner's socket and the instructor's attach to one session; the instructor sees every command
live and may not change anything; only the class's instructors, for its learners and lessons."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from tests.web.test_classroom_ws import ORIGIN, make_world, session_of
from tests.web.test_console import Console
from tutorial.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SLUG = "deployment-basics"  # the class's lesson (tests/web/test_classroom_ws.py make_world)


async def socket(path: str, session: str | None) -> tuple[Console, bool]:
    headers = [ORIGIN] + ([(b"cookie", f"sessionid={session}".encode())] if session else [])
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    return Console(communicator), connected


async def closed_with(console: Console) -> int | None:
    message = await console.communicator.receive_output(timeout=10)
    while message["type"] != "websocket.close":
        message = await console.communicator.receive_output(timeout=10)
    return message.get("code")


@pytest.fixture
def real_lessons(settings):
    from pathlib import Path

    settings.LESSON_CONTENT_DIR = Path(__file__).resolve().parents[2] / "tutorial" / "content"


async def test_the_instructor_watches_live_and_cannot_act(real_lessons):
    teacher, other, learner, classroom = await make_world()
    learner_session = await session_of(learner)
    mine, connected = await socket(f"/ws/sandbox/en/{SLUG}/", learner_session)
    assert connected
    await mine.drain(0.3)
    watch, connected = await socket(f"/ws/classes/en/{classroom.pk}/learners/{learner.pk}/{SLUG}/",
                                    await session_of(teacher))
    assert connected
    await watch.drain(0.5)
    assert any('id="console-output"' in frame for frame in watch.received)  # the whole console state
    await mine.command("kubectl get deployments")
    await watch.wait_for(r"\$ kubectl get deployments")  # live, as the learner types
    await watch.command("kubectl delete deployment --all")
    await watch.wait_for("This view is read-only.")
    assert "This view is read-only." not in mine.output_text()
    await watch.communicator.disconnect()
    await mine.command("kubectl get deployments")
    await mine.wait_for(r"kubectl get deployments[\s\S]*kubectl get deployments")  # still live
    await mine.communicator.disconnect()


async def test_only_the_class_instructor_may_watch_one_of_its_learners(real_lessons):
    teacher, other, learner, classroom = await make_world()
    mine, _ = await socket(f"/ws/sandbox/en/{SLUG}/", await session_of(learner))
    await mine.drain(0.3)
    cases = [
        (await session_of(other), learner.pk, SLUG, 4004),  # not their class
        (await session_of(learner), learner.pk, SLUG, 4004),  # a learner is no instructor
        (None, learner.pk, SLUG, 4003),  # anonymous
        (await session_of(teacher), teacher.pk, SLUG, 4004),  # not a learner of the class
        (await session_of(teacher), learner.pk, "rolling-update", 4004),  # not a lesson of the class
    ]
    for session, learner_id, slug, code in cases:
        watch, connected = await socket(f"/ws/classes/en/{classroom.pk}/learners/{learner_id}/{slug}/", session)
        assert connected
        assert await closed_with(watch) == code, (learner_id, slug, code)
    await mine.communicator.disconnect()


async def test_a_learner_without_a_sandbox_is_not_given_one(real_lessons):
    from tutorial.sandbox.models import Sandbox

    teacher, other, learner, classroom = await make_world()
    watch, _ = await socket(f"/ws/classes/en/{classroom.pk}/learners/{learner.pk}/{SLUG}/",
                            await session_of(teacher))
    assert await closed_with(watch) == 4004
    assert await database_sync_to_async(Sandbox.objects.count)() == 0
