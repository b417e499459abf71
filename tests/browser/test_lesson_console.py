"""A learner in real headless Chromium: console → simulator → live view, in Korean and English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def console_ready(page: Page) -> None:
    expect(page.locator("#console")).to_have_attribute("data-state", "open", timeout=15_000)


def test_learner_creates_a_deployment_and_keeps_it_across_languages(page: Page, live_url, artifacts):
    page.goto(f"{live_url}/ko/lessons/first-deployment/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("h1")).to_have_text("첫 디플로이먼트")
    console_ready(page)

    command = page.locator("#console-input")
    command.fill("kubectl create -f kubia-deployment.yaml")
    command.press("Enter")
    output = page.locator("#console-output")
    expect(output).to_contain_text("deployment.apps/kubia created", timeout=10_000)
    expect(command).to_have_value("")

    page.get_by_role("button", name="×20").click()
    ready_pods = page.locator("#cluster-view .pod.pod--ready")
    expect(ready_pods).to_have_count(3, timeout=30_000)
    expect(page.locator('#cluster-view .deployment[data-name="kubia"]')).to_contain_text("3/3")
    page.screenshot(path=str(artifacts / "lesson-ko.png"), full_page=True)

    # ↑ brings back the last command.
    command.press("ArrowUp")
    expect(command).to_have_value("kubectl create -f kubia-deployment.yaml")
    command.fill("")

    # Switch to English: same page, same cluster (server-rendered at once, then live again).
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/lessons/first-deployment/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#cluster-view .pod.pod--ready")).to_have_count(3)
    expect(page.locator("#console-output")).to_contain_text("deployment.apps/kubia created")
    console_ready(page)

    # A "send to console" button in the lesson text runs its command.
    page.locator('.copy-to-console[data-command="kubectl get pods"]').click()
    expect(page.locator("#console-output")).to_contain_text(re.compile(r"kubia-\S+\s+1/1\s+Running"), timeout=10_000)
    page.screenshot(path=str(artifacts / "lesson-en.png"), full_page=True)


def test_ctrl_c_stops_a_watch_and_ctrl_l_clears(page: Page, live_url, artifacts):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    command = page.locator("#console-input")
    command.fill("kubectl get pods -w")
    command.press("Enter")
    expect(page.locator("#console-controls .cancel-button")).to_be_visible(timeout=10_000)
    command.press("Control+c")
    expect(page.locator("#console-output")).to_contain_text("^C", timeout=10_000)
    expect(page.locator("#console-controls .cancel-button")).to_have_count(0)
    command.press("Control+l")
    expect(page.locator("#console-output")).to_have_text("")


def test_the_first_real_lesson_works_in_the_browser(page: Page, live_url_real_content, artifacts):
    page.goto(f"{live_url_real_content}/ko/lessons/")
    page.locator(".lesson-list a").first.click()
    expect(page).to_have_url(re.compile(r"/ko/lessons/[a-z0-9-]+/$"))
    console_ready(page)
    page.locator(".copy-to-console").first.click()
    output = page.locator("#console-output")
    expect(output).to_contain_text("$ ", timeout=10_000)
    expect(output).not_to_contain_text("internal error")
    run_pods = page.locator('.copy-to-console[data-command="kubectl get pods"]')
    if run_pods.count():
        run_pods.first.click()
        expect(output).to_contain_text(re.compile(r"\s1/1\s+Running"), timeout=10_000)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "first-lesson-ko.png"))


def test_simulated_clock_runs_on_screen_while_the_sandbox_is_idle(page: Page, live_url):
    # An idle sandbox is not ticked on the server; the page counts the clock forward itself.
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    clock = page.locator("#sim-clock")
    first = clock.inner_text()
    page.wait_for_timeout(3_500)
    assert clock.inner_text() != first
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#console-controls")).to_have_attribute("data-paused", "true", timeout=5_000)
    paused = clock.inner_text()
    page.wait_for_timeout(2_500)
    assert clock.inner_text() == paused
