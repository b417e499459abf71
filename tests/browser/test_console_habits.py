"""Console habits (static/js/console.js): Tab fills the input, ▶ clicks queue while a command runs,
multi-line paste, Ctrl+R, the clock-speed badge, the second terminal's UI, and the workspace's
dividers remembered across a reload (static/js/workspace.js)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_lesson_console import console_ready

pytestmark = pytest.mark.django_db(transaction=True)


def run(page: Page, line: str, expected: str, field: str = "#console-input", output: str = "#console-output") -> None:
    page.locator(field).fill(line)
    page.locator(field).press("Enter")
    expect(page.locator(output)).to_contain_text(expected, timeout=10_000)


def test_tab_completion_fills_the_input(page: Page, live_url):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    command = page.locator("#console-input")
    command.fill("kubectl rollout sta")
    command.press("Tab")
    expect(command).to_have_value("kubectl rollout status ", timeout=10_000)
    expect(command).to_be_focused()
    # Typing on is not overwritten by a late answer; a second completion works too.
    command.press("End")
    command.type("deploym")
    command.press("Tab")
    expect(command).to_have_value(re.compile(r"^kubectl rollout status deployment"), timeout=10_000)


def test_run_buttons_queue_while_a_command_runs(page: Page, live_url, artifacts):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#console-controls")).to_have_attribute("data-paused", "true", timeout=5_000)
    expect(page.locator(".sim-rate")).to_have_text("clock paused")
    run(page, "kubectl create -f kubia-deployment.yaml", "deployment.apps/kubia created")
    # The clock is paused: `rollout status` waits, and the ▶ clicks after it wait in the queue.
    page.locator("#console-input").fill("kubectl rollout status deployment kubia")
    page.locator("#console-input").press("Enter")
    expect(page.locator("#console-controls")).to_have_attribute("data-running", "true", timeout=10_000)
    run_pods = page.locator('.copy-to-console[data-command="kubectl get pods"]')
    run_pods.click()
    run_pods.click()
    queue = page.locator("#console-queue li")
    expect(queue).to_have_count(2)
    expect(queue.first).to_have_text("kubectl get pods")
    expect(page.locator("#console-queue")).to_be_visible()
    output = page.locator("#console-output")
    expect(output).not_to_contain_text("still running")
    page.locator("#console").screenshot(path=str(artifacts / "console-queue-en.png"))

    page.get_by_role("button", name="×20").click()
    expect(page.locator(".sim-rate")).to_have_text("20× real time", timeout=5_000)
    expect(output).to_contain_text('deployment "kubia" successfully rolled out', timeout=30_000)
    expect(queue).to_have_count(0, timeout=10_000)
    expect(page.locator("#console-queue")).to_be_hidden()
    expect(page.locator("#console-output .console-in", has_text="kubectl get pods")).to_have_count(2, timeout=10_000)
    text = output.inner_text()
    assert text.index("successfully rolled out") < text.index("$ kubectl get pods")
    expect(output).not_to_contain_text("still running")

    # Behind a watch, a queued command waits; Stop (like Ctrl+C) ends the watch and drops the queue.
    page.locator("#console-input").fill("kubectl get pods -w")
    page.locator("#console-input").press("Enter")
    expect(page.locator("#console-controls .cancel-button")).to_be_visible(timeout=10_000)
    page.locator("#console-input").fill("kubectl get rs")
    page.locator("#console-input").press("Enter")
    expect(queue).to_have_text(["kubectl get rs"])
    expect(page.locator("#console-input")).to_have_value("")
    page.locator("#console-controls .cancel-button").click()
    expect(queue).to_have_count(0)
    expect(page.locator("#console-controls .cancel-button")).to_have_count(0, timeout=10_000)
    page.wait_for_timeout(800)
    expect(page.locator("#console-output .console-in", has_text="kubectl get rs")).to_have_count(0)


def test_multi_line_paste_runs_each_line_in_order_and_ctrl_r_finds_history(page: Page, live_url, artifacts):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    command = page.locator("#console-input")
    command.focus()
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.setData("text/plain", "$ kubectl create -f kubia-deployment.yaml\\n\\nkubectl get deployments\\nkubectl get rs\\n");
        document.getElementById("console-input").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""")
    output = page.locator("#console-output")
    inputs = page.locator("#console-output .console-in")
    expect(inputs).to_have_count(3, timeout=15_000)
    expect(inputs).to_have_text(["$ kubectl create -f kubia-deployment.yaml", "$ kubectl get deployments",
                                 "$ kubectl get rs"])
    expect(output).to_contain_text("deployment.apps/kubia created")
    expect(output).not_to_contain_text("still running")

    # Ctrl+R: reverse search through history; → takes the match into the input.
    command.press("Control+r")
    search = page.locator("#console-search")
    expect(search).to_be_visible()
    command.type("creat")
    expect(search).to_contain_text("kubectl create -f kubia-deployment.yaml")
    page.locator("#console").screenshot(path=str(artifacts / "console-search-en.png"))
    command.press("ArrowRight")
    expect(command).to_have_value("kubectl create -f kubia-deployment.yaml")
    expect(search).to_be_hidden()
    # Escape gives back what was typed before the search.
    command.fill("kubectl get")
    command.press("Control+r")
    command.type("zzz")
    expect(search).to_contain_text("zzz")
    command.press("Escape")
    expect(command).to_have_value("kubectl get")


