""""Why did that happen?" — one sentence per deployment-controller decision, with its numbers.

Input is what the simulator records (`Cluster.decisions()`, written by
simulator/controllers/deployment.py `_decide` and `Timeline.blocked`) plus the rollout samples
(`Cluster.timeline()`). The arithmetic being explained is upstream's
pkg/controller/deployment/rolling.go (reconcileNewReplicaSet / reconcileOldReplicaSets /
cleanupUnhealthyReplicas / scaleDownOldReplicaSetsForRollingUpdate), sync.go (scale) and
recreate.go; see K8S-FACTS §1.4, §1.6, §1.8.

The sentences are generated with numbers in them, so they are Python format strings in one small
table per language rather than gettext messages. English count words use the spec
`{field:singular|plural}` (see `_Formatter`); Korean needs no plural and only uses counters (개)
after numbers, never particles after a variable name (whose final sound would choose the particle).
"""
from __future__ import annotations

import string

# ---- sentence tables ---------------------------------------------------------------------------
# Keys are decision steps (plus a few sentence variants). Every field a string names is filled from
# the decision record; `delta` (|to − from|) and `need` are derived in `_fields`.

_EN = {
    "create_new": "new ReplicaSet {rs} created, {from} → {to}: {current:pod exists|pods exist}, "
                  "up to {max_total} allowed (replicas {replicas} + maxSurge {max_surge})",
    "scale_up_new": "new ReplicaSet {rs} {from} → {to}: {current:pod exists|pods exist}, "
                    "up to {max_total} allowed (replicas {replicas} + maxSurge {max_surge})",
    "needs_only": "; it needs only {replicas}",
    "scale_down_old": "old ReplicaSet {rs} {from} → {to}: {available:pod|pods} available, at least "
                      "{min_available} must stay available (replicas {replicas} − maxUnavailable {max_unavailable})",
    "cleanup_unhealthy": "old ReplicaSet {rs} {from} → {to}: {unavailable_in_rs:of its pods is|of its pods are} "
                         "not available, so removing {delta:pod|pods} does not lower availability "
                         "(up to {max_scaled_down} may be removed now)",
    "new_above_replicas": "new ReplicaSet {rs} {from} → {to}: it had more pods than replicas {replicas}",
    "proportional_up": "ReplicaSet {rs} {from} → {to}: replicas changed while several ReplicaSets are active; "
                       "{allowed} pods are allowed (replicas {replicas} + maxSurge {max_surge}), so "
                       "{to_add:more pod is|more pods are} shared out in proportion to each ReplicaSet's size",
    "proportional_down": "ReplicaSet {rs} {from} → {to}: replicas changed while several ReplicaSets are active; "
                         "{allowed} pods are allowed (replicas {replicas} + maxSurge {max_surge}), so "
                         "{removed:pod is|pods are} taken away in proportion to each ReplicaSet's size",
    "proportional_zero": "ReplicaSet {rs} {from} → {to}: replicas is 0, so every ReplicaSet goes to 0",
    "scale_single": "ReplicaSet {rs} {from} → {to}: it is the only active ReplicaSet, so it follows "
                    "replicas {replicas} directly",
    "saturated": "old ReplicaSet {rs} {from} → {to}: the new ReplicaSet already has all {replicas} "
                 "pods available",
    "recreate_down": "old ReplicaSet {rs} {from} → {to}: the Recreate strategy stops every old pod "
                     "before starting new ones",
    "recreate_up": "new ReplicaSet {rs} {from} → {to}: no old pods are left, so the Recreate strategy "
                   "starts all {replicas} at once",
    "scale": "ReplicaSet {rs} scaled {from} → {to}",
    "blocked": "waiting: {new_unavailable:new pod is|new pods are} not available yet; scaling down the "
               "old ReplicaSet now would drop availability below {min_available} "
               "(replicas {replicas} − maxUnavailable {max_unavailable})",
    "blocked_full": "waiting: {pods:pod exists|pods exist}, the maximum allowed (replicas {replicas} + "
                    "maxSurge {max_surge}), and {new_unavailable:new pod is|new pods are} not available yet; "
                    "scaling down the old ReplicaSet now would drop availability below {min_available} "
                    "(replicas {replicas} − maxUnavailable {max_unavailable})",
    "blocked_plain": "waiting: scaling down the old ReplicaSet now would drop availability below "
                     "{min_available} (replicas {replicas} − maxUnavailable {max_unavailable})",
    "pod_became_available": "{gained:more pod|more pods} available: {available} of {replicas}",
}

