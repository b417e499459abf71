"""why.explain / explain_all against the upstream rollout arithmetic (pkg/controller/deployment/
rolling.go, sync.go, recreate.go; K8S-FACTS §1.4, §1.6, §1.8, §10) on real simulated rollouts."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from simulator.controllers.deployment_util import resolve_fenceposts
from tests.simulator.engine_helpers import cluster_with, deployment_yaml
from tutorial.visuals.why import availability_changes, explain, explain_all, language

RS_NAME = re.compile(r"kubia-[0-9a-z]+")

STRATEGIES = [(1, 1), (0, 1), (1, 0), (2, 3), ("25%", "25%"), ("50%", "0%"), ("0%", "30%"),
              ("100%", 0), (3, "10%"), ("10%", "75%")]


def _rollout(replicas, surge, unavailable, image="luksa/kubia:v2", advance=120):
    c = cluster_with(deployment_yaml(replicas=replicas, surge=surge, unavailable=unavailable))
    r = c.run(f"kubectl set image deployment kubia nodejs={image}")
    assert r.exit_code == 0, r.stderr
    c.advance(advance)
    return c


def _expected(replicas, surge, unavailable):
    """ResolveFenceposts, then MaxUnavailable's clamp to replicas (deployment_util.go)."""
    s, u = resolve_fenceposts(surge, unavailable, replicas)
    u = min(u, replicas)
    return {"max_surge": s, "max_unavailable": u, "min_available": replicas - u, "max_total": replicas + s}


def _ints(text):
    return sorted(int(x) for x in re.findall(r"\d+", RS_NAME.sub("", text)))


UP = re.compile(r"^new ReplicaSet (\S+)(?: created,)? (\d+) → (\d+): (\d+) pods? exists?, up to (\d+) allowed "
                r"\(replicas (\d+) \+ maxSurge (\d+)\)(?:; it needs only (\d+))?$")
DOWN = re.compile(r"^old ReplicaSet (\S+) (\d+) → (\d+): (\d+) pods? available, at least (\d+) must stay available "
                  r"\(replicas (\d+) − maxUnavailable (\d+)\)$")
BLOCKED = re.compile(r"below (\d+) \(replicas (\d+) − maxUnavailable (\d+)\)$")
KO_ALLOWED_LATIN = re.compile(r"ReplicaSet|replicas|maxSurge|maxUnavailable|Recreate")


@pytest.mark.parametrize("surge,unavailable", STRATEGIES)
@pytest.mark.parametrize("replicas", range(1, 13))
def test_explanations_carry_the_upstream_numbers(replicas, surge, unavailable):
    c = _rollout(replicas, surge, unavailable)
    want = _expected(replicas, surge, unavailable)
    decisions = c.decisions("kubia")
    steps = [d["step"] for d in decisions]
    # the first RS, then the rollout's new RS — created at size 0 (no scaling, no record) when maxSurge is 0
    assert steps[0] == "create_new" and steps.count("create_new") == (1 if want["max_surge"] == 0 else 2), steps
    assert "scale_down_old" in steps
    for d in decisions:
        en, ko = explain(d, "en"), explain(d, "ko")
        # both languages say the same numbers; the Korean has no English besides field names
        assert _ints(en) == _ints(ko), (en, ko)
        assert not re.search(r"[A-Za-z]", KO_ALLOWED_LATIN.sub("", RS_NAME.sub("", ko))), ko
        assert re.search(r"[가-힣]", ko)
        if d["step"] in ("create_new", "scale_up_new"):
            m = UP.match(en)
            assert m, en
            name, frm, to, current, max_total, r, s, need = m.groups()
            assert (name, int(frm), int(to)) == (d["rs"], d["from"], d["to"])
            assert (int(max_total), int(r), int(s)) == (want["max_total"], replicas, want["max_surge"])
            # NewRSNewReplicas: scaleUpCount = min(maxTotalPods − currentPodCount, replicas − newRS)
            assert int(to) - int(frm) == min(int(max_total) - int(current), replicas - int(frm))
            assert (need is not None) == (int(to) == replicas and int(max_total) - int(current) > replicas - int(frm))
        elif d["step"] == "scale_down_old":
            m = DOWN.match(en)
            assert m, en
            name, frm, to, available, min_available, r, u = m.groups()
            assert (name, int(frm), int(to)) == (d["rs"], d["from"], d["to"])
            assert (int(min_available), int(r), int(u)) == (want["min_available"], replicas, want["max_unavailable"])
            # scaleDownOldReplicaSetsForRollingUpdate never goes below minAvailable
            assert 0 < int(frm) - int(to) <= int(available) - int(min_available)
        elif d["step"] == "blocked":
            m = BLOCKED.search(en)
            assert m, en
            assert tuple(map(int, m.groups())) == (want["min_available"], replicas, want["max_unavailable"])
            # reconcileOldReplicaSets: maxScaledDown = allPods − minAvailable − newRSUnavailable <= 0
            assert d["pods"] - d["min_available"] - d["new_unavailable"] <= 0
            assert en.startswith("waiting: ")
        else:
            pytest.fail(f"unexpected step in a plain rolling update: {d['step']}: {en}")


