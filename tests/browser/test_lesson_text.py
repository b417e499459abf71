"""Korean lesson text in Chromium: emphasis next to Hangul is emphasis, summaries show code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_korean_emphasis_renders_as_strong_and_em(page: Page, live_url_real_content):
    page.goto(f"{live_url_real_content}/ko/lessons/canary/")
    text = page.locator(".lesson-text")
    expect(text.locator("strong", has_text="카나리 배포(canary release)")).to_have_count(1)
    expect(text.locator("em", has_text="사용 가능(available)")).to_have_count(1)
    expect(text).not_to_contain_text("**")
    expect(text).not_to_contain_text("*사용")
    page.goto(f"{live_url_real_content}/ko/lessons/final-challenge/")
    expect(page.locator(".lesson-text strong code", has_text="rollout undo")).to_have_count(1)
    expect(page.locator(".lesson-text")).not_to_contain_text("**")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_lesson_04_summary_shows_code_not_backticks(page: Page, live_url_real_content, language):
    page.goto(f"{live_url_real_content}/{language}/lessons/deployment-basics/")
    lead = page.locator(".lesson-text .lead")
    expect(lead.locator("code", has_text="rollout status")).to_have_count(1)
    expect(lead).not_to_contain_text("`")
