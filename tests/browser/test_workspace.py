"""The lesson page's workspace at three screen sizes: console, newest output and live pods in sight
together, no horizontal overflow anywhere; screenshots under test-artifacts/ (issue 14)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_lesson_console import console_ready

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(1366, 768), (1920, 1080), (768, 1024), (390, 844), (844, 390)]
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


def in_viewport(page: Page, selector: str) -> dict:
    """The element's box, whether it is inside the viewport and inside its scrolling ancestors."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const r = el.getBoundingClientRect();
            let inside = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const style = getComputedStyle(p);
                if (!/(auto|scroll|hidden)/.test(style.overflowY + style.overflowX)) continue;
                const b = p.getBoundingClientRect();
                if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) inside = false;
            }
            return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, inside};
        }""",
        selector,
    )


def no_horizontal_overflow(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]")
    assert widths[0] <= widths[1] and widths[2] <= widths[1], (page.url, widths)


@pytest.mark.parametrize("width,height", SIZES)
def test_console_newest_line_and_pods_in_sight_together(browser: Browser, live_url_real_content, artifacts,
                                                        width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ko-KR")
    page = context.new_page()
    try:
        page.goto(f"{live_url_real_content}/ko/lessons/deployment-basics/")
        console_ready(page)
        phone = page.locator(".pane-tabs").is_visible()  # one pane at a time: under 768 px, or a short landscape screen
        assert phone == (width < 768 or height <= 520)
        if phone:
            page.get_by_role("tab", name="콘솔").click()
        page.get_by_role("button", name="×20").click()
        command = page.locator("#console-input")
        command.fill("kubectl create -f kubia-deployment-v1.yaml --record")
        command.press("Enter")
        output = page.locator("#console-output")
        expect(output).to_contain_text("deployment.apps/kubia created", timeout=10_000)
        expect(page.locator("#cluster-view .pod.pod--ready")).to_have_count(3, timeout=30_000)
        for line in ("kubectl get deployments", "kubectl get rs", "kubectl get pods"):
            command.fill(line)
            command.press("Enter")
            page.wait_for_timeout(300)
        expect(output).to_contain_text(re.compile(r"kubia-\S+\s+1/1\s+Running"), timeout=10_000)
        page.wait_for_timeout(500)

        boxes = {name: in_viewport(page, selector) for name, selector in (
            ("input", "#console-input"),
            ("newest line", "#console-output > :last-child"),
            ("pod", "#cluster-view .pod"),
        )}
        assert all(box["inside"] for box in boxes.values()), boxes
        no_horizontal_overflow(page)
        shot = artifacts / f"workspace-{width}x{height}.png"
        page.screenshot(path=str(shot))
        if (width, height) == (1366, 768):
            shutil.copyfile(shot, DOCS_SCREENSHOT)

        # The rollout chart, one click away (two on a phone), with text of at least 12 px.
        if phone:
            page.get_by_role("tab", name="클러스터").click()
        page.get_by_role("tab", name="롤아웃 차트").click()
        chart = page.locator("#rollout-chart-panel svg")
        expect(chart).to_be_visible()
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('#rollout-chart-panel svg text')).map(
            (t) => { const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })""")
        assert sizes and min(sizes) >= 12 - 0.01, sizes
        legend = page.locator(".rollout-chart-legend li")
        expect(legend).to_have_count(3)  # allowed range, the ReplicaSet, available
        assert min(page.evaluate("""() => Array.from(document.querySelectorAll('.rollout-chart-legend li')).map(
            (li) => parseFloat(getComputedStyle(li).fontSize))""")) >= 12
        no_horizontal_overflow(page)
        page.screenshot(path=str(artifacts / f"workspace-chart-{width}x{height}.png"))
    finally:
        context.close()


PAGES = ["/ko/", "/en/", "/ko/lessons/", "/ko/lessons/canary/", "/ko/glossary/", "/ko/progress/",
         "/ko/classes/", "/ko/accounts/login/", "/en/accounts/signup/"]


@pytest.mark.parametrize("width", [390, 768, 1366])
def test_no_page_scrolls_sideways(browser: Browser, live_url_real_content, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="ko-KR")
    page = context.new_page()
    try:
        for path in PAGES:
            page.goto(f"{live_url_real_content}{path}")
            no_horizontal_overflow(page)
            if width == 390 or path == "/ko/":
                name = path.strip("/").replace("/", "-") or "root"
                page.screenshot(path=str(artifacts / f"page-{name}-{width}.png"), full_page=width == 390)
    finally:
        context.close()


