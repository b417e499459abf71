"""The landing page (/<lang>/), `/` choosing the language, and the lesson time estimates."""

from __future__ import annotations

import re

import pytest

from tutorial.curriculum.estimate import lesson_minutes, reading_minutes
from tutorial.curriculum.markdown import render_markdown

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header,expected", [
    ("en-US,en;q=0.9", "/en/"),
    ("ko-KR,ko;q=0.9,en;q=0.8", "/ko/"),
    ("fr-FR,fr;q=0.9", "/ko/"),        # neither language: Korean
    ("de;q=0.9,en;q=0.5", "/en/"),     # the best one the site has
    ("", "/ko/"),
])
def test_root_chooses_the_language_from_accept_language(client, lesson_root, header, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


def test_root_follows_an_earlier_choice_of_language(client, lesson_root, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ko")["Location"] == "/en/"


@pytest.mark.parametrize("language,pitch,start", [
    ("ko", "브라우저에서 실제 kubectl 명령을 입력하면", "레슨 1부터 시작하기"),
    ("en", "you type real kubectl commands in the browser", "Start with lesson 1"),
])
def test_landing_page_for_a_new_learner(client, lesson_root, language, pitch, start):
    html = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}">' in html
    assert pitch in html
    assert re.search(rf'<a class="button-primary landing-start" href="/{language}/lessons/first-deployment/">{start}</a>', html)
    steps = re.findall(r'<li class="path-step[^"]*" data-lesson="([a-z0-9-]+)" data-minutes="(\d+)"', html)
    assert [slug for slug, _ in steps] == ["first-deployment", "second"]
    assert all(int(minutes) >= 1 for _, minutes in steps)


def test_landing_page_shows_where_the_learner_left_off(client, lesson_root):
    client.get("/en/lessons/second/")  # opens (and creates) the sandbox of lesson 2
    html = client.get("/en/").content.decode()
    assert 'href="/en/lessons/second/">Continue with lesson 2: Second</a>' in html
    assert "You left off at “Second”." in html
    assert re.search(r'<li class="path-step is-read is-current" data-lesson="second"', html)


def test_the_real_curriculum_has_twelve_timed_lessons(client):
    html = client.get("/ko/").content.decode()
    minutes = [int(m) for m in re.findall(r'data-minutes="(\d+)"', html)]
    assert len(minutes) == 12
    assert all(5 <= m <= 60 for m in minutes), minutes
    assert f"모두 약 {sum(minutes)}분" in html


def test_estimate_counts_reading_commands_and_exercises():
    words = " ".join(["word"] * 360)  # 2 minutes at 180 words a minute
    html = render_markdown(f"{words}\n\n```run\nkubectl get pods\nkubectl get rs\nkubectl get deploy\n```\n")
    assert abs(reading_minutes(html, "en") - 2) < 0.05
    # 2 min reading + 3 commands × 40 s + 2 exercises × 5 min = 14 min
    assert lesson_minutes(html, "en", exercises=2) == 14
    korean = render_markdown("가" * 900)  # 2 minutes at 450 characters a minute
    assert abs(reading_minutes(korean, "ko") - 2) < 0.05
    code = render_markdown("```yaml\n" + "a: 1\n" * 24 + "```\n")  # 2 minutes at 12 lines a minute
    assert abs(reading_minutes(code, "en") - 2) < 0.05


def test_lesson_index_shows_the_same_estimates(client):
    landing = re.findall(r'data-lesson="([a-z0-9-]+)" data-minutes="(\d+)"', client.get("/en/").content.decode())
    index = client.get("/en/lessons/").content.decode()
    shown = re.findall(r'data-minutes="(\d+)">(\d+) min</span>', index)
    assert [m for _, m in landing] == [a for a, _ in shown] == [b for _, b in shown]
