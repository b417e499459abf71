"""WebSocket routes."""

from tutorial.classroom.routing import websocket_urlpatterns as classroom_patterns
from tutorial.sandbox.routing import websocket_urlpatterns as sandbox_patterns

websocket_urlpatterns = sandbox_patterns + classroom_patterns

__all__ = ["websocket_urlpatterns"]
