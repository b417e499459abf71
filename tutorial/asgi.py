"""ASGI entry point: HTTP through Django, WebSockets through Channels (daphne serves both)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")
# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from tutorial.admission import ConsoleAdmission, LessonPageAdmission  # noqa: E402
from tutorial.origin import SameOriginValidator  # noqa: E402
from tutorial.routing import websocket_urlpatterns  # noqa: E402
from tutorial.sandbox.memory import tune_gc  # noqa: E402
from tutorial.warmup import warm_up  # noqa: E402

application = ProtocolTypeRouter(
    {
        # A full process answers the lesson page with "server is full" (tutorial/admission.py).
        "http": LessonPageAdmission(django_asgi_app),
        # Origin check (scheme, host and port) stands in for CSRF: browsers send no CSRF token on
        # WebSockets (tutorial/origin.py). Then the console count and capacity.
        "websocket": SameOriginValidator(ConsoleAdmission(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))),
    }
)

# daphne imports this module before it listens: the first learner finds a warm process.
warm_up()
# Everything start-up allocated is in place: keep the collector off it (tutorial/sandbox/memory.py).
tune_gc()
