"""Who may see what: instructors see only the classes they teach; learners never see a dashboard.

Every view and the dashboard WebSocket go through `teaching_classroom`.
"""

from __future__ import annotations

from tutorial.accounts.roles import is_instructor
from tutorial.classroom.models import Classroom

# Ids in URLs are [0-9]+ of any length; a database integer is at most 64-bit (SQLite raises
# OverflowError on larger values in some lookups, a 500 instead of a 404).
MAX_ID = 2**63 - 1


def teachable(user) -> bool:
    return is_instructor(user)


def classes_taught(user):
    if not is_instructor(user):
        return Classroom.objects.none()
    return Classroom.objects.filter(instructors=user)


def teaching_classroom(user, pk) -> Classroom | None:
    """The class `pk` if `user` is an instructor who teaches it, else None (callers answer 404:
    another instructor's class is not acknowledged to exist)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    return classes_taught(user).filter(pk=pk).first()


def learner_of(classroom: Classroom, user_id):
    """The member `user_id` of the class, or None (an instructor sees only their class's learners)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    if not 0 < user_id <= MAX_ID:
        return None
    membership = classroom.memberships.select_related("user").filter(user_id=user_id).first()
    return membership.user if membership else None
