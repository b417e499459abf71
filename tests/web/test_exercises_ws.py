"""Exercises through the console WebSocket, on the real lesson 04 (tutorial/content/04-deployment-basics):
its solution passes and is stored as progress; a wrong attempt shows the expected feedback in ko and en."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client

from tests.web.test_console import open_console
from tutorial.exercises import load_lesson
from tutorial.exercises.loader import text
from tutorial.progress.models import ExerciseProgress, LessonProgress
from tutorial.sandbox.models import Sandbox

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SLUG = "deployment-basics"
LESSON = load_lesson(Path(settings.BASE_DIR) / "tutorial" / "content" / "04-deployment-basics")
EXERCISE = LESSON.exercises[0]


def panels(messages: list[str]) -> list[str]:
    return [m for message in messages for m in re.findall(r'<section id="exercises".*?</section>', message, re.S)]


def feedback_of(panel: str) -> list[tuple[str, str]]:
    """[(class, text)] of the feedback list, in order."""
    return [(cls, html.unescape(body).strip())
            for cls, body in re.findall(r'<li class="(feedback-\w+)">(.*?)</li>', panel, re.S)]


async def wait_for_panel(con, pattern: str, timeout: float = 20.0) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = panels(con.received)
        if found and re.search(pattern, found[-1], re.S):
            return found[-1]
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(f"panel never matched {pattern!r}; last panel:\n{found[-1] if found else None}")
        message = await con.next_message(min(remaining, 0.2))
        if message is not None:
            con.received.append(message)


@sync_to_async
def open_lesson_page(client: Client, lang: str = "ko") -> str:
    """Open the lesson page as a browser would; returns the session key the console uses."""
    response = client.get(f"/{lang}/lessons/{SLUG}/")
    assert response.status_code == 200
    return response.cookies["sessionid"].value


@database_sync_to_async
def progress_rows(owner_prefix: str = "anon:"):
    return (list(LessonProgress.objects.filter(owner__startswith=owner_prefix, lesson_slug=SLUG)),
            list(ExerciseProgress.objects.filter(owner__startswith=owner_prefix, lesson_slug=SLUG)))


async def test_set_up_commands_do_not_count_as_the_learners():
    key = await open_lesson_page(Client())
    sandbox = await database_sync_to_async(Sandbox.objects.get)(lesson_slug=SLUG)
    since = sandbox.exercise_since[EXERCISE.id]
    from simulator import Cluster

    cluster = Cluster.restore(sandbox.snapshot)
    assert cluster.history, "lesson 04's set-up runs kubectl create -f kubia-svc.yaml"
    assert all(entry["t"] < since for entry in cluster.history)
    assert key


async def test_solution_through_the_websocket_passes_and_is_stored():
    key = await open_lesson_page(Client())
    con, connected, _ = await open_console(key, lang="ko", slug=SLUG)
    assert connected
    first = await wait_for_panel(con, 'data-passed="false"')
    # Nothing done yet: the goal, nothing judged (issue 15's feedback model).
    assert feedback_of(first) == [] and 'data-state="not_started"' in first
    assert text(EXERCISE.goal, "ko") in html.unescape(first)
    await con.send({"speed": 20})
    for line in EXERCISE.solution:
        await con.command(line)
        if "rollout status" in line:  # a new command is refused while this one waits
            await con.wait_for(r'deployment "kubia" successfully rolled out', timeout=30)
    await con.wait_for(r"REVISION\s+CHANGE-CAUSE\n1\s+kubectl create --filename=kubia-deployment-v1.yaml --record=true")
    assert "still running" not in con.output_text()
    passed = await wait_for_panel(con, 'data-passed="true"', timeout=30)
    assert "exercise--passed" in passed and "통과했습니다. 모든 조건을 만족합니다." in passed
    assert feedback_of(passed) == []
    await con.communicator.disconnect()

    lessons, exercises = await progress_rows()
    assert [row.lesson_slug for row in lessons] == [SLUG]  # the page was opened (read)
    [row] = exercises
    assert row.exercise_id == EXERCISE.id and row.passed_at is not None
    assert row.last_result == [True, [], []]
    # The automatic gradings that changed the result count as attempts (at least: created, passed).
    assert row.attempts >= 1
    assert row.time_spent > 0


async def test_wrong_attempt_feedback_in_korean_and_english():
    key = await open_lesson_page(Client())
    wrong = EXERCISE.wrong_attempts[0]  # create without --record: only change-cause fails
    assert wrong.fails == ("change-cause",)
    mistake = EXERCISE.mistakes[1].message  # "^create -f kubia-deployment-v1\.yaml$"
    check = next(c for c in EXERCISE.checks if c.id == "change-cause").message

    con, connected, _ = await open_console(key, lang="ko", slug=SLUG)
    assert connected
    await con.send({"speed": 20})
    for line in wrong.commands:
        if not line.startswith("#"):
            await con.command(line)
    # Wait until only change-cause is left, then press Check.
    await wait_for_panel(con, r"^(?:(?!feedback-todo).)*feedback-todo(?:(?!feedback-todo).)*$", timeout=30)
    before = len(con.received)
    await con.send({"check": EXERCISE.id})
    await con.drain(0.5)
    ko = panels(con.received[before:])[-1]
    assert 'data-passed="false"' in ko
    assert feedback_of(ko) == [("feedback-mistake", text(mistake, "ko")), ("feedback-todo", text(check, "ko"))]
    assert feedback_of(ko)[0][1].startswith("--record 없이 만들었으므로 CHANGE-CAUSE는 <none>입니다.")
    await con.communicator.disconnect()

    con, connected, _ = await open_console(key, lang="en", slug=SLUG)
    assert connected
    en = await wait_for_panel(con, "feedback-mistake")
    assert feedback_of(en) == [("feedback-mistake", text(mistake, "en")), ("feedback-todo", text(check, "en"))]
    assert feedback_of(en)[0][1].startswith("You created it without --record, so CHANGE-CAUSE is <none>.")
    assert "Check</button>" in en
    await con.communicator.disconnect()

    _, [row] = await progress_rows()
    assert row.passed_at is None and row.last_result == [False, ["change-cause"], [1]]
    # One Check click, plus the automatic gradings that changed the result (create, then ready).
    assert row.attempts >= 2


async def test_hints_are_revealed_one_at_a_time_and_bad_ids_are_refused():
    key = await open_lesson_page(Client())
    con, connected, _ = await open_console(key, lang="en", slug=SLUG)
    assert connected
    panel = await wait_for_panel(con, "exercise-hint")
    assert "exercise-hints" not in panel and f"Show a hint (0/{len(EXERCISE.hints)})" in panel
    for shown in range(1, len(EXERCISE.hints) + 1):
        await con.send({"hint": EXERCISE.id})
        panel = await wait_for_panel(con, rf"<ol class=\"exercise-hints\".*?(?:<li>.*?){{{shown}}}</ol>")
        assert html.unescape(panel).count("<li>") == shown
        assert text(EXERCISE.hints[shown - 1], "en") in html.unescape(panel)
    assert "exercise-hint\"" not in panel  # every hint shown: the button is gone
    await con.send({"check": "no-such-exercise"})
    await con.wait_for(r"This lesson has no exercise no-such-exercise\.")
    await con.send({"hint": ["not", "text"]})
    await con.wait_for(r"This lesson has no exercise \['not', 'text'\]\.")
    await con.communicator.disconnect()
    _, [row] = await progress_rows()
    assert row.hints_shown == len(EXERCISE.hints) and row.attempts == 0


async def test_the_solution_is_shown_only_once_earned_and_recorded():
    key = await open_lesson_page(Client())
    con, connected, _ = await open_console(key, lang="en", slug=SLUG)
    assert connected
    panel = await wait_for_panel(con, "exercise-check")
    assert "exercise-show-solution" not in panel and "Reference solution" not in panel
    assert "Solution after 3 more failed checks or 10 minutes" in panel
    await con.send({"solution": EXERCISE.id})  # not earned yet: refused, nothing shown
    await con.wait_for(r"The solution opens after a few failed checks or some minutes of trying\.")
    for _ in range(3):  # three failed Check clicks earn it
        await con.send({"check": EXERCISE.id})
    panel = await wait_for_panel(con, "exercise-show-solution")
    assert "Reference solution" not in panel  # earned, but shown only when asked
    await con.send({"solution": EXERCISE.id})
    panel = await wait_for_panel(con, "Reference solution:")
    assert html.escape(EXERCISE.solution[0]) in panel
    await con.send({"speed": 20})
    for line in EXERCISE.solution:
        await con.command(line)
        if "rollout status" in line:
            await con.wait_for(r'deployment "kubia" successfully rolled out', timeout=30)
    passed = await wait_for_panel(con, 'data-passed="true"', timeout=30)
    assert "Passed with the solution shown" in passed
    await con.communicator.disconnect()
    _, [row] = await progress_rows()
    assert row.solution_shown_at is not None and row.passed_with_solution and row.failed_checks == 3


async def test_a_clock_running_for_minutes_adds_no_attempt():
    key = await open_lesson_page(Client())
    con, connected, _ = await open_console(key, lang="en", slug=SLUG)
    assert connected
    await wait_for_panel(con, "exercise-check")
    await con.command("kubectl create -f kubia-deployment-v1.yaml")  # one action: at most one attempt
    for _ in range(3):  # minutes of simulated time: the rollout finishes, the result changes by itself
        await con.send({"step": "settle"})
    for _ in range(12):
        await con.send({"step": 10})
    panel = await wait_for_panel(con, 'data-state="checked"', timeout=30)
    assert feedback_of(panel)  # the action is over: judged (CHANGE-CAUSE is <none>)
    await con.communicator.disconnect()
    _, [row] = await progress_rows()
    assert row.attempts == 1 and row.seen_actions == 1 and row.passed_at is None
