"""Watches: newline-delimited JSON events (`{"type":"ADDED","object":{...}}`) as the store changes.

A hub per cluster keeps the recent events (with the resourceVersion each was written at), so a
watch from the resourceVersion of a list sees what happened in between, and a too-old one gets
410 Expired like a real server's watch cache (apiserver storage/cacher). `sendInitialEvents`
(the WatchList protocol of client-go reflectors) sends the current objects as ADDED and then a
BOOKMARK annotated `k8s.io/initial-events-end`; `allowWatchBookmarks` adds a BOOKMARK a minute. Streams are driven by the caller: the iterator
yields b"" whenever nothing is pending, and ends when `timeoutSeconds` of simulated time passed.
"""
from __future__ import annotations

from collections import deque

from ..api.errors import BadRequest, StatusError
from ..kubectl.selectors import compile_selectors
from . import table as tables
from .response import Response, dumps, status_body

HISTORY = 2000
# a watch that allows bookmarks gets one about every minute of quiet with the latest resourceVersion
# (apiserver storage/cacher: bookmarkFrequency = time.Minute), so a reflector can resume from it
BOOKMARK_EVERY = 60.0


class Expired(StatusError):
    reason, code = "Expired", 410


class Hub:
    """Recent store events of one cluster: (resourceVersion, type, object)."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.events: deque = deque(maxlen=HISTORY)
        self.oldest_rv = cluster._eng.store.resource_version  # noqa: SLF001
        self._store = None
        self.attach()

    def attach(self) -> None:
        """(Re)listen to the cluster's current store (a rollback replaces the engine)."""
        store = self.cluster._eng.store  # noqa: SLF001
        self._store = store
        if self._on_event not in store._listeners:  # noqa: SLF001 - a rollback copies listeners over
            store.listen(self._on_event)

    def _on_event(self, etype: str, obj: dict) -> None:
        rv = self._store.resource_version
        if etype == "DELETED":
            obj = dict(obj, metadata=dict(obj["metadata"], resourceVersion=str(rv)))
        if len(self.events) == self.events.maxlen:
            self.oldest_rv = self.events[0][0]
        self.events.append((rv, etype, obj))

    def since(self, rv: int) -> list:
        if rv < self.oldest_rv:
            raise Expired(f"too old resource version: {rv} ({self.oldest_rv})")
        return [e for e in self.events if e[0] > rv]


def hub_of(cluster) -> Hub:
    hub = getattr(cluster, "_rest_hub", None)
    if hub is None:
        hub = Hub(cluster)
        cluster._rest_hub = hub  # noqa: SLF001
    hub.attach()
    return hub


def watch(req, objects_matching) -> Response:
    """GET …?watch=true: the stream. `objects_matching(req)` lists the current objects."""
    cluster, rt = req.cluster, req.rt
    hub = hub_of(cluster)
    eng = req.eng
    pred = compile_selectors(rt.kind, req.q("labelSelector"), req.q("fieldSelector"))
    ns = req.namespace if rt.namespaced else ""
    if req.name:  # /namespaces/x/pods/name?watch=1 (deprecated form): a field selector on the name
        by_name = req.name
        base_pred = pred
        pred = lambda o: base_pred(o) and o["metadata"].get("name") == by_name  # noqa: E731
    as_table = tables.wants_table(req.headers.get("accept", ""))
    bookmarks = req.flag("allowWatchBookmarks")
    initial = req.flag("sendInitialEvents")
    rv_text = req.q("resourceVersion")
    try:
        timeout = float(req.q("timeoutSeconds") or 1800)
    except ValueError:
        raise BadRequest(f"timeoutSeconds: Invalid value: {req.q('timeoutSeconds')!r}") from None
    try:
        start_rv = int(rv_text) if rv_text not in ("", "0") else None
    except ValueError:
        raise BadRequest(f"resourceVersion: Invalid value: {rv_text!r}: must be a number") from None
    pending = []
    if start_rv is not None and not initial:
        pending = hub.since(start_rv)  # raises Expired before the stream starts
    elif not initial:
        # "0"/unset: start with the current state as ADDED events (watch cache semantics)
        pending = [(eng.store.resource_version, "ADDED", o) for o in objects_matching(req)]
    deadline = eng.now + max(timeout, 0.0)

    def selected(obj) -> bool:
        if not rt.simulated or obj.get("kind") != rt.kind:
            return False
        if ns and obj["metadata"].get("namespace", "") != ns:
            return False
        return pred(obj)

    def encode(etype: str, obj: dict, first: bool) -> bytes:
        if as_table and etype != "BOOKMARK":
            obj = tables.table(rt.kind, [obj], req.print_context(), obj["metadata"].get("resourceVersion", ""),
                               include_object=req.q("includeObject", "Metadata"), headers=first)
        return dumps({"type": etype, "object": obj}) + b"\n"

    # where the stream starts is fixed now, not when the caller first reads from it
    start_rv = eng.store.resource_version
    initial_objects = [(start_rv, "ADDED", o) for o in objects_matching(req)] if initial else []

    next_bookmark = [eng.now + BOOKMARK_EVERY]

    def stream():
        first = True
        last_rv = start_rv
        queue = initial_objects or list(pending)
        seen = start_rv
        if initial:
            for _, etype, obj in queue:
                yield encode(etype, obj, first)
                first = False
            mark = {"kind": rt.kind, "apiVersion": rt.api_version,
                    "metadata": {"resourceVersion": str(start_rv),
                                 "annotations": {"k8s.io/initial-events-end": "true"}}}
            yield encode("BOOKMARK", mark, False)
            queue = []
        while True:
            for _, etype, obj in queue:
                if selected(obj):
                    yield encode(etype, obj, first)
                    first = False
            hub_now = hub_of(cluster)
            queue = [e for e in hub_now.events if e[0] > max(seen, last_rv)]
            if queue:
                seen = queue[-1][0]
                continue
            if eng is not cluster._eng or cluster._eng.now >= deadline:  # noqa: SLF001
                return
            if bookmarks and cluster._eng.now >= next_bookmark[0]:  # noqa: SLF001
                next_bookmark[0] = cluster._eng.now + BOOKMARK_EVERY  # noqa: SLF001
                yield encode("BOOKMARK", {"kind": rt.kind, "apiVersion": rt.api_version,
                                          "metadata": {"resourceVersion": str(max(seen, last_rv))}}, False)
                continue
            yield b""

    return Response(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}, stream())


def error_event(status: dict) -> bytes:
    return dumps({"type": "ERROR", "object": status}) + b"\n"


__all__ = ["watch", "hub_of", "Expired", "error_event", "status_body"]
