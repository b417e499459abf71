"""Grading a session's exercises (tutorial/progress/ and tutorial/exercises/ do the judging).

The lesson's exercises are graded after every command and, while the clock runs, at most once a
second; the exercise panel is pushed whenever what it shows changes.
"""

from __future__ import annotations

import asyncio
import time

from django.utils.translation import gettext_lazy as _

from tutorial.progress.panel import grade_all, panel_context, panel_key
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
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.outbox import Outbox
from tutorial.sandbox.session.screen import Screen

GRADE_INTERVAL_SECONDS = 1.0  # automatic grading while the clock runs


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


class Grader:
    """Given when made: the live sandbox, the screen the exercise panel is drawn on, how to make
    a database call (`db(func, *args)`) and the outbox (whose clients say whether the learner,
    not only an instructor, is there: time spent counts only then)."""

    def __init__(self, live: Live, screen: Screen, db, outbox: Outbox):
        self.live, self.screen, self._db, self.outbox = live, screen, db, outbox
        self.rows: dict = {}  # exercise id → its progress row
        self.since: dict = {}  # exercise id → simulated time from which the learner's work counts
        self.graded = None  # grade_key() at the last grading
        self.last_grade = 0.0  # loop time
        self.last_panel = None  # a hash of the panel's context as last sent
        self.panel_kept = None  # (panel_key(), the hash of the context it gave) at the last grading
        self.signatures: dict = {}  # exercise id → (Result, language, result_signature of them)
        self.time_mark = time.monotonic()
        self.learner_there = False  # a writable client was attached since time was last counted

    def owed(self) -> bool:
        """What grading reads moved since the last grading."""
        return self.live.cluster is not None and grade_key(self.live.cluster) != self.graded

    def mark_graded(self) -> None:
        """The cluster came back as it was graded (a dormant cluster restored)."""
        self.graded = grade_key(self.live.cluster)

    def forget(self) -> None:
        """The cluster was replaced: grade it anew."""
        self.graded = None

    async def soon(self) -> None:
        """After a command or a step: grade only when what grading reads moved, and at most once a
        second; a grading skipped here is owed and done by the scheduler's next tick (driving.py)."""
        if self.owed() and asyncio.get_running_loop().time() - self.last_grade >= GRADE_INTERVAL_SECONDS:
            await self.grade()

    async def grade(self, *, clicked: str | None = None, force: bool = False) -> None:
        """Grade every exercise, record the result, and push the panel when it shows something new."""
        live = self.live
        if live.cluster is None:
            return
        self.graded = grade_key(live.cluster)
        self.last_grade = asyncio.get_running_loop().time()
        if live.lesson is None or not live.lesson.exercises:
            return
        graded = grade_all(live.cluster, live.lesson.exercises, self.since, live.language, rows=self.rows)
        for entry in graded:
            row = self.rows.get(entry.exercise.id)
            if entry.result is None or row is None:
                continue
            signature = self._signature(entry, live.language)
            is_click = clicked == entry.exercise.id
            if entry.result.passed and row.passed_at is None:
                await self.account_time()  # the time up to the pass still counts
            if is_click or signature != row.last_result or (entry.result.passed and row.passed_at is None):
                # a copy: the row keeps its own lists, not the ones kept in self.signatures
                await self._db(record_grading, row, [signature[0], list(signature[1]), list(signature[2])],
                               clicked=is_click, graded=entry)
        await self._panel(graded, force)

    def _signature(self, entry, lang: str) -> list:
        """result_signature, worked out again only for another Result (GradeMemo gives the kept one
        again after a looking command) or language."""
        kept = self.signatures.get(entry.exercise.id)
        if kept is None or kept[0] is not entry.result or kept[1] != lang:
            kept = self.signatures[entry.exercise.id] = (entry.result, lang, result_signature(
                entry.exercise, entry.result, lang))
        return kept[2]

    async def _panel(self, graded, force: bool) -> None:
        """Push the panel when its context changed (or `force`). Its context is built only when what
        it reads moved (panel_key): after a looking command the key is equal, and the context, its
        hash(repr()) (~30 us) and the comparison of both are skipped."""
        lang = self.live.language
        key = panel_key(graded, self.rows, lang)
        kept = self.panel_kept
        # last_panel as kept: not reset since (a new language sets it to None to push the panel anew)
        if not force and kept is not None and kept[1] == self.last_panel and kept[0] == key:
            return
        context = panel_context(graded, self.rows, lang)
        # Compared before rendering: the panel's template costs more than the grading itself.
        panel = hash(repr(context))
        self.panel_kept = (key, panel)
        if force or panel != self.last_panel:
            self.last_panel = panel
            await self.screen.send(fragments.exercises(context, lang))

    async def _row(self, exercise_id):
        row = self.rows.get(exercise_id) if isinstance(exercise_id, str) else None
        if row is None:
            await self.screen.error(self.live.t(_("This lesson has no exercise %(id)s."))
                                    % {"id": str(exercise_id)[:80]})
        return row

    async def check(self, exercise_id) -> None:
        if await self._row(exercise_id) is not None:
            await self.grade(clicked=exercise_id, force=True)

    async def hint(self, exercise_id) -> None:
        row = await self._row(exercise_id)
        if row is None:
            return
        exercise = self.live.lesson.exercise(exercise_id)
        await self._db(reveal_hint, row, len(exercise.hints))
        await self.grade(force=True)

    async def solution(self, exercise_id) -> None:
        """The reference solution, once earned (tutorial/exercises/feedback.py decides when)."""
        row = await self._row(exercise_id)
        if row is None:
            return
        await self.account_time()  # the time spent so far may be what earns it
        if not await self._db(reveal_solution, row):
            await self.screen.error(self.live.t(_(
                "The solution opens after a few failed checks or some minutes of trying.")))
        await self.grade(force=True)

    async def account_time(self) -> None:
        """Wall time with the console open counts for the exercises not passed yet."""
        now = time.monotonic()
        elapsed, self.time_mark = now - self.time_mark, now
        # Only while the learner had a window open: an instructor watching is not the learner's time.
        learner_there = self.learner_there
        self.learner_there = any(not c.read_only for c in self.outbox.clients)
        if self.live.lesson is None or not self.rows or not learner_there:
            return
        await self._db(self._add_time, elapsed)

    def _add_time(self, elapsed: float) -> None:
        # A dormant session is accounted when it wakes: the whole time, in add_time's steps.
        while elapsed > 0:
            step = min(elapsed, MAX_TIME_STEP_SECONDS)
            add_time(owner=self.live.sandbox.owner, lesson_slug=self.live.lesson.slug,
                     exercise_ids=list(self.rows), seconds=step, rows=self.rows)
            elapsed -= step
