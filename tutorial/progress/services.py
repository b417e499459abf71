"""Recording progress: lesson opened, gradings (attempts, passed), hints, time spent; sign-in merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tutorial.exercises import Exercise, Result
from tutorial.exercises.loader import text
from tutorial.progress.models import ExerciseProgress, LessonProgress

# Time spent counts wall seconds between two accountings, at most this much at once, so a tab
# left open (or a stalled server) does not add hours.
MAX_TIME_STEP_SECONDS = 30.0


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def record_opened(*, owner: str, user, lesson_slug: str) -> None:
    """The learner opened (read) the lesson; the first time is kept."""
    if LessonProgress.objects.filter(owner=owner, lesson_slug=lesson_slug).exists():
        return
    try:
        with transaction.atomic():
            LessonProgress.objects.create(owner=owner, user=_user_or_none(user), lesson_slug=lesson_slug,
                                          opened_at=timezone.now())
    except IntegrityError:  # opened in two tabs at once
        pass


def result_signature(exercise: Exercise, result: Result, lang: str) -> list:
    """[passed, failed check ids, applying mistake numbers]: the same in every language, so a
    switch of language is not a changed result."""
    shown = set(result.feedback[: len(result.feedback) - len(result.failed)])
    mistakes = [i for i, mistake in enumerate(exercise.mistakes) if text(mistake.message, lang) in shown]
    return [result.passed, result.failed, mistakes]


def exercise_progress(*, owner: str, user, lesson_slug: str, exercise_id: str) -> ExerciseProgress:
    row = ExerciseProgress.objects.filter(owner=owner, lesson_slug=lesson_slug, exercise_id=exercise_id).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return ExerciseProgress.objects.create(owner=owner, user=_user_or_none(user), lesson_slug=lesson_slug,
                                                   exercise_id=exercise_id)
    except IntegrityError:
        return ExerciseProgress.objects.get(owner=owner, lesson_slug=lesson_slug, exercise_id=exercise_id)


def record_grading(row: ExerciseProgress, signature: list, *, clicked: bool) -> bool:
    """Store one grading. An attempt is a Check click, or an automatic grading whose result differs
    from the previous one (the very first grading of a sandbox is the starting point, not an attempt).
    Returns True when the row changed."""
    changed_result = row.last_result is not None and row.last_result != signature
    counts = clicked or changed_result
    newly_passed = signature[0] and row.passed_at is None
    if not (counts or newly_passed or row.last_result != signature):
        return False
    if counts:
        row.attempts += 1
    if newly_passed:
        row.passed_at = timezone.now()
    row.last_result = signature
    row.save(update_fields=["attempts", "passed_at", "last_result", "updated_at"])
    return True


def reveal_hint(row: ExerciseProgress, total_hints: int) -> bool:
    if row.hints_shown >= total_hints:
        return False
    row.hints_shown += 1
    row.save(update_fields=["hints_shown", "updated_at"])
    return True


def add_time(*, owner: str, lesson_slug: str, exercise_ids, seconds: float) -> None:
    """Add wall time to the exercises of the lesson not passed yet."""
    seconds = max(0.0, min(float(seconds), MAX_TIME_STEP_SECONDS))
    if seconds <= 0 or not exercise_ids:
        return
    ExerciseProgress.objects.filter(owner=owner, lesson_slug=lesson_slug, exercise_id__in=list(exercise_ids),
                                    passed_at__isnull=True).update(time_spent=F("time_spent") + seconds)


def claim(*, anonymous_owner: str, user) -> None:
    """Carry an anonymous learner's progress over to their account at sign-in.

    Where the account already has a row, the two are merged: the earliest opening and pass,
    attempts and time added up, the most hints."""
    owner = f"user:{user.pk}"
    with transaction.atomic():
        for row in LessonProgress.objects.filter(owner=anonymous_owner):
            mine = LessonProgress.objects.filter(owner=owner, lesson_slug=row.lesson_slug).first()
            if mine is None:
                row.owner, row.user = owner, user
                row.save(update_fields=["owner", "user"])
            else:
                if row.opened_at < mine.opened_at:
                    mine.opened_at = row.opened_at
                    mine.save(update_fields=["opened_at"])
                row.delete()
        for row in ExerciseProgress.objects.filter(owner=anonymous_owner):
            mine = ExerciseProgress.objects.filter(owner=owner, lesson_slug=row.lesson_slug,
                                                   exercise_id=row.exercise_id).first()
            if mine is None:
                row.owner, row.user = owner, user
                row.save(update_fields=["owner", "user"])
                continue
            mine.attempts += row.attempts
            mine.time_spent += row.time_spent
            mine.hints_shown = max(mine.hints_shown, row.hints_shown)
            if row.passed_at and (mine.passed_at is None or row.passed_at < mine.passed_at):
                mine.passed_at = row.passed_at
            mine.save()
            row.delete()


@dataclass(frozen=True)
class LessonSummary:
    """One lesson's marks for the index and the progress page."""
    opened: bool
    exercises: int
    passed: int
    rows: dict  # exercise id -> ExerciseProgress

    @property
    def complete(self) -> bool:
        return self.exercises > 0 and self.passed == self.exercises


def summaries(owner: str | None, lessons) -> dict[str, LessonSummary]:
    """{lesson slug: LessonSummary} for every lesson in `lessons` (catalogue Lesson objects)."""
    opened = set()
    rows: dict[str, dict] = {}
    if owner:
        opened = set(LessonProgress.objects.filter(owner=owner).values_list("lesson_slug", flat=True))
        for row in ExerciseProgress.objects.filter(owner=owner):
            rows.setdefault(row.lesson_slug, {})[row.exercise_id] = row
    out = {}
    for lesson in lessons:
        mine = rows.get(lesson.slug, {})
        ids = [e.id for e in lesson.exercises]
        out[lesson.slug] = LessonSummary(
            opened=lesson.slug in opened,
            exercises=len(ids),
            passed=sum(1 for i in ids if i in mine and mine[i].passed),
            rows={i: mine[i] for i in ids if i in mine},
        )
    return out