_KO = {
    "create_new": "새 레플리카셋 {rs} 생성, {from} → {to}: 파드가 {current}개 있고, 최대 {max_total}개"
                  "(replicas {replicas} + maxSurge {max_surge})까지 허용됩니다",
    "scale_up_new": "새 레플리카셋 {rs} {from} → {to}: 파드가 {current}개 있고, 최대 {max_total}개"
                    "(replicas {replicas} + maxSurge {max_surge})까지 허용됩니다",
    "needs_only": ". 새 레플리카셋에는 {replicas}개만 필요합니다",
    "scale_down_old": "이전 레플리카셋 {rs} {from} → {to}: 사용 가능한 파드가 {available}개이고, 최소 "
                      "{min_available}개(replicas {replicas} − maxUnavailable {max_unavailable})는 계속 사용 "
                      "가능해야 합니다",
    "cleanup_unhealthy": "이전 레플리카셋 {rs} {from} → {to}: 이 레플리카셋의 파드 {unavailable_in_rs}개가 "
                         "사용 불가 상태라서 그중 {delta}개를 먼저 없애도 가용성이 줄지 않습니다(지금은 최대 {max_scaled_down}개까지 "
                         "줄일 수 있습니다)",
    "new_above_replicas": "새 레플리카셋 {rs} {from} → {to}: 파드가 replicas {replicas}보다 많아서 줄입니다",
    "proportional_up": "레플리카셋 {rs} {from} → {to}: 여러 레플리카셋이 활성인 동안 replicas가 바뀌었습니다. "
                       "허용되는 파드는 {allowed}개(replicas {replicas} + maxSurge {max_surge})이므로, 늘어난 "
                       "{to_add}개를 레플리카셋 크기에 비례해 나눕니다",
    "proportional_down": "레플리카셋 {rs} {from} → {to}: 여러 레플리카셋이 활성인 동안 replicas가 바뀌었습니다. "
                         "허용되는 파드는 {allowed}개(replicas {replicas} + maxSurge {max_surge})이므로, 줄어든 "
                         "{removed}개를 레플리카셋 크기에 비례해 뺍니다",
    "proportional_zero": "레플리카셋 {rs} {from} → {to}: replicas가 0이라서 모든 레플리카셋을 0으로 줄입니다",
    "scale_single": "레플리카셋 {rs} {from} → {to}: 활성 레플리카셋이 하나뿐이라서 replicas {replicas}에 "
                    "바로 맞춥니다",
    "saturated": "이전 레플리카셋 {rs} {from} → {to}: 새 레플리카셋의 파드 {replicas}개가 이미 모두 사용 "
                 "가능합니다",
    "recreate_down": "이전 레플리카셋 {rs} {from} → {to}: Recreate 전략은 새 파드를 띄우기 전에 이전 파드를 "
                     "모두 내립니다",
    "recreate_up": "새 레플리카셋 {rs} {from} → {to}: 이전 파드가 하나도 남지 않았으므로 Recreate 전략에 따라 "
                   "{replicas}개를 한꺼번에 띄웁니다",
    "scale": "레플리카셋 {rs} 크기 변경, {from} → {to}",
    "blocked": "기다리는 중입니다: 새 파드 {new_unavailable}개가 아직 사용 가능하지 않습니다. 지금 이전 "
               "레플리카셋을 줄이면 사용 가능한 파드가 {min_available}개(replicas {replicas} − "
               "maxUnavailable {max_unavailable}) 아래로 떨어집니다",
    "blocked_full": "기다리는 중입니다: 파드가 이미 허용 최대치인 {pods}개(replicas {replicas} + maxSurge "
                    "{max_surge})이고, 새 파드 {new_unavailable}개가 아직 사용 가능하지 않습니다. 지금 이전 "
                    "레플리카셋을 줄이면 사용 가능한 파드가 {min_available}개(replicas {replicas} − "
                    "maxUnavailable {max_unavailable}) 아래로 떨어집니다",
    "blocked_plain": "기다리는 중입니다: 지금 이전 레플리카셋을 줄이면 사용 가능한 파드가 {min_available}개"
                     "(replicas {replicas} − maxUnavailable {max_unavailable}) 아래로 떨어집니다",
    "pod_became_available": "사용 가능한 파드가 {gained}개 늘었습니다: {replicas}개 중 {available}개",
}

TABLES = {"en": _EN, "ko": _KO}
LANGUAGES = tuple(TABLES)


def language(lang) -> str:
    """'ko', 'ko-kr', 'KO_KR' → 'ko'; anything unknown → 'en'."""
    code = str(lang or "").replace("_", "-").split("-")[0].lower()
    return code if code in TABLES else "en"


class _Formatter(string.Formatter):
    """`{n:pod|pods}` → '1 pod' / '4 pods'; other specs behave as usual; missing fields print '?'."""

    def get_value(self, key, args, kwargs):
        return kwargs.get(key, "?")

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return f"{value} {one if value == 1 else other}"
        if value == "?":
            return "?"
        return super().format_field(value, format_spec)


_FORMAT = _Formatter()


def _int(value):
    """Record numbers are ints; anything else (a hand-made or damaged record) shows as '?'."""
    return value if isinstance(value, int) and not isinstance(value, bool) else "?"


