"""Bearer tokens: `rl_` + 43 random URL-safe characters (256 bits, `secrets`), shown to the learner
once in their kubeconfig, stored only as a SHA-256 hex digest. Issuing a token for a sandbox
revokes the ones before it (regenerate = issue again); revoke() closes the API for a sandbox."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken

PREFIX = "rl_"
_SHAPE = re.compile(r"^rl_[A-Za-z0-9_-]{43}$")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: str) -> bool:
    return isinstance(token, str) and bool(_SHAPE.match(token))


def issue(sandbox_id) -> str:
    """A new token for the sandbox; every earlier token of that sandbox stops working."""
    token = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.filter(sandbox_id=str(sandbox_id), revoked_at__isnull=True).update(revoked_at=timezone.now())
        ApiToken.objects.create(sandbox_id=str(sandbox_id), token_hash=digest(token))
    return token


def revoke(sandbox_id) -> int:
    return ApiToken.objects.filter(sandbox_id=str(sandbox_id), revoked_at__isnull=True).update(revoked_at=timezone.now())


def sandbox_for(token: str) -> str | None:
    """The sandbox id an active token opens, or None (malformed, unknown or revoked)."""
    if not well_formed(token):
        return None
    row = ApiToken.objects.filter(token_hash=digest(token), revoked_at__isnull=True).only("sandbox_id", "token_hash").first()
    if row is None or not hmac.compare_digest(row.token_hash, digest(token)):
        return None
    return row.sandbox_id
