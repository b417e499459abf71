"""A test HTTP server around `Cluster.api` for one cluster, with a lockstep clock.

Threaded stdlib server; watches and followed logs are sent with chunked transfer encoding. One
lock serialises every touch of the cluster. The clock: while at least one stream is open, no
other request is in flight and every open stream has drained (two consecutive idle polls), the
server advances simulated time to the cluster's next due event, as `Cluster.run` does for a
blocking console command; it never goes past `horizon` (then the open streams end).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

IDLE_POLL = 0.02  # seconds of wall time between idle checks
QUIET = 0.12      # no byte sent and no request answered for this long: the client has caught up


class ApiServer:
    def __init__(self, cluster, token: str = "test-token", tls_dir=None):
        self.cluster = cluster
        self.token = token
        self.lock = threading.RLock()
        self.in_flight = 0
        self.streams: dict[int, bool] = {}  # id -> drained
        self.horizon: float | None = None
        self.end_streams_at_horizon = False  # a `get -w` is cut there; anything else just waits
        self.last_activity = time.monotonic()
        self.requests: list[tuple[str, str]] = []
        self._closing = False
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.ca_pem = b""
        if tls_dir is not None:  # kubectl sends its token only over TLS
            from pathlib import Path

            from .tls import make_certificate, server_context

            cert, key = make_certificate(Path(tls_dir))
            self.ca_pem = cert.read_bytes()
            self.httpd.socket = server_context(cert, key).wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"{'https' if tls_dir is not None else 'http'}://127.0.0.1:{self.port}"
        self._threads = [threading.Thread(target=self.httpd.serve_forever, daemon=True),
                         threading.Thread(target=self._clock, daemon=True)]

    def start(self) -> "ApiServer":
        for t in self._threads:
            t.start()
        return self

    def wait_streams_closed(self, timeout: float = 2.0) -> None:
        """Until every stream of the last client has noticed that client is gone."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if not self.streams:
                    return
            time.sleep(IDLE_POLL / 2)

    def stop(self) -> None:
        self._closing = True
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- the lockstep clock --------------------------------------------------------------------
    def _clock(self) -> None:
        idle_polls = 0
        while not self._closing:
            time.sleep(IDLE_POLL)
            with self.lock:
                idle = (bool(self.streams) and self.in_flight == 0 and all(self.streams.values())
                        and time.monotonic() - self.last_activity >= QUIET)
                if not idle:
                    idle_polls = 0
                    continue
                idle_polls += 1
                if idle_polls < 2:
                    continue
                idle_polls = 0
                c = self.cluster
                due = c.next_due()
                limit = self.horizon if self.horizon is not None else c.now + 3600.0
                if c.now >= limit:
                    continue
                target = limit if due is None else min(due, limit)
                if target > c.now:
                    c.advance(target - c.now)
                for sid in self.streams:
                    self.streams[sid] = False  # let every stream look for new events

    # ---- HTTP ------------------------------------------------------------------------------------
    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                auth = self.headers.get("Authorization", "")
                if auth != f"Bearer {server.token}":
                    payload = json.dumps({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                          "message": "Unauthorized", "reason": "Unauthorized", "code": 401}).encode()
                    self._send(401, {"Content-Type": "application/json"}, payload)
                    return
                with server.lock:
                    server.in_flight += 1
                    server.requests.append((self.command, self.path))
                    try:
                        resp = server.cluster.api(self.command, split.path, query=parse_qs(split.query),
                                                  headers=dict(self.headers.items()), body=body)
                    finally:
                        server.in_flight -= 1
                        server.last_activity = time.monotonic()
                if not resp.streaming:
                    self._send(resp.status, resp.headers, resp.body)
                    return
                self._stream(resp)

            def _send(self, status, headers, payload):
                self.send_response(status)
                for k, v in headers.items():
                    for item in (v if isinstance(v, list) else [v]):
                        self.send_header(k, item)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def _stream(self, resp):
                self.send_response(resp.status)
                for k, v in resp.headers.items():
                    if k.lower() != "transfer-encoding":
                        self.send_header(k, v if not isinstance(v, list) else v[0])
                self.send_header("Transfer-Encoding", "chunked")
                # the connection is closed once the stream ends: saying so keeps a client from reusing
                # it for its next request and racing the close (RemoteDisconnected on a PATCH, which
                # urllib3 does not retry)
                self.send_header("Connection", "close")
                self.end_headers()
                sid = id(resp)
                it = iter(resp.body)
                with server.lock:
                    server.streams[sid] = False
                try:
                    while not server._closing:
                        with server.lock:
                            try:
                                chunk = next(it)
                            except StopIteration:
                                break
                            if chunk == b"":
                                server.streams[sid] = True
                                at_horizon = (server.end_streams_at_horizon and server.horizon is not None
                                              and server.cluster.now >= server.horizon)
                        if chunk:
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            self.wfile.flush()
                            server.last_activity = time.monotonic()
                        elif at_horizon or self._client_gone():
                            break
                        else:
                            time.sleep(IDLE_POLL / 2)
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (OSError, ValueError):  # the client went away (kubectl exits mid-stream)
                    pass
                finally:
                    with server.lock:
                        server.streams.pop(sid, None)
                        close = getattr(it, "close", None)
                        if close:
                            close()
                    self.close_connection = True

            def _client_gone(self) -> bool:
                """A watching client sends nothing more: readable means it closed (kubectl exited)."""
                import select

                try:
                    readable, _, _ = select.select([self.connection], [], [], 0)
                except (OSError, ValueError):
                    return True
                return bool(readable)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

        return Handler


def kubeconfig(url: str, token: str = "test-token", namespace: str = "default", ca_pem: bytes = b"") -> str:
    import base64

    ca = f"\n    certificate-authority-data: {base64.b64encode(ca_pem).decode()}" if ca_pem else ""
    return f"""apiVersion: v1
kind: Config
clusters:
- cluster:
    server: {url}{ca}
  name: sandbox
contexts:
- context:
    cluster: sandbox
    user: learner
    namespace: {namespace}
  name: sandbox
current-context: sandbox
users:
- name: learner
  user:
    token: {token}
"""
