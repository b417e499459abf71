"""Every exercise of every lesson: the reference solution passes, each wrong attempt fails with
(at least) the check ids it lists (tutorial/content/README.md "Exercises"). No Django needed."""
from __future__ import annotations

import pytest

from tutorial.exercises import grade, load_all, replay

LESSONS = load_all()
EXERCISES = [(lesson, ex) for lesson in LESSONS for ex in lesson.exercises]
WRONG = [(lesson, ex, i, attempt) for lesson, ex in EXERCISES for i, attempt in enumerate(ex.wrong_attempts)]


def _ids(params):
    return [f"{p[0].slug}/{p[1].id}" + (f"/wrong{p[2]}" if len(p) > 2 else "") for p in params]


def test_every_lesson_has_exercises():
    assert [lesson.order for lesson in LESSONS] == list(range(1, 13))
    assert all(lesson.exercises for lesson in LESSONS)


@pytest.mark.parametrize("lesson,exercise", EXERCISES, ids=_ids(EXERCISES))
def test_solution_passes(lesson, exercise):
    cluster, since, steps = replay(lesson, exercise.solution)
    failed_commands = [(s.line, s.output) for s in steps if s.exit_code]
    assert failed_commands == [], "reference solution commands must succeed"
    for lang in ("ko", "en"):
        result = grade(cluster, exercise, since=since, lang=lang)
        assert result.passed, [(c.id, c.actual) for c in result.checks if not c.passed]
        # a correct solution triggers no mistake, no check message and no "why" explanation
        assert result.feedback == [] and result.why == []


@pytest.mark.parametrize("lesson,exercise", EXERCISES, ids=_ids(EXERCISES))
def test_fresh_sandbox_does_not_pass(lesson, exercise):
    cluster, since, _ = replay(lesson, [])
    result = grade(cluster, exercise, since=since, lang="en")
    assert not result.passed
    # feedback = mistakes that apply, then the message of every check not yet true, in English
    messages = [c.message for c in result.checks if not c.passed]
    assert result.feedback[len(result.feedback) - len(messages):] == messages
    assert messages == [chk.message["en"] for chk in exercise.checks if chk.id in result.failed]


@pytest.mark.parametrize("lesson,exercise,index,attempt", WRONG, ids=_ids(WRONG))
def test_wrong_attempt_fails_with_listed_checks(lesson, exercise, index, attempt):
    cluster, since, _ = replay(lesson, attempt.commands)
    result = grade(cluster, exercise, since=since, lang="ko")
    assert not result.passed
    assert set(attempt.fails) <= set(result.failed), (sorted(attempt.fails), sorted(result.failed))
    by_id = {c.id: c for c in exercise.checks}
    for cid in attempt.fails:
        assert by_id[cid].message["ko"] in result.feedback


def test_mistake_feedback_comes_first():
    lesson = next(lesson for lesson in LESSONS if lesson.slug == "final-challenge")
    exercise = lesson.exercise("release-day")
    cluster, since, _ = replay(lesson, exercise.wrong_attempts[0].commands)
    result = grade(cluster, exercise, since=since, lang="en")
    assert result.failed == ["no-capacity-loss"]
    # the default maxUnavailable (1 of 4) let availability fall to 3 (K8S-FACTS §10.2)
    assert result.checks[5].actual == 3
    assert result.feedback == [exercise.mistakes[0].message["en"], exercise.checks[5].message["en"]]



def test_setup_commands_are_not_the_learners():
    """Lesson 4's setup ends with a command and no `# advance`: prepare() moves the clock past it."""
    from tutorial.exercises import prepare
    from tutorial.exercises.checks import Context, evaluate, parse_condition

    lesson = next(lesson for lesson in LESSONS if lesson.slug == "deployment-basics")
    cluster, since = prepare(lesson)
    assert [entry["line"] for entry in cluster.history] == ["kubectl create -f kubia-svc.yaml"]
    used = parse_condition({"command": {"used": "create -f kubia-svc.yaml"}}, "test")
    assert evaluate(used, Context(cluster, None)).passed
    assert not evaluate(used, Context(cluster, since)).passed
    # a lesson whose setup ends with `# advance N` starts right there
    lesson12 = next(lesson for lesson in LESSONS if lesson.slug == "final-challenge")
    assert prepare(lesson12)[1] == 40.0
