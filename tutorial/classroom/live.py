"""Live dashboards: tell a class's dashboards (channel-layer group per class) that something changed.

Progress is written by tutorial/progress/services.py (from the sandbox consumer, in any server
process); a post_save receiver here turns each write into a group_send, so with the Redis layer a
dashboard served by one process hears about a learner working in another. The event carries no
data: the dashboard re-reads the results (which also re-checks who may see them).
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tutorial.classroom.models import Classroom, Membership
from tutorial.learners import is_user_owner
from tutorial.progress.models import ExerciseProgress

logger = logging.getLogger(__name__)

EVENT = "class.changed"


def notify(classroom_ids) -> None:
    """group_send to every given class's dashboards, once the current transaction commits."""
    ids = sorted(set(classroom_ids))
    if not ids:
        return

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        for pk in ids:
            try:
                async_to_sync(layer.group_send)(f"classroom.{pk}", {"type": EVENT, "classroom": pk})
            except Exception:  # noqa: BLE001 - a dashboard update must never break a learner's command
                logger.exception("Could not notify class %s", pk)

    transaction.on_commit(send)


def classes_with_lesson(user_id: int, lesson_slug: str) -> list[int]:
    return [c.pk for c in Classroom.objects.filter(memberships__user_id=user_id).only("pk", "lessons")
            if lesson_slug in (c.lessons or [])]


@receiver(post_save, sender=ExerciseProgress)
def progress_saved(sender, instance: ExerciseProgress, **kwargs) -> None:
    if is_user_owner(instance.owner) and instance.user_id:
        notify(classes_with_lesson(instance.user_id, instance.lesson_slug))


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    notify([instance.classroom_id])
