"""Exercise feedback says *why* a timeline condition came out as it did: the deployment-controller
decisions behind it, with their numbers (tutorial/exercises/why_feedback.py, the sentences of
tutorial/visuals/why.py). The numbers are checked against the upstream arithmetic (K8S-FACTS §1.2:
percentages of maxSurge round up, of maxUnavailable round down; both 0 → maxUnavailable 1;
maxUnavailable is clamped to replicas; fences replicas + maxSurge and replicas − maxUnavailable).
No Django needed."""
from __future__ import annotations

import math
import re

import pytest

from tests.simulator.engine_helpers import cluster_with, deployment_yaml
from tests.visuals.test_why import DOWN, UP  # the panel's sentences, parsed the same way
from tutorial.exercises import grade, load_all, replay
from tutorial.exercises.why_feedback import MAX_LINES

STRATEGIES = [(1, 1), (0, 1), (1, 0), (2, 0), (0, 2), ("25%", "25%"), ("50%", "0%"), ("0%", "30%"), (3, "10%")]
REPLICAS = range(1, 7)


def _scaled(value, replicas: int, round_up: bool) -> int:
    """GetScaledValueFromIntOrPercent: ints as they are, percentages of replicas rounded up or down."""
    if isinstance(value, int):
        return value
    exact = int(value.rstrip("%")) * replicas / 100
    return math.ceil(exact) if round_up else math.floor(exact)


def _fences(replicas: int, surge, unavailable) -> tuple[int, int]:
    s, u = _scaled(surge, replicas, True), _scaled(unavailable, replicas, False)
    if s == 0 and u == 0:
        u = 1
    return s, min(u, replicas)


def _text(en: str, ko: str | None = None) -> dict:
    return {"en": en, "ko": ko or en}


def _exercise(replicas: int, surge: int) -> dict:
    """Three timeline checks no rolling update with these fences can satisfy (except the first when
    maxUnavailable is 0, the second when maxSurge is 0), and a mistake that fires when availability
    fell below replicas."""
    return {
        "id": "fences",
        "goal": _text("Update kubia."),
        "checks": [
            {"id": "never-below", "timeline": {"deployment": "kubia", "min_available": {"at_least": replicas}},
             "message": _text("availability dropped")},
            {"id": "no-extra-pod", "timeline": {"deployment": "kubia", "max_pods": {"at_most": replicas}},
             "message": _text("too many pods")},
            {"id": "more-surge", "timeline": {"deployment": "kubia", "max_surge_seen": {"at_least": surge + 1}},
             "message": _text("not enough surge")},
            {"id": "image", "image": {"deployment": "kubia", "equals": "luksa/kubia:v9"},
             "message": _text("not v9")},
        ],
        "mistakes": [{"when": {"timeline": {"deployment": "kubia", "min_available": {"at_most": replicas - 1}}},
                      "message": _text("fell below replicas")}],
        "solution": ["kubectl set image deployment kubia nodejs=luksa/kubia:v9"],
    }


KO_UP = re.compile(r"최대 (\d+)개\(replicas (\d+) \+ maxSurge (\d+)\)까지 허용됩니다")
KO_DOWN = re.compile(r"^이전 레플리카셋 \S+ (\d+) → (\d+): .*최소 (\d+)개\(replicas (\d+) − maxUnavailable (\d+)\)")


