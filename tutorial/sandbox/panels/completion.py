"""Tab completion in the console: turn the simulator's candidates into the new input line."""

from __future__ import annotations

import os.path


def _common_prefix(words: list[str]) -> str:
    return os.path.commonprefix(words) if words else ""


def apply_completion(text: str, candidates: list[str]) -> tuple[str, list[str]]:
    """(new input text, candidates to list) like a shell's Tab.

    Candidates may be whole lines (each starts with `text`) or completions of the last word.
    One candidate completes fully and adds a space; several extend to their common prefix
    and are listed, as bash does on a second Tab.
    """
    candidates = [c for c in dict.fromkeys(candidates) if isinstance(c, str) and c]
    if not candidates:
        return text, []
    if all(c.startswith(text) for c in candidates) and any(len(c) > len(text) for c in candidates):
        head, words = "", candidates
    else:
        cut = len(text) - len(text.split(" ")[-1])
        head, word = text[:cut], text[cut:]
        words = [c for c in candidates if c.startswith(word)] or candidates
    if len(words) == 1:
        value = head + words[0]
        if not value.endswith((" ", "/", "=")):
            value += " "
        return value, []
    prefix = _common_prefix(words)
    value = head + prefix if len(head + prefix) >= len(text) else text
    return value, words
