"""The terminals of one session: each has its own running command, Ctrl+C, transcript and ↑/↓
history; simulated time (the cluster) is shared. Terminal "1" keeps the fragment ids the page has
always had (`console-output`, `console-history`, `console-completion`, ...); terminal N > 1 adds
the suffix `-N` (`console-output-2`).

Terminal "1" is saved in the sandbox row's `transcript`/`history` columns as before; the others in
its `terminals` column ({"2": {"transcript": [...], "history": [...]}}).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_TRANSCRIPT_ENTRIES = 400
MAX_TRANSCRIPT_CHARS = 200_000
MAX_HISTORY = 200


def transcript_append(transcript: list, kind: str, text: str, chars: int | None = None) -> int:
    """Append to the transcript, merging consecutive output chunks and keeping it bounded; returns
    its characters. `chars`: what it held before, when the caller keeps count (Terminal does:
    adding up 400 entries on every line cost ~0.07 ms, twice per command)."""
    total = sum(len(entry.get("text", "")) for entry in transcript) if chars is None else chars
    if not text:
        return total
    if transcript and kind == "output" and transcript[-1].get("kind") == "output":
        transcript[-1] = {"kind": "output", "text": transcript[-1]["text"] + text}
    else:
        transcript.append({"kind": kind, "text": text})
    total += len(text)
    while len(transcript) > MAX_TRANSCRIPT_ENTRIES:
        total -= len(transcript.pop(0).get("text", ""))
    while total > MAX_TRANSCRIPT_CHARS and transcript:
        total -= len(transcript.pop(0).get("text", ""))
    return total


def history_append(history: list, command: str) -> list:
    if command and (not history or history[-1] != command):
        history.append(command)
    del history[:-MAX_HISTORY]
    return history


@dataclass
class Terminal:
    id: str
    transcript: list = field(default_factory=list)
    history: list = field(default_factory=list)
    command: object | None = None  # the running simulator Process (Cluster.start), if any
    completion_seq: int = 0
    chars: int | None = None  # the transcript's characters (None: not counted yet)

    @property
    def suffix(self) -> str:
        return "" if self.id == "1" else f"-{self.id}"

    @property
    def running(self) -> bool:
        return self.command is not None

    def note(self, kind: str, text: str) -> None:
        self.chars = transcript_append(self.transcript, kind, text, self.chars)

    def clear(self) -> None:
        self.transcript = []
        self.chars = 0

    def remember(self, line: str) -> bool:
        """Add to ↑/↓ history; False when the list did not change (the same line again)."""
        repeated = bool(self.history) and self.history[-1] == line
        history_append(self.history, line)
        return not repeated

    def stored(self) -> dict:
        return {"transcript": list(self.transcript), "history": list(self.history)}


class Terminals:
    """The session's terminals by id, "1" always there; others appear when first used."""

    def __init__(self, first: Terminal, others: dict[str, Terminal] | None = None):
        self.by_id: dict[str, Terminal] = {"1": first, **(others or {})}

    @classmethod
    def from_row(cls, transcript, history, stored) -> "Terminals":
        others = {}
        for key, data in (stored or {}).items():
            if isinstance(key, str) and key != "1" and isinstance(data, dict):
                others[key] = Terminal(key, list(data.get("transcript") or []), list(data.get("history") or []))
        return cls(Terminal("1", list(transcript or []), list(history or [])), others)

    def get(self, terminal_id: str) -> Terminal:
        terminal = self.by_id.get(terminal_id)
        if terminal is None:
            terminal = self.by_id[terminal_id] = Terminal(terminal_id)
        return terminal

    @property
    def first(self) -> Terminal:
        return self.by_id["1"]

    def __iter__(self):
        return iter(sorted(self.by_id.values(), key=lambda t: int(t.id)))

    def running(self) -> list[Terminal]:
        return [t for t in self if t.command is not None]

    def others_stored(self) -> dict:
        return {t.id: t.stored() for t in self if t.id != "1" and (t.transcript or t.history)}
