"""/<lang>/progress/: every lesson with whether it was read and how each exercise went."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.exercises.loader import text
from tutorial.learners import owner_for
from tutorial.progress.services import summaries


def format_duration(seconds: float) -> str:
    """Time spent as h:mm:ss, or m:ss under an hour."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def progress_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    catalogue = get_catalogue()
    marks = summaries(owner_for(request.user, request.session, create=False), catalogue.lessons)
    lessons = []
    for lesson in catalogue.lessons:
        mark = marks[lesson.slug]
        exercises = []
        for exercise in lesson.exercises:
            row = mark.rows.get(exercise.id)
            exercises.append({
                "id": exercise.id,
                "goal": text(exercise.goal, language),
                "attempts": row.attempts if row else 0,
                "passed_at": row.passed_at if row else None,
                "hints": row.hints_shown if row else 0,
                "solution_shown": bool(row and row.solution_shown_at),
                "passed_with_solution": bool(row and row.passed_with_solution),
                "failing_now": bool(row and row.passed and row.passing_now is False),
                "time_spent": format_duration(row.time_spent if row else 0),
            })
        lessons.append({"lesson": lesson, "text": lesson.text(language), "mark": mark, "exercises": exercises})
    totals = {
        "read": sum(1 for m in marks.values() if m.opened),
        "lessons": len(marks),
        "passed": sum(m.passed for m in marks.values()),
        "exercises": sum(m.exercises for m in marks.values()),
    }
    return render(request, "progress/progress.html", {"lessons": lessons, "totals": totals})
