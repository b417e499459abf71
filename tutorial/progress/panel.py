"""The exercise panel of a lesson page: grade each exercise and build the template context.

The same context renders the panel on first load (lessons/views.py) and in every update the
console WebSocket pushes (sandbox/consumers.py), through templates/sandbox/_exercises.html.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tutorial.exercises import Exercise, Result, grade
from tutorial.exercises.loader import text
from tutorial.progress.models import ExerciseProgress

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Graded:
    exercise: Exercise
    result: Result | None  # None when the grader failed on this cluster state


def grade_all(cluster, exercises, since: dict, lang: str) -> list[Graded]:
    """Grade every exercise; `since` maps exercise id → simulated start (set-up excluded)."""
    graded = []
    for exercise in exercises:
        try:
            result = grade(cluster, exercise, since=since.get(exercise.id), lang=lang)
        except Exception:  # noqa: BLE001 - a grader bug must not take the console down
            logger.exception("Grading %s failed", exercise.id)
            result = None
        graded.append(Graded(exercise, result))
    return graded


def panel_context(graded: list[Graded], rows: dict[str, ExerciseProgress], lang: str) -> dict:
    items = []
    for entry in graded:
        exercise, result = entry.exercise, entry.result
        row = rows.get(exercise.id)
        shown = min(row.hints_shown if row else 0, len(exercise.hints))
        feedback = list(result.feedback) if result else []
        mistakes = len(feedback) - len(result.failed) if result else 0
        items.append({
            "id": exercise.id,
            "goal": text(exercise.goal, lang),
            "hints": [text(h, lang) for h in exercise.hints[:shown]],
            "hints_total": len(exercise.hints),
            "more_hints": shown < len(exercise.hints),
            # Mistakes first (the grader orders them so), then the checks not yet true.
            "feedback": [{"text": f, "mistake": i < mistakes} for i, f in enumerate(feedback)],
            # The controller decisions behind failing timeline checks and mistakes, explained.
            "why": list(result.why) if result and not result.passed else [],
            "passing": bool(result and result.passed),
            "passed_at": row.passed_at if row else None,
            "attempts": row.attempts if row else 0,
            "unavailable": result is None,
        })
    return {"exercises": items}
