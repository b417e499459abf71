"""The rollout chart draws exactly the timeline's numbers (simulator/timeline.py), is well-formed,
accessible, deterministic and escaped; the table carries the same numbers."""
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings, strategies as st

from simulator import Cluster
from tests.simulator.engine_helpers import cluster_with, deployment_yaml
from tutorial.visuals.chart import (MARGIN, Scale, chart_data, rollout_chart_context, rollout_chart_headers,
                                    rollout_chart_svg, rollout_chart_table)

SVG = "{http://www.w3.org/2000/svg}"


def _rolled(replicas=4, surge=1, unavailable=1, images=("luksa/kubia:v2",), seed=0):
    c = cluster_with(deployment_yaml(replicas=replicas, surge=surge, unavailable=unavailable), seed=seed)
    for image in images:
        c.run(f"kubectl set image deployment kubia nodejs={image}")
        c.advance(90)
    return c


def _pts(el):
    return [tuple(map(float, p.split(","))) for p in el.get("points").split()]


def _cross(pts, x, closed):
    """y of every horizontal edge a vertical line at x crosses (the shapes are axis-aligned steps)."""
    edges = list(zip(pts, pts[1:] + pts[:1] if closed else pts[1:]))
    ys = []
    for (x1, y1), (x2, y2) in edges:
        assert x1 == x2 or y1 == y2, "step shapes have axis-aligned edges only"
        if y1 == y2 and min(x1, x2) <= x <= max(x1, x2):
            ys.append(y1)
    return ys


def _value(scale, y):
    return (scale.bottom - y) * scale.y_top / (scale.bottom - scale.top)


def _check_drawn(samples, width=640, height=240):
    svg = rollout_chart_svg(samples, "en", width, height)
    root = ET.fromstring(svg)
    data = chart_data(samples)
    scale = Scale(data, width, height)
    polys = {p.get("data-rs"): p for p in root.iter(SVG + "polygon") if p.get("data-rs")}
    assert list(polys) == [rs["name"] for rs in data["replica_sets"]]
    band = next(p for p in root.iter(SVG + "polygon") if p.get("class") == "band")
    available = next(p for p in root.iter(SVG + "polyline") if p.get("class") == "available")
    ends = [s["t"] for s in samples[1:]] + [data["until"]]
    checked = 0
    for i, (s, end) in enumerate(zip(samples, ends)):
        if scale.x(end) - scale.x(s["t"]) < 0.05:
            continue  # narrower than the 0.01 px coordinate precision can resolve
        x = (scale.x(s["t"]) + scale.x(end)) / 2
        below = 0
        for name, pods in [(r[0], r[3]) for r in s["rs"]] + \
                [(n, 0) for n in polys if n not in {r[0] for r in s["rs"]}]:
            ys = _cross(_pts(polys[name]), x, True)
            lo, hi = _value(scale, max(ys)), _value(scale, min(ys))
            if name in {r[0] for r in s["rs"]}:
                assert abs(hi - lo - pods) < 0.01, (s, name)
        # stack: Σ pods of all ReplicaSets = the top of the last area
        tops = [_value(scale, min(_cross(_pts(p), x, True))) for p in polys.values()]
        assert abs(max(tops + [0]) - sum(r[3] for r in s["rs"])) < 0.01
        ys = _cross(_pts(band), x, True)
        assert abs(_value(scale, min(ys)) - (s["replicas"] + s["surge"])) < 0.01
        assert abs(_value(scale, max(ys)) - (s["replicas"] - s["unavailable"])) < 0.01
        (y,) = set(_cross(_pts(available), x, False))
        assert abs(_value(scale, y) - s["available"]) < 0.01
        checked += 1
    return checked


@pytest.mark.parametrize("replicas,surge,unavailable", [(4, 1, 1), (3, "25%", "25%"), (10, "25%", "25%"),
                                                        (12, 0, "50%"), (1, 1, 0), (7, "100%", 0)])
def test_drawn_shapes_match_the_timeline(replicas, surge, unavailable):
    c = _rolled(replicas, surge, unavailable, images=("luksa/kubia:v2", "luksa/kubia:v3"))
    samples = c.timeline("kubia")
    assert _check_drawn(samples) >= len(samples) // 2


