"""Who a learner is: the owner key of sandboxes and progress rows ("user:<pk>" for a signed-in
learner, "anon:<hex>" for an anonymous one kept in the session). The one place it is built."""

from __future__ import annotations

import secrets

LEARNER_SESSION_KEY = "rollout_lab_learner"
USER_PREFIX, ANON_PREFIX = "user:", "anon:"


def user_owner(user_or_pk) -> str:
    """The owner key of a signed-in learner ("user:<pk>"): the one place it is built."""
    pk = getattr(user_or_pk, "pk", user_or_pk)
    return f"{USER_PREFIX}{pk}"


def anon_owner(learner_id: str) -> str:
    return f"{ANON_PREFIX}{learner_id}"


def is_user_owner(owner: str) -> bool:
    return isinstance(owner, str) and owner.startswith(USER_PREFIX)


def owner_for(user, session, *, create: bool) -> str | None:
    """"user:<pk>" or "anon:<hex>"; None when anonymous with no id yet and create is False.

    The anonymous id is stored in the session data (not the session key itself) because
    django.contrib.auth.login() cycles the session key but keeps the data.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        return user_owner(user)
    if session is None:
        return None
    learner = session.get(LEARNER_SESSION_KEY)
    if not learner and create:
        learner = secrets.token_hex(16)
        session[LEARNER_SESSION_KEY] = learner
    return anon_owner(learner) if learner else None
