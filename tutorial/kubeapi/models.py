"""Bearer tokens for the per-sandbox Kubernetes API. Only a SHA-256 of the token is stored."""
from __future__ import annotations

from django.db import models


class ApiToken(models.Model):
    sandbox_id = models.CharField(max_length=64, db_index=True, help_text="the sandbox this token opens, and no other")
    token_hash = models.CharField(max_length=64, unique=True, help_text="sha256 hex of the token")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sandbox_id", "revoked_at"], name="kubeapi_token_active")]

    def __str__(self) -> str:
        return f"token for sandbox {self.sandbox_id}{' (revoked)' if self.revoked_at else ''}"
