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
from .record_kinds import CACHED_LINE_CHARS, command_fold, command_text
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


# The kinds a quiet grading (GradeMemo.quiet_key) can vouch for: their outcomes move only with the
# objects, the starts, or a log line one of their patterns matches.
QUIET_KINDS = OBJECT_KINDS | {"command"}
# Lines remembered per exercise as mattering or not: a lesson's console repeats a few dozen short
# ones. Kept per live cluster, so bounded: at most 128 lines of at most CACHED_LINE_CHARS (200)
# characters, under 30 KB even then; other lines are worked out each time (a few microseconds).
MATTERING_LINES = 128


def _mattering_step(exercise):
    """The step of a fold counting the log lines that can matter to `exercise`: those one of its
    `command:` patterns (`used`, `not_used` or `after`) matches, whatever their time. None when the
    exercise has a condition of another kind than QUIET_KINDS (it reads the clock, the controller's
    decisions or curl's answers: never quiet)."""
    conditions = [c.condition for c in exercise.checks] + [m.condition for m in exercise.mistakes]
    if any(getattr(c, "kind", None) not in QUIET_KINDS for c in conditions):
        return None
    patterns = [m for c in conditions if c.kind == "command" for m in (c.spec["match"], c.spec.get("after")) if m]
    known: dict[str, bool] = {}

    def step(count: int, entry) -> int:
        line = entry.get("line", "")
        if type(line) is not str:
            return count + 1  # odd: counted, so never quiet
        matters = known.get(line)
        if matters is None:
            text = command_text(line)
            matters = any(match(text) for match in patterns)
            if len(known) < MATTERING_LINES and len(line) <= CACHED_LINE_CHARS:
                known[line] = matters
        return count + matters

    step.known = known  # for the tests: what is remembered
    return step


