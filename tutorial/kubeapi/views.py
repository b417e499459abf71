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


def api_base_url(request, sandbox_id) -> str:
    """The public URL of a sandbox's API: KUBEAPI_PUBLIC_URL (https://host, set behind a TLS
    proxy) or this request's host, always https (kubectl sends tokens only over TLS)."""
    from django.conf import settings

    prefix = "/" + getattr(settings, "KUBEAPI_PREFIX", "k8s").strip("/")
    base = getattr(settings, "KUBEAPI_PUBLIC_URL", "") or f"https://{request.get_host()}"
    return f"{base.rstrip('/')}{prefix}/{sandbox_id}"


def download(request, slug: str):
    """GET …/<lesson slug>/kubeconfig: the learner's own sandbox for that lesson (found from their
    session or account, never from the URL), a fresh token, as a kubeconfig file."""
    from django.http import Http404

    from tutorial.sandbox.models import Sandbox
    from tutorial.sandbox.owners import owner_for

    owner = owner_for(request.user, request.session, create=False)
    sandbox = owner and Sandbox.objects.filter(owner=owner, lesson_slug=slug).first()
    if not sandbox:
        raise Http404("No sandbox for this lesson yet: open the lesson first")
    return kubeconfig_response(sandbox.pk, api_base_url(request, sandbox.pk))


def revoke(request, slug: str):
    """POST …/<lesson slug>/kubeconfig/revoke: the sandbox's API closes until the next download."""
    from django.http import Http404, HttpResponseNotAllowed, JsonResponse

    from tutorial.sandbox.models import Sandbox
    from tutorial.sandbox.owners import owner_for

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    owner = owner_for(request.user, request.session, create=False)
    sandbox = owner and Sandbox.objects.filter(owner=owner, lesson_slug=slug).first()
    if not sandbox:
        raise Http404("No sandbox for this lesson")
    return JsonResponse({"revoked": tokens.revoke(sandbox.pk)})
