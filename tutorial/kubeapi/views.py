"""The kubeconfig download (`…/kubeconfig`): a fresh token for the learner's sandbox in a
kubeconfig file. Issuing revokes the previous token, so downloading again is "regenerate"."""
from __future__ import annotations

from django.http import HttpResponse

from . import kubeconfig, tokens


def kubeconfig_response(sandbox_id, server: str, *, ca_pem: bytes | None = None) -> HttpResponse:
    """The lead's view resolves the learner's own sandbox (never one from the URL) and the
    public https URL of `/<prefix>/<sandbox-id>`, then returns this."""
    token = tokens.issue(sandbox_id)
    text = kubeconfig.render(server, token, ca_pem=ca_pem)
    resp = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="rollout-lab.kubeconfig"'
    resp["Cache-Control"] = "no-store"
    return resp
