"""The rollout chart: pods per ReplicaSet, available pods and the allowed band over simulated time.

Input is `Cluster.timeline(deployment)` (simulator/timeline.py): one sample per change, each value
holding until the next sample, so everything is drawn as steps. Per sample:
* ReplicaSet areas are stacked oldest first, height = the RS's status.replicas (pods that exist and
  are not terminating — what upstream counts, K8S-FACTS §1.4 / §2);
* the band runs from replicas − maxUnavailable (minAvailable) to replicas + maxSurge (the most pods
  the controller may create), both as resolved by the controller (deployment_util.go
  ResolveFenceposts), so the learner sees the available line stay above the band's floor and the
  stacked pods stay under its ceiling;
* the available line is the Deployment's Σ availableReplicas.

Output is a deterministic string (same samples ⇒ same bytes): numbers are formatted with fixed
precision and every text goes through XML escaping. No Django here.
"""
from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from .why import language

_LABELS = {
    "en": {
        "title": "Rollout: pods per ReplicaSet over time",
        "title_named": "Rollout of {name}: pods per ReplicaSet over time",
        "x_axis": "simulated time (s)",
        "y_axis": "pods",
        "available": "available",
        "band": "allowed (replicas − maxUnavailable … replicas + maxSurge)",
        "band_short": "allowed range",
        "old": "old",
        "new": "new",
        "rs_legend": "{name} (rev {revision})",
        "rev_legend": "rev {revision} ({role})",
        "time": "{t} s",
        "time_header": "time",
        "terminating": "terminating",
        "empty": "No rollout recorded yet.",
        "desc_span": "From {t0} s to {t1} s.",
        "desc_rs": "{name} (revision {revision}, {role}): {first} → {last} pods, at most {peak}.",
        "desc_available": "Available pods: {first} at the start, {last} at the end, lowest {low} after the first "
                          "{floor} became available.",
        "desc_available_never": "Available pods: {last} at the end; never {floor} or more.",
        "desc_band": "Allowed range at the end: {low} to {high} pods (replicas {replicas} − maxUnavailable "
                     "{unavailable}, replicas {replicas} + maxSurge {surge}).",
        "rs_cell": "{pods} ({available} available)",
        "range": "{low}–{high}",
        "table_label": "Chart data as a table",
    },
    "ko": {
        "title": "롤아웃: 시간에 따른 레플리카셋별 파드 수",
        "title_named": "{name} 롤아웃: 시간에 따른 레플리카셋별 파드 수",
        "x_axis": "시뮬레이션 시간(초)",
        "y_axis": "파드 수",
        "available": "사용 가능",
        "band": "허용 범위(replicas − maxUnavailable … replicas + maxSurge)",
        "band_short": "허용 범위",
        "old": "이전",
        "new": "최신",
        "rs_legend": "{name} (리비전 {revision})",
        "rev_legend": "리비전 {revision} ({role})",
        "time": "{t}초",
        "time_header": "시간",
        "terminating": "종료 중",
        "empty": "아직 기록된 롤아웃이 없습니다.",
        "desc_span": "{t0}초부터 {t1}초까지의 기록입니다.",
        "desc_rs": "{name}(리비전 {revision}, {role}): 파드 {first}개 → {last}개, 가장 많을 때 {peak}개입니다.",
        "desc_available": "사용 가능한 파드는 처음 {first}개, 마지막 {last}개이며, 처음으로 {floor}개에 도달한 뒤 "
                          "가장 적을 때 {low}개였습니다.",
        "desc_available_never": "사용 가능한 파드는 마지막에 {last}개이며, 한 번도 {floor}개 이상이 되지 않았습니다.",
        "desc_band": "마지막 허용 범위는 {low}~{high}개입니다(replicas {replicas} − maxUnavailable {unavailable}, "
                     "replicas {replicas} + maxSurge {surge}).",
        "rs_cell": "{pods}개 (사용 가능 {available}개)",
        "range": "{low}~{high}",
        "table_label": "차트 데이터 표",
    },
}

