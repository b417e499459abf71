"""Sign-up; log in/out and password reset are Django's own auth views (tutorial/accounts/urls.py)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from tutorial.accounts.forms import SignUpForm


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _after_signup(request: HttpRequest) -> HttpResponse:
    # Not redirect(next): it would try a bare word such as "x" as a URL name (NoReverseMatch, a 500).
    target = _next_url(request)
    return HttpResponseRedirect(target) if target else redirect("lessons:index")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _after_signup(request)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Logging in fires user_logged_in, which moves the anonymous sandboxes and progress over
        # (tutorial/sandbox/signals.py), exactly as a later sign-in would.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _after_signup(request)
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request) or ""})
