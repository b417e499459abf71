"""The `longest_stall` timeline fact (VOCABULARY.md), which lesson 10's "see the v3 rollout stall
at one pod" is judged by: a rollout held by a failing readiness probe stands still past its
progress deadline; a normal rollout and an undo right after the apply never do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutorial.exercises import grade, load_lesson, prepare, run_script
from tutorial.exercises.checks import Context, evaluate, parse_condition
from tutorial.exercises.comparisons import SpecError
from tutorial.exercises.record_kinds import timeline_fact

LESSON = load_lesson(Path(__file__).resolve().parents[2] / "tutorial" / "content" / "10-blocking-bad-rollouts")
GUARDED = "kubectl apply -f kubia-deployment-v3-with-readinesscheck.yaml"
UNDO = ["kubectl rollout undo deployment kubia", "kubectl rollout status deployment kubia"]


def stall_after(lines: list[str]):
    cluster, since = prepare(LESSON)
    run_script(cluster, lines)
    return timeline_fact(cluster.timeline("kubia"), "longest_stall", since, now=cluster.now), cluster, since


def test_a_guarded_rollout_stalls_past_its_deadline_then_the_undo_ends_the_stall():
    stalled, cluster, _ = stall_after([GUARDED, "# advance 120"])
    assert stalled >= 60  # still standing: measured up to now
    more, _, _ = stall_after([GUARDED, "# advance 120", *UNDO, "# advance 300"])
    assert 60 <= more <= 125  # the undo ended it: the time after the undo is not a stall
    # what the learner sees meanwhile: kubectl rollout status gives up at the deadline
    assert "exceeded its progress deadline" in cluster.rollout_status("kubia").message


def test_normal_rollouts_and_an_undo_at_once_never_stall():
    quick, _, _ = stall_after([GUARDED, "# advance 3", *UNDO])
    assert quick < 10
    unguarded, _, _ = stall_after(["kubectl set image deployment kubia nodejs=luksa/kubia:v3",
                                   "kubectl rollout status deployment kubia"])
    assert unguarded < 30


def test_no_rollout_since_the_exercise_started_measures_nothing():
    nothing, _, _ = stall_after(["kubectl get pods", "# advance 100"])
    assert nothing is None


def test_a_paused_rollout_is_not_a_stall():
    paused, _, _ = stall_after(["kubectl rollout pause deployment kubia",
                                "kubectl set image deployment kubia nodejs=luksa/kubia:v3", "# advance 200"])
    assert paused is None or paused < 60


def test_lesson_10_judges_the_stall_check_by_it():
    exercise = LESSON.exercises[0]
    cluster, since = prepare(LESSON)
    run_script(cluster, [GUARDED, "# advance 3", *UNDO])
    result = grade(cluster, exercise, since=since, lang="en")
    assert result.failed == ["saw-it-stall"]
    assert any("stall at one pod" in line for line in result.feedback)
    cluster, since = prepare(LESSON)
    run_script(cluster, [line for line in exercise.solution])
    assert grade(cluster, exercise, since=since, lang="en").passed


def test_through_the_check_vocabulary_and_its_parser():
    cluster, since = prepare(LESSON)
    run_script(cluster, [GUARDED, "# advance 90"])
    body = {"timeline": {"deployment": "kubia", "longest_stall": {"at_least": 60}}}
    assert evaluate(parse_condition(body, "test"), Context(cluster, since)).passed
    late = evaluate(parse_condition(body, "test"), Context(cluster, cluster.now))
    assert not late.passed and late.actual is None  # the rollout started before `since`
    for bad in ({"longest_stall": {"at_least": "soon"}}, {"longest_stall": 60}):
        with pytest.raises(SpecError):
            parse_condition({"timeline": {"deployment": "kubia", **bad}}, "test")