def test_golden_delayed_trace_replicas_4_surge_1_unavailable_1():
    # K8S-FACTS §10.2 "Delayed": (4,0) → (4,1) → (3,1) → (3,2) → [D] → (2,2) → (2,3) → [pod 2] → (1,3)
    # → (1,4) → [pod 3] → (0,4) → [pod 4] → complete
    c = _rollout(4, 1, 1)
    lines = [RS_NAME.sub(lambda m: {c.decisions("kubia")[0]["rs"]: "OLD"}.get(m.group(0), "NEW"), text)
             for t, text in explain_all(c, "kubia", "en", since=30)]
    wait = ("waiting: 5 pods exist, the maximum allowed (replicas 4 + maxSurge 1), and 2 new pods are not "
            "available yet; scaling down the old ReplicaSet now would drop availability below 3 "
            "(replicas 4 − maxUnavailable 1)")
    down = "old ReplicaSet OLD {} → {}: 4 pods available, at least 3 must stay available (replicas 4 − maxUnavailable 1)"
    up = "new ReplicaSet NEW {} → {}: 4 pods exist, up to 5 allowed (replicas 4 + maxSurge 1)"
    assert lines == [
        "new ReplicaSet NEW created, 0 → 1: 4 pods exist, up to 5 allowed (replicas 4 + maxSurge 1)",
        down.format(4, 3), up.format(1, 2), wait,
        "1 more pod available: 4 of 4", down.format(3, 2), up.format(2, 3), wait,
        "1 more pod available: 4 of 4", down.format(2, 1), up.format(3, 4), wait,
        "1 more pod available: 4 of 4", down.format(1, 0),
        "1 more pod available: 4 of 4",
    ]
    ko = [text for _, text in explain_all(c, "kubia", "ko", since=30)]
    assert len(ko) == len(lines)
    assert ko[4] == "사용 가능한 파드가 1개 늘었습니다: 4개 중 4개"
    assert ko[3].startswith("기다리는 중입니다: 파드가 이미 허용 최대치인 5개(replicas 4 + maxSurge 1)이고, "
                            "새 파드 2개가 아직 사용 가능하지 않습니다.")


def test_stuck_rollout_then_proportional_scale_and_rollback():
    # K8S-FACTS §10.3 stuck at (8,5), then §10.5-style proportional scaling (15 replicas, 25% → 4/3)
    c = cluster_with(deployment_yaml(replicas=10), settle=90)
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v1000")
    c.advance(60)
    c.run("kubectl scale deployment kubia --replicas=15")
    c.advance(5)
    by_step = {}
    for d in c.decisions("kubia"):
        by_step.setdefault(d["step"], []).append(d)
    blocked = explain(by_step["blocked"][0], "en")
    assert blocked == ("waiting: 13 pods exist, the maximum allowed (replicas 10 + maxSurge 3), and 5 new pods "
                       "are not available yet; scaling down the old ReplicaSet now would drop availability "
                       "below 8 (replicas 10 − maxUnavailable 2)")
    prop = by_step["proportional"]
    assert [(d["from"], d["to"]) for d in prop] == [(8, 12), (5, 7)]  # round(8·19/13)=12, round(5·19/13)=7
    assert explain(prop[0], "en").endswith(
        "19 pods are allowed (replicas 15 + maxSurge 4), so 6 more pods are shared out in proportion "
        "to each ReplicaSet's size")
    assert "늘어난 6개를 레플리카셋 크기에 비례해 나눕니다" in explain(prop[0], "ko")
    c.run("kubectl rollout undo deployment kubia")
    c.advance(120)
    cleanup = [d for d in c.decisions("kubia") if d["step"] == "cleanup_unhealthy"]
    assert cleanup and explain(cleanup[0], "en").startswith(
        f"old ReplicaSet {cleanup[0]['rs']} 7 → 0: 7 of its pods are not available, so removing 7 pods "
        "does not lower availability")


def test_scale_to_zero_during_a_stuck_rollout_is_proportional_zero():
    c = cluster_with(deployment_yaml(replicas=4), settle=60)
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v1000")
    c.advance(30)
    c.run("kubectl scale deployment kubia --replicas=0")
    c.advance(5)
    zero = [d for d in c.decisions("kubia") if d["step"] == "proportional"]
    assert zero and all(d["to"] == 0 for d in zero)
    assert explain(zero[0], "en").endswith(": replicas is 0, so every ReplicaSet goes to 0")
    assert explain(zero[0], "ko").endswith(": replicas가 0이라서 모든 레플리카셋을 0으로 줄입니다")


