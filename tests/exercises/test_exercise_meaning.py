"""Exercises mean what their goals say (issue 15's audit): "a single undo" is one undo since v4,
"never fewer than N available" is judged over the learner's rollout only, and a learner who first
follows the lesson's own steps can still pass."""
from __future__ import annotations

from tutorial.exercises import grade, load_all, prepare, run_script
from tutorial.exercises.checks import timeline_fact
from tutorial.exercises.loader import CONTENT_ROOT

LESSONS = {lesson.slug: lesson for lesson in load_all()}


def lesson_steps(folder: str) -> list[str]:
    """The ▶ lines of a lesson's Korean text, in order (what a learner clicks through)."""
    lines, inside = [], False
    for line in (CONTENT_ROOT / folder / "lesson.ko.md").read_text().splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```run"
            continue
        if inside and line.strip():
            lines.append(line.strip())
    return lines


def graded(lesson, commands, exercise_id):
    cluster, since = prepare(lesson)
    for line in commands:
        run_script(cluster, [line])
        if "rollout status" in line or line.startswith("kubectl rollout undo") or "set image" in line:
            cluster.advance(60)
    return grade(cluster, lesson.exercise(exercise_id), since=since, lang="en")


V2_V4 = ["kubectl set image deployment kubia nodejs=luksa/kubia:v2 --record", "kubectl rollout status deployment kubia",
         "kubectl set image deployment kubia nodejs=luksa/kubia:v4 --record", "kubectl rollout status deployment kubia"]


def test_two_undos_do_not_pass_one_undo():
    lesson = LESSONS["rollback"]
    result = graded(lesson, V2_V4 + ["kubectl rollout undo deployment kubia --to-revision=2",
                                     "kubectl rollout undo deployment kubia --to-revision=1"], "undo-to-v1")
    assert not result.passed and result.failed == ["one-undo"]


def test_lesson_steps_first_then_one_undo_passes():
    lesson = LESSONS["rollback"]
    steps = lesson_steps("07-rollback")  # the text's own undos, --to-revision included
    assert sum(1 for s in steps if s.startswith("kubectl rollout undo")) >= 2
    cluster, since = prepare(lesson)
    for line in steps + V2_V4:
        run_script(cluster, [line])
        cluster.advance(30)
    history = cluster.run("kubectl rollout history deployment kubia").output
    v1 = next(line.split()[0] for line in history.splitlines() if "kubia-deployment-v1.yaml" in line)
    for line in (f"kubectl rollout undo deployment kubia --to-revision={v1}", "# advance 60"):
        run_script(cluster, [line])
    result = grade(cluster, lesson.exercise("undo-to-v1"), since=since, lang="en")
    assert result.passed, result.failed


def test_a_plain_undo_after_the_lessons_to_revision_is_not_a_to_revision_undo():
    lesson = LESSONS["rollback"]
    steps = lesson_steps("07-rollback")
    result = graded(lesson, steps + V2_V4 + ["kubectl rollout undo deployment kubia"], "undo-to-v1")
    assert "undo-to-revision" in result.failed


def test_never_below_three_judges_only_the_learners_rollout():
    lesson = LESSONS["updating"]
    cluster, since = prepare(lesson)
    # the learner's rollout with the default strategy keeps 3 available
    run_script(cluster, ["kubectl set image deployment kubia nodejs=luksa/kubia:v2", "# advance 120"])
    exercise = lesson.exercise("rolling-update-to-v2")
    assert "never-below-3" not in grade(cluster, exercise, since=since, lang="en").failed
    # a rollout already under way when an exercise starts is not that exercise's learner's
    later = cluster.now
    run_script(cluster, ["kubectl patch deployment kubia -p "
                         "'{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":3}}}}'",
                         "kubectl set image deployment kubia nodejs=luksa/kubia:v3", "# advance 1"])
    started_after = cluster.now
    run_script(cluster, ["# advance 120"])
    samples = cluster.timeline("kubia")
    assert timeline_fact(samples, "min_available", later) < 3  # this rollout dropped to 0
    assert timeline_fact(samples, "min_available", started_after) is None  # not judged as the later one's
