"""The class dashboard WebSocket: who may connect (anonymous, learner, other instructor are closed
with 4003), what it sends, and live updates arriving through the channel layer when a learner's
progress is written (here from another thread, as another server process would)."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tutorial.accounts.roles import set_instructor
from tutorial.asgi import application
from tutorial.classroom.consumers import CLOSE_FORBIDDEN
from tutorial.classroom.models import Membership
from tutorial.classroom.services import create_classroom
from tutorial.progress.models import ExerciseProgress
from tutorial.progress.services import exercise_progress, record_grading

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://127.0.0.1")
SLUG = "deployment-basics"
EXERCISE = "create-with-change-cause"


@database_sync_to_async
def make_world():
    User = get_user_model()
    teacher = User.objects.create_user("teacher", "t@example.com", "x-unused-123")
    other = User.objects.create_user("other", "o@example.com", "x-unused-123")
    learner = User.objects.create_user("learner", "l@example.com", "x-unused-123")
    set_instructor(teacher)
    set_instructor(other)
    classroom = create_classroom(owner=teacher, name="Live", language="en", lessons=[SLUG])
    Membership.objects.create(classroom=classroom, user=learner)
    return teacher, other, learner, classroom


@sync_to_async
def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def connect(session: str | None, pk: int, lang: str = "en"):
    headers = [ORIGIN] + ([(b"cookie", f"sessionid={session}".encode())] if session else [])
    communicator = WebsocketCommunicator(application, f"/ws/classes/{lang}/{pk}/", headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    assert connected  # accepted, then closed with a 4xxx code when refused (htmx does not retry those)
    return communicator


async def expect_closed(communicator, code: int) -> None:
    message = await communicator.receive_output(timeout=5)
    assert message == {"type": "websocket.close", "code": code}


async def test_anonymous_learner_and_other_instructor_are_refused():
    teacher, other, learner, classroom = await make_world()
    for session in (None, await session_of(learner), await session_of(other)):
        communicator = await connect(session, classroom.pk)
        await expect_closed(communicator, CLOSE_FORBIDDEN)
    # An unknown class and an unknown language are refused too.
    await expect_closed(await connect(await session_of(teacher), classroom.pk + 1000), CLOSE_FORBIDDEN)
    await expect_closed(await connect(await session_of(teacher), classroom.pk, lang="fr"), 4004)


async def test_instructor_gets_the_grid_then_live_updates():
    teacher, other, learner, classroom = await make_world()
    communicator = await connect(await session_of(teacher), classroom.pk, lang="ko")
    first = await communicator.receive_from(timeout=10)
    assert 'id="class-summary"' in first and 'id="class-grid"' in first and 'hx-swap-oob="true"' in first
    assert 'data-learner="learner"' in first and 'data-status="not_started"' in first
    assert "시작 전" in first  # rendered in the socket's language

    # The learner's console grades: progress services write the row (from a worker thread, like the
    # sandbox consumer's database_sync_to_async), and the dashboard hears it via the group.
    def grade(passed: bool):
        row = exercise_progress(owner=f"user:{learner.pk}", user=learner, lesson_slug=SLUG, exercise_id=EXERCISE)
        record_grading(row, [passed, [] if passed else ["change-cause"], []], clicked=True)

    await database_sync_to_async(grade)(False)
    update = await communicator.receive_from(timeout=5)
    assert 'data-status="in_progress"' in update
    await database_sync_to_async(grade)(True)
    update = await communicator.receive_from(timeout=5)
    assert 'data-status="passed"' in update and "통과" in update
    await communicator.disconnect()


async def test_progress_of_someone_outside_the_class_sends_nothing():
    teacher, other, learner, classroom = await make_world()
    communicator = await connect(await session_of(teacher), classroom.pk)
    await communicator.receive_from(timeout=10)
    await database_sync_to_async(ExerciseProgress.objects.create)(
        owner=f"user:{other.pk}", user=other, lesson_slug=SLUG, exercise_id=EXERCISE, passed_at=timezone.now())
    assert await communicator.receive_nothing(timeout=1)
    await communicator.disconnect()


async def test_removed_co_instructor_is_closed_on_the_next_update():
    teacher, other, learner, classroom = await make_world()
    await database_sync_to_async(classroom.instructors.add)(other)
    communicator = await connect(await session_of(other), classroom.pk)
    await communicator.receive_from(timeout=10)
    await database_sync_to_async(classroom.instructors.remove)(other)
    await database_sync_to_async(ExerciseProgress.objects.create)(
        owner=f"user:{learner.pk}", user=learner, lesson_slug=SLUG, exercise_id=EXERCISE)
    await expect_closed(communicator, CLOSE_FORBIDDEN)


async def test_messages_from_the_browser_are_ignored():
    teacher, other, learner, classroom = await make_world()
    communicator = await connect(await session_of(teacher), classroom.pk)
    await communicator.receive_from(timeout=10)
    await communicator.send_to(text_data='{"reset": true}')
    await communicator.send_to(text_data="\x00not json")
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()
    await asyncio.sleep(0)
