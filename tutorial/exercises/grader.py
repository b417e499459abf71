"""Grade one exercise against a learner's cluster.

`grade(cluster, exercise, since=None, lang="ko")` evaluates every check, then the `when:` of every
mistake, and builds feedback: messages of the mistakes that apply first, then the messages of the
checks not yet true, in the learner's language (the other language while a text is missing).
`since` is the simulated time the exercise started (replay.prepare returns it); None = from the start.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from .checks import Context, evaluate
from .comparisons import SpecError
from .loader import Exercise, ExerciseError, parse_exercise, text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    id: str
    passed: bool
    message: str          # the check's message in the learner's language (shown while not passed)
    actual: Any = None    # what was measured (a count, a field value, matching command lines…)


@dataclass(frozen=True)
class Result:
    passed: bool
    checks: list[CheckResult] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [c.id for c in self.checks if not c.passed]


def _holds(condition, ctx, what: str):
    """Evaluate defensively: a check that cannot be evaluated on odd cluster state counts as not true."""
    try:
        return evaluate(condition, ctx)
    except Exception:  # noqa: BLE001 - grading must never take the console down
        log.exception("could not evaluate %s", what)
        return None


def grade(cluster, exercise: Exercise | dict, since: float | None = None, lang: str = "ko") -> Result:
    if isinstance(exercise, dict):  # raw exercise data, e.g. straight from YAML
        try:
            exercise = parse_exercise(exercise)
        except SpecError as err:
            raise ExerciseError(str(err)) from None
    ctx = Context(cluster, since)
    results = []
    for check in exercise.checks:
        outcome = _holds(check.condition, ctx, f"check {exercise.id}/{check.id}")
        passed = bool(outcome and outcome.passed)
        results.append(CheckResult(check.id, passed, text(check.message, lang), outcome.actual if outcome else None))
    feedback = []
    for i, mistake in enumerate(exercise.mistakes):
        outcome = _holds(mistake.condition, ctx, f"mistake {exercise.id}[{i}]")
        if outcome and outcome.passed:
            feedback.append(text(mistake.message, lang))
    feedback.extend(r.message for r in results if not r.passed)
    return Result(all(r.passed for r in results), results, feedback)


__all__ = ["grade", "Result", "CheckResult"]
