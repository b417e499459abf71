"""The exercise panel of a lesson page: grade each exercise and build the template context.

The same context renders the panel on first load (lessons/views.py) and in every update the
console WebSocket pushes (tutorial/sandbox/session/grading.py), through templates/sandbox/_exercises.html.
What each exercise shows follows the feedback model (tutorial/exercises/feedback.py): nothing
judged before the learner acted on it, at most two next steps, a pass that stays a pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutorial.cluster_memo import ClusterMemo
from tutorial.exercises import Exercise, Result, grade
from tutorial.exercises.feedback import (
    SOLUTION_AFTER_FAILED_CHECKS,
    SOLUTION_AFTER_SECONDS,
    actions_fold,
    judge,
    settled,
    solution_allowed,
)
from tutorial.exercises.grader import GradeMemo
from tutorial.exercises.loader import text

if TYPE_CHECKING:  # the panel reads rows, never the database: usable without Django (tests/exercises)
    from tutorial.progress.models import ExerciseProgress

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Graded:
    exercise: Exercise
    result: Result | None  # None when the grader failed on this cluster state
    actions: int = 0       # the learner's actions since the exercises started (feedback.learner_actions)
    at_rest: bool = True   # what the exercise looks at has come to rest (feedback.settled)
    opened: bool = True    # the learner's to work on (see _opened; known when grade_all got rows)
    baseline: int = 0      # `actions` when it opened: actions before are not about it
    now: float | None = None  # the cluster's simulated time at this grading


class _Memo(GradeMemo):
    """One cluster's: the condition outcomes (GradeMemo), each exercise's settled() while the
    cluster's objects stay the same (settled reads only them), and its learner_actions() as a fold
    over the log (GradeMemo.scan)."""

    def __init__(self) -> None:
        super().__init__()
        self._settled: dict[int, tuple] = {}

    def settled(self, cluster, exercise) -> bool:
        changes = cluster.changes
        seen = self._settled.get(id(exercise))
        if seen is not None and seen[0] is exercise and seen[1] == changes:
            return seen[2]
        at_rest = settled(cluster, exercise)
        self._settled[id(exercise)] = (exercise, changes, at_rest)
        return at_rest

    def actions(self, cluster, exercise, since) -> int:
        """learner_actions(cluster, exercise, since)."""
        return self.scan(exercise, since, lambda: actions_fold(exercise, since), cluster.history)


_MEMOS = ClusterMemo(_Memo)  # Cluster → _Memo, as long as it lives


def grade_all(cluster, exercises, since: dict, lang: str, *, rows: dict | None = None) -> list[Graded]:
    """Grade every exercise; `since` maps exercise id → simulated start (set-up excluded). With
    `rows` (exercise id → ExerciseProgress) each entry also says whether the exercise is open and
    from which action on, which record_grading(graded=…) needs to count attempts honestly.

    What reads only the objects is kept per cluster while Cluster.changes stands still (_Memo):
    most gradings follow a command that only looked (`kubectl get`) and re-read just the log."""
    memo = _MEMOS.of(cluster)
    now = cluster.now
    found = []
    for index, exercise in enumerate(exercises):
        start = since.get(exercise.id)
        try:
            result = grade(cluster, exercise, since=start, lang=lang,
                           mistakes_since=_opened_clock(exercises, rows, index, start, now), memo=memo)
            actions, at_rest = memo.actions(cluster, exercise, start), memo.settled(cluster, exercise)
        except Exception:  # noqa: BLE001 - a grader bug must not take the console down
            logger.exception("Grading %s failed", exercise.id)
            result, actions, at_rest = None, 0, True
        found.append((exercise, result, actions, at_rest))
    if rows is None:
        return [Graded(e, result, actions, at_rest, now=now) for e, result, actions, at_rest in found]
    # Each Graded made once, opened and baseline known (not made, then copied by dataclasses.replace)
    ids = [e.id for e in exercises]
    return [Graded(e, result, actions, at_rest, _opened_ids(ids, rows, i), _baseline_of(ids, actions, rows, i), now)
            for i, (e, result, actions, at_rest) in enumerate(found)]


def _opened_clock(exercises, rows: dict | None, index: int, start: float | None, now: float) -> float | None:
    """When exercise `index` opened in simulated time: the latest first pass of the earlier ones
    (all passed), else `start`. A time after now or before start belongs to an earlier sandbox."""
    if not rows or index == 0:
        return start
    clocks = []
    for exercise in exercises[:index]:
        row = rows.get(exercise.id)
        if row is None or not row.passed:
            return start
        if getattr(row, "pass_clock", None) is not None:
            clocks.append(row.pass_clock)
    clock = max(clocks, default=None)
    if clock is None or clock > now or (start is not None and clock < start):
        return start
    return clock


def _baseline(graded: list[Graded], rows: dict, index: int) -> int:
    """The learner's action count when exercise `index` opened: when the latest earlier exercise
    was first passed (0 for the first, or when the sandbox was reset since)."""
    return _baseline_of([g.exercise.id for g in graded[:index]], graded[index].actions, rows, index)


def _baseline_of(ids: list[str], actions: int, rows: dict, index: int) -> int:
    """_baseline from the exercise ids in lesson order and exercise `index`'s actions."""
    marks = [rows[i].pass_actions for i in ids[:index] if i in rows and rows[i].pass_actions is not None]
    mark = max(marks, default=0)
    return mark if mark <= actions else 0


