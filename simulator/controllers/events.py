"""Recording core/v1 Events, with the client-go event correlator's aggregation.

tools/record/events_cache.go: an identical event (same object, reason, message, source) bumps
`count` and `lastTimestamp` instead of creating a new one. The API server's event TTL (1 h by
default) is honoured, and a cap keeps a noisy cluster from growing without bound.
"""
from __future__ import annotations

from ..objects import clone

EVENT_TTL = 3600.0
MAX_EVENTS = 600


def record(eng, obj: dict, etype: str, reason: str, message: str, component: str,
           host: str | None = None, field_path: str | None = None) -> None:
    m = obj["metadata"]
    ns = m.get("namespace") or "default"
    key = repr((m.get("uid"), field_path, reason, message, component, etype))
    cache = eng.event_index
    stamp = eng.stamp()
    name = cache.get(key)
    existing = eng.store.get("Event", ns, name) if name else None
    if existing is not None:
        ev = clone(existing)
        ev["count"] = int(ev.get("count") or 1) + 1
        ev["lastTimestamp"] = stamp
        eng.api.put_internal(ev)
        return
    eng.event_seq += 1
    nanos = int((eng.epoch.timestamp() + eng.now) * 1e9) + eng.event_seq
    name = f"{m['name']}.{nanos:x}"
    involved = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "name": m.get("name"),
                "namespace": ns, "resourceVersion": m.get("resourceVersion"), "uid": m.get("uid")}
    if field_path:
        involved["fieldPath"] = field_path
    source = {"component": component}
    if host:
        source["host"] = host
    ev = {"apiVersion": "v1", "kind": "Event", "count": 1, "eventTime": None, "firstTimestamp": stamp,
          "involvedObject": involved, "lastTimestamp": stamp, "message": message,
          "metadata": {"creationTimestamp": stamp, "name": name, "namespace": ns, "uid": eng.rng.uuid()},
          "reason": reason, "reportingComponent": component, "reportingInstance": host or "",
          "source": source, "type": etype}
    eng.api.put_internal(ev)
    cache[key] = name
    _expire(eng)


def _expire(eng) -> None:
    """Drop events past their TTL, and the oldest fifth once over the cap (amortised: RFC 3339
    strings sort in time order, so no parsing is needed)."""
    events = eng.store.count("Event")
    if events <= MAX_EVENTS and eng.now - eng.events_swept < 60:
        return
    eng.events_swept = eng.now
    cutoff = eng.stamp_at(eng.now - EVENT_TTL)
    ordered = sorted(eng.store.list("Event"), key=lambda e: e["lastTimestamp"])
    excess = len(ordered) - MAX_EVENTS
    if excess > 0:
        excess += MAX_EVENTS // 5
    removed = set()
    for i, ev in enumerate(ordered):
        if i < excess or ev["lastTimestamp"] < cutoff:
            eng.store.remove("Event", ev["metadata"]["namespace"], ev["metadata"]["name"])
            removed.add(ev["metadata"]["name"])
        else:
            break
    if removed:
        for k in [k for k, v in eng.event_index.items() if v in removed]:
            del eng.event_index[k]