def test_phone_panes_are_tabs_and_run_buttons_mark_the_console_tab(browser: Browser, live_url, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{live_url}/en/lessons/first-deployment/")
        console_ready(page)
        tabs = page.get_by_role("tablist", name="Workspace").get_by_role("tab")
        expect(tabs).to_have_text(["Lesson", "Console", "Cluster"])
        expect(page.locator(".lesson-text")).to_be_visible()
        expect(page.locator("#console-input")).to_be_hidden()
        page.locator('.copy-to-console[data-command="kubectl create -f kubia-deployment.yaml"]').click()
        console_tab = page.get_by_role("tab", name="Console")
        expect(console_tab).to_have_class(re.compile(r"has-activity"), timeout=10_000)
        console_tab.click()
        expect(console_tab).not_to_have_class(re.compile(r"has-activity"))
        expect(page.locator(".lesson-text")).to_be_hidden()
        expect(page.locator("#console-output")).to_contain_text("deployment.apps/kubia created")
        expect(page.locator("#cluster-view")).to_be_visible()  # the live view under the terminal
        expect(page.locator("#views-tabs")).to_be_hidden()
        # Keyboard: → moves to the Cluster pane, where the views' tabs are.
        console_tab.press("ArrowRight")
        expect(page.get_by_role("tab", name="Cluster")).to_be_focused()
        expect(page.locator("#views-tabs")).to_be_visible()
        expect(page.locator("#console-input")).to_be_hidden()
        # The chosen pane is remembered for this lesson (in either language); another opens on its text.
        page.reload()
        expect(page.locator("#workspace")).to_have_attribute("data-pane", "cluster")
        page.goto(f"{live_url}/ko/lessons/first-deployment/")
        expect(page.locator("#workspace")).to_have_attribute("data-pane", "cluster")
        no_horizontal_overflow(page)
        page.goto(f"{live_url}/en/lessons/second/")
        expect(page.locator("#workspace")).to_have_attribute("data-pane", "lesson")
    finally:
        context.close()


def test_instructor_pages_fit_a_phone(browser: Browser, live_url_real_content, artifacts):
    from django.contrib.auth import get_user_model

    from tutorial.accounts.roles import set_instructor

    password = "Kub3rnetes-rollouts!"
    set_instructor(get_user_model().objects.create_user("teacher", "teacher@example.com", password))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR")
    page = context.new_page()
    try:
        base = live_url_real_content
        page.goto(f"{base}/en/accounts/login/")
        page.get_by_label("Username").fill("teacher")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/en/classes/new/")
        page.get_by_label("Class name").fill("Rollouts 101")
        page.locator('input[name="lessons"][value="deployment-basics"]').check()
        page.get_by_role("button", name="Create the class").click()
        expect(page.locator("h1")).to_have_text("Rollouts 101")
        dashboard = page.url
        for url in (dashboard, f"{base}/ko/classes/", f"{base}/ko/", f"{base}/ko/progress/",
                    f"{base}/ko/lessons/deployment-basics/"):
            page.goto(url)
            no_horizontal_overflow(page)
        page.goto(dashboard)
        page.screenshot(path=str(artifacts / "page-class-dashboard-390.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("locale,language,start", [("en-US", "en", "Start with lesson 1"), ("ko-KR", "ko", "레슨 1부터 시작하기")])
def test_landing_page_in_the_browsers_language_starts_lesson_1(browser: Browser, live_url_real_content, artifacts,
                                                              locale, language, start):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale)
    page = context.new_page()
    try:
        page.goto(f"{live_url_real_content}/")
        expect(page).to_have_url(re.compile(rf"/{language}/$"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(".path-step")).to_have_count(12)
        page.screenshot(path=str(artifacts / f"landing-{language}.png"))
        page.get_by_role("link", name=start).click()
        expect(page).to_have_url(re.compile(rf"/{language}/lessons/updating-pods/$"))
        console_ready(page)
        page.goto(f"{live_url_real_content}/{language}/")
        expect(page.locator(".landing-start")).to_have_attribute("href", f"/{language}/lessons/updating-pods/")
        expect(page.locator('.path-step[data-lesson="updating-pods"]')).to_have_class(re.compile("is-current"))
    finally:
        context.close()
