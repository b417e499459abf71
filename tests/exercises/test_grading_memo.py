"""grade_all keeps, per cluster, what reads only the objects (progress/panel.py _Memo, grader.GradeMemo)
while Cluster.changes stands still. Its gradings must be exactly those of a grading from scratch,
after every step of every exercise's wrong attempts and reference solution, with looking commands
and clock steps in between (which move the log or the clock but not the objects)."""
from __future__ import annotations

import pytest

from tutorial.exercises import checks, grade, load_all, prepare
from tutorial.exercises.feedback import is_action, learner_actions, settled
from tutorial.exercises.record_kinds import CACHED_LINE_CHARS, command_text
from tutorial.progress.panel import Graded, grade_all

LESSONS = load_all()
LOOKING = ["kubectl get pods", "kubectl get deploy,rs", "# advance 1", "kubectl rollout history deployment kubia",
           "# advance 7"]


def _from_scratch(cluster, exercises, since: dict, lang: str) -> list[Graded]:
    return [Graded(e, grade(cluster, e, since=since.get(e.id), lang=lang, mistakes_since=since.get(e.id)),
                   learner_actions(cluster, e, since.get(e.id)), settled(cluster, e), now=cluster.now)
            for e in exercises]


def _script(lesson) -> list[str]:
    lines = []
    for exercise in lesson.exercises:
        for attempt in exercise.wrong_attempts:
            lines += list(attempt.commands) + LOOKING
        for line in exercise.solution:
            lines += [line, LOOKING[0], LOOKING[2]]
        lines += LOOKING
    return lines


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_kept_outcomes_grade_as_from_scratch(lesson):
    cluster, start = prepare(lesson)
    since = {e.id: start for e in lesson.exercises}
    for step, line in enumerate(_script(lesson)):
        if line.startswith("# advance"):
            cluster.advance(float(line.split()[-1]))
        elif not line.startswith("#"):
            cluster.run(line)
        lang = ("en", "ko")[step % 2]
        assert grade_all(cluster, lesson.exercises, since, lang) == _from_scratch(
            cluster, lesson.exercises, since, lang), f"after {line!r} (step {step})"


def test_object_checks_are_evaluated_again_only_when_the_objects_changed(monkeypatch):
    lesson = next(lesson for lesson in LESSONS if lesson.slug == "deployment-basics")
    cluster, start = prepare(lesson)
    since = {e.id: start for e in lesson.exercises}
    counted = {"exists": 0, "command": 0}
    for kind in counted:
        evaluate = checks.KINDS[kind].evaluate

        def counting(ctx, spec, kind=kind, evaluate=evaluate):
            counted[kind] += 1
            return evaluate(ctx, spec)
        monkeypatch.setitem(checks.KINDS, kind, checks.Kind(checks.KINDS[kind].parse, counting))

    grade_all(cluster, lesson.exercises, since, "en")
    assert counted == {"exists": 1, "command": 3}  # one exists check, three command mistakes
    cluster.run("kubectl get pods")  # the log moved, the objects did not
    graded = grade_all(cluster, lesson.exercises, since, "en")
    assert counted == {"exists": 1, "command": 6}
    assert not graded[0].result.checks[0].passed
    cluster.run("kubectl create -f kubia-deployment-v1.yaml --record")
    graded = grade_all(cluster, lesson.exercises, since, "en")
    assert counted == {"exists": 2, "command": 9}
    assert graded[0].result.checks[0].passed  # deployment-exists now holds
    cluster.run("kubectl delete deployment kubia")
    assert not grade_all(cluster, lesson.exercises, since, "en")[0].result.checks[0].passed


def test_remembered_line_readings_equal_the_readings():
    short = "k   create  -f x.yaml"
    long = "kubectl annotate deployment kubia note=" + "x" * CACHED_LINE_CHARS
    assert command_text(short) == "create -f x.yaml" and command_text(short) == command_text(short)
    assert command_text(long) == long[len("kubectl "):]
    assert is_action(short) and is_action(long) and not is_action("kubectl get pods")
    assert is_action("curl http://kubia", traffic=True) and not is_action("curl http://kubia")
