"""A class's results: learners × assigned exercises, the class summary, and export rows.

Progress rows belong to owner "user:<pk>" (tutorial/sandbox/owners.py); a learner who has not
opened an exercise's console has no row yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone

from django.utils import timezone

from tutorial.exercises.loader import text
from tutorial.lessons.catalogue import get_catalogue
from tutorial.progress.models import ExerciseProgress
from tutorial.sandbox.models import Sandbox

NOT_STARTED, IN_PROGRESS, PASSED = "not_started", "in_progress", "passed"
# "Stuck": still not passed after this many failed attempts, or nothing done for this long
# while the exercise is in progress.
STUCK_ATTEMPTS = 5
IDLE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Column:
    lesson_slug: str
    lesson_title: str
    exercise_id: str
    goal: str
    check_messages: dict  # check id -> message in the class language

    @property
    def key(self) -> str:
        return f"{self.lesson_slug}/{self.exercise_id}"


@dataclass
class Cell:
    column: Column
    status: str = NOT_STARTED
    attempts: int = 0
    hints: int = 0
    time_spent: float = 0.0
    passed_at: datetime | None = None
    last_activity: datetime | None = None
    failed_checks: list = field(default_factory=list)
    stuck: str = ""  # "", "attempts" or "idle"


@dataclass
class LearnerRow:
    user_id: int
    username: str
    email: str
    cells: list[Cell]

    @property
    def passed(self) -> int:
        return sum(1 for c in self.cells if c.status == PASSED)


@dataclass
class ColumnSummary:
    column: Column
    passed: int
    started: int
    common_failure: str | None  # message of the check failed by the most learners
    common_failure_count: int


@dataclass
class ClassResults:
    columns: list[Column]
    learners: list[LearnerRow]
    summary: list[ColumnSummary]


def columns_for(classroom) -> list[Column]:
    catalogue = get_catalogue()
    out = []
    for slug in classroom.lessons or []:
        lesson = catalogue.get(slug)
        if lesson is None:  # a lesson removed from the content folder since
            continue
        title = lesson.text(classroom.language).title
        for exercise in lesson.exercises:
            out.append(Column(slug, title, exercise.id, text(exercise.goal, classroom.language),
                              {check.id: text(check.message, classroom.language) for check in exercise.checks}))
    return out


def _cell(column: Column, row: ExerciseProgress | None, sandbox_saved: datetime | None, now: datetime) -> Cell:
    cell = Cell(column)
    if row is None:
        return cell
    cell.attempts, cell.hints, cell.time_spent, cell.passed_at = row.attempts, row.hints_shown, row.time_spent, row.passed_at
    cell.last_activity = max(t for t in (row.updated_at, sandbox_saved) if t is not None)
    if row.passed_at is not None:
        cell.status = PASSED
        return cell
    cell.status = IN_PROGRESS
    last = row.last_result if isinstance(row.last_result, list) and len(row.last_result) >= 2 else None
    if last and isinstance(last[1], list):
        cell.failed_checks = [str(c) for c in last[1]]
    if cell.attempts >= STUCK_ATTEMPTS:
        cell.stuck = "attempts"
    elif now - cell.last_activity > IDLE_AFTER:
        cell.stuck = "idle"
    return cell


def class_results(classroom, now: datetime | None = None) -> ClassResults:
    now = now or timezone.now()
    columns = columns_for(classroom)
    members = list(classroom.memberships.select_related("user").order_by("user__username"))
    owners = {f"user:{m.user_id}": m.user_id for m in members}
    slugs = {c.lesson_slug for c in columns}
    rows = {}
    for row in ExerciseProgress.objects.filter(owner__in=list(owners), lesson_slug__in=slugs):
        rows[(row.owner, row.lesson_slug, row.exercise_id)] = row
    saved = {(owner, slug): at for owner, slug, at in
             Sandbox.objects.filter(owner__in=list(owners), lesson_slug__in=slugs)
             .values_list("owner", "lesson_slug", "saved_at")}
    learners = []
    for member in members:
        owner = f"user:{member.user_id}"
        cells = [_cell(c, rows.get((owner, c.lesson_slug, c.exercise_id)), saved.get((owner, c.lesson_slug)), now)
                 for c in columns]
        learners.append(LearnerRow(member.user_id, member.user.get_username(), member.user.email, cells))
    summary = []
    for i, column in enumerate(columns):
        cells = [learner.cells[i] for learner in learners]
        failures = Counter(check for cell in cells if cell.status == IN_PROGRESS for check in cell.failed_checks)
        common, count = (failures.most_common(1)[0] if failures else (None, 0))
        summary.append(ColumnSummary(
            column, passed=sum(1 for c in cells if c.status == PASSED),
            started=sum(1 for c in cells if c.status != NOT_STARTED),
            common_failure=column.check_messages.get(common, common) if common else None,
            common_failure_count=count))
    return ClassResults(columns, learners, summary)


EXPORT_FIELDS = ["username", "email", "lesson", "exercise", "status", "attempts", "hints_shown",
                 "time_spent_seconds", "passed_at", "last_activity", "stuck"]


def _iso(value: datetime | None) -> str:
    return value.astimezone(dt_timezone.utc).isoformat().replace("+00:00", "Z") if value else ""


def export_rows(results: ClassResults) -> list[dict]:
    """One dict per learner and exercise (CSV rows and the JSON endpoint's "results")."""
    out = []
    for learner in results.learners:
        for cell in learner.cells:
            out.append({
                "username": learner.username,
                "email": learner.email,
                "lesson": cell.column.lesson_slug,
                "exercise": cell.column.exercise_id,
                "status": cell.status,
                "attempts": cell.attempts,
                "hints_shown": cell.hints,
                "time_spent_seconds": round(cell.time_spent),
                "passed_at": _iso(cell.passed_at),
                "last_activity": _iso(cell.last_activity),
                "stuck": cell.stuck,
            })
    return out