def test_stuck_rollout_band_and_three_revisions():
    c = _rolled(10, "25%", "25%", images=("luksa/kubia:v2", "luksa/kubia:v1000"))
    samples = c.timeline("kubia")
    _check_drawn(samples, 800, 300)
    data = chart_data(samples)
    assert [(rs["revision"], rs["role"]) for rs in data["replica_sets"]] == [(1, "old"), (2, "old"), (3, "new")]
    # K8S-FACTS §10.3: stuck at old 8 / new 5, band 8…13
    assert [rs["pods"][-1] for rs in data["replica_sets"]][1:] == [8, 5]
    assert (data["low"][-1], data["high"][-1]) == (8, 13)
    root = ET.fromstring(rollout_chart_svg(samples, "en", deployment="kubia"))
    desc = root.find(SVG + "desc").text
    assert "(revision 3, new): 0 → 5 pods, at most 5." in desc
    assert desc.endswith("Allowed range at the end: 8 to 13 pods (replicas 10 − maxUnavailable 2, "
                         "replicas 10 + maxSurge 3).")


def test_accessible_svg_in_both_languages():
    c = _rolled()
    samples = c.timeline("kubia")
    for lang, title, x_label, y_label in [
            ("en", "Rollout of kubia: pods per ReplicaSet over time", "simulated time (s)", "pods"),
            ("ko", "kubia 롤아웃: 시간에 따른 레플리카셋별 파드 수", "시뮬레이션 시간(초)", "파드 수")]:
        root = ET.fromstring(rollout_chart_svg(samples, lang, deployment="kubia", id_prefix="c1"))
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "c1-title c1-desc"
        assert root.find(SVG + "title").get("id") == "c1-title" and root.find(SVG + "title").text == title
        assert root.find(SVG + "desc").get("id") == "c1-desc" and root.find(SVG + "desc").text
        labels = [t.text for t in root.iter(SVG + "text") if t.get("class") == "axis-label"]
        assert labels == [x_label, y_label]
    ko_desc = ET.fromstring(rollout_chart_svg(samples, "ko")).find(SVG + "desc").text
    assert re.search(r"\(리비전 2, 최신\): 파드 0개 → 4개, 가장 많을 때 4개입니다\.", ko_desc)


def test_deterministic_bytes():
    a = _rolled(seed=3)
    b = _rolled(seed=3)
    assert a.timeline("kubia") == b.timeline("kubia")
    svg = rollout_chart_svg(a.timeline("kubia"), "ko")
    assert svg == rollout_chart_svg(b.timeline("kubia"), "ko")
    restored = Cluster.restore(a.snapshot())
    assert rollout_chart_svg(restored.timeline("kubia"), "ko") == svg
    assert rollout_chart_table(restored.timeline("kubia"), "en") == rollout_chart_table(a.timeline("kubia"), "en")


def test_everything_is_escaped():
    evil = 'x"<&>\'y'
    samples = [{"t": 0.0, "replicas": 2, "surge": 1, "unavailable": 0, "available": 1, "revision": 1,
                "terminating": 0, "rs": [[evil, 1, 2, 2, 1, 1]]},
               {"t": 5.0, "replicas": 2, "surge": 1, "unavailable": 0, "available": 2, "revision": 1,
                "terminating": 0, "rs": [[evil, 1, 2, 2, 2, 2]]}]
    svg = rollout_chart_svg(samples, "en", deployment=evil, id_prefix=evil)
    root = ET.fromstring(svg)
    assert root.find(SVG + "title").text == f"Rollout of {evil}: pods per ReplicaSet over time"
    assert evil in root.find(SVG + "desc").text
    assert [p.get("data-rs") for p in root.iter(SVG + "polygon") if p.get("data-rs")] == [evil]
    assert re.fullmatch(r"[A-Za-z0-9_-]+-title", root.find(SVG + "title").get("id"))


def test_table_matches_the_timeline():
    c = _rolled(6, 2, 1)
    samples = c.timeline("kubia")
    for lang in ("en", "ko"):
        headers = rollout_chart_headers(samples, lang)
        rows = rollout_chart_table(samples, lang)
        assert len(rows) == len(samples)
        for s, row in zip(samples, rows):
            assert (row["t"], row["replicas"], row["available"], row["terminating"]) == \
                (s["t"], s["replicas"], s["available"], s["terminating"])
            assert (row["min_available"], row["max_total"]) == (s["replicas"] - s["unavailable"], s["replicas"] + s["surge"])
            present = {r[0]: r for r in s["rs"]}
            for rs in row["replica_sets"]:
                want = present.get(rs["name"])
                assert (rs["pods"], rs["available"]) == ((want[3], want[5]) if want else (0, 0))
            assert row["pods"] == s["pods"]
            assert len(row["cells"]) == len(headers)
    en, ko = rollout_chart_table(samples, "en"), rollout_chart_table(samples, "ko")
    assert en[-1]["cells"][0] == f'{en[-1]["t"]:g} s' and ko[-1]["cells"][0] == f'{ko[-1]["t"]:g}초'
    assert en[-1]["cells"][-2] == "5–8" and ko[-1]["cells"][-2] == "5~8"
    assert rollout_chart_headers(samples, "ko")[0] == "시간"


