"""Issue 15's acceptance at simulator level, for every exercise of every lesson: the feedback model
(tutorial/exercises/feedback.py) as the panel (tutorial/progress/panel.py) applies it.

1. a fresh sandbox shows no judged check and no mistake;
2. the reference solution passes, and after each of its lines the panel shows no mistake;
3. each wrong attempt ends, once the cluster is at rest, with a judged next step taken from the
   checks it lists (or a mistake), and no check or mistake message gives a solving command;
4. passing a later exercise leaves every earlier passed exercise passed.
No Django database: the progress rows are plain objects updated the way record_grading does.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tutorial.exercises import load_all, prepare, run_script
from tutorial.exercises.checks import command_text
from tutorial.exercises.feedback import MAX_FEEDBACK_LINES, is_action, settled
from tutorial.progress.panel import grade_all, panel_context

LESSONS = load_all()
EXERCISES = [(lesson, ex) for lesson in LESSONS for ex in lesson.exercises]
WRONG = [(lesson, ex, i, attempt) for lesson, ex in EXERCISES for i, attempt in enumerate(ex.wrong_attempts)]
SETTLE_LIMIT_SECONDS = 900


def _ids(params):
    return [f"{p[0].slug}/{p[1].id}" + (f"/wrong{p[2]}" if len(p) > 2 else "") for p in params]


@dataclass
class Row:
    """The fields of ExerciseProgress the panel reads."""
    passed_at: object = None
    pass_actions: int | None = None
    pass_clock: float | None = None
    checked_actions: int | None = None
    hints_shown: int = 0
    failed_checks: int = 0
    time_spent: float = 0.0
    solution_shown_at: object = None
    passed_with_solution: bool = False
    attempts: int = 0

    @property
    def passed(self) -> bool:
        return self.passed_at is not None


class Learner:
    """A learner in one lesson's sandbox: runs lines, and after each one the panel is graded and
    passes are recorded as the console does (record_grading keeps the first pass)."""

    def __init__(self, lesson, lang="ko"):
        self.lesson, self.lang = lesson, lang
        self.cluster, start = prepare(lesson)
        self.since = {e.id: start for e in lesson.exercises}
        self.rows = {e.id: Row() for e in lesson.exercises}

    def panel(self) -> dict[str, dict]:
        graded = grade_all(self.cluster, self.lesson.exercises, self.since, self.lang, rows=self.rows)
        for entry in graded:
            row = self.rows[entry.exercise.id]
            if entry.result is not None and entry.result.passed and row.passed_at is None:
                row.passed_at, row.pass_actions, row.pass_clock = self.cluster.now, entry.actions, entry.now
        return {item["id"]: item for item in panel_context(graded, self.rows, self.lang)["exercises"]}

    def run(self, line: str) -> dict[str, dict]:
        run_script(self.cluster, [line])
        return self.panel()

    def check(self, exercise_id: str) -> dict[str, dict]:
        """The Check button: remembered until the next action."""
        graded = grade_all(self.cluster, self.lesson.exercises, self.since, self.lang)
        entry = next(g for g in graded if g.exercise.id == exercise_id)
        self.rows[exercise_id].checked_actions = entry.actions
        return self.panel()

    def settle(self) -> dict[str, dict]:
        """Let the simulated clock run until what every exercise looks at is at rest."""
        for _ in range(SETTLE_LIMIT_SECONDS // 10):
            if all(settled(self.cluster, e) for e in self.lesson.exercises):
                break
            self.cluster.advance(10)
        return self.panel()


def _mistakes(panel: dict) -> list[str]:
    return [line["text"] for item in panel.values() for line in item["feedback"] if line["mistake"]]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_fresh_sandbox_judges_nothing(lesson, lang):
    learner = Learner(lesson, lang)
    for panel in (learner.panel(), learner.settle()):
        for item in panel.values():
            assert item["state"] == "not_started", item
            assert item["feedback"] == [] and item["why"] == [] and item["solution"] == []


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_solutions_in_order_pass_without_a_mistake_and_passes_stay(lesson):
    learner = Learner(lesson)
    passed: list[str] = []
    for exercise in lesson.exercises:
        acted = False
        for line in exercise.solution:
            panel = learner.run(line)
            assert _mistakes(panel) == [], (exercise.id, line)
            for earlier in passed:  # 4. work on a later exercise never unpasses an earlier one
                assert panel[earlier]["state"] == "passed", (earlier, line)
            acted = acted or is_action(line, traffic=True)
            item = panel[exercise.id]
            expected = {"not_started"} if not acted else {"working", "checked", "passed"}
            assert item["state"] in expected, (line, item["state"])
            assert len(item["feedback"]) <= MAX_FEEDBACK_LINES
        panel = learner.settle()
        assert panel[exercise.id]["state"] == "passed", (exercise.id, panel[exercise.id])
        assert _mistakes(panel) == []
        passed.append(exercise.id)
        for later in lesson.exercises[len(passed):]:  # the next exercise: nothing judged yet
            assert panel[later.id]["feedback"] == [], later.id
    for exercise_id in passed:
        assert learner.rows[exercise_id].passed


@pytest.mark.parametrize("lesson,exercise,index,attempt", WRONG, ids=_ids(WRONG))
def test_wrong_attempt_ends_with_a_next_step_from_its_checks(lesson, exercise, index, attempt):
    learner = Learner(lesson, "en")
    for earlier in lesson.exercises[:lesson.exercises.index(exercise)]:
        # wrong attempts start from a fresh sandbox; the earlier exercises were passed before
        learner.rows[earlier.id].passed_at, learner.rows[earlier.id].pass_actions = -1, 0
    for line in attempt.commands:
        learner.run(line)
    panel = learner.settle()
    item = panel[exercise.id]
    assert item["state"] == "checked", item
    assert 1 <= len(item["feedback"]) <= MAX_FEEDBACK_LINES
    expected = {c.message["en"] for c in exercise.checks if c.id in attempt.fails}
    mistakes = {m.message["en"] for m in exercise.mistakes}
    shown = [line["text"] for line in item["feedback"]]
    assert all(text in expected | mistakes or not line["mistake"] for text, line in zip(shown, item["feedback"]))
    assert any(text in expected or text in mistakes for text in shown), (shown, attempt.fails)


@pytest.mark.parametrize("lesson,exercise", EXERCISES, ids=_ids(EXERCISES))
def test_no_message_gives_the_solving_command(lesson, exercise):
    """Feedback names the problem; the commands are for hints and the earned solution."""
    solution = [command_text(line) for line in exercise.solution
                if not line.strip().startswith("#") and is_action(line, traffic=True)]
    messages = [(c.id, c.message) for c in exercise.checks] + [(f"mistake {i}", m.message)
                                                                for i, m in enumerate(exercise.mistakes)]
    for where, message in messages:
        for lang in ("ko", "en"):
            text = " ".join(message[lang].split())
            assert not [line for line in solution if line in text], (where, lang, text)
            if not where.startswith("mistake"):  # a mistake may name the learner's own wrong command
                assert "kubectl " not in text, (where, lang, text)


@pytest.mark.parametrize("lesson,exercise", EXERCISES, ids=_ids(EXERCISES))
def test_check_on_a_fresh_sandbox_shows_at_most_two_next_steps(lesson, exercise):
    learner = Learner(lesson, "ko")
    item = learner.check(exercise.id)[exercise.id]
    assert item["state"] == "checked" and 1 <= len(item["feedback"]) <= MAX_FEEDBACK_LINES
    assert not any(line["mistake"] for line in item["feedback"])  # nothing done: no mistake


def test_a_mistake_on_an_earlier_exercise_is_not_judged_on_the_next():
    """Lesson 09: the learner lets the rollout run through, rolls back as exercise 1's mistake
    says, does the canary, then resumes: exercise 2 does not call the earlier undo a mistake."""
    lesson = next(lesson for lesson in LESSONS if lesson.slug == "canary")
    learner = Learner(lesson, "en")
    for line in ["kubectl set image deployment kubia nodejs=luksa/kubia:v4", "# advance 150"]:
        learner.run(line)
    panel = learner.settle()
    assert _mistakes(panel), "exercise 1 names the run-through rollout"
    for line in ["kubectl rollout undo deployment kubia", "# advance 150",
                 "kubectl set image deployment kubia nodejs=luksa/kubia:v4", "# advance 2",
                 "kubectl rollout pause deployment kubia", "# advance 40"]:
        learner.run(line)
    panel = learner.settle()
    assert panel["canary-paused"]["state"] == "passed"
    # an action on exercise 2 that is over at once: it is judged, but the undo was exercise 1's
    panel = learner.run("kubectl annotate deployment kubia note=canary")
    assert panel["canary-promoted"]["state"] == "checked" and panel["canary-promoted"]["feedback"]
    assert _mistakes(panel) == [], panel["canary-promoted"]["feedback"]
    graded = grade_all(learner.cluster, lesson.exercises, learner.since, "en")  # without the rows
    assert graded[1].result.feedback[0] == lesson.exercises[1].mistakes[0].message["en"]
    for line in ["kubectl rollout resume deployment kubia", "# advance 5"]:
        panel = learner.run(line)
        assert _mistakes(panel) == [], panel["canary-promoted"]
    panel = learner.settle()
    assert panel["canary-promoted"]["state"] == "passed" and _mistakes(panel) == []


def test_a_pod_still_starting_is_not_judged():
    """Lesson 09: right after the pause the v4 pod is still starting: nothing judged until it is
    over (or the learner asks), and then no "no ready v4 pod" line at all."""
    lesson = next(lesson for lesson in LESSONS if lesson.slug == "canary")
    learner = Learner(lesson, "en")
    for line in ["kubectl set image deployment kubia nodejs=luksa/kubia:v4", "# advance 1"]:
        panel = learner.run(line)
        assert panel["canary-paused"]["state"] == "working" and panel["canary-paused"]["feedback"] == []
    panel = learner.run("kubectl rollout pause deployment kubia")
    item = panel["canary-paused"]
    assert item["state"] in ("working", "passed") and item["feedback"] == []
    asked = learner.check("canary-paused")["canary-paused"]  # asked mid-way: checks only, no mistake
    assert not any(line["mistake"] for line in asked["feedback"])
    panel = learner.settle()
    assert panel["canary-paused"]["state"] == "passed"
    assert panel["canary-promoted"]["state"] == "not_started"


@pytest.mark.parametrize("lesson,exercise", EXERCISES, ids=_ids(EXERCISES))
def test_every_exercise_has_two_typical_wrong_attempts(lesson, exercise):
    assert len(exercise.wrong_attempts) >= 2
    assert len(exercise.hints) >= 1


def test_counts_as_attempt_is_honest():
    from tutorial.exercises.feedback import counts_as_attempt

    base = dict(actions=3, seen_actions=2, result_changed=True)
    assert counts_as_attempt(clicked=False, **base)  # a new action changed the result
    assert not counts_as_attempt(clicked=False, actions=2, seen_actions=2, result_changed=True)  # the clock
    assert not counts_as_attempt(clicked=False, actions=3, seen_actions=2, result_changed=False)
    assert counts_as_attempt(clicked=True, actions=2, seen_actions=2, result_changed=False)  # Check
    assert not counts_as_attempt(clicked=False, opened=False, **base)  # another exercise's work
    assert not counts_as_attempt(clicked=False, passed_before=True, **base)
    assert not counts_as_attempt(clicked=False, baseline=3, **base)  # the action that opened it
    assert counts_as_attempt(clicked=False, actions=1, seen_actions=5, result_changed=True)  # after a reset
