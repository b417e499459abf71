"""The lesson page's "use your own kubectl" panel (templates/kubeapi/_panel.html): the kubeconfig
download (`…/kubeconfig`: a fresh token in a kubeconfig file; downloading again is "regenerate"),
a token for the one-line example (shown once), and revoke. The sandbox is always the learner's own
for that lesson (their session or account), never one named in the URL."""
from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render

from . import kubeconfig, tls, tokens


def kubeconfig_response(sandbox_id, server: str, *, ca_pem: bytes | None = None) -> HttpResponse:
    token = tokens.issue(sandbox_id)
    text = kubeconfig.render(server, token, ca_pem=ca_pem)
    resp = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="rollout-lab.kubeconfig"'
    resp["Cache-Control"] = "no-store"
    return resp


def _host_name(request) -> str:
    host = request.get_host()
    if host.startswith("["):  # [::1]:8000
        return host[: host.index("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def api_base_url(request, sandbox_id) -> str:
    """The public URL of a sandbox's API: KUBEAPI_PUBLIC_URL (https://host, set behind a TLS
    proxy), else `make run`'s HTTPS endpoint on this host (kubectl sends tokens only over TLS)."""
    prefix = "/" + settings.KUBEAPI_PREFIX.strip("/")
    base = settings.KUBEAPI_PUBLIC_URL or f"https://{_host_name(request)}:{settings.KUBEAPI_TLS_PORT}"
    return f"{base.rstrip('/')}{prefix}/{sandbox_id}"


def own_ca() -> bytes | None:
    """The self-signed certificate to embed, unless a proxy with a real certificate serves the API."""
    return None if settings.KUBEAPI_PUBLIC_URL else tls.ca_pem(settings.KUBEAPI_TLS_DIR)


def _own_sandbox(request, slug: str):
    from tutorial.sandbox.models import Sandbox
    from tutorial.learners import owner_for

    owner = owner_for(request.user, request.session, create=False)
    sandbox = owner and Sandbox.objects.filter(owner=owner, lesson_slug=slug).first()
    if not sandbox:
        raise Http404("No sandbox for this lesson yet: open the lesson first")
    return sandbox


def download(request, slug: str):
    """GET …/<lesson slug>/kubeconfig: a fresh token for the learner's sandbox, as a kubeconfig."""
    sandbox = _own_sandbox(request, slug)
    return kubeconfig_response(sandbox.pk, api_base_url(request, sandbox.pk), ca_pem=own_ca())


def token(request, slug: str):
    """POST …/<lesson slug>/kubeconfig/token: a fresh token, shown once in the one-line example."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    sandbox = _own_sandbox(request, slug)
    new = tokens.issue(sandbox.pk)
    server = api_base_url(request, sandbox.pk)
    line = kubeconfig.one_liner(server, new)
    if own_ca() is not None:  # the self-signed endpoint: the kubeconfig carries its certificate
        line = line.replace(" get pods", " --insecure-skip-tls-verify get pods")
    response = render(request, "kubeapi/_token.html", {"line": line})
    response["Cache-Control"] = "no-store"
    return response


def revoke(request, slug: str):
    """POST …/<lesson slug>/kubeconfig/revoke: the sandbox's API closes until the next token."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    revoked = tokens.revoke(_own_sandbox(request, slug).pk)
    if request.headers.get("HX-Request"):
        return render(request, "kubeapi/_revoked.html", {"revoked": revoked})
    return JsonResponse({"revoked": revoked})