def test_scale_single_and_recreate():
    c = cluster_with(deployment_yaml(replicas=3, strategy="Recreate"))
    c.run("kubectl scale deployment kubia --replicas=5")
    c.advance(10)
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(120)
    texts = {d["step"]: (explain(d, "en"), explain(d, "ko")) for d in c.decisions("kubia")}
    rs = [d["rs"] for d in c.decisions("kubia")]
    assert texts["scale_single"][0] == (f"ReplicaSet {rs[1]} 3 → 5: it is the only active ReplicaSet, "
                                        "so it follows replicas 5 directly")
    assert texts["recreate_down"][0] == (f"old ReplicaSet {rs[0]} 5 → 0: the Recreate strategy stops every "
                                         "old pod before starting new ones")
    assert texts["recreate_up"][0].endswith("0 → 5: no old pods are left, so the Recreate strategy starts all 5 at once")
    assert texts["recreate_up"][1].endswith("0 → 5: 이전 파드가 하나도 남지 않았으므로 Recreate 전략에 따라 5개를 한꺼번에 띄웁니다")


def test_hand_made_records_for_rare_steps():
    base = {"t": 1.0, "rs": "web-abc", "revision": 1, "replicas": 4, "max_surge": 1, "max_unavailable": 1}
    assert explain({**base, "step": "saturated", "from": 2, "to": 0}, "en") == \
        "old ReplicaSet web-abc 2 → 0: the new ReplicaSet already has all 4 pods available"
    assert explain({**base, "step": "new_above_replicas", "from": 6, "to": 4}, "ko") == \
        "새 레플리카셋 web-abc 6 → 4: 파드가 replicas 4보다 많아서 줄입니다"
    assert explain({**base, "step": "scale", "from": 1, "to": 2}, "en") == "ReplicaSet web-abc scaled 1 → 2"
    assert explain({**base, "step": "blocked", "pods": 3, "min_available": 3, "new_unavailable": 1}, "en") == (
        "waiting: 1 new pod is not available yet; scaling down the old ReplicaSet now would drop availability "
        "below 3 (replicas 4 − maxUnavailable 1)")
    assert explain({**base, "step": "blocked", "pods": 3, "min_available": 3, "new_unavailable": 0}, "en") == (
        "waiting: scaling down the old ReplicaSet now would drop availability below 3 (replicas 4 − maxUnavailable 1)")


def test_availability_gains_are_counted_per_replicaset():
    # one new pod became available and the controller removed an old one in the same instant:
    # the Deployment total stays 3, the gain is still reported (3 + 1 = 4 before the scale-down)
    samples = [
        {"t": 60.0, "replicas": 4, "available": 3, "rs": [["a", 1, 3, 3, 3, 3], ["b", 2, 2, 2, 0, 0]]},
        {"t": 67.2, "replicas": 4, "available": 3, "rs": [["a", 1, 2, 2, 2, 2], ["b", 2, 3, 3, 1, 1]]},
        {"t": 70.0, "replicas": 4, "available": 1, "rs": [["b", 2, 3, 3, 1, 1]]},
    ]
    assert availability_changes(samples) == [
        {"t": 60.0, "step": "pod_became_available", "gained": 3, "available": 3, "replicas": 4},
        {"t": 67.2, "step": "pod_became_available", "gained": 1, "available": 4, "replicas": 4},
    ]
    assert explain(availability_changes(samples)[0], "en") == "3 more pods available: 3 of 4"


def test_availability_lines_match_the_timeline_of_a_real_rollout():
    c = _rollout(6, "50%", "0%")
    samples = c.timeline("kubia")
    gains = availability_changes(samples)
    total_gain = sum(g["gained"] for g in gains)
    # every pod of both ReplicaSets became available once (no pod failed in this rollout)
    assert total_gain == 12
    assert all(g["available"] <= g["replicas"] + 3 for g in gains)  # never above replicas + maxSurge


def test_since_and_languages():
    c = _rollout(3, 1, 1)
    everything = explain_all(c, "kubia", "en")
    assert [t for t, _ in everything] == sorted(t for t, _ in everything)
    later = explain_all(c, "kubia", "en", since=60)
    assert later == [x for x in everything if x[0] >= 60] and later and len(later) < len(everything)
    assert explain_all(c, "kubia", "ko-KR") == explain_all(c, "kubia", "ko")
    assert explain_all(c, "kubia", "fr") == everything
    assert explain_all(c, "nope", "en") == []
    assert (language("ko_KR"), language(None), language("EN-us")) == ("ko", "en", "en")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)
steps = st.sampled_from(["create_new", "scale_up_new", "scale_down_old", "cleanup_unhealthy", "new_above_replicas",
                         "proportional", "scale_single", "saturated", "recreate_down", "recreate_up", "blocked",
                         "pod_became_available", "scale", "???"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["rs", "from", "to", "replicas", "max_surge", "max_unavailable", "current",
                                        "max_total", "available", "min_available", "pods", "new_unavailable",
                                        "allowed", "to_add", "gained", "unavailable_in_rs", "max_scaled_down"]),
                       json_values), steps, st.sampled_from(["en", "ko", "", "xx"]))
def test_any_record_gives_a_line_never_an_exception(record, step, lang):
    text = explain({**record, "step": step}, lang)
    assert isinstance(text, str) and text and "\n" not in text
    assert "{" not in text.replace(str(record.get("rs", "")), "")
