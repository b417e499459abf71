"""Sandbox actions over plain HTTP (the console itself is a WebSocket: realtime/consumer.py)."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.learners import owner_for
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import sandbox_reset


def notify_sandbox_changed(sandbox: Sandbox) -> None:
    """Tell the session hosting this sandbox (if any, in any process) to reload it (realtime/bridge.py)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(sandbox.group_name, {"type": "sandbox.reload", "sandbox": sandbox.pk})


@require_POST
def reset(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """Reset the learner's own sandbox for a lesson (works without JavaScript)."""
    lesson = get_catalogue().get(slug)
    owner = owner_for(request.user, request.session, create=False)
    sandbox = owner and Sandbox.objects.filter(owner=owner, lesson_slug=slug).first()
    if lesson is None or sandbox is None:
        raise Http404("No such sandbox")
    sandbox_reset(sandbox, lesson)
    notify_sandbox_changed(sandbox)
    return HttpResponseRedirect(reverse("lessons:lesson", args=[slug]))
