"""Two terminals end to end (issue 14): `kubectl get pods -w` in one, `kubectl set image` then
`kubectl rollout status` in the other, both streaming; Ctrl+C in one leaves the other running;
a reload restores both transcripts. At desktop width (split view) and at 390 px (terminal tabs)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_lesson_console import console_ready

pytestmark = pytest.mark.django_db(transaction=True)

CREATE = "kubectl create -f kubia-deployment.yaml"
SET_IMAGE = "kubectl set image deployment kubia nodejs=luksa/kubia:v2"
STATUS = "kubectl rollout status deployment kubia"


def run(page: Page, t: str, line: str) -> None:
    field = page.locator("#console-input" + ("" if t == "1" else "-" + t))
    field.fill(line)
    field.press("Enter")


def pod_lines(page: Page, output: str) -> int:
    return len(re.findall(r"^kubia-\S+", page.locator(output).inner_text(), re.M))


def two_terminals_walk(page: Page, artifacts, name: str, *, split: bool) -> None:
    out1, out2 = page.locator("#console-output"), page.locator("#console-output-2")
    controls = page.locator("#console-controls")

    def show(t: str) -> None:
        if not split:
            page.get_by_role("tab", name=f"Terminal {t}").click()

    page.get_by_role("button", name="×20").click()
    run(page, "1", CREATE)
    expect(out1).to_contain_text("deployment.apps/kubia created", timeout=10_000)
    run(page, "1", STATUS)
    expect(out1).to_contain_text('deployment "kubia" successfully rolled out', timeout=30_000)
    expect(controls).to_have_attribute("data-running", "false", timeout=10_000)

    show("2")
    run(page, "2", "kubectl get pods -w")
    expect(controls).to_have_attribute("data-running-2", "true", timeout=10_000)
    expect(out2).to_contain_text("kubia-", timeout=10_000)
    marker = "window.getComputedStyle(document.getElementById('terminal-tab-2'), '::before').content"
    assert "▶" in page.evaluate(marker)  # the running terminal's tab says so
    assert page.evaluate(marker.replace("tab-2", "tab-1")) in ("none", "normal", "")
    watched = pod_lines(page, "#console-output-2")

    show("1")
    run(page, "1", SET_IMAGE)
    expect(out1).to_contain_text("deployment.apps/kubia image updated", timeout=10_000)
    run(page, "1", STATUS)
    expect(out1).to_contain_text("Waiting for deployment", timeout=10_000)  # rollout status streams
    expect(out1).to_contain_text('deployment "kubia" successfully rolled out', timeout=60_000)
    # terminal 2's watch streamed the rollout meanwhile and still runs
    expect(controls).to_have_attribute("data-running-2", "true")
    show("2")
    expect(out2).to_contain_text("Terminating", timeout=10_000)
    assert pod_lines(page, "#console-output-2") > watched
    page.screenshot(path=str(page_artifact(artifacts, name, "both-streams")))

    # Ctrl+C in terminal 1 stops its own watch only
    show("1")
    run(page, "1", "kubectl get deployments -w")
    expect(controls).to_have_attribute("data-running", "true", timeout=10_000)
    expect(page.locator('#console-controls .cancel-button[data-terminal="2"]')).to_be_visible()
    page.locator("#console-input").press("Control+c")
    expect(controls).to_have_attribute("data-running", "false", timeout=10_000)
    expect(out1).to_contain_text("^C")
    expect(controls).to_have_attribute("data-running-2", "true")
    watched = pod_lines(page, "#console-output-2")
    run(page, "1", "kubectl scale deployment kubia --replicas=4")
    expect(out1).to_contain_text("deployment.apps/kubia scaled", timeout=10_000)
    show("2")
    page.wait_for_function(
        "n => (document.getElementById('console-output-2').innerText.match(/^kubia-\\S+/mg) || []).length > n",
        arg=watched, timeout=15_000)

    # Terminal 2 is busy: a command given there waits in its own queue; terminal 1 is not held up.
    run(page, "2", "kubectl get rs")
    expect(page.locator("#console-queue-2 li")).to_have_text(["kubectl get rs"])
    expect(page.locator("#console-queue")).to_be_hidden()
    show("1")
    run(page, "1", "kubectl get deployments")
    expect(out1).to_contain_text("kubia   4/4", timeout=15_000)
    show("2")
    assert "$ kubectl get rs" not in out2.inner_text()

    # Stop terminal 2 with its own button: its watch ends and its queue is dropped, like Ctrl+C
    page.locator('#console-controls .cancel-button[data-terminal="2"]').click()
    expect(page.locator("#console-queue-2")).to_be_hidden()
    expect(controls).to_have_attribute("data-running-2", "false", timeout=10_000)
    text1, text2 = out1.inner_text(), out2.inner_text()

    page.reload()
    console_ready(page)
    expect(out1).to_contain_text('deployment "kubia" successfully rolled out')
    expect(out1).to_contain_text("deployment.apps/kubia scaled")
    assert "kubectl get pods -w" not in page.locator("#console-output").inner_text()
    show("2")
    expect(out2).to_contain_text("kubectl get pods -w")
    expect(out2).to_contain_text("Terminating")
    assert "deployment.apps/kubia scaled" not in out2.inner_text()
    assert len(out1.inner_text()) >= len(text1) - 5 and len(out2.inner_text()) >= len(text2) - 5
    page.screenshot(path=str(page_artifact(artifacts, name, "after-reload")))
    # ↑ in terminal 2 recalls terminal 2's own history
    page.locator("#console-input-2").press("ArrowUp")
    expect(page.locator("#console-input-2")).to_have_value("kubectl get pods -w")


def page_artifact(artifacts, name: str, step: str):
    return artifacts / f"two-terminals-{name}-{step}.png"


def test_two_terminals_side_by_side(page: Page, live_url, artifacts):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    page.get_by_role("button", name="Split").click()
    expect(page.locator("#console-input-2")).to_be_visible()
    two_terminals_walk(page, artifacts, "1366", split=True)


def test_two_terminals_as_tabs_on_a_phone(page: Page, live_url, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/en/lessons/first-deployment/")
    console_ready(page)
    page.locator("#pane-tab-console").click()
    expect(page.locator("#console-input")).to_be_visible()
    two_terminals_walk(page, artifacts, "390", split=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