def _opened(graded: list[Graded], rows: dict, index: int) -> bool:
    """The learner's to work on: the first exercise, one after passed exercises, or one they checked."""
    return _opened_ids([g.exercise.id for g in graded[:index + 1]], rows, index)


def _opened_ids(ids: list[str], rows: dict, index: int) -> bool:
    """_opened from the exercise ids in lesson order."""
    row = rows.get(ids[index])
    if row is not None and row.checked_actions is not None:
        return True
    return all(rows.get(i) is not None and rows[i].passed for i in ids[:index])


def exercise_item(graded: list[Graded], rows: dict, index: int, lang: str) -> dict:
    """The template context of one exercise."""
    entry = graded[index]
    exercise, result = entry.exercise, entry.result
    row = rows.get(exercise.id)
    checked = row is not None and row.checked_actions is not None and row.checked_actions == entry.actions
    judgement = judge(result, passed_before=bool(row and row.passed), opened=_opened(graded, rows, index),
                      acted=entry.actions > _baseline(graded, rows, index), checked=checked, at_rest=entry.at_rest)
    shown = min(row.hints_shown if row else 0, len(exercise.hints))
    solution_shown = bool(row and row.solution_shown_at)
    failed_checks = row.failed_checks if row else 0
    return {
        "id": exercise.id,
        "state": judgement.state,
        "goal": text(exercise.goal, lang),
        "hints": [text(h, lang) for h in exercise.hints[:shown]],
        "hints_total": len(exercise.hints),
        "more_hints": shown < len(exercise.hints) and judgement.state != "passed",
        # at most two lines: a mistake (once it is over) first, then the next checks to satisfy
        "feedback": [{"text": t, "mistake": m} for t, m in judgement.feedback],
        # the controller decisions behind a failing timeline check or mistake, explained
        "why": list(judgement.why),
        "passing": judgement.passing,
        # passed, the cluster no longer passes it, and the learner has not moved on to a later one
        "changed_since": judgement.changed_since and not any(
            rows.get(g.exercise.id) is not None and rows[g.exercise.id].passed for g in graded[index + 1:]),
        "passed_at": row.passed_at if row else None,
        "passed_with_solution": bool(row and row.passed_with_solution),
        "attempts": row.attempts if row else 0,
        "solution": [line for line in exercise.solution] if solution_shown else [],
        "solution_earned": not solution_shown and judgement.state != "passed" and row is not None
        and solution_allowed(failed_checks=failed_checks, seconds_spent=row.time_spent),
        "solution_after_checks": max(0, SOLUTION_AFTER_FAILED_CHECKS - failed_checks),
        "solution_after_minutes": int(SOLUTION_AFTER_SECONDS // 60),
        "unavailable": result is None,
    }


def panel_context(graded: list[Graded], rows: "dict[str, ExerciseProgress]", lang: str) -> dict:
    return {"exercises": [exercise_item(graded, rows, i, lang) for i in range(len(graded))]}


def panel_key(graded: list[Graded], rows: "dict[str, ExerciseProgress]", lang: str) -> tuple:
    """Everything panel_context reads, in a tuple: equal keys, equal contexts. Each entry's Result
    is compared by identity first (GradeMemo gives the kept one again after a looking command),
    else by value. Of a row, the fields exercise_item, _opened and _baseline read; its time only
    as whether it earns the solution (time_spent moves every 30 s, the panel only when it crosses
    SOLUTION_AFTER_SECONDS). Keep in step with exercise_item."""
    return (lang, *[(g.exercise, g.result, g.actions, g.at_rest, _row_key(rows.get(g.exercise.id))) for g in graded])


def _row_key(row) -> tuple | None:
    if row is None:
        return None
    return (row.passed_at, row.checked_actions, row.pass_actions, row.hints_shown, row.solution_shown_at,
            row.failed_checks, row.passed_with_solution, row.attempts,
            solution_allowed(failed_checks=row.failed_checks, seconds_spent=row.time_spent))