# Fills that work without site CSS (classes allow overriding): newest revision green, older ones
# in blue/grey shades, cycling for long histories.
_NEW_FILL = "#3a9d5d"
_OLD_FILLS = ("#5b8fd1", "#8da9c4", "#a3a3a3", "#6c7a89")
_AVAILABLE = "#1f2933"
_BAND = "#f2b705"

# Drawn at FONT_SIZE in a WIDTH-unit box that the page never shows narrower than WIDTH px
# (site.css: min-width), so chart text is at least 12 px on every screen. The legend is HTML
# beside the SVG (legend_entries), where it wraps instead of being cut off.
WIDTH, HEIGHT, FONT_SIZE = 360, 210, 12
MARGIN = {"left": 40, "right": 12, "top": 12, "bottom": 40}


def _num(x: float) -> str:
    """Fixed-precision number text: 2 decimals, trailing zeros dropped ('60', '67.2', '-0' → '0')."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _t(x: float) -> str:
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


# ---- data -----------------------------------------------------------------------------------------

def chart_data(samples: list[dict], until: float | None = None) -> dict:
    """What the chart draws, as plain numbers (one value per sample, holding until the next one).

    replica_sets: [{name, revision, role ('old'|'new'), pods[], available[]}] oldest first;
    available[], low[] (replicas − maxUnavailable), high[] (replicas + maxSurge), t[], until, y_max."""
    samples = [s for s in samples or () if isinstance(s, dict) and isinstance(s.get("t"), (int, float))]
    ts = [float(s["t"]) for s in samples]
    order: list[str] = []
    revisions: dict[str, int] = {}
    for s in samples:
        for row in s.get("rs") or ():
            if isinstance(row, (list, tuple)) and len(row) >= 6:
                name = str(row[0])
                if name not in revisions:
                    order.append(name)
                revisions[name] = _int(row[1])
    current_revision = _int(samples[-1].get("revision")) if samples else 0
    replica_sets = []
    for name in order:
        pods, avail = [], []
        for s in samples:
            row = next((r for r in s.get("rs") or ()
                        if isinstance(r, (list, tuple)) and len(r) >= 6 and str(r[0]) == name), None)
            pods.append(_int(row[3]) if row else 0)
            avail.append(_int(row[5]) if row else 0)
        replica_sets.append({"name": str(name), "revision": revisions[name],
                             "role": "new" if revisions[name] == current_revision else "old",
                             "pods": pods, "available": avail})
    available = [_int(s.get("available")) for s in samples]
    low = [max(0, _int(s.get("replicas")) - _int(s.get("unavailable"))) for s in samples]
    high = [_int(s.get("replicas")) + _int(s.get("surge")) for s in samples]
    stacked = [sum(rs["pods"][i] for rs in replica_sets) for i in range(len(samples))]
    if until is None or (ts and until < ts[-1]):
        span = ts[-1] - ts[0] if ts else 0.0
        until = (ts[-1] if ts else 0.0) + max(1.0, round(span * 0.05, 1))
    y_max = max([1, *available, *high, *stacked])
    return {"t": ts, "until": float(until), "replica_sets": replica_sets, "available": available,
            "low": low, "high": high, "y_max": y_max}


def _nice_step(span: float, max_ticks: int) -> float:
    """Smallest of 1, 2, 5 × 10^k giving at most `max_ticks` intervals."""
    if span <= 0:
        return 1.0
    raw = span / max_ticks
    base = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * base >= raw:
            return m * base
    return 10 * base


class Scale:
    """Maps data (time, pods) to SVG coordinates inside the plot area."""

    def __init__(self, data: dict, width: int, height: int):
        self.left, self.top = MARGIN["left"], MARGIN["top"]
        self.right, self.bottom = width - MARGIN["right"], height - MARGIN["bottom"]
        self.t0 = data["t"][0] if data["t"] else 0.0
        self.t1 = max(data["until"], self.t0 + 1e-9)
        step = max(1, int(_nice_step(data["y_max"], 5)))
        self.y_step = step
        self.y_top = step * math.ceil(data["y_max"] / step)

    def x(self, t: float) -> float:
        return self.left + (t - self.t0) * (self.right - self.left) / (self.t1 - self.t0)

    def y(self, v: float) -> float:
        return self.bottom - v * (self.bottom - self.top) / self.y_top


# ---- SVG ------------------------------------------------------------------------------------------

def _steps(scale: Scale, ts: list[float], until: float, values: list[float]) -> list[tuple[float, float]]:
    """Corner points of a step function: value i holds from ts[i] to ts[i+1] (the last to `until`)."""
    pts = []
    ends = ts[1:] + [until]
    for t, end, v in zip(ts, ends, values):
        pts.append((scale.x(t), scale.y(v)))
        pts.append((scale.x(end), scale.y(v)))
    return pts


def _simplify(pts):
    """Drop repeated points and the middle of horizontal runs (same shape, fewer bytes)."""
    out = []
    for p in ((round(x, 2), round(y, 2)) for x, y in pts):
        if out and out[-1] == p:
            continue
        if len(out) >= 2 and out[-2][1] == out[-1][1] == p[1] and (out[-2][0] - out[-1][0]) * (out[-1][0] - p[0]) >= 0:
            out[-1] = p
            continue
        out.append(p)
    return out


def _points(pts) -> str:
    pts = _simplify(pts)
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)


def _text(x, y, content, **attrs) -> str:
    extra = "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return f'<text x="{_num(x)}" y="{_num(y)}"{extra}>{escape(str(content))}</text>'


def _fill_for(index_old: int, role: str) -> str:
    return _NEW_FILL if role == "new" else _OLD_FILLS[index_old % len(_OLD_FILLS)]


def _description(data: dict, L: dict, samples: list[dict]) -> str:
    if not data["t"]:
        return L["empty"]
    parts = [L["desc_span"].format(t0=_t(data["t"][0]), t1=_t(data["t"][-1]))]
    for rs in data["replica_sets"]:
        parts.append(L["desc_rs"].format(name=rs["name"], revision=rs["revision"], role=L[rs["role"]],
                                         first=rs["pods"][0], last=rs["pods"][-1], peak=max(rs["pods"])))
    avail, floor = data["available"], data["low"]
    reached = next((i for i, (a, f) in enumerate(zip(avail, floor)) if a >= f and f > 0), None)
    if reached is None:
        parts.append(L["desc_available_never"].format(last=avail[-1], floor=floor[-1]))
    else:
        parts.append(L["desc_available"].format(first=avail[0], last=avail[-1], low=min(avail[reached:]),
                                                floor=floor[reached]))
    last = samples[-1]
    parts.append(L["desc_band"].format(low=data["low"][-1], high=data["high"][-1], replicas=_int(last.get("replicas")),
                                       unavailable=_int(last.get("unavailable")), surge=_int(last.get("surge"))))
    return " ".join(parts)


def rollout_chart_svg(samples: list[dict], lang: str, width: int = WIDTH, height: int = HEIGHT, *,
                      deployment: str | None = None, until: float | None = None,
                      id_prefix: str = "rollout-chart") -> str:
    """Server-rendered SVG of a Deployment's rollout samples. `until` extends the last sample to the
    current time (default: a short tail after it); `id_prefix` keeps title/desc ids unique when a
    page shows several charts."""
    L = _LABELS[language(lang)]
    width, height = max(200, int(width)), max(120, int(height))
    samples = [s for s in samples or () if isinstance(s, dict) and isinstance(s.get("t"), (int, float))]
    data = chart_data(samples, until)
    scale = Scale(data, width, height)
    fills, old_index = {}, 0
    for rs in data["replica_sets"]:
        fills[rs["name"]] = _fill_for(old_index, rs["role"])
        old_index += rs["role"] == "old"
    pid = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(id_prefix)) or "rollout-chart"
    title = L["title_named"].format(name=deployment) if deployment else L["title"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="rollout-chart" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'aria-labelledby="{pid}-title {pid}-desc" font-family="sans-serif" font-size="{FONT_SIZE}">',
           f'<title id="{pid}-title">{escape(title)}</title>',
           f'<desc id="{pid}-desc">{escape(_description(data, L, samples))}</desc>']

    # grid and y axis ticks
    out.append('<g class="grid" stroke="#e3e6ea" stroke-width="1">')
    for v in range(0, scale.y_top + 1, scale.y_step):
        out.append(f'<line x1="{_num(scale.left)}" y1="{_num(scale.y(v))}" x2="{_num(scale.right)}" '
                   f'y2="{_num(scale.y(v))}"/>')
    out.append("</g>")

    ts, until = data["t"], data["until"]
    if ts:
        band = _steps(scale, ts, until, data["high"]) + list(reversed(_steps(scale, ts, until, data["low"])))
        out.append(f'<polygon class="band" fill="{_BAND}" fill-opacity="0.18" points="{_points(band)}"/>')
        stack = [0] * len(ts)
        for rs in data["replica_sets"]:
            top = [b + v for b, v in zip(stack, rs["pods"])]
            pts = _steps(scale, ts, until, top) + list(reversed(_steps(scale, ts, until, stack)))
            fill = fills[rs["name"]]
            out.append(f'<polygon class="rs rs-{rs["role"]}" data-rs={quoteattr(rs["name"])} '
                       f'data-revision="{rs["revision"]}" fill="{fill}" fill-opacity="0.75" '
                       f'points="{_points(pts)}"/>')
            stack = top
        for cls, values in (("band-high", data["high"]), ("band-low", data["low"])):
            out.append(f'<polyline class="{cls}" fill="none" stroke="{_BAND}" stroke-width="1.5" '
                       f'stroke-dasharray="5 3" points="{_points(_steps(scale, ts, until, values))}"/>')
        out.append(f'<polyline class="available" fill="none" stroke="{_AVAILABLE}" stroke-width="2" '
                   f'points="{_points(_steps(scale, ts, until, data["available"]))}"/>')
    else:
        out.append(_text((scale.left + scale.right) / 2, (scale.top + scale.bottom) / 2, L["empty"],
                         text_anchor="middle", fill="#6b7280"))

    # axes, tick labels, axis titles
    out.append(f'<g class="axes" stroke="#6b7280" stroke-width="1">'
               f'<line x1="{_num(scale.left)}" y1="{_num(scale.bottom)}" x2="{_num(scale.right)}" y2="{_num(scale.bottom)}"/>'
               f'<line x1="{_num(scale.left)}" y1="{_num(scale.top)}" x2="{_num(scale.left)}" y2="{_num(scale.bottom)}"/></g>')
    out.append('<g class="ticks" fill="#374151">')
    for v in range(0, scale.y_top + 1, scale.y_step):
        out.append(_text(scale.left - 6, scale.y(v) + 4, v, text_anchor="end"))
    x_step = _nice_step(scale.t1 - scale.t0, max(2, (scale.right - scale.left) // 55))
    first = math.ceil(scale.t0 / x_step) * x_step
    k = 0
    while first + k * x_step <= scale.t1 + 1e-9 and k < 50:
        t = first + k * x_step
        out.append(_text(scale.x(t), scale.bottom + 15, _t(t), text_anchor="middle"))
        k += 1
    out.append("</g>")
    out.append(_text((scale.left + scale.right) / 2, height - 6, L["x_axis"], class_="axis-label",
                     text_anchor="middle", fill="#374151"))
    ymid = (scale.top + scale.bottom) / 2
    out.append(_text(12, ymid, L["y_axis"], class_="axis-label", text_anchor="middle", fill="#374151",
                     transform=f"rotate(-90 12 {_num(ymid)})"))

    out.append("</svg>")
    return "".join(out)


# ---- text alternative --------------------------------------------------------------------------

def rollout_chart_headers(samples: list[dict], lang: str) -> list[str]:
    """Column headers matching each row's `cells`: time, one column per ReplicaSet (oldest first),
    available, allowed range, terminating."""
    L = _LABELS[language(lang)]
    data = chart_data(samples)
    return ([L["time_header"]]
            + [L["rs_legend"].format(name=rs["name"], revision=rs["revision"]) for rs in data["replica_sets"]]
            + [L["available"], L["band_short"], L["terminating"]])


def rollout_chart_table(samples: list[dict], lang: str) -> list[dict]:
    """One row per sample, the same numbers the chart draws: t, time (label), replicas,
    min_available, max_total, available, pods, terminating, replica_sets [{name, revision, role,
    pods, available}], and cells (strings aligned with rollout_chart_headers)."""
    L = _LABELS[language(lang)]
    samples = [s for s in samples or () if isinstance(s, dict) and isinstance(s.get("t"), (int, float))]
    data = chart_data(samples)
    rows = []
    for i, s in enumerate(samples):
        rss = [{"name": rs["name"], "revision": rs["revision"], "role": rs["role"], "pods": rs["pods"][i],
                "available": rs["available"][i]} for rs in data["replica_sets"]]
        row = {"t": data["t"][i], "time": L["time"].format(t=_t(data["t"][i])), "replicas": _int(s.get("replicas")),
               "min_available": data["low"][i], "max_total": data["high"][i], "available": data["available"][i],
               "pods": sum(r["pods"] for r in rss), "terminating": _int(s.get("terminating")), "replica_sets": rss}
        row["cells"] = ([row["time"]] + [L["rs_cell"].format(pods=r["pods"], available=r["available"]) for r in rss]
                        + [str(row["available"]), L["range"].format(low=row["min_available"], high=row["max_total"]),
                           str(row["terminating"])])
        rows.append(row)
    return rows


def legend_entries(samples: list[dict], lang: str) -> list[dict]:
    """The chart's legend as data for HTML: label, colour and kind ("band", "area" or "line")."""
    L = _LABELS[language(lang)]
    samples = [s for s in samples or () if isinstance(s, dict) and isinstance(s.get("t"), (int, float))]
    data = chart_data(samples)
    entries = [{"label": L["band_short"], "colour": _BAND, "kind": "band"}]
    old_index = 0
    for rs in data["replica_sets"]:
        colour = _fill_for(old_index, rs["role"])
        old_index += rs["role"] == "old"
        entries.append({"label": L["rs_legend"].format(name=rs["name"], revision=rs["revision"]) + " · " + L[rs["role"]],
                        "colour": colour, "kind": "area", "role": rs["role"]})
    entries.append({"label": L["available"], "colour": _AVAILABLE, "kind": "line"})
    return entries


def rollout_chart_context(samples: list[dict], lang: str, *, deployment: str | None = None,
                          until: float | None = None, id_prefix: str = "rollout-chart") -> dict:
    """Everything templates/visuals/_rollout_chart.html needs. `svg` is already escaped markup."""
    L = _LABELS[language(lang)]
    return {"svg": rollout_chart_svg(samples, lang, deployment=deployment, until=until, id_prefix=id_prefix),
            "caption": L["title_named"].format(name=deployment) if deployment else L["title"],
            "table_label": L["table_label"],
            "legend": legend_entries(samples, lang),
            "headers": rollout_chart_headers(samples, lang), "rows": rollout_chart_table(samples, lang)}


__all__ = ["Scale", "chart_data", "legend_entries", "rollout_chart_context", "rollout_chart_headers", "rollout_chart_svg",
           "rollout_chart_table"]
