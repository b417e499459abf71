"""WebSocket routes."""

from tutorial.sandbox.routing import websocket_urlpatterns

__all__ = ["websocket_urlpatterns"]