class GradeMemo:
    """What one cluster's gradings keep for the next: the outcomes of its conditions of
    OBJECT_KINDS while its objects stay the same (a grading after `kubectl get` moved the log, not
    the objects), for `command:` conditions a fold over the log fed only its new lines
    (logscan.LogScan), and each exercise's last Result with the outcomes it was built from (equal
    outcomes, the same Result: see `result`). One per cluster (progress/panel.py keeps one per live
    Cluster); it holds one entry per condition and per exercise."""

    def __init__(self) -> None:
        self._outcomes: dict[int, tuple] = {}
        self._scans: dict[int, tuple] = {}
        self._results: dict[int, tuple] = {}
        self._quiet: dict[int, list] = {}

    def scan(self, owner, since, fold_of, log: list, *, pure: bool = False):
        """The fold (start, step, result) = fold_of() over `log`, kept for `owner` (a condition or an
        exercise) and `since`; its result. fold_of is called only when the fold starts, so it must
        not hold the cluster (this memo lives as long as the cluster does: a weak key). `pure`:
        result(state) reads only the state, so while a new line leaves the state as it was (a
        `kubectl get` matches no pattern: step returns the same object) the last result is given
        again, the same object, which lets `result` below see an unchanged outcome by identity."""
        seen = self._scans.get(id(owner))
        if seen is None or seen[0] is not owner or seen[1] != since:
            start, step, result = fold_of()
            seen = self._scans[id(owner)] = [owner, since, LogScan(start), step, result, None, None]
        state = seen[2].fold(log, seen[3])
        if not pure:
            return seen[4](state)
        if seen[5] is not state:
            seen[5], seen[6] = state, seen[4](state)
        return seen[6]

    def holds(self, condition, ctx, what: str):
        kind = getattr(condition, "kind", None)
        if kind == "command":
            try:
                since = ctx.since
                # a Context without the cluster: the fold is kept (see scan); it reads only `since`
                return self.scan(condition, since, lambda: command_fold(Context(None, since), condition.spec),
                                 ctx.cluster.history, pure=True)
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

    def result(self, exercise, key: tuple):
        """The Result kept for `exercise` when built from an equal `key` (the language, both starts
        and every condition's outcome, compared by identity first: GradeMemo keeps outcomes), else
        None. A Result is kept only when it drew no why-line (`keep`): those read the controller's
        decisions, which may move while every outcome stays equal (a resync writes no object)."""
        seen = self._results.get(id(exercise))
        if seen is not None and seen[0] is exercise and seen[1] == key:
            return seen[2]
        return None

    def keep(self, exercise, key: tuple, result) -> None:
        self._results[id(exercise)] = (exercise, key, result)

    def quiet_key(self, cluster, exercise, key: tuple) -> tuple | None:
        """`key` (the language and both starts) with what else the exercise's outcomes read: the
        objects (Cluster.changes) and the log lines that can matter to it (_mattering_step), counted
        over the log as appended to (LogScan.starts says when it started again). Equal from one
        grading to the next while only lines no pattern of it matches were logged (`kubectl get
        pods` against `used: "create deployment"`): every outcome is then the one kept (an object
        kind's by Cluster.changes, a `command:` fold's state is left as it was). None for an
        exercise that is never quiet."""
        kept = self._quiet.get(id(exercise))
        if kept is None or kept[0] is not exercise:
            kept = self._quiet[id(exercise)] = [exercise, _mattering_step(exercise), LogScan(0), None, None]
        step, scan, log = kept[1], kept[2], cluster.history
        if step is None or (scan.log is log and scan.seen and log and log[0] is not scan.first):
            # Lines dropped from the top of a full log (past 1,000 lines, one per new line): a line a
            # pattern matched may have left, so the fold would start again and read the whole log at
            # every grading (~0.1 ms) for a key that never repeats: not quiet, and nothing read.
            return None
        count = scan.fold(log, step)
        return (*key, cluster.changes, scan.starts, count)

    def quiet_result(self, exercise, quiet_key: tuple):
        """The Result of the last grading of `exercise` when its quiet_key was this one, else None."""
        kept = self._quiet.get(id(exercise))
        return kept[4] if kept is not None and kept[0] is exercise and kept[3] == quiet_key else None

    def keep_quiet(self, exercise, quiet_key: tuple, result) -> None:
        kept = self._quiet.get(id(exercise))
        if kept is not None and kept[0] is exercise:
            kept[3], kept[4] = quiet_key, result


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
    quiet = memo.quiet_key(cluster, exercise, (lang, since, mistakes_since)) if memo is not None else None
    if quiet is not None:
        # Nothing this exercise reads moved since its last grading: the same Result, no outcome asked
        kept = memo.quiet_result(exercise, quiet)
        if kept is not None:
            return kept
    ctx = Context(cluster, since)
    outcomes = [holds(check.condition, ctx, f"check {exercise.id}/{check.id}") for check in exercise.checks]
    mistakes_ctx = ctx
    if mistakes_since is not None and mistakes_since != since:
        mistakes_ctx = Context(cluster, mistakes_since)
    outcomes += [holds(mistake.condition, mistakes_ctx, f"mistake {exercise.id}[{i}]")
                 for i, mistake in enumerate(exercise.mistakes)]
    if memo is None:
        return _result(cluster, exercise, since, lang, mistakes_since, outcomes)[0]
    # Most gradings follow a command that only looked: every outcome is the one kept (by identity),
    # and building the Result again would give an equal one.
    key = (lang, since, mistakes_since, *outcomes)
    result = memo.result(exercise, key)
    if result is None:
        result, explained = _result(cluster, exercise, since, lang, mistakes_since, outcomes)
        if not explained:
            memo.keep(exercise, key, result)
    if quiet is not None:
        memo.keep_quiet(exercise, quiet, result)  # no why-line: QUIET_KINDS have none
    return result


def _explains(condition) -> bool:
    """Whether an explanation of `condition` can have lines (why_feedback.Explainer.lines)."""
    return getattr(condition, "kind", None) == "timeline"


def _result(cluster, exercise: Exercise, since, lang: str, mistakes_since, outcomes: list) -> tuple[Result, bool]:
    """(the Result of these outcomes of the checks then the mistakes, whether a why-line was asked
    of a condition that can have some)."""
    explainer = Explainer(cluster, since, lang)
    explained = False
    results = []
    for check, outcome in zip(exercise.checks, outcomes):
        what = f"check {exercise.id}/{check.id}"
        passed = bool(outcome and outcome.passed)
        why = ()
        if not passed and outcome is not None:
            why = _why(explainer, check.condition, False, what)
            explained = explained or _explains(check.condition)
        results.append(CheckResult(check.id, passed, text(check.message, lang),
                                   outcome.actual if outcome else None, why))
    feedback, why = [], []
    if mistakes_since is not None and mistakes_since != since:
        explainer = Explainer(cluster, mistakes_since, lang)
    for i, (mistake, outcome) in enumerate(zip(exercise.mistakes, outcomes[len(exercise.checks):])):
        if outcome and outcome.passed:
            feedback.append(text(mistake.message, lang))
            why.extend(_why(explainer, mistake.condition, True, f"mistake {exercise.id}[{i}]"))
            explained = explained or _explains(mistake.condition)
    feedback.extend(r.message for r in results if not r.passed)
    for r in results:
        why.extend(r.why)
    return Result(all(r.passed for r in results), results, feedback, list(dict.fromkeys(why))), explained

__all__ = ["grade", "Result", "CheckResult", "GradeMemo", "OBJECT_KINDS", "QUIET_KINDS"]
