"""Who owns a sandbox: the signed-in user, or an anonymous learner id kept in the session."""

from __future__ import annotations

import secrets

LEARNER_SESSION_KEY = "rollout_lab_learner"


def owner_for(user, session, *, create: bool) -> str | None:
    """"user:<pk>" or "anon:<hex>"; None when anonymous with no id yet and create is False.

    The anonymous id is stored in the session data (not the session key itself) because
    django.contrib.auth.login() cycles the session key but keeps the data.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    if session is None:
        return None
    learner = session.get(LEARNER_SESSION_KEY)
    if not learner and create:
        learner = secrets.token_hex(16)
        session[LEARNER_SESSION_KEY] = learner
    return f"anon:{learner}" if learner else None