@pytest.mark.parametrize("surge,unavailable", STRATEGIES)
@pytest.mark.parametrize("replicas", REPLICAS)
def test_why_lines_carry_the_fences(replicas, surge, unavailable):
    s, u = _fences(replicas, surge, unavailable)
    c = cluster_with(deployment_yaml(replicas=replicas, surge=surge, unavailable=unavailable))
    since = c.now
    assert c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2").exit_code == 0
    c.advance(120)
    exercise = _exercise(replicas, s)
    en, ko = grade(c, exercise, since=since, lang="en"), grade(c, exercise, since=since, lang="ko")
    checks = {r.id: r for r in en.checks}
    ko_checks = {r.id: r for r in ko.checks}

    # Only failing timeline checks explain themselves; other kinds never do.
    assert checks["image"].why == () and not checks["image"].passed
    for r in en.checks:
        assert (r.why == ()) if r.passed else len(r.why) <= MAX_LINES
        assert len(set(r.why)) == len(r.why)
        assert len(ko_checks[r.id].why) == len(r.why)

    # Availability floor: the old ReplicaSet's scale-downs, with replicas − maxUnavailable.
    below = checks["never-below"]
    assert below.passed == (u == 0), (below.actual, s, u)
    if u:
        assert below.actual == replicas - u  # the controller goes right down to the floor
        assert below.why, "a failing min_available check names the scale-downs behind it"
        for i, (line, ko_line) in enumerate(zip(below.why, ko_checks["never-below"].why)):
            m = DOWN.match(line)
            assert m, line
            _, frm, to, available, floor, r, mu = map(lambda x: int(x) if x.isdigit() else x, m.groups())
            assert (floor, r, mu) == (replicas - u, replicas, u), line
            assert 0 < frm - to <= available - floor
            if i == 0:
                assert frm == replicas, "the first offending decision comes first"
            k = KO_DOWN.match(ko_line)
            assert k, ko_line
            assert tuple(map(int, k.groups())) == (frm, to, replicas - u, replicas, u)
        # the mistake that fired explains itself with the same decisions, listed first
        assert en.feedback[0] == "fell below replicas"
        assert en.why[: len(below.why)] == list(below.why)
    else:
        assert "fell below replicas" not in en.feedback

    # Pod ceiling and surge: the new ReplicaSet's scale-ups, with replicas + maxSurge.
    # (Samples are coalesced per instant: a pod added and an old one removed in the same pass never
    # show together, so the measured peak may stay below replicas + maxSurge; never above it.)
    extra, more = checks["no-extra-pod"], checks["more-surge"]
    assert extra.actual <= replicas + s and more.actual <= s
    assert extra.passed == (extra.actual <= replicas) and not more.passed
    if s and replicas > 1:
        assert not extra.passed
    for result, ko_result in ((extra, ko_checks["no-extra-pod"]), (more, ko_checks["more-surge"])):
        if result.passed:
            continue
        assert result.why, result.id
        for line, ko_line in zip(result.why, ko_result.why):
            m = UP.match(line)
            assert m, line
            _, frm, to, current, max_total, r, ms = m.groups()[:7]
            assert (int(max_total), int(r), int(ms)) == (replicas + s, replicas, s), line
            # NewRSNewReplicas: scaleUp = min(maxTotal − current, replicas − newRS)
            assert int(to) - int(frm) == min(int(max_total) - int(current), replicas - int(frm))
            k = KO_UP.search(ko_line)
            assert k and tuple(map(int, k.groups())) == (replicas + s, replicas, s), ko_line
    # One reason, one line: every scale-up under the same fences says the same thing.
    assert len(more.why) == 1

    # The result's list: mistakes first, then checks in order, without repeats.
    expected = list(dict.fromkeys([*(below.why if u else ()), *(r for c_ in en.checks for r in c_.why)]))
    assert en.why == expected
    assert len(ko.why) == len(en.why)


LESSONS = {lesson.slug: lesson for lesson in load_all()}


def _lesson08():
    lesson = LESSONS["max-surge-unavailable"]
    return lesson, lesson.exercise("web-no-capacity-loss")


def test_lesson_08_defaults_say_four_to_three():
    """The wrong attempt with the default 25%/25% on 4 replicas: maxSurge 1, maxUnavailable 1."""
    lesson, exercise = _lesson08()
    cluster, since, _ = replay(lesson, exercise.wrong_attempts[0].commands)
    en = grade(cluster, exercise, since=since, lang="en")
    assert set(en.failed) == {"never-below-4", "two-at-once"}
    old = re.compile(r"^old ReplicaSet web-[0-9a-z]+ 4 → 3: 4 pods available, at least 3 must stay available "
                     r"\(replicas 4 − maxUnavailable 1\)$")
    new = re.compile(r"^new ReplicaSet web-[0-9a-z]+ created, 0 → 1: 4 pods exist, up to 5 allowed "
                     r"\(replicas 4 \+ maxSurge 1\)$")
    assert len(en.why) == 2 and old.match(en.why[0]) and new.match(en.why[1]), en.why
    by_id = {c.id: c for c in en.checks}
    assert by_id["never-below-4"].why == (en.why[0],)
    assert by_id["two-at-once"].why == (en.why[1],)
    assert all(c.why == () for c in en.checks if c.id not in ("never-below-4", "two-at-once"))

    ko = grade(cluster, exercise, since=since, lang="ko")
    assert len(ko.why) == 2
    assert re.match(r"^이전 레플리카셋 web-[0-9a-z]+ 4 → 3: 사용 가능한 파드가 4개이고, 최소 3개"
                    r"\(replicas 4 − maxUnavailable 1\)는 계속 사용 가능해야 합니다$", ko.why[0]), ko.why[0]
    assert "0 → 1" in ko.why[1] and "최대 5개(replicas 4 + maxSurge 1)까지 허용됩니다" in ko.why[1]