def test_empty_and_single_sample():
    for samples in ([], None, [{"t": 3.0}]):
        root = ET.fromstring(rollout_chart_svg(samples, "ko"))
        assert root.get("role") == "img"
    assert "아직 기록된 롤아웃이 없습니다." in rollout_chart_svg([], "ko")
    assert rollout_chart_table([], "en") == []


row = st.tuples(st.sampled_from(["a", "b", "c<&"]), st.integers(0, 5), st.integers(0, 30), st.integers(0, 30),
                st.integers(0, 30), st.integers(0, 30)).map(list)
sample = st.fixed_dictionaries({
    "replicas": st.integers(0, 50), "surge": st.integers(0, 20), "unavailable": st.integers(0, 20),
    "available": st.integers(0, 60), "revision": st.integers(0, 5), "terminating": st.integers(0, 9),
    "rs": st.lists(row, max_size=4, unique_by=lambda r: r[0])})


@settings(max_examples=150, deadline=None)
@given(st.lists(sample, max_size=12), st.sampled_from(["en", "ko"]), st.integers(0, 2000), st.integers(0, 800))
def test_any_samples_give_a_well_formed_deterministic_chart(raw, lang, width, height):
    samples, t = [], 0.0
    for i, s in enumerate(raw):
        t += (i % 3) * 0.1 + (i % 2) * 7
        samples.append({"t": round(t, 3), **s})
    svg = rollout_chart_svg(samples, lang, width, height)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and svg == rollout_chart_svg(samples, lang, width, height)
    w = float(root.get("width"))
    for el in root.iter():
        if el.get("points"):
            assert all(MARGIN["left"] - 0.01 <= x <= w - MARGIN["right"] + 0.01 for x, _ in _pts(el))
    assert len(rollout_chart_table(samples, lang)) == len(samples)


def test_template_partials_render():
    django = pytest.importorskip("django")
    from django.template import Context, Engine

    from tutorial.visuals.why import explain_items
    c = _rolled()
    engine = Engine(dirs=["templates"])
    html = engine.get_template("visuals/_rollout_chart.html").render(
        Context({"chart": rollout_chart_context(c.timeline("kubia"), "ko", deployment="kubia")}))
    assert html.count("<svg") == 1 and "<summary>차트 데이터 표</summary>" in html
    assert html.count("<tr data-t=") == len(c.timeline("kubia"))
    why = engine.get_template("visuals/_why.html").render(Context({"why": explain_items(c, "kubia", "en")}))
    assert why.count("<li") == len(explain_items(c, "kubia", "en"))
    assert "&lt;" not in why and "4 pods available, at least 3 must stay available" in why



def test_legend_entries_name_every_replica_set_with_its_role():
    from django.template import Context, Engine

    from tutorial.visuals.chart import FONT_SIZE, WIDTH, legend_entries

    # Text is drawn at FONT_SIZE in a WIDTH-unit box that site.css never shows narrower than WIDTH px.
    assert FONT_SIZE >= 12
    svg = rollout_chart_svg([], "en")
    assert f'viewBox="0 0 {WIDTH} ' in svg and f'font-size="{FONT_SIZE}"' in svg
    c = _rolled(10, "25%", "25%", images=("luksa/kubia:v2", "luksa/kubia:v1000"))
    entries = legend_entries(c.timeline("kubia"), "ko")
    assert [e["kind"] for e in entries] == ["band", "area", "area", "area", "line"]
    assert entries[0]["label"] == "허용 범위" and entries[-1]["label"] == "사용 가능"
    assert [e["label"].rsplit(" · ", 1)[1] for e in entries[1:4]] == ["이전", "이전", "최신"]
    assert all("리비전" in e["label"] for e in entries[1:4])
    html = Engine(dirs=["templates"]).get_template("visuals/_rollout_chart.html").render(
        Context({"chart": rollout_chart_context(c.timeline("kubia"), "en", deployment="kubia")}))
    assert html.count('<li class="legend-') == 5 and "(rev 3) · new</li>" in html
