"""The exercise panel explains failing timeline checks with the deployment controller's decisions
("why" lines, tutorial/exercises/why_feedback.py) under the feedback, in the learner's language:
on lesson 08 (maxSurge/maxUnavailable) after a rollout with the default strategy."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.web.test_console import open_console
from tests.web.test_exercises_ws import wait_for_panel
from tutorial.exercises import grade, load_lesson, replay
from tutorial.progress.panel import grade_all, panel_context
from tutorial.sandbox.panels import fragments

SLUG = "max-surge-unavailable"
LESSON = load_lesson(Path(settings.BASE_DIR) / "tutorial" / "content" / "08-max-surge-unavailable")
EXERCISE = LESSON.exercise("web-no-capacity-loss")
DEFAULTS = EXERCISE.wrong_attempts[0].commands  # set image with the default 25%/25%: 4 → 3 available

EN_LINE = re.compile(r"old ReplicaSet web-[0-9a-z]+ 4 → 3: 4 pods available, at least 3 must stay available "
                     r"\(replicas 4 − maxUnavailable 1\)")
KO_LINE = re.compile(r"이전 레플리카셋 web-[0-9a-z]+ 4 → 3: 사용 가능한 파드가 4개이고, 최소 3개"
                     r"\(replicas 4 − maxUnavailable 1\)는 계속 사용 가능해야 합니다")


def why_of(panel: str) -> tuple[str | None, list[str]]:
    """(label, lines) of the panel's why list; (None, []) when there is none."""
    block = re.search(r'<div class="exercise-why">(.*?)</div>', panel, re.S)
    if block is None:
        return None, []
    label = re.search(r'<p class="exercise-why-label"[^>]*>(.*?)</p>', block.group(1), re.S).group(1)
    lines = re.findall(r'<li class="why-line"><span class="why-text">(.*?)</span></li>', block.group(1), re.S)
    return html.unescape(label).strip(), [html.unescape(line).strip() for line in lines]


@pytest.mark.parametrize("lang,label,line", [("en", "Why:", EN_LINE), ("ko", "이렇게 된 이유:", KO_LINE)])
def test_panel_shows_why_under_the_feedback(lang, label, line):
    cluster, since, _ = replay(LESSON, DEFAULTS)
    result = grade(cluster, EXERCISE, since=since, lang=lang)
    # the learner acted and the rollout is over: the panel judges it (feedback model, issue 15)
    panel = fragments.exercises(panel_context(grade_all(cluster, [EXERCISE], {EXERCISE.id: since}, lang), {}, lang), lang)
    shown_label, lines = why_of(panel)
    assert shown_label == label
    assert lines == result.why and len(lines) == 2
    assert line.fullmatch(lines[0]), lines
    assert "maxSurge 1" in lines[1]
    # under the feedback, labelled for screen readers
    assert panel.index('class="exercise-feedback"') < panel.index('class="exercise-why"')
    assert 'aria-labelledby="exercise-why-web-no-capacity-loss"' in panel


def test_no_why_list_while_nothing_is_explained():
    for commands in ([], EXERCISE.solution):  # a fresh sandbox; a passing solution
        cluster, since, _ = replay(LESSON, commands)
        for lang in ("ko", "en"):
            panel = fragments.exercises(
                panel_context(grade_all(cluster, [EXERCISE], {EXERCISE.id: since}, lang), {}, lang), lang)
            assert why_of(panel) == (None, []) and "exercise-why" not in panel


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_console_pushes_the_why_lines_in_korean_and_the_page_shows_them_in_english():
    from asgiref.sync import sync_to_async

    client = Client()
    response = await sync_to_async(client.get)(f"/ko/lessons/{SLUG}/")
    assert response.status_code == 200
    assert "exercise-why" not in response.content.decode()  # the set-up's rollout is not the learner's
    key = response.cookies["sessionid"].value

    con, connected, _ = await open_console(key, lang="ko", slug=SLUG)
    assert connected
    await con.send({"speed": 20})
    for command in DEFAULTS:
        await con.command(command)
        if "rollout status" in command:
            await con.wait_for(r'deployment "web" successfully rolled out', timeout=30)
    panel = await wait_for_panel(con, r'class="why-line"', timeout=30)
    label, lines = why_of(panel)
    assert label == "이렇게 된 이유:"
    assert any(KO_LINE.fullmatch(line) for line in lines), lines
    await con.communicator.disconnect()

    page = (await sync_to_async(client.get)(f"/en/lessons/{SLUG}/")).content.decode()
    label, lines = why_of(page)
    assert label == "Why:"
    assert any(EN_LINE.fullmatch(line) for line in lines), lines
