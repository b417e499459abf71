"""The Rollout panel in Chromium on the maxSurge/maxUnavailable lesson as shipped (no Service created by
hand): chart, traffic strip, why log; screenshots saved as artefacts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_lesson_console import console_ready

pytestmark = pytest.mark.django_db(transaction=True)


def run(page: Page, line: str, expected: str) -> None:
    command = page.locator("#console-input")
    command.fill(line)
    command.press("Enter")
    expect(page.locator("#console-output")).to_contain_text(expected, timeout=10_000)


def test_rollout_at_speed_5_grows_the_chart_and_keeps_serving(page: Page, live_url_real_content, artifacts):
    page.goto(f"{live_url_real_content}/en/lessons/max-surge-unavailable/")
    console_ready(page)
    expect(page.locator("#rollout-deployment")).to_have_value("default/kubia")
    # The lesson as shipped: its set-up already put a Service in front of kubia (and of web).
    expect(page.locator("#traffic-service")).to_have_value("default/kubia", timeout=10_000)
    expect(page.locator("#traffic-service option")).to_have_text(["default/kubia", "default/web"])
    page.get_by_role("tab", name="Traffic").click()  # the views' tabs beside the console (issue 14)
    page.locator("#traffic-toggle").check()
    page.get_by_role("button", name="×5").click()
    rows = page.locator("#rollout-chart-panel .rollout-chart-table tbody tr")
    before = rows.count()
    why = page.locator("#rollout-why .why-log li")
    why_before = why.count()

    run(page, "kubectl set image deployment kubia nodejs=luksa/kubia:v2", "image updated")
    strip = page.locator("#traffic-strip .traffic-cell")
    expect(page.locator("#traffic-strip .traffic-legend li")).to_have_count(2, timeout=40_000)  # old and new version
    expect(page.locator("#traffic-strip .traffic-cell--error")).to_have_count(0)
    assert strip.count() > 0
    # The chart's and the why-log's tabs were hidden meanwhile: the server drew neither (the page
    # says what it shows); back on them, the learner sees what they missed at once.
    assert rows.count() == before and why.count() == why_before
    page.get_by_role("tab", name="Rollout chart").click()
    expect(rows).not_to_have_count(before, timeout=5_000)
    assert rows.count() > before
    page.get_by_role("tab", name="Why").click()
    expect(why).not_to_have_count(why_before, timeout=5_000)
    expect(page.locator("#rollout-why")).to_contain_text(re.compile(r"new ReplicaSet kubia-\S+ \d → \d"))
    expect(page.locator("#rollout-panel")).not_to_contain_text("{#")  # no template comment leaks as text
    page.screenshot(path=str(artifacts / "rollout-panel-en.png"), full_page=True)
    page.locator("#rollout-panel").screenshot(path=str(artifacts / "rollout-panel-detail-en.png"))
