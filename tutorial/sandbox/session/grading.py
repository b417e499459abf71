"""Grading a session's exercises (tutorial/progress/ and tutorial/exercises/ do the judging).

The lesson's exercises are graded after every command and, while the clock runs, at most once a
second; the exercise panel is pushed whenever what it shows changes. Mixed into SandboxSession.
"""

from __future__ import annotations

import asyncio
import time

from django.utils.translation import gettext_lazy as _

from tutorial.progress.panel import grade_all, panel_context
from tutorial.progress.services import (
    MAX_TIME_STEP_SECONDS,
    add_time,
    exercise_progress,
    record_grading,
    result_signature,
    reveal_hint,
    reveal_solution,
)
from tutorial.sandbox.panels import fragments
from tutorial.sandbox.session.driving import GRADE_INTERVAL_SECONDS


def progress_rows(owner: str, user, lesson) -> dict:
    return {
        exercise.id: exercise_progress(owner=owner, user=user, lesson_slug=lesson.slug, exercise_id=exercise.id)
        for exercise in lesson.exercises
    }


def grade_key(cluster) -> tuple:
    """What grading reads (tutorial/exercises/checks.py): the objects, their timelines (both move
    only with Cluster.changes) and the command history (`used`/`not_used` checks; capped at 1000
    entries in simulator/cluster.py, so its length alone can stand still: the last entry too)."""
    history = cluster.history
    return (cluster.changes, len(history), id(history[-1]) if history else None)


class Grading:
    def _grade_key(self) -> tuple:
        return grade_key(self.cluster)

    async def _grade_soon(self) -> None:
        """After a command or a step: grade only when what grading reads moved, and at most once a
        second; a grading skipped here is owed and done by the scheduler's next tick (_plan)."""
        if self.cluster is None or self._grade_key() == self.graded_changes:
            return
        if asyncio.get_running_loop().time() - self.last_grade >= GRADE_INTERVAL_SECONDS:
            await self._grade()

    async def _grade(self, *, clicked: str | None = None, force: bool = False) -> None:
        """Grade every exercise, record the result, and push the panel when it shows something new."""
        if self.cluster is None:
            return
        self.graded_changes = self._grade_key()
        self.last_grade = asyncio.get_running_loop().time()
        if self.lesson is None or not self.lesson.exercises:
            return
        graded = grade_all(self.cluster, self.lesson.exercises, self.exercise_since, self.language, rows=self.exercise_rows)
        for entry in graded:
            row = self.exercise_rows.get(entry.exercise.id)
            if entry.result is None or row is None:
                continue
            signature = result_signature(entry.exercise, entry.result, self.language)
            is_click = clicked == entry.exercise.id
            if entry.result.passed and row.passed_at is None:
                await self._account_time()  # the time up to the pass still counts
            if is_click or signature != row.last_result or (entry.result.passed and row.passed_at is None):
                await self._db(record_grading, row, signature, clicked=is_click, graded=entry)
        context = panel_context(graded, self.exercise_rows, self.language)
        # Compared before rendering: the panel's template costs more than the grading itself.
        key = hash(repr(context))
        if force or key != self.last_panel:
            self.last_panel = key
            await self.send(fragments.exercises(context, self.language))

    def _exercise_row(self, exercise_id):
        return self.exercise_rows.get(exercise_id) if isinstance(exercise_id, str) else None

    async def _check(self, exercise_id) -> None:
        if self._exercise_row(exercise_id) is None:
            await self._send_error(self._t(_("This lesson has no exercise %(id)s.")) % {"id": str(exercise_id)[:80]})
            return
        await self._grade(clicked=exercise_id, force=True)

    async def _hint(self, exercise_id) -> None:
        row = self._exercise_row(exercise_id)
        if row is None:
            await self._send_error(self._t(_("This lesson has no exercise %(id)s.")) % {"id": str(exercise_id)[:80]})
            return
        exercise = self.lesson.exercise(exercise_id)
        await self._db(reveal_hint, row, len(exercise.hints))
        await self._grade(force=True)

    async def _solution(self, exercise_id) -> None:
        """The reference solution, once earned (tutorial/exercises/feedback.py decides when)."""
        row = self._exercise_row(exercise_id)
        if row is None:
            await self._send_error(self._t(_("This lesson has no exercise %(id)s.")) % {"id": str(exercise_id)[:80]})
            return
        await self._account_time()  # the time spent so far may be what earns it
        if not await self._db(reveal_solution, row):
            await self._send_error(self._t(_("The solution opens after a few failed checks or some minutes of trying.")))
        await self._grade(force=True)

    async def _account_time(self) -> None:
        """Wall time with the console open counts for the exercises not passed yet."""
        now = time.monotonic()
        elapsed, self.time_mark = now - self.time_mark, now
        # Only while the learner had a window open: an instructor watching is not the learner's time.
        learner_there, self.learner_there = self.learner_there, any(not c.read_only for c in self.outbox.clients)
        if self.lesson is None or not self.exercise_rows or not learner_there:
            return
        await self._db(self._add_time, elapsed)

    def _add_time(self, elapsed: float) -> None:
        # A dormant session is accounted when it wakes: the whole time, in add_time's steps.
        while elapsed > 0:
            step = min(elapsed, MAX_TIME_STEP_SECONDS)
            add_time(owner=self.sandbox.owner, lesson_slug=self.lesson.slug,
                     exercise_ids=list(self.exercise_rows), seconds=step, rows=self.exercise_rows)
            elapsed -= step
