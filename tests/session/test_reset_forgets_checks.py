"""Issue 15: a sandbox reset starts the exercises again, so a reset sandbox shows nothing judged:
the Check marks (ExerciseProgress.checked_actions) are forgotten, what was earned is kept. Through
the learner's own reset and an instructor's (sandbox_reset + reload), on a real lesson."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from channels.db import database_sync_to_async

from tests.session.helpers import FakeClient, message, open_session
from tutorial.curriculum.catalogue import get_catalogue
from tutorial.progress.models import ExerciseProgress
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import sandbox_reset
from tutorial.sandbox.session.hub import Hub

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def real_lessons(_lessons, settings):
    """The real lessons (tests/session runs on test lessons without exercises otherwise)."""
    settings.LESSON_CONTENT_DIR = Path(settings.BASE_DIR) / "tutorial" / "content"

SLUG = "deployment-basics"  # lesson 04: one exercise
OWNER = "anon:reset-test"


def states(client: FakeClient) -> dict[str, str]:
    panels = [m for frame in client.frames for m in re.findall(r'<section id="exercises".*?</section>', frame, re.S)]
    assert panels, "no exercise panel was sent"
    return dict(re.findall(r'data-exercise="([^"]+)" data-state="([^"]+)"', panels[-1]))


@database_sync_to_async
def rows() -> list[ExerciseProgress]:
    return list(ExerciseProgress.objects.filter(owner=OWNER, lesson_slug=SLUG))


async def checked_session():
    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client, owner=OWNER, slug=SLUG)
    await session.handle(message(pause=True), client)
    exercise = session.lesson.exercises[0].id
    assert states(client)[exercise] == "not_started"
    await session.handle(message(check=exercise), client)
    assert states(client)[exercise] == "checked"
    assert [r.checked_actions for r in await rows()] == [0]
    return hub, client, session, exercise


async def test_the_learners_reset_clears_the_check_marks():
    hub, client, session, exercise = await checked_session()
    await session.handle(message(reset=True), client)
    assert "The sandbox was reset." in client.output()
    assert states(client)[exercise] == "not_started"
    row = (await rows())[0]
    assert row.checked_actions is None and row.attempts == 1 and row.failed_checks == 1  # the click stays counted
    # a reset sandbox judges again only after a new Check
    await session.handle(message(check=exercise), client)
    assert states(client)[exercise] == "checked"
    await hub.detach(session, client)


async def test_an_instructors_reset_clears_the_check_marks_in_the_open_session():
    hub, client, session, exercise = await checked_session()
    lesson = get_catalogue().get(SLUG)
    sandbox = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    await database_sync_to_async(sandbox_reset)(sandbox, lesson)  # as tutorial/classroom/views.py does
    await session.reload()
    assert states(client)[exercise] == "not_started"
    assert (await rows())[0].checked_actions is None
    await hub.detach(session, client)