def test_lesson_08_too_much_surge_names_the_ceiling():
    lesson, exercise = _lesson08()
    cluster, since, _ = replay(lesson, exercise.wrong_attempts[1].commands)
    en = grade(cluster, exercise, since=since, lang="en")
    assert en.failed == ["at-most-six"]
    assert len(en.why) == 1
    assert re.match(r"^new ReplicaSet web-\S+ created, 0 → 3: 4 pods exist, up to 7 allowed "
                    r"\(replicas 4 \+ maxSurge 3\)$", en.why[0]), en.why


def test_no_why_before_anything_happened_nor_after_a_solution():
    lesson, exercise = _lesson08()
    cluster, since, _ = replay(lesson, [])
    fresh = grade(cluster, exercise, since=since, lang="en")
    assert not fresh.passed and fresh.why == []  # the set-up's own rollout is not the learner's
    cluster, since, _ = replay(lesson, exercise.solution)
    assert grade(cluster, exercise, since=since, lang="ko").why == []


def test_recreate_explains_the_drop_to_zero():
    lesson = LESSONS["updating"]
    exercise = lesson.exercises[0]
    attempt = next(a for a in exercise.wrong_attempts if "never-below-3" in a.fails and
                   any("Recreate" in line for line in a.commands))
    cluster, since, _ = replay(lesson, attempt.commands)
    en = grade(cluster, exercise, since=since, lang="en")
    below = next(c for c in en.checks if c.id == "never-below-3")
    assert below.actual == 0
    assert len(below.why) == 1
    assert re.match(r"^old ReplicaSet kubia-\S+ 3 → 0: the Recreate strategy stops every old pod", below.why[0])


def test_an_unfinished_rollout_says_what_it_waits_for():
    c = cluster_with(deployment_yaml(replicas=4))
    since = c.now
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:no-such-tag")
    c.advance(60)
    exercise = {"id": "finish", "goal": _text("Finish a rollout."), "solution": ["# advance 1"],
                "checks": [{"id": "finished", "message": _text("not finished"),
                            "timeline": {"deployment": "kubia", "rollouts_completed": {"at_least": 1}}},
                           {"id": "history", "message": _text("no revision 3"),
                            "timeline": {"deployment": "kubia", "revisions_seen": {"contains": 3}}}]}
    en = grade(c, exercise, since=since, lang="en")
    assert en.failed == ["finished", "history"]
    finished, history = en.checks
    assert history.why == ()  # revisions come from the learner's commands, not from the controller
    assert len(finished.why) == 1
    assert finished.why[0].startswith("waiting: 5 pods exist, the maximum allowed (replicas 4 + maxSurge 1), "
                                      "and 2 new pods are not available yet")
    assert finished.why[0].endswith("below 3 (replicas 4 − maxUnavailable 1)")
    ko = grade(c, exercise, since=since, lang="ko")
    assert ko.checks[0].why[0].startswith("기다리는 중입니다: 파드가 이미 허용 최대치인 5개(replicas 4 + maxSurge 1)")


def test_an_explanation_error_does_not_cost_the_grade(monkeypatch):
    from tutorial.exercises import why_feedback

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(why_feedback, "select", broken)
    lesson, exercise = _lesson08()
    cluster, since, _ = replay(lesson, exercise.wrong_attempts[0].commands)
    result = grade(cluster, exercise, since=since, lang="en")
    assert set(result.failed) == {"never-below-4", "two-at-once"} and result.why == []
