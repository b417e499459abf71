from django.urls import re_path

from tutorial.sandbox.realtime.consumer import SandboxConsumer

websocket_urlpatterns = [
    re_path(r"^ws/sandbox/(?P<lang>[a-z]{2})/(?P<slug>[a-z0-9][a-z0-9-]*)/$", SandboxConsumer.as_asgi()),
]
