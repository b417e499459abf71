"""Why a timeline condition came out as it did: the deployment-controller decisions behind it, in
the same sentences as the Rollout panel's "why" log (tutorial/visuals/why.py). Pure Python.

The grader asks for these when a `timeline:` check does not hold, or a mistake's `timeline:` `when:`
does. Each timeline fact (record_kinds.py TIMELINE_FACTS) maps to the decisions that move it, and to the
number such a decision stands for:

- min_available: old ReplicaSets scaled down (`scale_down_old`, `recreate_down`); the number is
  the floor the controller kept, replicas − maxUnavailable (0 for Recreate).
- max_pods: pods added (`create_new`, `scale_up_new`, `recreate_up`, proportional scale-ups); the
  number is the pods there were right after it (pods before + pods added).
- max_surge_seen: the same decisions; those pods − replicas.
- new_pods_while_paused: the new ReplicaSet scaled up (`create_new`, `scale_up_new`); its size after.
- rollouts_completed: what the controller waits for (`blocked`), when that is the last thing it did
  and the rollout has not finished.
- revisions_seen: nothing (the learner's commands make revisions, not the controller).

A decision is *offending* when its number agrees with the outcome being explained: the comparison
fails on it for a check that does not hold, and holds on it for a mistake that fires. Only decisions
since the exercise started count; the first offending ones are kept, one per distinct reason (step
family and the strategy's numbers), at most MAX_LINES.
"""
from __future__ import annotations

from typing import Callable

from tutorial.visuals.why import explain

MAX_LINES = 3

_SCALE_UP = ("create_new", "scale_up_new")


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pods_after(d: dict) -> int | None:
    """Pods (ReplicaSet sizes summed) right after a scale-up: the pods before it + the ones added."""
    if d.get("step") == "recreate_up":  # no old pods are left: the new ReplicaSet is all there is
        return _int(d.get("to"))
    if d.get("step") == "proportional":
        return _int(d.get("allowed"))
    current, frm, to = _int(d.get("current")), _int(d.get("from")), _int(d.get("to"))
    if current is None or frm is None or to is None:
        return _int(d.get("max_total"))
    return current + to - frm


def _adds_pods(d: dict) -> bool:
    step = d.get("step")
    if step in _SCALE_UP or step == "recreate_up":
        return True
    frm, to = _int(d.get("from")), _int(d.get("to"))
    return step == "proportional" and frm is not None and to is not None and to > frm


def _floor(d: dict) -> int | None:
    return 0 if d.get("step") == "recreate_down" else _int(d.get("min_available"))


def _surge(d: dict) -> int | None:
    pods, replicas = _pods_after(d), _int(d.get("replicas"))
    return None if pods is None or replicas is None else pods - replicas


# fact → (is this decision one that moves the fact?, the number it stands for)
_MEASURES: dict[str, tuple[Callable[[dict], bool], Callable[[dict], int | None]]] = {
    "min_available": (lambda d: d.get("step") in ("scale_down_old", "recreate_down"), _floor),
    "max_pods": (_adds_pods, _pods_after),
    "max_surge_seen": (_adds_pods, _surge),
    "new_pods_while_paused": (lambda d: d.get("step") in _SCALE_UP, lambda d: _int(d.get("to"))),
}

_FAMILY = {"create_new": "scale_up", "scale_up_new": "scale_up"}


def _reason(d: dict) -> tuple:
    """Decisions with the same reason say the same thing again with other sizes: keep the first."""
    step = d.get("step")
    return (_FAMILY.get(step, step), d.get("replicas"), d.get("max_surge"), d.get("max_unavailable"),
            d.get("min_available"), d.get("max_total"), d.get("allowed"))


def select(decisions: list[dict], samples: list[dict], fact: str, cmp, held: bool,
           since: float | None = None, limit: int = MAX_LINES) -> list[dict]:
    """The decision records that explain why `fact <cmp>` came out `held` (see the module text).

    `decisions` and `samples` are one Deployment's `Cluster.decisions()` and `Cluster.timeline()`."""
    recent = [d for d in decisions if isinstance(d, dict)
              and (since is None or (isinstance(d.get("t"), (int, float)) and d["t"] >= since))]
    if fact == "rollouts_completed":
        # Not finished: the controller's last word is what it is waiting for.
        if held or not recent or recent[-1].get("step") != "blocked" or (samples and samples[-1].get("complete")):
            return []
        return recent[-1:]
    if fact not in _MEASURES:
        return []
    moves, number = _MEASURES[fact]
    out, seen = [], set()
    for d in recent:
        if not moves(d):
            continue
        value = number(d)
        if value is None or cmp.holds(value) != held:
            continue
        reason = _reason(d)
        if reason in seen:
            continue
        seen.add(reason)
        out.append(d)
        if len(out) >= limit:
            break
    return out


class Explainer:
    """Why-lines for the timeline conditions of one grading: reads each Deployment's decisions and
    samples once."""

    def __init__(self, cluster, since: float | None, lang: str):
        self.cluster, self.since, self.lang = cluster, since, lang
        self._records: dict[tuple[str, str], tuple[list, list]] = {}

    def _read(self, namespace: str, name: str) -> tuple[list, list]:
        key = (namespace, name)
        if key not in self._records:
            self._records[key] = (self.cluster.decisions(name, namespace), self.cluster.timeline(name, namespace))
        return self._records[key]

    def lines(self, condition, held: bool) -> list[str]:
        """Explanation lines for `condition` (a checks.Condition) that came out `held`; [] for any
        condition that is not a timeline fact."""
        if getattr(condition, "kind", None) != "timeline":
            return []
        spec = condition.spec
        decisions, samples = self._read(spec["namespace"], spec["name"])
        chosen = select(decisions, samples, spec["fact"], spec["cmp"], held, self.since)
        return list(dict.fromkeys(explain(d, self.lang) for d in chosen))


__all__ = ["Explainer", "MAX_LINES", "select"]
