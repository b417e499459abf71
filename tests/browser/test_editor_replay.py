"""The file editor panel, `kubectl edit` in it, and the replay slider, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_lesson_console import console_ready
from tests.browser.test_rollout_panel import run

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_edit_and_replay(page: Page, live_url, artifacts):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    page.get_by_role("button", name="Pause").click()
    files = page.locator("#editor-files .editor-open")
    expect(files).to_have_count(1, timeout=10_000)

    # a working-directory file: open, indent with Tab, save, and cat sees it
    page.get_by_role("tab", name="Files").click()  # the views' tabs beside the console (issue 14)
    files.first.click()
    text = page.locator("#editor-text")
    expect(text).to_be_visible()
    expect(text).to_be_focused()
    assert text.input_value().startswith("apiVersion: apps/v1")
    text.press("Control+End")
    text.press("Tab")
    text.type("# edited in the panel")
    page.locator(".editor-save").click()
    expect(page.locator("#editor-status")).to_have_text("Saved kubia-deployment.yaml.")
    run(page, "cat kubia-deployment.yaml", "  # edited in the panel")
    # a bad name is explained
    page.locator("#editor-new-name").fill("../x")
    page.locator("#editor-new-name").press("Enter")
    expect(page.locator("#editor-status")).to_contain_text("is not a usable file name")

    # kubectl edit opens the panel; Save applies
    run(page, "kubectl create -f kubia-deployment.yaml", "deployment.apps/kubia created")
    page.get_by_role("button", name="+10 s").click()
    page.get_by_role("button", name="+10 s").click()
    expect(page.locator("#sim-clock")).to_have_text("0:20", timeout=10_000)
    page.get_by_role("tab", name="Rollout chart").click()  # kubectl edit brings the Files tab back by itself
    page.locator("#console-input").fill("kubectl edit deployment kubia")
    page.locator("#console-input").press("Enter")
    expect(page.locator("#editor-doc")).to_have_attribute("data-mode", "edit", timeout=10_000)
    edited = text.input_value().replace("luksa/kubia:v1", "luksa/kubia:v2")
    text.fill(edited)
    page.screenshot(path=str(artifacts / "editor-kubectl-edit-en.png"), full_page=True)
    page.locator(".editor-save").click()
    expect(page.locator("#console-output")).to_contain_text("deployment.apps/kubia edited", timeout=10_000)
    expect(page.locator("#editor-doc")).to_have_attribute("data-mode", "none")
    for _ in range(6):
        page.get_by_role("button", name="+10 s").click()
    expect(page.locator("#sim-clock")).to_have_text("1:20", timeout=10_000)
    expect(page.locator("#cluster-view .pod")).to_have_count(3, timeout=10_000)
    live_pods = set(page.locator("#cluster-view .pod-name").all_inner_texts())

    # replay: back to 0:15, the v1 pods as they were; then live again
    slider = page.locator("#replay-slider")
    expect(slider).to_have_attribute("max", re.compile(r"^80\.\d$"), timeout=10_000)  # the clock, to 0.1 s
    end = slider.get_attribute("max")
    expect(slider).to_have_value(end)  # live: the slider sits at the clock
    slider.fill("15")
    expect(page.locator("#cluster-view")).to_have_class(re.compile(r"is-replay"), timeout=10_000)
    expect(page.locator("#cluster-view .replay-badge")).to_have_text("at 0:15 (replay)")
    expect(page.locator("#replay-time")).to_have_text("0:15")
    then_pods = set(page.locator("#cluster-view .pod-name").all_inner_texts())
    assert len(then_pods) == 3 and then_pods.isdisjoint(live_pods)
    expect(page.locator("#replay-bar")).to_have_attribute("data-mode", "replay")
    expect(page.locator(".lesson-lab")).not_to_contain_text("{#")  # no template comment leaks as text
    page.screenshot(path=str(artifacts / "replay-en.png"), full_page=True)
    page.locator(".lab-views").screenshot(path=str(artifacts / "replay-views-en.png"))
    page.get_by_role("button", name="Back to live").click()
    expect(page.locator("#cluster-view")).not_to_have_class(re.compile(r"is-replay"), timeout=10_000)
    assert set(page.locator("#cluster-view .pod-name").all_inner_texts()) == live_pods
    expect(slider).to_have_value(end)
