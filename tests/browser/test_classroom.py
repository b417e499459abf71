"""Two browsers in Chromium: an instructor creates a class; a learner signs up, joins with the
code and passes lesson 04's exercise through the console; the instructor's dashboard cell turns
passed without a reload (WebSocket fed by the channel layer). Screenshots in test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, expect

from tests.browser.test_lesson_console import console_ready
from tutorial.accounts.roles import set_instructor
from tutorial.exercises import load_lesson

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = load_lesson(Path(settings.BASE_DIR) / "tutorial" / "content" / "04-deployment-basics")
EXERCISE = LESSON.exercises[0]
PASSWORD = "Kub3rnetes-rollouts!"


def test_instructor_sees_a_learner_pass_live(browser: Browser, live_url_real_content, artifacts):
    base = live_url_real_content
    teacher = get_user_model().objects.create_user("teacher", "teacher@example.com", PASSWORD)
    set_instructor(teacher)

    # Instructor: log in, create a class with lesson 04, read the join code.
    instructor = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ko-KR").new_page()
    instructor.goto(f"{base}/en/accounts/login/")
    instructor.get_by_label("Username").fill("teacher")
    instructor.get_by_label("Password").fill(PASSWORD)
    instructor.get_by_role("button", name="Log in").click()
    instructor.goto(f"{base}/en/classes/new/")
    instructor.get_by_label("Class name").fill("Rollouts 101")
    instructor.locator('input[name="lessons"][value="deployment-basics"]').check()
    instructor.get_by_role("button", name="Create the class").click()
    expect(instructor.locator("h1")).to_have_text("Rollouts 101")
    code = instructor.locator("#join-code").inner_text().strip()
    assert len(code) == 8
    expect(instructor.locator(".class-empty")).to_be_visible()
    instructor.evaluate("window.__notReloaded = true")  # gone if the dashboard were ever reloaded

    # Learner: sign up (in Korean), join with the code.
    learner = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ko-KR").new_page()
    learner.goto(f"{base}/ko/accounts/signup/")
    learner.locator("#id_username").fill("mina")
    learner.locator("#id_email").fill("mina@example.com")
    learner.locator("#id_password1").fill(PASSWORD)
    learner.locator("#id_password2").fill(PASSWORD)
    learner.get_by_role("button", name="계정 만들기").click()
    expect(learner.locator(".account-name")).to_have_text("mina")
    learner.goto(f"{base}/ko/classes/join/")
    learner.locator("#id_code").fill(code.lower())
    learner.get_by_role("button", name="참여하기").click()
    expect(learner.locator(".messages")).to_contain_text("Rollouts 101 수업에 참여했습니다.")

    # The dashboard shows the new learner without a reload (membership event).
    key = f"deployment-basics/{EXERCISE.id}"
    cell = instructor.locator(f'tr[data-learner="mina"] td[data-exercise="{key}"]')
    expect(cell).to_have_attribute("data-status", "not_started", timeout=10_000)

    # Learner passes lesson 04's exercise with its solution, typed into the console.
    learner.goto(f"{base}/ko/lessons/deployment-basics/")
    console_ready(learner)
    expect(cell).to_have_attribute("data-status", "in_progress", timeout=10_000)
    learner.get_by_role("button", name="×20").click()
    command, output = learner.locator("#console-input"), learner.locator("#console-output")
    for line in EXERCISE.solution:
        command.fill(line)
        command.press("Enter")
        expect(command).to_have_value("", timeout=10_000)
        expect(output).to_contain_text(f"$ {line}", timeout=10_000)
        if "rollout status" in line:
            expect(output).to_contain_text('deployment "kubia" successfully rolled out', timeout=30_000)
    expect(learner.locator(f"#exercise-{EXERCISE.id}")).to_have_attribute("data-passed", "true", timeout=15_000)
    learner.screenshot(path=str(artifacts / "classroom-learner-passed.png"), full_page=True)

    # The instructor's page was never reloaded: the cell turned passed over the WebSocket.
    expect(cell).to_have_attribute("data-status", "passed", timeout=15_000)
    assert instructor.evaluate("window.__notReloaded") is True
    expect(instructor.locator(f'#class-summary tr[data-exercise="{key}"] .summary-passed')).to_have_text("1/1")
    instructor.screenshot(path=str(artifacts / "classroom-dashboard-passed.png"), full_page=True)

    # Drill-down: the learner's commands and cluster, live and read-only over the watch socket.
    misplaced = []  # fragments the session sent that the drill-down has no place for
    instructor.on("console", lambda message: misplaced.append(message.text) if "oobErrorNoTarget" in message.text else None)
    instructor.locator('tr[data-learner="mina"] th a').click()
    watch = instructor.locator(".learner-watch")
    expect(watch).to_have_attribute("data-state", "open", timeout=15_000)
    expect(instructor.locator(".watch-badge-live")).to_be_visible()
    expect(instructor.locator(".watch-badge-readonly")).to_have_text("Read-only")
    expect(instructor.locator("#console-output")).to_contain_text(EXERCISE.solution[0])
    expect(instructor.locator("#cluster-view .deployment")).to_have_count(1)
    assert instructor.locator(".learner-watch input, .learner-watch textarea").count() == 0
    instructor.evaluate("window.__notReloaded = true")
    # The learner works on, in both terminals: the instructor sees it without a reload.
    command.fill("kubectl scale deployment kubia --replicas=5")
    command.press("Enter")
    expect(instructor.locator("#console-output")).to_contain_text("deployment.apps/kubia scaled", timeout=10_000)
    assert misplaced == []  # watch.py sends only what the drill-down shows
    expect(instructor.locator('#cluster-view .deployment[data-name="kubia"] > header .counts')).to_contain_text("/5", timeout=15_000)
    learner.get_by_role("tab", name="터미널 2").click()
    learner.locator("#console-input-2").fill("kubectl get deployments")
    learner.locator("#console-input-2").press("Enter")
    expect(instructor.locator("#console-output-2")).to_contain_text("kubectl get deployments", timeout=10_000)
    expect(instructor.locator("#console-output-2")).to_contain_text("kubia", timeout=10_000)
    assert instructor.evaluate("window.__notReloaded") is True
    instructor.screenshot(path=str(artifacts / "classroom-learner-drilldown.png"), full_page=True)

    # The same view in Korean.
    instructor.goto(instructor.url.replace("/en/", "/ko/"))
    expect(instructor.locator(".learner-watch")).to_have_attribute("data-state", "open", timeout=15_000)
    expect(instructor.locator(".watch-badge-readonly")).to_have_text("읽기 전용")
    expect(instructor.locator(".watch-badge-live")).to_have_text("실시간")
    expect(instructor.locator("#console-output-2")).to_contain_text("kubectl get deployments")
    instructor.screenshot(path=str(artifacts / "classroom-learner-drilldown-ko.png"), full_page=True)