def _fields(decision: dict) -> dict:
    out = {}
    for key, value in decision.items():
        out[key] = str(value) if key == "rs" else _int(value)
    if "rs" not in out:
        out["rs"] = "?"
    frm, to = out.get("from", "?"), out.get("to", "?")
    out["delta"] = abs(to - frm) if isinstance(frm, int) and isinstance(to, int) else "?"
    to_add = out.get("to_add")
    out["removed"] = -to_add if isinstance(to_add, int) else "?"
    return out


def _template_key(decision: dict, f: dict) -> list[str]:
    """Which sentence(s) describe this decision."""
    step = decision.get("step")
    if step in ("create_new", "scale_up_new"):
        keys = [step]
        # NewRSNewReplicas: scaleUp = min(maxTotal − current, replicas − newRS); say which bound won
        room, need = f.get("max_total"), f.get("replicas")
        cur, frm, to = f.get("current"), f.get("from"), f.get("to")
        if all(isinstance(x, int) for x in (room, need, cur, frm, to)) and to == need and room - cur > need - frm:
            keys.append("needs_only")
        return keys
    if step == "proportional":
        to_add, allowed = f.get("to_add"), f.get("allowed")
        if allowed == 0 and f.get("replicas") == 0:
            return ["proportional_zero"]
        if isinstance(to_add, int) and to_add > 0:
            return ["proportional_up"]
        if isinstance(to_add, int) and to_add < 0:
            return ["proportional_down"]
        return ["scale"]
    if step == "blocked":
        pods, new_unav = f.get("pods"), f.get("new_unavailable")
        if not isinstance(new_unav, int) or new_unav <= 0:
            return ["blocked_plain"]
        limit = (f.get("replicas"), f.get("max_surge"))
        if isinstance(pods, int) and all(isinstance(x, int) for x in limit) and pods >= sum(limit):
            return ["blocked_full"]
        return ["blocked"]
    if step in _EN and step not in ("needs_only",):
        return [step]
    return ["scale"]


def explain(decision: dict, lang: str) -> str:
    """One line explaining `decision` (a `Cluster.decisions()` record, or a `pod_became_available`
    record from `availability_changes`) in `lang` ('ko' or 'en')."""
    table = TABLES[language(lang)]
    if not isinstance(decision, dict):
        decision = {}
    f = _fields(decision)
    return "".join(_FORMAT.vformat(table[key], (), f) for key in _template_key(decision, f))


def availability_changes(samples: list[dict]) -> list[dict]:
    """`pod_became_available` records from consecutive timeline samples.

    Samples are coalesced per instant, so a pod that became available and the old pod the controller
    removed in answer (same instant) cancel out in the Deployment's total. Gains are therefore
    counted per ReplicaSet (row available, matched by name), and `available` is the total just
    before the controller reacted: previous total + gained."""
    out = []
    prev_rows: dict[str, int] = {}
    prev_total = 0
    for s in samples:
        rows = {r[0]: int(r[5]) for r in s.get("rs") or () if len(r) >= 6}
        gained = sum(max(0, n - prev_rows.get(name, 0)) for name, n in rows.items())
        if gained > 0:
            out.append({"t": s["t"], "step": "pod_became_available", "gained": gained,
                        "available": prev_total + gained, "replicas": int(s.get("replicas") or 0)})
        prev_rows, prev_total = rows, int(s.get("available") or 0)
    return out


def explain_all(cluster, deployment: str, lang: str, since: float | None = None,
                namespace: str = "default") -> list[tuple[float, str]]:
    """Every decision and availability gain of `deployment`, in time order, as (t, text).

    At equal times the availability line comes first: a pod becoming available is what lets the
    controller act in that same instant. `since` keeps entries with t >= since (records made later
    in the same instant may still arrive, so a caller polling should de-duplicate)."""
    items = [(r.get("t", 0.0), 0, i, r) for i, r in enumerate(availability_changes(cluster.timeline(deployment, namespace)))]
    items += [(r.get("t", 0.0), 1, i, r) for i, r in enumerate(cluster.decisions(deployment, namespace))]
    items.sort(key=lambda x: (x[0], x[1], x[2]))
    return [(t, explain(r, lang)) for t, _, _, r in items if since is None or t >= since]


_TIME = {"en": "{t} s", "ko": "{t}초"}


def explain_items(cluster, deployment: str, lang: str, since: float | None = None,
                  namespace: str = "default") -> list[dict]:
    """explain_all as dicts for templates/visuals/_why.html: t, time (label in `lang`), text."""
    fmt = _TIME[language(lang)]
    return [{"t": t, "time": fmt.format(t=f"{t:.1f}".rstrip("0").rstrip(".")), "text": text}
            for t, text in explain_all(cluster, deployment, lang, since, namespace)]


__all__ = ["LANGUAGES", "availability_changes", "explain", "explain_all", "explain_items", "language"]
