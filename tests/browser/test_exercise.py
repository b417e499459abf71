"""A learner completes lesson 04's exercise in real Chromium and sees it marked passed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.test_lesson_console import console_ready
from tutorial.exercises import load_lesson

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = load_lesson(Path(settings.BASE_DIR) / "tutorial" / "content" / "04-deployment-basics")
EXERCISE = LESSON.exercises[0]


def test_learner_passes_lesson_04_and_sees_it_in_progress(page: Page, live_url_real_content, artifacts):
    page.goto(f"{live_url_real_content}/ko/lessons/deployment-basics/")
    console_ready(page)
    panel = page.locator(f"#exercise-{EXERCISE.id}")
    expect(panel).to_have_attribute("data-passed", "false")
    expect(panel).to_have_attribute("data-state", "not_started")  # nothing judged before acting
    expect(panel.locator(".exercise-feedback li")).to_have_count(0)

    # One hint, then the solution typed into the console.
    panel.locator(".exercise-hint").click()
    expect(panel.locator(".exercise-hints li")).to_have_count(1, timeout=10_000)
    page.get_by_role("button", name="×20").click()
    command = page.locator("#console-input")
    output = page.locator("#console-output")
    for line in EXERCISE.solution:
        command.fill(line)
        command.press("Enter")
        expect(command).to_have_value("", timeout=10_000)
        expect(output).to_contain_text(f"$ {line}", timeout=10_000)
        if "rollout status" in line:  # it waits for the rollout; a new command would be refused meanwhile
            expect(output).to_contain_text('deployment "kubia" successfully rolled out', timeout=30_000)
    expect(output).to_contain_text("kubectl create --filename=kubia-deployment-v1.yaml --record=true", timeout=10_000)
    expect(output).not_to_contain_text("명령이 실행 중입니다")

    panel = page.locator(f"#exercise-{EXERCISE.id}")  # replaced by the pushed fragment
    expect(panel).to_have_attribute("data-passed", "true", timeout=15_000)
    expect(panel.locator(".exercise-state")).to_contain_text("통과")
    expect(panel.locator(".exercise-passed")).to_have_text("통과했습니다. 모든 조건을 만족합니다.")
    panel.get_by_role("button", name="채점하기").click()  # Check still answers once passed
    expect(panel.locator(".exercise-attempts")).to_contain_text(re.compile(r"시도 \d+회"))
    page.screenshot(path=str(artifacts / "exercise-passed-ko.png"), full_page=True)

    page.goto(f"{live_url_real_content}/en/progress/")
    row = page.locator(f'tr[data-exercise="{EXERCISE.id}"]')
    expect(row).to_have_attribute("data-passed", "true")
    expect(row).to_contain_text("✓")
    expect(page.locator('.progress-lesson[data-lesson="deployment-basics"] .mark-read')).to_have_text("read")
    page.screenshot(path=str(artifacts / "progress-en.png"), full_page=True)


def test_lesson_08_feedback_explains_why_availability_fell(page: Page, live_url_real_content, artifacts):
    """The default strategy on 4 replicas lets availability fall to 3: the panel says why, with the numbers."""
    lesson08 = load_lesson(Path(settings.BASE_DIR) / "tutorial" / "content" / "08-max-surge-unavailable")
    exercise = lesson08.exercise("web-no-capacity-loss")
    page.goto(f"{live_url_real_content}/ko/lessons/max-surge-unavailable/")
    console_ready(page)
    panel = page.locator(f"#exercise-{exercise.id}")
    expect(panel.locator(".exercise-why")).to_have_count(0)
    page.get_by_role("button", name="×20").click()
    command = page.locator("#console-input")
    output = page.locator("#console-output")
    for line in exercise.wrong_attempts[0].commands:  # set image with the defaults, then rollout status
        command.fill(line)
        command.press("Enter")
        expect(output).to_contain_text(f"$ {line}", timeout=10_000)
    expect(output).to_contain_text('deployment "web" successfully rolled out', timeout=30_000)

    panel = page.locator(f"#exercise-{exercise.id}")
    why = panel.locator(".exercise-why")
    expect(why.locator(".exercise-why-label")).to_have_text("이렇게 된 이유:", timeout=15_000)
    expect(why.locator("li").first).to_contain_text(
        re.compile(r"이전 레플리카셋 web-\S+ 4 → 3: .*최소 3개\(replicas 4 − maxUnavailable 1\)"))
    expect(panel.locator(".feedback-mistake").first).to_be_visible()
    panel.screenshot(path=str(artifacts / "exercise-why-ko.png"))
