"""Join codes: random, unambiguous to read aloud, expiring, and rate-limited against guessing."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

# No 0/O, 1/I/L: codes are read from a projector. 31 symbols ** 8 ≈ 8.5e11 codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
DEFAULT_VALID_DAYS = 14
# At most this many wrong codes per account, and per client address (higher: a classroom often
# shares one address behind NAT, and one learner's typos must not lock the others out).
MAX_FAILURES = 10
MAX_FAILURES_PER_ADDRESS = 50
FAILURE_WINDOW = timedelta(minutes=15)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code: str) -> str:
    """What a learner typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[:32]


def expiry(days: int, now=None):
    return (now or timezone.now()) + timedelta(days=days)


def regenerate(classroom, *, days: int = DEFAULT_VALID_DAYS) -> None:
    """A fresh code (the old one stops working at once) valid for `days` more days."""
    from tutorial.classroom.models import Classroom

    while True:
        code = new_code()
        if not Classroom.objects.filter(join_code=code).exists():
            break
    classroom.join_code = code
    classroom.code_expires_at = expiry(days)
    classroom.save(update_fields=["join_code", "code_expires_at"])


def _keys(user, address: str | None) -> list[str]:
    keys = [f"user:{user.pk}"]
    if address:
        keys.append(f"ip:{address}")
    return keys


def is_limited(user, address: str | None, now=None) -> bool:
    from tutorial.classroom.models import JoinAttempt

    since = (now or timezone.now()) - FAILURE_WINDOW
    return any(JoinAttempt.objects.filter(key=key, at__gte=since).count()
               >= (MAX_FAILURES_PER_ADDRESS if key.startswith("ip:") else MAX_FAILURES)
               for key in _keys(user, address))


def record_failure(user, address: str | None) -> None:
    from tutorial.classroom.models import JoinAttempt

    now = timezone.now()
    JoinAttempt.objects.bulk_create([JoinAttempt(key=key, at=now) for key in _keys(user, address)])
    # Old rows are useless; drop them now and then rather than with a scheduler.
    JoinAttempt.objects.filter(at__lt=now - FAILURE_WINDOW * 4).delete()
