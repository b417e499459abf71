"""Lesson Markdown: emphasis beside Hangul (tutorial/curriculum/cjk_emphasis.py) and summaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tutorial.curriculum.markdown import render_inline, render_markdown

CONTENT = Path(settings.BASE_DIR) / "tutorial" / "content"


@pytest.mark.parametrize("source,expected", [
    # The three passages of issue 14 (lessons 09 and 12).
    ("**카나리 배포(canary release)**도 같은", "<strong>카나리 배포(canary release)</strong>도 같은"),
    ("그 파드가 *사용 가능(available)*해지기 전에는", "<em>사용 가능(available)</em>해지기 전에는"),
    ("**`rollout undo`**로 돌아가세요.", "<strong><code>rollout undo</code></strong>로 돌아가세요."),
    # Opening after Hangul, before punctuation.
    ("이것은**(중요)**합니다", "이것은<strong>(중요)</strong>합니다"),
    ("*전략적 병합 패치(strategic merge patch)*가 기본", "<em>전략적 병합 패치(strategic merge patch)</em>가 기본"),
])
def test_emphasis_next_to_hangul(source, expected):
    assert expected in render_markdown(source)


@pytest.mark.parametrize("source,expected", [
    # CommonMark behaviour without CJK text is unchanged.
    ("**bold** and *it*", "<strong>bold</strong> and <em>it</em>"),
    ("snake_case_name stays", "snake_case_name stays"),
    ("a * b * c", "a * b * c"),
    ("**(x)**y", "**(x)**y"),  # Latin letter after punctuation: still literal, as in CommonMark
    ("`**not bold**`로", "<code>**not bold**</code>로"),  # code spans untouched
])
def test_commonmark_elsewhere_is_unchanged(source, expected):
    assert expected in render_markdown(source)


def test_soft_line_breaks_stay_spaces_in_korean():
    # Korean separates words with spaces: a line break inside a paragraph is one.
    assert "<p>첫 줄\n둘째 줄</p>" in render_markdown("첫 줄\n둘째 줄")


def test_no_lesson_shows_raw_emphasis_markers():
    import re

    for path in sorted(CONTENT.glob("*/lesson.*.md")):
        html = render_markdown(path.read_text(encoding="utf-8"))
        prose = re.sub(r"<pre.*?</pre>|<code>.*?</code>", "", html, flags=re.S)
        assert not re.search(r"(?<![\w*])\*{1,2}[^\s*]", prose), path


def test_summary_renders_inline_code_without_backticks():
    html = render_inline("`rollout status`로 롤아웃을 지켜보고 <b>")
    assert html == "<code>rollout status</code>로 롤아웃을 지켜보고 &lt;b&gt;"


@pytest.mark.django_db
def test_lesson_04_summary_shows_code_not_backticks(client):
    for language in ("ko", "en"):
        html = client.get(f"/{language}/lessons/deployment-basics/").content.decode()
        lead = html[html.index('<p class="lead">'):]
        lead = lead[:lead.index("</p>")]
        assert "`" not in lead and "<code>rollout status</code>" in lead, language
