"""What a learner has done: lessons opened, and per exercise attempts, time spent and when passed.

A learner is the same owner string the sandboxes use ("user:<pk>" or "anon:<hex>",
tutorial/learners.py); rows move to the account at sign-in (tutorial/progress/services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LessonProgress(models.Model):
    owner = models.CharField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    lesson_slug = models.SlugField(max_length=100)
    opened_at = models.DateTimeField(help_text="first time the lesson page was opened (read)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "lesson_slug"], name="one_lesson_progress_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} / {self.lesson_slug}"


class ExerciseProgress(models.Model):
    owner = models.CharField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    lesson_slug = models.SlugField(max_length=100)
    exercise_id = models.CharField(max_length=63)
    # Check clicks, plus automatic gradings whose result differed from the previous one.
    attempts = models.PositiveIntegerField(default=0)
    hints_shown = models.PositiveSmallIntegerField(default=0)
    passed_at = models.DateTimeField(null=True, blank=True)
    time_spent = models.FloatField(default=0.0, help_text="wall seconds with the console open, until passed")
    # The last grading as [passed, failed check ids, feedback]: what "changed the result" compares to.
    last_result = models.JSONField(null=True, blank=True)
    # The feedback model (tutorial/exercises/feedback.py) counts the learner's actions (commands that
    # change the cluster) since the sandbox's exercises started; these remember that count at
    # moments that matter, so a clock tick is never an attempt and nothing is judged before acting.
    seen_actions = models.PositiveIntegerField(default=0, help_text="actions at the last recorded grading")
    checked_actions = models.PositiveIntegerField(null=True, blank=True, help_text="actions at the last Check click")
    pass_actions = models.PositiveIntegerField(null=True, blank=True, help_text="actions at the first pass")
    pass_clock = models.FloatField(null=True, blank=True, help_text="simulated time of the first pass: the next exercise opens there")
    failed_checks = models.PositiveIntegerField(default=0, help_text="Check clicks that did not pass")
    solution_shown_at = models.DateTimeField(null=True, blank=True)
    passed_with_solution = models.BooleanField(default=False, help_text="the first pass came after the solution was shown")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "lesson_slug", "exercise_id"],
                                    name="one_exercise_progress_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} / {self.lesson_slug} / {self.exercise_id}"

    @property
    def passed(self) -> bool:
        return self.passed_at is not None

    @property
    def passing_now(self) -> bool | None:
        """Whether the last recorded grading passed (None before any grading)."""
        last = self.last_result
        return bool(last[0]) if isinstance(last, list) and last else None
