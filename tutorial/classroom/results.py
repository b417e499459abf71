"""A class's results: learners × assigned exercises, the class summary, and export rows.

Progress rows belong to owner "user:<pk>" (tutorial/learners.py); a learner who has not
opened an exercise's console has no row yet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.exercises.loader import text
from tutorial.learners import user_owner
from tutorial.progress.models import ExerciseProgress
from tutorial.sandbox.models import Sandbox

NOT_STARTED, IN_PROGRESS, PASSED = "not_started", "in_progress", "passed"
# Passed, but only after the reference solution was shown; passed once, but the learner's cluster
# fails it now (and they have not moved on to a later exercise of the lesson).
PASSED_WITH_SOLUTION, FAILING_NOW = "passed_with_solution", "failing_now"
PASSED_STATES = (PASSED, PASSED_WITH_SOLUTION, FAILING_NOW)
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
    solution_shown: bool = False
    before_joining: bool = False  # passed before the learner joined this class: not class work

    @property
    def passed(self) -> bool:
        return self.status in PASSED_STATES

    @property
    def passed_in_class(self) -> bool:
        return self.passed and not self.before_joining


@dataclass
class LearnerRow:
    user_id: int
    username: str
    email: str
    cells: list[Cell]

    @property
    def passed(self) -> int:
        """Exercises passed as class work (a pass from before joining is not counted)."""
        return sum(1 for c in self.cells if c.passed_in_class)

    @property
    def passed_before_joining(self) -> int:
        return sum(1 for c in self.cells if c.passed and c.before_joining)


@dataclass
class ColumnSummary:
    column: Column
    passed: int  # passed as class work
    started: int
    common_failure: str | None  # message of the check failed by the most learners
    common_failure_count: int
    passed_before_joining: int = 0
    passed_with_solution: int = 0
    failing_now: int = 0


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


def _cell(column: Column, row: ExerciseProgress | None, sandbox_saved: datetime | None, now: datetime,
          joined_at: datetime | None = None, moved_on: bool = False) -> Cell:
    """moved_on: a later exercise of the same lesson was passed since (its work may undo this one's
    state, as lesson 09's resume undoes the pause: that is not "now failing")."""
    cell = Cell(column)
    if row is None:
        return cell
    cell.attempts, cell.hints, cell.time_spent, cell.passed_at = row.attempts, row.hints_shown, row.time_spent, row.passed_at
    cell.solution_shown = row.solution_shown_at is not None
    cell.last_activity = max(t for t in (row.updated_at, sandbox_saved) if t is not None)
    last = row.last_result if isinstance(row.last_result, list) and len(row.last_result) >= 2 else None
    if last and isinstance(last[1], list):
        cell.failed_checks = [str(c) for c in last[1]]
    if row.passed_at is not None:
        cell.before_joining = joined_at is not None and row.passed_at < joined_at
        if row.passing_now is False and not moved_on:
            cell.status = FAILING_NOW
        elif row.passed_with_solution:
            cell.status = PASSED_WITH_SOLUTION
        else:
            cell.status = PASSED
        return cell
    cell.status = IN_PROGRESS
    if cell.attempts >= STUCK_ATTEMPTS:
        cell.stuck = "attempts"
    elif now - cell.last_activity > IDLE_AFTER:
        cell.stuck = "idle"
    return cell


def _moved_on(columns: list[Column], rows: list, index: int) -> bool:
    """A later exercise of the same lesson was passed at or after this one's pass."""
    row = rows[index]
    if row is None or row.passed_at is None:
        return False
    return any(later is not None and later.passed_at is not None and later.passed_at >= row.passed_at
               for column, later in zip(columns[index + 1:], rows[index + 1:])
               if column.lesson_slug == columns[index].lesson_slug)


def class_results(classroom, now: datetime | None = None) -> ClassResults:
    now = now or timezone.now()
    columns = columns_for(classroom)
    members = list(classroom.memberships.select_related("user").order_by("user__username"))
    owners = {user_owner(m.user_id): m.user_id for m in members}
    slugs = {c.lesson_slug for c in columns}
    rows = {}
    for row in ExerciseProgress.objects.filter(owner__in=list(owners), lesson_slug__in=slugs):
        rows[(row.owner, row.lesson_slug, row.exercise_id)] = row
    saved = {(owner, slug): at for owner, slug, at in
             Sandbox.objects.filter(owner__in=list(owners), lesson_slug__in=slugs)
             .values_list("owner", "lesson_slug", "saved_at")}
    learners = []
    for member in members:
        owner = user_owner(member.user_id)
        mine = [rows.get((owner, c.lesson_slug, c.exercise_id)) for c in columns]
        cells = [_cell(c, mine[i], saved.get((owner, c.lesson_slug)), now, member.joined_at,
                       _moved_on(columns, mine, i)) for i, c in enumerate(columns)]
        learners.append(LearnerRow(member.user_id, member.user.get_username(), member.user.email, cells))
    summary = []
    for i, column in enumerate(columns):
        cells = [learner.cells[i] for learner in learners]
        failures = Counter(check for cell in cells if cell.status in (IN_PROGRESS, FAILING_NOW)
                           for check in cell.failed_checks)
        common, count = (failures.most_common(1)[0] if failures else (None, 0))
        summary.append(ColumnSummary(
            column, passed=sum(1 for c in cells if c.passed_in_class),
            started=sum(1 for c in cells if c.status != NOT_STARTED),
            common_failure=column.check_messages.get(common, common) if common else None,
            common_failure_count=count,
            passed_before_joining=sum(1 for c in cells if c.passed and c.before_joining),
            passed_with_solution=sum(1 for c in cells if c.status == PASSED_WITH_SOLUTION),
            failing_now=sum(1 for c in cells if c.status == FAILING_NOW)))
    return ClassResults(columns, learners, summary)


EXPORT_FIELDS = ["username", "email", "lesson", "exercise", "status", "attempts", "hints_shown",
                 "time_spent_seconds", "passed_at", "last_activity", "stuck", "solution_shown", "passed_before_joining"]


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
                # status: not_started, in_progress, passed, passed_with_solution or failing_now
                "solution_shown": cell.solution_shown,
                "passed_before_joining": cell.before_joining,
            })
    return out
