"""The feedback model, the same in every lesson (tutorial/content/README.md "Feedback model").

Pure Python, no Django: the panel (tutorial/progress/panel.py) and the recording
(tutorial/progress/services.py) ask these functions, the tests replay lessons through them.

An exercise is in one of four states:
- not_started: the learner has not acted on it yet; the panel shows the goal and nothing judged;
- working: the learner acted, but what the exercise looks at is still moving (a rollout runs, a
  pod starts) and the learner did not ask: nothing judged yet;
- checked: the learner asked (Check) since their last action, or their last action is over: the
  first one or two things to do next are shown (a mistake only once it is over);
- passed: it passed once (the record keeps the first pass); later work never turns it red.

An *action* is a command of the learner's that can change the cluster and succeeded (`get`,
`describe`, `rollout status`… only look), or a `curl` for an exercise that grades traffic; the
set-up's commands and clock ticks are not actions.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from .checks import command_text, rollout_complete
from .record_kinds import CACHED_LINE_CHARS

STATES = ("not_started", "working", "checked", "passed")
# At most this many judged lines at once: the first ones that matter (mistakes, then checks in
# the order the lesson author wrote them).
MAX_FEEDBACK_LINES = 2
# The reference solution may be asked for after this many failed Check clicks, or this much time
# spent on the exercise (wall seconds).
SOLUTION_AFTER_FAILED_CHECKS = 3
SOLUTION_AFTER_SECONDS = 10 * 60.0

# kubectl verbs (and shell commands) that only read: never an action.
_LOOKING = {"get", "describe", "explain", "api-resources", "api-versions", "version", "cluster-info",
            "logs", "top", "config", "help", "completion", "diff", "wait", "events", "auth"}
_SHELL_LOOKING = {"ls", "cat", "echo", "clear", "help", "history", "sleep", "watch", "grep", "head", "tail"}


def is_action(line: str, *, traffic: bool = False) -> bool:
    """Whether a console line is an action on the cluster (see the module text)."""
    line = line if type(line) is str else str(line)
    # learner_actions reads the whole console log at every grading: short lines are remembered
    return (_is_action if len(line) <= CACHED_LINE_CHARS else _uncached_is_action)(line, bool(traffic))


def _uncached_is_action(line: str, traffic: bool) -> bool:
    words = command_text(line).split("|")[0].split()
    if not words:
        return False
    first = str(line).split()[0] if str(line).split() else ""
    if first not in ("kubectl", "k"):
        if words[0] == "curl":
            return traffic
        return words[0] not in _SHELL_LOOKING and words[0] not in _LOOKING
    verbs = [w for w in words if not w.startswith("-")]
    if not verbs or verbs[0] in _LOOKING:
        return False
    if verbs[0] == "rollout":
        return len(verbs) > 1 and verbs[1] not in ("status", "history")
    return not any(w in ("--dry-run", "--dry-run=client", "--dry-run=server") for w in words)


_is_action = functools.lru_cache(maxsize=4096)(_uncached_is_action)


def _grades_traffic(exercise) -> bool:
    conditions = [c.condition for c in exercise.checks] + [m.condition for m in exercise.mistakes]
    return any(c.kind == "traffic" or (c.kind == "command" and "curl" in c.spec.get("pattern", ""))
               for c in conditions)


def learner_actions(cluster, exercise, since: float | None) -> int:
    """How many actions the learner took since the exercises started (failed commands excluded)."""
    traffic = _grades_traffic(exercise)
    count = 0
    for entry in cluster.history:
        t = entry.get("t")
        if since is not None and not (isinstance(t, (int, float)) and t >= since):
            continue
        # exit None: still running when logged (`delete` waits for the pods to go): not a failure
        if entry.get("exit") in (0, None) and is_action(entry.get("line", ""), traffic=traffic):
            count += 1
    return count


def actions_fold(exercise, since: float | None):
    """learner_actions as a fold over the log's entries (logscan.LogScan): (start, step, count).
    The state is (actions whose exit code is known, entries still without one: a `kubectl edit`
    gets its exit code when the editor closes, so those are read again at every count)."""
    traffic = _grades_traffic(exercise)

    def step(state, entry):
        t = entry.get("t")
        if since is not None and not (isinstance(t, (int, float)) and t >= since):
            return state
        if not is_action(entry.get("line", ""), traffic=traffic):
            return state
        known, open_entries = state
        code = entry.get("exit")
        if code is None:
            return known, open_entries + (entry,)
        return (known + 1, open_entries) if code in (0, None) else state

    def count(state):
        known, open_entries = state
        return known + sum(1 for entry in open_entries if entry.get("exit") in (0, None))

    return (0, ()), step, count


def _namespaces(exercise) -> set[str]:
    conditions = [c.condition for c in exercise.checks] + [m.condition for m in exercise.mistakes]
    return {c.spec["namespace"] for c in conditions if isinstance(c.spec.get("namespace"), str)} or {"default"}


def _deployment_at_rest(d: dict) -> bool:
    """Its rollout is over: finished, paused by the learner, or given up (ProgressDeadlineExceeded)."""
    return rollout_complete(d) or bool((d.get("spec") or {}).get("paused")) or _gave_up(d)


# A container waiting for one of these reasons stays so until someone changes something: at rest.
_STUCK_REASONS = {"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CrashLoopBackOff",
                  "CreateContainerConfigError", "CreateContainerError", "ErrImageNeverPull"}


def _pod_moving(pod: dict) -> bool:
    """Terminating, or starting (not ready, and not stuck for a reason that lasts)."""
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        return True
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or ())
    if ready:
        return False
    for container in status.get("containerStatuses") or ():
        waiting = (container.get("state") or {}).get("waiting") or {}
        if waiting.get("reason") in _STUCK_REASONS:
            return False
    return True


def _gave_up(d: dict) -> bool:
    progressing = next((c for c in (d.get("status") or {}).get("conditions") or ()
                        if c.get("type") == "Progressing"), None)
    return bool(progressing and progressing.get("reason") == "ProgressDeadlineExceeded")


def _deployment_of(pod: dict, rs_by_name: dict) -> str | None:
    """The name of the Deployment behind a pod (pod → ReplicaSet → Deployment), if any."""
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller") and ref.get("kind") == "ReplicaSet":
            rs = rs_by_name.get(ref.get("name"))
            for owner in ((rs or {}).get("metadata") or {}).get("ownerReferences") or ():
                if owner.get("kind") == "Deployment" and owner.get("controller"):
                    return owner.get("name")
    return None


def settled(cluster, exercise) -> bool:
    """Whether what the exercise looks at has come to rest: no rollout still running in its
    namespaces (finished, paused or given up), and no pod terminating or still starting. The pods
    of a rollout that gave up (its progress deadline passed: a failing readiness probe keeps them
    unready for good) are part of that rest."""
    for namespace in _namespaces(exercise):
        # copy=False: the stored objects themselves, only read here (no copy of every pod per grading)
        deployments = {d["metadata"]["name"]: d for d in cluster.list("Deployment", namespace, copy=False)}
        if not all(_deployment_at_rest(d) for d in deployments.values()):
            return False
        rs_by_name = {rs["metadata"]["name"]: rs for rs in cluster.list("ReplicaSet", namespace, copy=False)}
        for pod in cluster.list("Pod", namespace, copy=False):
            owner = deployments.get(_deployment_of(pod, rs_by_name) or "")
            if (pod.get("metadata") or {}).get("deletionTimestamp"):
                return False
            if (owner is None or not _gave_up(owner)) and _pod_moving(pod):
                return False
    return True


@dataclass(frozen=True)
class Judgement:
    """What the panel shows for one exercise."""
    state: str
    feedback: tuple[tuple[str, bool], ...] = ()  # (text, is_mistake), at most MAX_FEEDBACK_LINES
    why: tuple[str, ...] = ()
    passing: bool = False       # every check holds right now
    changed_since: bool = False  # passed before, but the cluster no longer passes (no red, a note)


def visible_feedback(result, *, at_rest: bool, acted: bool = True) -> tuple[tuple[str, bool], ...]:
    """The first lines that matter: mistakes (only about the learner's own actions, once what they
    describe is over), then the checks not yet true, at most MAX_FEEDBACK_LINES."""
    mistakes = len(result.feedback) - len(result.failed)
    lines = [(text, True) for text in result.feedback[:mistakes]] if at_rest and acted else []
    lines += [(text, False) for text in result.feedback[mistakes:]]
    return tuple(lines[:MAX_FEEDBACK_LINES])


def judge(result, *, passed_before: bool, opened: bool, acted: bool, checked: bool, at_rest: bool) -> Judgement:
    """The state of one exercise and what may be shown.

    passed_before: the record has a pass; opened: the exercise is the learner's to work on (the
    first one, or every earlier one passed, or they asked about it); acted: an action since it
    opened; checked: a Check click since the last action; at_rest: see settled()."""
    passing = bool(result is not None and result.passed)
    if passed_before or passing:
        return Judgement("passed", passing=passing, changed_since=passed_before and result is not None and not passing)
    if result is None or not (checked or (opened and acted)):
        return Judgement("not_started")
    if not (checked or at_rest):
        return Judgement("working")
    feedback = visible_feedback(result, at_rest=at_rest, acted=opened and acted)
    # the why-lines explain a failing timeline condition; shown with the mistake or check they belong to
    why = tuple(result.why) if feedback and at_rest and acted else ()
    return Judgement("checked", feedback, why)


def solution_allowed(*, failed_checks: int, seconds_spent: float) -> bool:
    """The reference solution is earned after SOLUTION_AFTER_FAILED_CHECKS failed Check clicks or
    SOLUTION_AFTER_SECONDS on the exercise; it is shown only when the learner then asks."""
    return failed_checks >= SOLUTION_AFTER_FAILED_CHECKS or seconds_spent >= SOLUTION_AFTER_SECONDS


def counts_as_attempt(*, clicked: bool, actions: int, seen_actions: int, result_changed: bool,
                      baseline: int = 0, opened: bool = True, passed_before: bool = False) -> bool:
    """An attempt is a Check click, or an automatic grading that follows a new action of the
    learner's on this exercise and whose result differs from the last one. A clock tick is never
    an attempt; neither is work before the exercise opened (actions up to `baseline`, or while
    `opened` is false) nor after it was passed. Fewer `actions` than `seen_actions`: the sandbox
    was reset and its count starts again from 0."""
    if clicked:
        return True
    if not opened or passed_before:
        return False
    seen = seen_actions if actions >= seen_actions else 0
    seen = max(seen, baseline if baseline <= actions else 0)
    return actions > seen and result_changed


__all__ = ["STATES", "Judgement", "judge", "is_action", "learner_actions", "settled", "visible_feedback",
           "solution_allowed", "counts_as_attempt", "MAX_FEEDBACK_LINES", "SOLUTION_AFTER_FAILED_CHECKS",
           "SOLUTION_AFTER_SECONDS"]
