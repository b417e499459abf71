"""Memory for the fragments' HTML: the same inputs render the same bytes, so a fragment whose inputs
did not change is not rendered again (bench/profile_commands.py shows what this saves).

Every memo here is keyed by everything its template reads (and the language: templates translate),
and is bounded. They are emptied when a template or a translation file changes under the
development server's autoreloader (which otherwise reloads templates without restarting).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Hashable

_MEMOS: list = []


class LRU:
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()
        _MEMOS.append(self)

    def get(self, key: Hashable, make: Callable[[], object]):
        data = self._data
        try:
            data.move_to_end(key)
            return data[key]
        except KeyError:
            value = data[key] = make()
            if len(data) > self.size:
                data.popitem(last=False)
            return value

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def register(cache) -> None:
    """Also empty `cache` (anything with clear(), e.g. a functools.lru_cache function) on changes."""
    _MEMOS.append(cache)


def clear_all() -> None:
    for memo in _MEMOS:
        (memo.cache_clear if hasattr(memo, "cache_clear") else memo.clear)()


def _files_changed(sender, file_path, **kwargs) -> None:
    # A changed .py file restarts the process; a template or a .mo file does not (Django resets its
    # template loaders and translations in place): what was rendered from them is stale.
    if getattr(file_path, "suffix", "") != ".py":
        clear_all()


try:
    from django.utils.autoreload import file_changed

    file_changed.connect(_files_changed, dispatch_uid="tutorial.sandbox.panels.memo")
except ImportError:  # pragma: no cover - Django is always there in the web app
    pass
