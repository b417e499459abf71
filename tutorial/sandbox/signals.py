"""Keep an anonymous learner's sandboxes and progress when they sign in (DESIGN.md: progress moves to the account)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tutorial.learners import LEARNER_SESSION_KEY, anon_owner, user_owner
from tutorial.progress.services import claim
from tutorial.sandbox.models import Sandbox


@receiver(user_logged_in)
def claim_anonymous_sandboxes(sender, request, user, **kwargs) -> None:
    learner = request.session.get(LEARNER_SESSION_KEY) if request is not None else None
    if not learner:
        return
    owner = user_owner(user)
    taken = set(Sandbox.objects.filter(owner=owner).values_list("lesson_slug", flat=True))
    # A lesson the account already has a sandbox for keeps the account's one.
    Sandbox.objects.filter(owner=anon_owner(learner)).exclude(lesson_slug__in=taken).update(owner=owner, user=user)
    # Lessons read and exercises done move too (merged where the account has its own).
    claim(anonymous_owner=anon_owner(learner), user=user)
