"""The landing page (`/<lang>/`) and `/`, which picks the language from the browser."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.curriculum.estimate import lesson_minutes
from tutorial.learners import owner_for
from tutorial.progress.services import summaries
from tutorial.sandbox.models import Sandbox


def choose_language(request: HttpRequest) -> HttpResponse:
    """`/`: the language cookie (set by a previous choice) or Accept-Language; Korean otherwise."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        url = reverse("home")
    response = HttpResponseRedirect(url)
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _last_worked_on(owner: str | None) -> str | None:
    """Slug of the lesson whose sandbox the learner used last (saved as they work)."""
    if not owner:
        return None
    row = (Sandbox.objects.filter(owner=owner).order_by("-saved_at").values_list("lesson_slug", flat=True).first())
    return row


def landing(request: HttpRequest) -> HttpResponse:
    language = get_language()
    catalogue = get_catalogue()
    owner = owner_for(request.user, request.session, create=False)
    marks = summaries(owner, catalogue.lessons)
    path = []
    for number, lesson in enumerate(catalogue.lessons, start=1):
        text = lesson.text(language)
        path.append({
            "number": number, "lesson": lesson, "text": text, "mark": marks[lesson.slug],
            "minutes": lesson_minutes(text.html, text.language, len(lesson.exercises)),
        })
    # Where the learner left off: the lesson worked on last; once it is complete, the next one
    # not complete after it. A new learner starts at lesson 1.
    resume = None
    last = _last_worked_on(owner)
    slugs = [item["lesson"].slug for item in path]
    if last in slugs:
        start = slugs.index(last)
        resume = next((item for item in path[start:] if not item["mark"].complete), path[start])
    first = path[0] if path else None
    return render(request, "lessons/landing.html", {
        "path": path,
        "resume": resume,
        "first": first,
        "total_minutes": sum(item["minutes"] for item in path),
    })
