"""What the web keeps per live simulator Cluster between renders and gradings (the cluster view's
rendered parts, the Rollout panel's, grading outcomes): kept as long as that Cluster object lives,
so a cluster dropped to its snapshot (dormancy) or replaced (restore, reset) takes its memos with it.
"""

from __future__ import annotations

import weakref
from typing import Callable, TypeVar

T = TypeVar("T")


class ClusterMemo:
    """`memo.of(cluster)`: this kind of memo for `cluster`, made by `factory` on first use."""

    def __init__(self, factory: Callable[[], T]):
        self.factory = factory
        self.by_cluster: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def of(self, cluster) -> T:
        try:
            found = self.by_cluster.get(cluster)
            if found is None:
                found = self.by_cluster[cluster] = self.factory()
            return found
        except TypeError:  # not weak-referenceable (a test double): nothing kept
            return self.factory()
