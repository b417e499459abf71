"""Recording progress: lesson opened, gradings (attempts, passed), hints, time spent; sign-in merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tutorial.exercises import Exercise, Result
from tutorial.exercises.feedback import counts_as_attempt, solution_allowed
from tutorial.exercises.loader import text
from tutorial.learners import user_owner
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


def record_grading(row: ExerciseProgress, signature: list, *, clicked: bool, actions: int | None = None,
                   graded=None) -> bool:
    """Store one grading. An attempt is a Check click, or an automatic grading that follows a new
    action of the learner's on this exercise and whose result differs from the last one: a clock
    tick never is (feedback.counts_as_attempt). `graded` (panel.Graded from grade_all(rows=…))
    gives the learner's action count and whether the exercise is open (actions before it opened
    are not about it); `actions` alone gives the count; with neither, only clicks count. The first
    pass is kept; a Check click also remembers the moment (feedback shows until the next action)
    and, when it fails, counts towards the solution. Returns True when the row changed."""
    opened, baseline = True, 0
    if graded is not None:
        actions, opened, baseline = graded.actions, graded.opened, graded.baseline
    if actions is None:
        actions = row.seen_actions
    result_changed = row.last_result is not None and row.last_result != signature
    counts = counts_as_attempt(clicked=clicked, actions=actions, seen_actions=row.seen_actions,
                               result_changed=result_changed, baseline=baseline, opened=opened,
                               passed_before=row.passed_at is not None)
    newly_passed = bool(signature[0]) and row.passed_at is None
    if not (counts or newly_passed or clicked or row.last_result != signature or row.seen_actions != actions):
        return False
    if counts:
        row.attempts += 1
    if clicked:
        row.checked_actions = actions
        if not signature[0]:
            row.failed_checks += 1
    if newly_passed:
        row.passed_at = timezone.now()
        row.pass_actions = actions
        row.pass_clock = getattr(graded, "now", None)
        row.passed_with_solution = row.solution_shown_at is not None
    row.last_result = signature
    row.seen_actions = actions
    row.save(update_fields=["attempts", "passed_at", "last_result", "seen_actions", "checked_actions",
                            "failed_checks", "pass_actions", "pass_clock", "passed_with_solution", "updated_at"])
    return True


def forget_checks(*, owner: str, lesson_slug: str) -> int:
    """A reset sandbox starts its exercises again: no Check click stands for the new cluster (the
    panel shows nothing judged) and the learner's action count starts from 0. What was earned
    (first passes, attempts, hints, solution shown, time) is kept. Returns the rows changed."""
    return ExerciseProgress.objects.filter(owner=owner, lesson_slug=lesson_slug).update(
        checked_actions=None, seen_actions=0, updated_at=timezone.now())


def reveal_hint(row: ExerciseProgress, total_hints: int) -> bool:
    if row.hints_shown >= total_hints:
        return False
    row.hints_shown += 1
    row.save(update_fields=["hints_shown", "updated_at"])
    return True


def solution_earned(row: ExerciseProgress) -> bool:
    """Enough failed checks or time for the learner to ask for the reference solution."""
    return row.solution_shown_at is not None or solution_allowed(failed_checks=row.failed_checks,
                                                                 seconds_spent=row.time_spent)


def reveal_solution(row: ExerciseProgress) -> bool:
    """The learner asked for the reference solution: shown (and recorded) only once earned.
    Returns whether it is shown now."""
    if row.solution_shown_at is not None:
        return True
    row.refresh_from_db(fields=["time_spent", "failed_checks"])
    if not solution_earned(row):
        return False
    row.solution_shown_at = timezone.now()
    row.save(update_fields=["solution_shown_at", "updated_at"])
    return True


def add_time(*, owner: str, lesson_slug: str, exercise_ids, seconds: float, rows: dict | None = None) -> None:
    """Add wall time to the exercise the learner is on: the first of `exercise_ids` (in lesson
    order) not passed yet. Time on a lesson is not spread over exercises not reached. `rows`
    (exercise id → the caller's ExerciseProgress copies) are brought up to date too, so the
    panel sees the time that earns the solution."""
    seconds = max(0.0, min(float(seconds), MAX_TIME_STEP_SECONDS))
    ids = list(exercise_ids or ())
    if seconds <= 0 or not ids:
        return
    # The caller's rows say which exercise is open without asking the database: one UPDATE where
    # there were two statements (a console does this every 30 s). Rows gone stale (passed in
    # another window) update nothing, and the database's own answer is asked then.
    current = None
    if rows and all(i in rows for i in ids):
        current = next((i for i in ids if rows[i].passed_at is None), None)
        if current is not None and not _add_to(owner, lesson_slug, current, seconds):
            current = None
    if current is None:
        open_ids = set(ExerciseProgress.objects.filter(owner=owner, lesson_slug=lesson_slug, exercise_id__in=ids,
                                                       passed_at__isnull=True).values_list("exercise_id", flat=True))
        current = next((i for i in ids if i in open_ids), None)
        if current is None or not _add_to(owner, lesson_slug, current, seconds):
            return
    if rows and current in rows:
        rows[current].time_spent += seconds


def _add_to(owner: str, lesson_slug: str, exercise_id: str, seconds: float) -> bool:
    return ExerciseProgress.objects.filter(owner=owner, lesson_slug=lesson_slug, exercise_id=exercise_id,
                                           passed_at__isnull=True).update(time_spent=F("time_spent") + seconds) == 1


def claim(*, anonymous_owner: str, user) -> None:
    """Carry an anonymous learner's progress over to their account at sign-in.

    Where the account already has a row, the two are merged: the earliest opening and pass,
    attempts and time added up, the most hints."""
    owner = user_owner(user)
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
            mine.failed_checks += row.failed_checks
            mine.time_spent += row.time_spent
            mine.hints_shown = max(mine.hints_shown, row.hints_shown)
            if row.solution_shown_at and (mine.solution_shown_at is None or row.solution_shown_at < mine.solution_shown_at):
                mine.solution_shown_at = row.solution_shown_at
            if row.passed_at and (mine.passed_at is None or row.passed_at < mine.passed_at):
                mine.passed_at, mine.passed_with_solution = row.passed_at, row.passed_with_solution
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
