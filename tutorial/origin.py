"""Same-origin check for WebSockets (browsers send no CSRF token on them, but always an Origin).

Channels' AllowedHostsOriginValidator compares only the Origin's host with ALLOWED_HOSTS, so a
page at https://localhost (or at another port of the same host) could open a socket on the
plain-HTTP server at http://localhost:8000. This check is Django's CSRF origin rule
(django/middleware/csrf.py, CsrfViewMiddleware._origin_verified) applied to the handshake:

- the Origin must be exactly the origin the browser used to reach this server: scheme, host and
  port. The scheme is https when the connection is TLS (scope scheme "wss") or, behind a TLS
  proxy, when settings.SECURE_PROXY_SSL_HEADER (set by DJANGO_SECURE) says so, as
  request.is_secure() does; the host and port come from the Host header (X-Forwarded-Host only
  with USE_X_FORWARDED_HOST), and the host must be in ALLOWED_HOSTS;
- or the Origin is listed in CSRF_TRUSTED_ORIGINS (a proxy that rewrites Host).

A handshake without a Host header (not a browser: Channels' test communicator) is checked on
scheme and ALLOWED_HOSTS only, there being no port to compare with. No Origin is refused.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin1")
    return None


def _hosts() -> list[str]:
    hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not hosts:  # Django's own fallback for an empty list in debug
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def connection_is_secure(scope) -> bool:
    """request.is_secure() for a WebSocket scope: the proxy's header when one is configured and
    present, else the connection's own scheme."""
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name, secure_value = proxy
        # "HTTP_X_FORWARDED_PROTO" -> b"x-forwarded-proto"
        value = _header(scope, name.removeprefix("HTTP_").replace("_", "-").lower().encode())
        if value is not None:
            # Django takes the first of a comma-separated list (several proxies).
            return value.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme", "ws") in ("wss", "https")


def _port(scheme: str, port: str | int | None) -> int | None:
    if port in (None, ""):
        return DEFAULT_PORTS.get(scheme)
    try:
        return int(port)
    except ValueError:
        return None


def origin_allowed(scope) -> bool:
    origin = _header(scope, b"origin")
    if not origin or origin == "null":
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parts = urlsplit(origin.lower())
        origin_port = _port(parts.scheme, parts.port)
    except ValueError:  # a malformed port
        return False
    if not parts.hostname or origin_port is None:
        return False
    scheme = "https" if connection_is_secure(scope) else "http"
    if parts.scheme != scheme:
        return False
    host = None
    if getattr(settings, "USE_X_FORWARDED_HOST", False):
        host = _header(scope, b"x-forwarded-host")
    host = host or _header(scope, b"host")
    if host is None:
        domain, _ = split_domain_port(parts.netloc)
        return bool(domain) and validate_host(domain, _hosts())
    domain, port = split_domain_port(host.lower())
    if not domain or not validate_host(domain, _hosts()):
        return False
    # The browser's Host carries the port unless it is the scheme's default one.
    origin_domain, _ = split_domain_port(parts.netloc)
    return origin_domain == domain and origin_port == _port(scheme, port)


class SameOriginValidator:
    """ASGI middleware in front of the WebSocket routes: refuses the handshake (HTTP 403) unless
    the Origin is this site's own."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await refuse_handshake(receive, send)
        return await self.application(scope, receive, send)


async def refuse_handshake(receive, send) -> None:
    """Close before accepting: the server answers the handshake with HTTP 403. Plain ASGI, not
    Channels' WebsocketDenier consumer, which hops to a thread to tidy database connections."""
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.close"})
        elif message["type"] == "websocket.disconnect":
            return