def test_second_terminal_ui_sends_its_terminal(page: Page, live_url, artifacts):
    sent: list[dict] = []

    def watch(ws):
        ws.on("framesent", lambda payload: sent.append(json.loads(payload)) if isinstance(payload, str) else None)

    page.on("websocket", watch)
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    assert page.locator("#console-form-2 input[name=terminal]").get_attribute("value") == "2"
    assert page.locator("#console-form input[name=terminal]").count() == 0  # terminal 1 as before
    expect(page.locator("#console-input-2")).to_be_hidden()

    page.get_by_role("tab", name="Terminal 2").click()
    second = page.locator("#console-input-2")
    expect(second).to_be_visible()
    expect(second).to_be_focused()
    expect(page.locator("#console-input")).to_be_hidden()
    expect(page.get_by_role("tab", name="Terminal 2")).to_have_attribute("aria-selected", "true")
    second.fill("kubectl get pods -w")
    second.press("Enter")
    expect(second).to_have_value("")
    second.press("Control+c")
    second.fill("kubectl rollout sta")
    second.press("Tab")
    page.wait_for_timeout(500)
    commands = [m for m in sent if "command" in m]
    assert commands and commands[-1]["command"] == "kubectl get pods -w" and commands[-1]["terminal"] == "2"
    assert {"cancel": True, "terminal": "2"} in sent
    assert {"complete": "kubectl rollout sta", "terminal": "2"} in sent

    # Split: both terminals at once; remembered after a reload.
    page.get_by_role("button", name="Split").click()
    expect(page.locator("#console-input")).to_be_visible()
    expect(page.locator("#console-input-2")).to_be_visible()
    page.screenshot(path=str(artifacts / "console-split-en.png"))
    page.reload()
    console_ready(page)
    expect(page.locator("#console")).to_have_attribute("data-layout", "split")
    expect(page.locator("#console-input-2")).to_be_visible()

    # Terminal 1 sends exactly what it always sent.
    sent.clear()
    run(page, "kubectl get pods", "No resources found")
    assert {"command": "kubectl get pods"} == {k: v for k, v in next(m for m in sent if "command" in m).items()
                                               if k != "HEADERS"}


def test_dividers_resize_by_mouse_and_keyboard_and_are_remembered(page: Page, live_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    lesson = page.locator("#pane-lesson")
    before = lesson.bounding_box()["width"]
    gutter = page.locator(".gutter-lesson").bounding_box()
    x, y = gutter["x"] + gutter["width"] / 2, gutter["y"] + gutter["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 80, y, steps=4)
    page.mouse.move(x + 150, y, steps=4)
    page.mouse.up()
    after = lesson.bounding_box()["width"]
    assert abs(after - (before + 150)) < 6, (before, after)

    # The cluster/views divider with the keyboard: ↓ makes the cluster view taller.
    cluster = page.locator(".views-cluster")
    tall = cluster.bounding_box()["height"]
    divider = page.locator(".gutter-views")
    divider.focus()
    divider.press("ArrowDown")
    divider.press("Shift+ArrowDown")
    taller = cluster.bounding_box()["height"]
    assert taller > tall + 20
    assert int(divider.get_attribute("aria-valuenow")) > 52

    page.reload()
    console_ready(page)
    assert abs(lesson.bounding_box()["width"] - after) < 2
    assert abs(cluster.bounding_box()["height"] - taller) < 2
    # Double-click: back to the default size.
    page.locator(".gutter-lesson").dblclick()
    assert abs(lesson.bounding_box()["width"] - before) < 2


def test_tabs_follow_the_arrow_keys_and_the_view_is_remembered(page: Page, live_url):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    chart = page.get_by_role("tab", name="Rollout chart")
    chart.focus()
    chart.press("ArrowRight")
    why = page.get_by_role("tab", name="Why")
    expect(why).to_be_focused()
    expect(why).to_have_attribute("aria-selected", "true")
    expect(page.locator("#view-why")).to_be_visible()
    expect(page.locator("#view-chart")).to_be_hidden()
    why.press("End")
    expect(page.get_by_role("tab", name="Files")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#editor-panel")).to_be_visible()
    page.reload()
    console_ready(page)
    expect(page.get_by_role("tab", name="Files")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#editor-panel")).to_be_visible()

    first = page.get_by_role("tab", name="Terminal 1")
    first.focus()
    first.press("ArrowRight")
    expect(page.get_by_role("tab", name="Terminal 2")).to_be_focused()
    expect(page.get_by_role("tab", name="Terminal 2")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#console-input-2")).to_be_visible()
    expect(page.get_by_role("tab", name="Files")).to_have_attribute("aria-selected", "true")  # untouched


def test_run_lines_copied_from_the_lesson_paste_as_commands(page: Page, live_url):
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    copied = page.evaluate("""() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(".run-block"));
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
    }""")
    assert "kubectl create -f kubia-deployment.yaml" in copied and "kubectl get pods" in copied
    page.locator("#console-input").focus()
    page.evaluate("""(text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text + " ▶\\n");
        document.getElementById("console-input").dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", copied)
    inputs = page.locator("#console-output .console-in")
    expect(inputs).to_have_text(["$ kubectl create -f kubia-deployment.yaml", "$ kubectl get pods"], timeout=15_000)
    expect(page.locator("#console-output")).to_contain_text("deployment.apps/kubia created")
    expect(page.locator("#console-output")).not_to_contain_text("▶")
