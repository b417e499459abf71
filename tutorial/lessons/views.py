"""Lesson pages: the index, and one lesson with its console and live cluster view."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.curriculum.estimate import lesson_minutes
from tutorial.learners import owner_for
from tutorial.progress.models import ExerciseProgress
from tutorial.progress.panel import grade_all, panel_context
from tutorial.progress.services import record_opened, summaries
from tutorial.sandbox.persistence.sandboxes import (
    restore_cluster,
    sandbox_exercise_since,
    sandbox_get_or_create,
)
from tutorial.sandbox.session.state import sandbox_state


def lesson_index(request: HttpRequest) -> HttpResponse:
    language = get_language()
    catalogue = get_catalogue()
    marks = summaries(owner_for(request.user, request.session, create=False), catalogue.lessons)
    lessons = []
    for lesson in catalogue.lessons:
        text = lesson.text(language)
        minutes = lesson_minutes(text.html, text.language, len(lesson.exercises))
        lessons.append((lesson, text, marks[lesson.slug], minutes))
    return render(request, "lessons/index.html", {"lessons": lessons})


def lesson_page(request: HttpRequest, slug: str) -> HttpResponse:
    catalogue = get_catalogue()
    lesson = catalogue.get(slug)
    if lesson is None:
        raise Http404("No such lesson")
    language = get_language()
    previous, following = catalogue.neighbours(slug)

    owner = owner_for(request.user, request.session, create=True)
    sandbox = sandbox_get_or_create(owner=owner, user=request.user, lesson=lesson)
    record_opened(owner=owner, user=request.user, lesson_slug=lesson.slug)
    cluster = restore_cluster(sandbox.snapshot)
    # The console, live view and Rollout panel as the console's session sends them
    # (tutorial/sandbox/session/state.py: one place for both).
    context = sandbox_state(sandbox, cluster, language)
    # The exercise panel as the console will push it (graded here without recording an attempt).
    rows = {row.exercise_id: row for row in ExerciseProgress.objects.filter(owner=owner, lesson_slug=lesson.slug)}
    graded = grade_all(cluster, lesson.exercises, sandbox_exercise_since(sandbox, lesson), language, rows=rows)
    context.update(panel_context(graded, rows, language))
    context.update(
        lesson=lesson,
        text=lesson.text(language),
        translated=lesson.has_language(language),
        previous=previous and (previous, previous.text(language)),
        next=following and (following, following.text(language)),
        ws_path=f"/ws/sandbox/{language}/{lesson.slug}/",
    )
    return render(request, "lessons/lesson.html", context)


def glossary(request: HttpRequest) -> HttpResponse:
    """The glossary (tutorial/content/glossary.<lang>.md), in the page's language."""
    from pathlib import Path

    from django.conf import settings

    from tutorial.curriculum.catalogue import load_text

    language = get_language()
    root = Path(settings.LESSON_CONTENT_DIR)
    path = root / f"glossary.{language}.md"
    if not path.exists():
        path = root / "glossary.en.md"
    if not path.exists():
        raise Http404("No glossary")
    return render(request, "lessons/glossary.html", {"text": load_text(path, language)})

