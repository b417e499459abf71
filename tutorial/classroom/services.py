"""Creating classes and joining them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tutorial.classroom import codes
from tutorial.classroom.models import Classroom, Membership


def create_classroom(*, owner, name: str, language: str, lessons: list[str], starts_on=None, due_on=None,
                     seat_limit: int = 30, code_days: int = codes.DEFAULT_VALID_DAYS) -> Classroom:
    with transaction.atomic():
        classroom = Classroom(owner=owner, name=name, language=language, lessons=list(lessons),
                              starts_on=starts_on, due_on=due_on, seat_limit=seat_limit,
                              join_code="", code_expires_at=codes.expiry(code_days))
        # A placeholder the unique constraint accepts until regenerate() sets the real code.
        classroom.join_code = f"pending-{codes.new_code()}"
        classroom.save()
        classroom.instructors.add(owner)
        codes.regenerate(classroom, days=code_days)
    return classroom


@dataclass(frozen=True)
class JoinOutcome:
    classroom: Classroom | None
    error: str | None = None  # a translated message; None on success
    already: bool = False
    limited: bool = False  # refused by the rate limit (HTTP 429)


RATE_LIMITED = _("Too many wrong codes. Wait a few minutes and try again.")
UNKNOWN = _("No class has this code. Check it with your instructor.")
EXPIRED = _("This join code has expired. Ask your instructor for a new one.")
FULL = _("This class is full. Ask your instructor for more seats.")


def join(user, code: str, address: str | None) -> JoinOutcome:
    """Join the class whose code this is. Wrong and expired codes count towards the rate limit;
    once limited, even a right code is refused until the window passes (so guessing learns nothing)."""
    if codes.is_limited(user, address):
        return JoinOutcome(None, str(RATE_LIMITED), limited=True)
    normalized = codes.normalize(code)
    classroom = Classroom.objects.filter(join_code=normalized).first() if len(normalized) == codes.CODE_LENGTH else None
    if classroom is None or not classroom.code_valid():
        codes.record_failure(user, address)
        return JoinOutcome(None, str(UNKNOWN if classroom is None else EXPIRED))
    if classroom.memberships.filter(user=user).exists():
        return JoinOutcome(classroom, already=True)
    try:
        with transaction.atomic():
            # Lock the class row so two last-seat joins cannot both succeed (PostgreSQL; SQLite
            # serializes writers anyway).
            locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
            if locked.memberships.count() >= locked.seat_limit:
                return JoinOutcome(None, str(FULL))
            Membership.objects.create(classroom=locked, user=user)
    except IntegrityError:  # joined twice at once
        return JoinOutcome(classroom, already=True)
    return JoinOutcome(classroom)
