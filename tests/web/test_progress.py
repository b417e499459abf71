"""Progress: lessons read, exercises passed, carried to the account at sign-in; the progress page,
marks on the lesson index; migrations up to date."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.learners import LEARNER_SESSION_KEY
from tutorial.progress.models import ExerciseProgress, LessonProgress
from tutorial.progress.services import exercise_progress, record_grading
from tutorial.progress.views import format_duration
from tutorial.sandbox.models import Sandbox

pytestmark = pytest.mark.django_db

SLUG = "deployment-basics"
EXERCISE_ID = "create-with-change-cause"


def anonymous_owner(client) -> str:
    return f"anon:{client.session[LEARNER_SESSION_KEY]}"


def test_migrations_are_up_to_date():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # SystemExit(1) when missing
    assert "No changes detected" in out.getvalue()


def test_opening_a_lesson_marks_it_read_once(client):
    client.get(f"/ko/lessons/{SLUG}/")
    first = LessonProgress.objects.get(owner=anonymous_owner(client), lesson_slug=SLUG)
    client.get(f"/en/lessons/{SLUG}/")
    assert LessonProgress.objects.get(pk=first.pk).opened_at == first.opened_at
    assert LessonProgress.objects.count() == 1


def test_lesson_page_shows_the_exercise_panel_in_both_languages(client):
    ko = client.get(f"/ko/lessons/{SLUG}/").content.decode()
    assert '<section id="exercises"' in ko and f'id="exercise-{EXERCISE_ID}"' in ko
    assert "실습 1" in ko and ">채점하기</button>" in ko and "힌트 보기 (0/3)" in ko
    # a fresh sandbox: the goal, nothing judged yet (issue 15)
    assert 'data-state="not_started"' in ko and "시작 전" in ko
    assert "kubia 디플로이먼트가 아직 없습니다." not in ko and "feedback-" not in ko
    assert "시도 0회" in ko
    en = client.get(f"/en/lessons/{SLUG}/").content.decode()
    assert "Exercise 1" in en and ">Check</button>" in en and "Show a hint (0/3)" in en
    assert "There is no kubia Deployment yet." not in en and "0 attempts" in en and "Not started" in en


def test_lesson_without_exercises_has_no_panel(client, lesson_root):
    assert 'id="exercises"' not in client.get("/en/lessons/first-deployment/").content.decode()


def test_record_grading_counts_clicks_and_changes_after_actions_only():
    row = exercise_progress(owner="anon:x", user=None, lesson_slug=SLUG, exercise_id=EXERCISE_ID)
    failing, other, passing = [False, ["deployment-exists"], []], [False, ["change-cause"], []], [True, [], []]
    assert record_grading(row, failing, clicked=False, actions=0) and row.attempts == 0  # the starting point
    assert not record_grading(row, failing, clicked=False, actions=0) and row.attempts == 0  # same result
    assert record_grading(row, failing, clicked=True, actions=0) and row.attempts == 1  # Check click
    assert row.failed_checks == 1 and row.checked_actions == 0
    # the clock moved the result, no action of the learner's: no attempt
    assert record_grading(row, other, clicked=False, actions=0) and row.attempts == 1
    # an action, then a different result: one attempt; the same action again moving the result: none
    assert record_grading(row, failing, clicked=False, actions=1) and row.attempts == 2
    assert record_grading(row, other, clicked=False, actions=1) and row.attempts == 2
    assert record_grading(row, passing, clicked=False, actions=2) and row.attempts == 3 and row.passed_at
    assert row.pass_actions == 2 and not row.passed_with_solution
    passed_at = row.passed_at
    record_grading(row, failing, clicked=False, actions=3)
    record_grading(row, passing, clicked=False, actions=4)
    row.refresh_from_db()
    assert row.attempts == 3 and row.passed_at == passed_at  # the first pass is kept
    # once passed, later work (on the next exercise) is no attempt at this one; a click still is
    record_grading(row, failing, clicked=True, actions=4)
    assert row.attempts == 4
    # without an action count only clicks count
    record_grading(row, passing, clicked=False)
    assert row.attempts == 4


def test_progress_survives_login(client):
    user = get_user_model().objects.create_user("learner", password="pw-Rollout-1")
    client.get(f"/ko/lessons/{SLUG}/")
    anon = anonymous_owner(client)
    row = exercise_progress(owner=anon, user=None, lesson_slug=SLUG, exercise_id=EXERCISE_ID)
    record_grading(row, [True, [], []], clicked=True)
    ExerciseProgress.objects.filter(pk=row.pk).update(time_spent=75)
    # The account already has progress on the same exercise from another browser: merged.
    earlier = timezone.now() - timedelta(days=1)
    ExerciseProgress.objects.create(owner=f"user:{user.pk}", user=user, lesson_slug=SLUG, exercise_id=EXERCISE_ID,
                                    attempts=3, time_spent=30)
    LessonProgress.objects.create(owner=f"user:{user.pk}", user=user, lesson_slug="updating", opened_at=earlier)

    assert client.login(username="learner", password="pw-Rollout-1")

    assert not ExerciseProgress.objects.filter(owner=anon).exists()
    assert not LessonProgress.objects.filter(owner=anon).exists()
    merged = ExerciseProgress.objects.get(owner=f"user:{user.pk}", exercise_id=EXERCISE_ID)
    assert (merged.attempts, merged.time_spent, merged.passed_at) == (4, 105, row.passed_at)
    assert set(LessonProgress.objects.filter(user=user).values_list("lesson_slug", flat=True)) == {SLUG, "updating"}
    assert Sandbox.objects.get(lesson_slug=SLUG).owner == f"user:{user.pk}"  # the sandbox moved too

    page = client.get("/en/progress/").content.decode()
    lessons = len(get_catalogue().lessons)
    assert f"2 of {lessons} lessons read · 1 of" in page
    assert f'data-exercise="{EXERCISE_ID}" data-passed="true"' in page
    assert "1:45" in page  # 105 s
    assert "moves to your account when you sign in" not in page  # signed in


def test_progress_page_in_both_languages(client):
    catalogue = get_catalogue()
    total_exercises = sum(len(lesson.exercises) for lesson in catalogue.lessons)
    empty = client.get("/en/progress/").content.decode()
    assert "<h1>Your progress</h1>" in empty
    assert f"0 of {len(catalogue.lessons)} lessons read · 0 of {total_exercises} exercises passed" in empty
    assert "not opened yet" in empty and "moves to your account when you sign in" in empty

    client.get(f"/ko/lessons/{SLUG}/")
    row = exercise_progress(owner=anonymous_owner(client), user=None, lesson_slug=SLUG, exercise_id=EXERCISE_ID)
    record_grading(row, [False, ["change-cause"], [1]], clicked=True)
    ko = client.get("/ko/progress/").content.decode()
    assert "<h1>나의 진행 상황</h1>" in ko
    assert f"레슨 {len(catalogue.lessons)}개 중 1개 읽음 · 실습 {total_exercises}개 중 0개 통과" in ko
    assert f'<li class="progress-lesson" data-lesson="{SLUG}">' in ko
    assert '<span class="mark mark-read">읽음</span>' in ko
    assert f'data-exercise="{EXERCISE_ID}" data-passed="false"' in ko
    assert "kubia-deployment-v1.yaml로 kubia 디플로이먼트를 만들어" in ko  # the goal, in Korean


def test_lesson_index_marks(client):
    client.get(f"/en/lessons/{SLUG}/")
    row = exercise_progress(owner=anonymous_owner(client), user=None, lesson_slug=SLUG, exercise_id=EXERCISE_ID)
    index = client.get("/en/lessons/").content.decode()
    assert f'<li data-lesson="{SLUG}" class="is-read">' in index
    assert "0/1 exercises" in index
    record_grading(row, [True, [], []], clicked=True)
    ko = client.get("/ko/lessons/").content.decode()
    assert f'<li data-lesson="{SLUG}" class="is-complete">' in ko and "✓ 실습 모두 통과" in ko
    assert "실습 1/1" in ko
    assert '<li data-lesson="updating" class="">' in ko  # not opened: no mark


@pytest.mark.parametrize("seconds,shown", [(0, "0:00"), (59.9, "0:59"), (105, "1:45"), (3725, "1:02:05")])
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown


def test_progress_page_shows_solution_and_current_state(client):
    client.get(f"/ko/lessons/{SLUG}/")
    row = exercise_progress(owner=anonymous_owner(client), user=None, lesson_slug=SLUG, exercise_id=EXERCISE_ID)
    ExerciseProgress.objects.filter(pk=row.pk).update(solution_shown_at=timezone.now(), hints_shown=2)
    row.refresh_from_db()
    record_grading(row, [True, [], []], clicked=True, actions=3)
    assert row.passed_with_solution and row.pass_actions == 3
    ko = client.get("/ko/progress/").content.decode()
    assert "모범 답안 확인 후" in ko and "지금은 실패" not in ko
    record_grading(row, [False, ["rollout-finished"], []], clicked=False, actions=4)
    en = client.get("/en/progress/").content.decode()
    assert "with the solution shown" in en and "failing now" in en


def test_work_before_an_exercise_opens_is_no_attempt_at_it():
    from tutorial.progress.panel import Graded

    lesson = next(lesson for lesson in get_catalogue().lessons if lesson.slug == "canary")
    second = lesson.exercises[1]
    row = exercise_progress(owner="anon:y", user=None, lesson_slug="canary", exercise_id=second.id)
    a, b = [False, ["not-paused"], []], [False, ["image-v4"], []]
    record_grading(row, a, clicked=False, graded=Graded(second, None, actions=0, opened=False))
    # the learner works on exercise 1: exercise 2's result moves, but it is not open yet
    record_grading(row, b, clicked=False, graded=Graded(second, None, actions=2, opened=False))
    assert row.attempts == 0
    # exercise 1 passed at action 2: exercise 2 opens there; the clock alone changes nothing
    record_grading(row, a, clicked=False, graded=Graded(second, None, actions=2, opened=True, baseline=2))
    assert row.attempts == 0
    record_grading(row, b, clicked=False, graded=Graded(second, None, actions=3, opened=True, baseline=2))
    assert row.attempts == 1


def test_time_goes_to_the_exercise_the_learner_is_on():
    from tutorial.progress.services import add_time

    lesson = next(lesson for lesson in get_catalogue().lessons if lesson.slug == "canary")
    first, second = (exercise_progress(owner="anon:t", user=None, lesson_slug="canary", exercise_id=e.id)
                     for e in lesson.exercises)
    ids = [e.id for e in lesson.exercises]
    rows = {first.exercise_id: first, second.exercise_id: second}
    with CaptureQueriesContext(connection) as queries:  # the rows say which is open: one UPDATE
        add_time(owner="anon:t", lesson_slug="canary", exercise_ids=ids, seconds=20, rows=rows)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE"]
    add_time(owner="anon:t", lesson_slug="canary", exercise_ids=ids, seconds=500)  # capped at one step
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.time_spent, second.time_spent) == (50, 0)
    assert rows[first.exercise_id].time_spent == 50  # the caller's copy too (earning the solution)
    ExerciseProgress.objects.filter(pk=first.pk).update(passed_at=timezone.now())
    add_time(owner="anon:t", lesson_slug="canary", exercise_ids=ids, seconds=10)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.time_spent, second.time_spent) == (50, 10)
    # The caller's rows still say the first is open (it was passed in another window): the
    # database's answer wins, and the time goes to the second.
    add_time(owner="anon:t", lesson_slug="canary", exercise_ids=ids, seconds=5, rows=rows)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.time_spent, second.time_spent) == (50, 15)
    assert rows[second.exercise_id].time_spent == 15  # the same object as `second`
