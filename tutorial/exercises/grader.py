"""Grade one exercise against a learner's cluster.

`grade(cluster, exercise, since=None, lang="ko")` evaluates every check, then the `when:` of every
mistake, and builds feedback: messages of the mistakes that apply first, then the messages of the
checks not yet true, in the learner's language (the other language while a text is missing).
`since` is the simulated time the exercise started (replay.prepare returns it); None = from the start.

A `timeline:` check that does not hold, or a mistake whose `timeline:` condition does, also brings
the deployment-controller decisions that caused it, explained with their numbers in `lang`
(why_feedback.py; the same sentences as the Rollout panel's "why" log): per check in
`CheckResult.why`, and for the whole exercise in `Result.why` (mistakes first, then checks,
without repeats).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from .checks import Context, evaluate
from .comparisons import SpecError
from .loader import Exercise, ExerciseError, parse_exercise, text
from .logscan import LogScan
from .record_kinds import command_fold
from .why_feedback import Explainer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    id: str
    passed: bool
    message: str          # the check's message in the learner's language (shown while not passed)
    actual: Any = None    # what was measured (a count, a field value, matching command lines…)
    why: tuple[str, ...] = ()  # controller decisions behind a timeline check that does not hold


@dataclass(frozen=True)
class Result:
    passed: bool
    checks: list[CheckResult] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)  # explanation lines for the feedback (see module text)

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


def _why(explainer: Explainer, condition, held: bool, what: str) -> tuple[str, ...]:
    """Explanation lines, defensively: an explanation must never cost the grade."""
    try:
        return tuple(explainer.lines(condition, held))
    except Exception:  # noqa: BLE001
        log.exception("could not explain %s", what)
        return ()


# The kinds whose outcome reads only the objects as they are now (and `since`): the same while
# Cluster.changes stands still ("equal values mean the same objects", the store's resourceVersion).
# Not `command` (the console log), `timeline` (longest_stall reads the clock, and the why-lines the
# controller's decisions, which a resync may add without writing an object) nor `traffic` (curl's
# answers).
OBJECT_KINDS = frozenset({"exists", "absent", "field", "count", "image", "rollout_complete", "paused",
                          "history", "service"})


class GradeMemo:
    """What one cluster's gradings keep for the next: the outcomes of its conditions of
    OBJECT_KINDS while its objects stay the same (a grading after `kubectl get` moved the log, not
    the objects), and for `command:` conditions a fold over the log fed only its new lines
    (logscan.LogScan). One per cluster (progress/panel.py keeps one per live Cluster); it holds one
    entry per condition."""

    def __init__(self) -> None:
        self._outcomes: dict[int, tuple] = {}
        self._scans: dict[int, tuple] = {}

    def scan(self, owner, since, fold_of, log: list):
        """The fold (start, step, result) = fold_of() over `log`, kept for `owner` (a condition or an
        exercise) and `since`; its result."""
        start, step, result = fold_of()
        seen = self._scans.get(id(owner))
        if seen is None or seen[0] is not owner or seen[1] != since:
            seen = self._scans[id(owner)] = (owner, since, LogScan(start))
        return result(seen[2].fold(log, step))

    def holds(self, condition, ctx, what: str):
        kind = getattr(condition, "kind", None)
        if kind == "command":
            try:
                return self.scan(condition, ctx.since, lambda: command_fold(ctx, condition.spec), ctx.cluster.history)
            except Exception:  # noqa: BLE001 - as _holds: never take the console down
                log.exception("could not evaluate %s", what)
                return None
        if kind not in OBJECT_KINDS:
            return _holds(condition, ctx, what)
        key = (ctx.cluster.changes, ctx.since)
        seen = self._outcomes.get(id(condition))
        if seen is not None and seen[0] is condition and seen[1] == key:
            return seen[2]
        outcome = _holds(condition, ctx, what)
        self._outcomes[id(condition)] = (condition, key, outcome)
        return outcome


def grade(cluster, exercise: Exercise | dict, since: float | None = None, lang: str = "ko", *,
          mistakes_since: float | None = None, memo: GradeMemo | None = None) -> Result:
    """`mistakes_since`: judge mistakes only on what happened from then on (the moment the exercise
    opened, after the earlier ones were passed); checks still count from `since`. `memo`: outcomes
    kept from this cluster's earlier gradings (GradeMemo)."""
    holds = memo.holds if memo is not None else _holds
    if isinstance(exercise, dict):  # raw exercise data, e.g. straight from YAML
        try:
            exercise = parse_exercise(exercise)
        except SpecError as err:
            raise ExerciseError(str(err)) from None
    ctx = Context(cluster, since)
    explainer = Explainer(cluster, since, lang)
    results = []
    for check in exercise.checks:
        what = f"check {exercise.id}/{check.id}"
        outcome = holds(check.condition, ctx, what)
        passed = bool(outcome and outcome.passed)
        why = () if passed or outcome is None else _why(explainer, check.condition, False, what)
        results.append(CheckResult(check.id, passed, text(check.message, lang),
                                   outcome.actual if outcome else None, why))
    feedback, why = [], []
    if mistakes_since is not None and mistakes_since != since:
        ctx, explainer = Context(cluster, mistakes_since), Explainer(cluster, mistakes_since, lang)
    for i, mistake in enumerate(exercise.mistakes):
        what = f"mistake {exercise.id}[{i}]"
        outcome = holds(mistake.condition, ctx, what)
        if outcome and outcome.passed:
            feedback.append(text(mistake.message, lang))
            why.extend(_why(explainer, mistake.condition, True, what))
    feedback.extend(r.message for r in results if not r.passed)
    for r in results:
        why.extend(r.why)
    return Result(all(r.passed for r in results), results, feedback, list(dict.fromkeys(why)))


__all__ = ["grade", "Result", "CheckResult", "GradeMemo", "OBJECT_KINDS"]
