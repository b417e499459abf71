"""Classes: an instructor's group of learners with assigned lessons, a join code and seats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Classroom(models.Model):
    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    lessons = models.JSONField(_("lessons"), default=list, help_text="assigned lesson slugs, in course order")
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_classrooms")
    # Everyone who may see the dashboard, the owner included.
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teaching_classrooms")
    learners = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms")
    join_code = models.CharField(max_length=16, unique=True)
    code_expires_at = models.DateTimeField()
    seat_limit = models.PositiveIntegerField(_("seats"), default=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def group_name(self) -> str:
        """Channel-layer group of this class's dashboards."""
        return f"classroom.{self.pk}"

    def code_valid(self, now=None) -> bool:
        return (now or timezone.now()) < self.code_expires_at

    def seats_taken(self) -> int:
        return self.memberships.count()


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "user"], name="one_membership_per_learner")]

    def __str__(self) -> str:
        return f"{self.user} in {self.classroom}"


class JoinAttempt(models.Model):
    """A failed join-code entry; counted per account and per client address to stop guessing.
    Kept in the database (not a per-process cache) so every server process sees the same count."""
    key = models.CharField(max_length=100, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
