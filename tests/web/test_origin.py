"""WebSocket origin check (tutorial/origin.py): scheme, host and port must be the site's own.

Channels' AllowedHostsOriginValidator accepted `Origin: https://localhost` on a plain-HTTP server
and any port of an allowed host; this validator follows Django's CSRF origin rule instead.
"""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from tutorial.asgi import application
from tutorial.origin import SameOriginValidator, origin_allowed

pytestmark = pytest.mark.asyncio


async def accepting(scope, receive, send):
    """A bare ASGI app (no consumer, so no database clean-up) that accepts every handshake."""
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif message["type"] == "websocket.disconnect":
            return


guarded = SameOriginValidator(accepting)


def scope(origin: str | None, host: str | None = "localhost:8000", scheme: str = "ws", **extra: str) -> dict:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode("latin1")))
    if host is not None:
        headers.append((b"host", host.encode("latin1")))
    headers += [(name.encode(), value.encode()) for name, value in extra.items()]
    return {"type": "websocket", "path": "/ws/x/", "scheme": scheme, "headers": headers}


async def handshake(app, origin: str | None, host: str | None = "localhost:8000", scheme: str = "ws",
                    **extra: str) -> bool:
    built = scope(origin, host, scheme, **extra)
    communicator = WebsocketCommunicator(app, "/ws/x/", headers=built["headers"])
    communicator.scope["scheme"] = scheme
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


async def test_plain_http_server_accepts_its_own_origin_only():
    assert await handshake(guarded, "http://localhost:8000")
    assert await handshake(guarded, "http://LOCALHOST:8000")  # host names are case-insensitive
    # The report: an https page on the same host name was accepted by Channels' validator.
    assert not await handshake(guarded, "https://localhost")
    assert not await handshake(guarded, "https://localhost:8000")
    # Another port of the same host is another origin (another local app).
    assert not await handshake(guarded, "http://localhost:9000")
    assert not await handshake(guarded, "http://localhost")
    assert not await handshake(guarded, "http://127.0.0.1:8000")  # allowed host, but not this Host
    assert not await handshake(guarded, "http://evil.example:8000")


async def test_default_ports_are_implied():
    assert await handshake(guarded, "http://localhost", host="localhost")
    assert await handshake(guarded, "http://localhost:80", host="localhost")
    assert not await handshake(guarded, "http://localhost:8080", host="localhost")


async def test_missing_null_or_malformed_origin_is_refused():
    assert not await handshake(guarded, None)
    assert not await handshake(guarded, "null")  # sandboxed iframes, file:// pages
    assert not await handshake(guarded, "http://localhost:99999")
    assert not await handshake(guarded, "http://localhost:abc")
    assert not await handshake(guarded, "localhost:8000")
    assert not await handshake(guarded, "")


async def test_host_header_must_be_an_allowed_host():
    # A DNS-rebinding page: Origin and Host agree, but the name is not ours.
    assert not await handshake(guarded, "http://rebound.example:8000", host="rebound.example:8000")


async def test_tls_connection_wants_an_https_origin():
    assert await handshake(guarded, "https://localhost", host="localhost", scheme="wss")
    assert not await handshake(guarded, "http://localhost", host="localhost", scheme="wss")


async def test_behind_a_tls_proxy_the_forwarded_proto_decides(settings):
    # DJANGO_SECURE sets SECURE_PROXY_SSL_HEADER: the proxy terminates TLS and says so.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["lab.example.com"]
    proxied = {"x-forwarded-proto": "https"}
    assert await handshake(guarded, "https://lab.example.com", host="lab.example.com", **proxied)
    assert not await handshake(guarded, "http://lab.example.com", host="lab.example.com", **proxied)
    assert await handshake(guarded, "https://lab.example.com", host="lab.example.com",
                           **{"x-forwarded-proto": "https, http"})  # the first proxy's view
    # The proxy says http (or says nothing on a plain connection): an https page is another origin.
    assert not await handshake(guarded, "https://lab.example.com", host="lab.example.com",
                               **{"x-forwarded-proto": "http"})
    assert not await handshake(guarded, "https://lab.example.com", host="lab.example.com")
    assert await handshake(guarded, "http://lab.example.com", host="lab.example.com")


async def test_forwarded_proto_is_ignored_unless_configured():
    # Without SECURE_PROXY_SSL_HEADER anyone could send the header: it must not make https valid.
    assert not await handshake(guarded, "https://localhost", host="localhost", **{"x-forwarded-proto": "https"})


async def test_trusted_origins_cover_a_proxy_that_rewrites_host(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://lab.example.com"]
    assert await handshake(guarded, "https://lab.example.com", host="127.0.0.1:8000")
    assert not await handshake(guarded, "https://other.example.com", host="127.0.0.1:8000")


async def test_forwarded_host_only_with_use_x_forwarded_host(settings):
    settings.ALLOWED_HOSTS = ["lab.example.com", "127.0.0.1"]
    forwarded = {"x-forwarded-host": "lab.example.com"}
    assert not await handshake(guarded, "http://lab.example.com", host="127.0.0.1:8000", **forwarded)
    settings.USE_X_FORWARDED_HOST = True
    assert await handshake(guarded, "http://lab.example.com", host="127.0.0.1:8000", **forwarded)


async def test_without_a_host_header_scheme_and_allowed_hosts_are_checked():
    # Channels' communicator sends no Host; a browser always does.
    assert origin_allowed(scope("http://127.0.0.1", host=None))
    assert not origin_allowed(scope("https://127.0.0.1", host=None))
    assert not origin_allowed(scope("http://evil.example", host=None))


@pytest.mark.django_db(transaction=True)
async def test_the_site_application_uses_the_check():
    path = "/ws/sandbox/en/deployment-basics/"
    headers = [(b"origin", b"https://localhost"), (b"host", b"localhost:8000")]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
    headers = [(b"origin", b"http://localhost:9000"), (b"host", b"localhost:8000")]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
    # The site's own origin reaches the consumer (the class dashboard refuses an anonymous user
    # after accepting, with its own 4003 code: the origin check let it through).
    headers = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]
    communicator = WebsocketCommunicator(application, "/ws/classes/en/1/", headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    await communicator.disconnect()
