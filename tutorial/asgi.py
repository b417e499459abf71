"""ASGI entry point: HTTP through Django, WebSockets through Channels (daphne serves both)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")
# Django must be set up before anything imports models (the consumers do).
django.setup(set_prefix=False)

from tutorial.http_one_trip import DjangoInOneTrip  # noqa: E402

# Django's pages in one trip to the thread, not one per middleware (http_one_trip.py says why).
django_http_app = DjangoInOneTrip()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from django.conf import settings  # noqa: E402

from tutorial.admission import ConsoleAdmission, LessonPageAdmission  # noqa: E402
from tutorial.kubeapi.asgi import KubeApiApp  # noqa: E402
from tutorial.kubeapi.route import run_api_request  # noqa: E402
from tutorial.origin import SameOriginValidator  # noqa: E402
from tutorial.routing import websocket_urlpatterns  # noqa: E402
from tutorial.sandbox.memory import tune_gc  # noqa: E402
from tutorial.warmup import warm_up  # noqa: E402


class HttpByPrefix:
    """/<KUBEAPI_PREFIX>/… is the learner's own kubectl (tutorial/kubeapi: bearer tokens, no
    cookies or sessions); everything else is Django."""

    def __init__(self, api, django_app, prefix: str):
        self.api, self.django_app = api, django_app
        self.prefix = "/" + prefix.strip("/") + "/"

    async def __call__(self, scope, receive, send):
        app = self.api if scope.get("path", "").startswith(self.prefix) else self.django_app
        await app(scope, receive, send)


kube_api = KubeApiApp(run_api_request, prefix=settings.KUBEAPI_PREFIX)

application = ProtocolTypeRouter(
    {
        # A full process answers the lesson page with "server is full" (tutorial/admission.py).
        "http": HttpByPrefix(kube_api, LessonPageAdmission(django_http_app), settings.KUBEAPI_PREFIX),
        # Origin check (scheme, host and port) stands in for CSRF: browsers send no CSRF token on
        # WebSockets (tutorial/origin.py). Then the console count and capacity.
        "websocket": SameOriginValidator(ConsoleAdmission(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
    }
)

# daphne imports this module before it listens: the first learner finds a warm process.
warm_up()
# Everything start-up allocated is in place: keep the collector off it (tutorial/sandbox/memory.py).
tune_gc()
