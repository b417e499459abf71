"""The rollback checkpoint of a command: an undo journal instead of a copy of the state.

A command that crashes (a bug of ours) or spends its CPU budget must leave the cluster exactly as
it was (cluster.py). Copying the engine's data before every command that may change anything
cost O(cluster): at 200 pods 1.3 ms per command, most of it the kubelet's per-pod memory. Now
`Engine.checkpoint()` saves the small state as it is (scalars, shallow copies of flat
containers) and starts journals in the three big ones, each recording the old value the first
time the command writes a part of it:

- the store: the object a key held before the command's first write to it (objects are
  immutable, so the old object itself is the old value: store.py);
- the kubelet's memory of each pod (`PodMemory` below): a copy of a pod's record the first time
  the command reaches it (records are changed in place all over controllers/kubelet.py);
- the object lives (timeline.Lives): a record's `gone` and `states` the first time it changes.

So a checkpoint costs O(small state) and a command O(what it touches); `rollback` puts every
journalled value back and rebuilds the engine from that data (Engine.from_data), as the copy did.
"""
from __future__ import annotations

from collections import OrderedDict

from .objects import clone


class PodMemory(dict):
    """eng.kubelet["pods"]: pod uid -> the kubelet's record of that pod. While `journal` is a
    dict, every way of reaching a record first saves a deep copy of it (None: no such record), so
    a rollback can put it back however the record was changed afterwards."""

    __slots__ = ("journal",)

    def __init__(self, *args):
        super().__init__(*args)
        self.journal: dict | None = None

    def _save(self, uid) -> None:
        journal = self.journal
        if journal is not None and uid not in journal:
            old = dict.get(self, uid)
            journal[uid] = None if old is None else clone(old)

    def _save_all(self) -> None:
        if self.journal is not None:
            for uid in list(dict.keys(self)):
                self._save(uid)

    def get(self, uid, default=None):
        self._save(uid)
        return dict.get(self, uid, default)

    def __getitem__(self, uid):
        self._save(uid)
        return dict.__getitem__(self, uid)

    def __setitem__(self, uid, value):
        self._save(uid)
        dict.__setitem__(self, uid, value)

    def __delitem__(self, uid):
        self._save(uid)
        dict.__delitem__(self, uid)

    def pop(self, uid, *default):
        self._save(uid)
        return dict.pop(self, uid, *default)

    def setdefault(self, uid, default=None):
        self._save(uid)
        return dict.setdefault(self, uid, default)

    def values(self):
        self._save_all()
        return dict.values(self)

    def items(self):
        self._save_all()
        return dict.items(self)

    def popitem(self):  # pragma: no cover - nothing calls it; journalled all the same
        self._save_all()
        return dict.popitem(self)

    def clear(self):  # pragma: no cover - as popitem
        self._save_all()
        dict.clear(self)

    def update(self, *args, **kwargs):  # pragma: no cover - as popitem
        for uid, value in dict(*args, **kwargs).items():
            self[uid] = value

    def undo(self, journal: dict) -> None:
        for uid, old in journal.items():
            if old is None:
                dict.pop(self, uid, None)
            else:
                dict.__setitem__(self, uid, old)


class Checkpoint:
    """What Engine.checkpoint() saved; `Engine.rollback(checkpoint)` gives the engine as it was."""

    def __init__(self, eng):
        tl = eng.timeline
        if eng.store.journal is not None:  # one command at a time takes a checkpoint
            raise RuntimeError("a rollback checkpoint is already open")
        self.scalars = (eng.now, eng.rng.state, eng.event_seq, eng.events_swept, eng.timers._seq,
                        eng.store.resource_version)
        # small or flat state: copied now (pointer copies of lists, dicts and sets, in C)
        self.heap = list(eng.timers._heap)  # entries are tuples whose args nobody changes
        self.pending = set(eng._pending_enqueues)
        self.queue = OrderedDict(eng._queue)
        self.dirty = (set(eng._dirty_deployments), set(eng._dirty_services))
        self.event_index = dict(eng.event_index)
        self.allocated = clone(eng.allocated)
        self.kubelet_rest = clone({k: v for k, v in eng.kubelet.items() if k != "pods"})  # nodes, IPs, load
        # samples and decisions are replaced or appended, never changed in place (timeline.py)
        self.series = tuple({k: list(v) for k, v in part.items()}
                            for part in (tl.deployments, tl.services, tl.decisions))
        self.lives = list(tl.lives.records)
        # the big state: journals, filled as the command writes
        self.store_journal = eng.store.journal = {}
        self.pods = eng.kubelet["pods"]
        self.pods_journal = self.pods.journal = {}
        self.lives_journal = tl.lives.journal = {}
        self.engine = eng

    def close(self) -> None:
        """The command is over (applied or rolled back): journal no more."""
        eng = self.engine
        if eng.store.journal is self.store_journal:
            eng.store.journal = None
        if self.pods.journal is self.pods_journal:
            self.pods.journal = None
        if eng.timeline.lives.journal is self.lives_journal:
            eng.timeline.lives.journal = None

    def restore(self) -> None:
        """Put the engine's state back as it was at the checkpoint (in place)."""
        self.close()
        eng = self.engine
        tl = eng.timeline
        (eng.now, eng.rng.state, eng.event_seq, eng.events_swept, eng.timers._seq,
         rv) = self.scalars
        eng.store.undo(self.store_journal, rv)
        eng.timers._heap = self.heap
        eng._pending_enqueues = self.pending
        eng._queue = self.queue
        eng._dirty_deployments, eng._dirty_services = self.dirty
        eng.event_index = self.event_index
        eng.allocated = self.allocated
        self.pods.undo(self.pods_journal)
        kubelet = dict(self.kubelet_rest)
        kubelet["pods"] = self.pods
        eng.kubelet = kubelet
        tl.deployments, tl.services, tl.decisions = self.series
        tl.lives.undo(self.lives_journal, self.lives)
