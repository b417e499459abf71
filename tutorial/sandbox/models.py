"""One sandbox per learner per lesson: the simulator snapshot, the console transcript, history."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Sandbox(models.Model):
    # "user:<pk>" for a signed-in learner, "anon:<hex>" for an anonymous one. The anonymous id
    # lives in the session data rather than being the session key, because login cycles the
    # session key (django.contrib.auth.login) and the learner would lose their sandboxes.
    owner = models.CharField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    lesson_slug = models.SlugField(max_length=100)
    snapshot = models.JSONField(help_text="Cluster.snapshot(): JSON-compatible, lossless")
    transcript = models.JSONField(default=list, help_text='[{"kind": "input"|"output"|"error"|"info", "text": ...}]')
    history = models.JSONField(default=list, help_text="commands the learner typed, oldest first")
    # Terminals other than the first (tutorial/sandbox/session/terminals.py): {"2": {"transcript":
    # [...], "history": [...]}}; terminal "1" is `transcript` and `history` above.
    terminals = models.JSONField(default=dict, blank=True)
    # {exercise id: simulated time it started}: grading counts only commands from then on, so the
    # lesson's set-up commands are never taken for the learner's (tutorial.exercises.replay.prepare).
    exercise_since = models.JSONField(default=dict, blank=True)
    speed = models.FloatField(default=1.0)
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Wall time of the last save: on restore the simulated clock catches up from here.
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "lesson_slug"], name="one_sandbox_per_learner_per_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} / {self.lesson_slug}"

    @property
    def group_name(self) -> str:
        """Channel-layer group of the sandbox: its host session listens there (realtime/bridge.py)."""
        return f"sandbox.{self.pk}"
