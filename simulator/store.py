"""Object storage with resourceVersions and watch events (the simulated etcd + watch cache).

Stored objects are treated as immutable: writers store a fresh dict, readers must not mutate
what `get`/`list` return (use objects.clone first). That lets watch events carry the stored
object itself without copying on every write.
"""
from __future__ import annotations

import itertools
import operator
from typing import Callable, Iterable

from .objects import controller_ref, key_of

Key = tuple[str, str, str]  # (kind, namespace, name)
_KIND_OF_KEY = operator.itemgetter(0)


class Store:
    def __init__(self):
        self._objects: dict[str, dict[tuple[str, str], dict]] = {}
        # controller uid -> {key: current object} of its dependents (insertion-ordered, so iteration
        # is deterministic without sorting on every read)
        self._owned: dict[str, dict[Key, dict]] = {}
        self._orphans: dict[str, dict[Key, dict]] = {}  # kind -> objects without a controller
        self.resource_version = 1000
        self._listeners: list[Callable[[str, dict], None]] = []
        # while a command runs with a rollback checkpoint: key -> the object stored before the
        # command's first write to that key (None: there was none). See Engine.checkpoint.
        self.journal: dict[Key, dict | None] | None = None

    # ---- reads -------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self._objects.get(kind, {}).get((namespace, name))

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        items = self._objects.get(kind, {})
        keys = sorted(items) if namespace is None else sorted(k for k in items if k[0] == namespace)
        return [items[k] for k in keys]

    def count(self, kind: str | None = None) -> int:
        if kind is not None:
            return len(self._objects.get(kind, {}))
        return sum(len(v) for v in self._objects.values())

    def dependents(self, uid: str, kind: str | None = None) -> list[dict]:
        """Objects (of `kind`, if given) whose controller ownerReference points at `uid`, in the
        order of their last writes. The kind is filtered in C, from the index's keys: the
        ReplicaSet controller asks for the pods of a ReplicaSet of thousands on every reconcile."""
        owned = self._owned.get(uid)
        if not owned:
            return []
        if kind is None:
            return list(owned.values())
        kinds = list(map(_KIND_OF_KEY, owned))
        if kinds.count(kind) == len(kinds):
            return list(owned.values())
        return list(itertools.compress(owned.values(), map(kind.__eq__, kinds)))

    def orphans(self, kind: str, namespace: str) -> list[dict]:
        """Objects of `kind` in `namespace` that no controller owns (candidates for adoption)."""
        return [obj for (_, ns, _), obj in self._orphans.get(kind, {}).items() if ns == namespace]

    def all_objects(self) -> Iterable[dict]:
        for kind in sorted(self._objects):
            items = self._objects[kind]
            for k in sorted(items):
                yield items[k]

    # ---- writes ------------------------------------------------------------
    def listen(self, fn: Callable[[str, dict], None]) -> Callable[[], None]:
        self._listeners.append(fn)

        def unlisten():
            if fn in self._listeners:
                self._listeners.remove(fn)

        return unlisten

    def put(self, obj: dict) -> dict:
        """Store (create or replace) an object, bump its resourceVersion, emit ADDED/MODIFIED."""
        kind, ns, name = key_of(obj)
        bucket = self._objects.setdefault(kind, {})
        old = bucket.get((ns, name))
        if self.journal is not None and (kind, ns, name) not in self.journal:
            self.journal[(kind, ns, name)] = old
        self.resource_version += 1
        obj["metadata"]["resourceVersion"] = str(self.resource_version)
        bucket[(ns, name)] = obj
        self._index(old, remove=True)
        self._index(obj)
        self._emit("MODIFIED" if old is not None else "ADDED", obj)
        return obj

    def remove(self, kind: str, namespace: str, name: str) -> dict | None:
        bucket = self._objects.get(kind, {})
        old = bucket.pop((namespace, name), None)
        if old is not None:
            if self.journal is not None and (kind, namespace, name) not in self.journal:
                self.journal[(kind, namespace, name)] = old
            self._index(old, remove=True)
            self.resource_version += 1
            self._emit("DELETED", old)
        return old

    def _index(self, obj: dict | None, remove: bool = False) -> None:
        if obj is None:
            return
        ref = controller_ref(obj)
        if ref:
            index, bucket = self._owned, ref["uid"]
        elif obj["kind"] in ("Pod", "ReplicaSet"):
            index, bucket = self._orphans, obj["kind"]
        else:
            return
        keys = index.setdefault(bucket, {})
        if remove:
            keys.pop(key_of(obj), None)
            if not keys:
                index.pop(bucket, None)
        else:
            keys[key_of(obj)] = obj

    def _emit(self, kind: str, obj: dict) -> None:
        for fn in list(self._listeners):
            fn(kind, obj)

    def undo(self, journal: dict, resource_version: int) -> None:
        """Put back what `journal` recorded (the objects before a command's writes) and the
        resourceVersion counter; the indexes are rebuilt by Engine.from_data afterwards."""
        for (kind, ns, name), old in journal.items():
            bucket = self._objects.setdefault(kind, {})
            if old is None:
                bucket.pop((ns, name), None)
            else:
                bucket[(ns, name)] = old
        self.resource_version = resource_version

    # ---- snapshot ----------------------------------------------------------
    def to_data(self) -> dict:
        return {"rv": self.resource_version, "objects": list(self.all_objects())}

    @classmethod
    def from_data(cls, data: dict) -> "Store":
        s = cls()
        s.resource_version = data["rv"]
        for obj in data["objects"]:
            kind, ns, name = key_of(obj)
            s._objects.setdefault(kind, {})[(ns, name)] = obj
        # The indexes are in the order of the objects' last writes, as put() leaves them (a write
        # moves its key to the end): controllers iterate them (dependents, orphans), so a
        # restored cluster must see the order the live one saw, not the snapshot's sorted one.
        # Every write stamps the next resourceVersion, so that order is the resourceVersions'.
        for obj in sorted(data["objects"], key=_written_at):
            s._index(obj)
        return s


def _written_at(obj: dict) -> int:
    try:
        return int(obj["metadata"].get("resourceVersion") or 0)
    except ValueError:
        return 0
