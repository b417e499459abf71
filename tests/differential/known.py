"""The differences between the console's kubectl and the real kubectl that are understood and
accepted, each described in KNOWN_DIFFERENCES.md under the same id. An entry either normalises
both outputs (a value that cannot be the same, e.g. ages computed from the learner's clock) or
accepts one exact, characterised difference for matching commands. Anything else fails."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_EVENTS_HEADER = re.compile(r"^\s*Events:\s*$")


def mask_describe_event_ages(text: str) -> str:
    """The Age column of describe's Events table (kubectl computes it with its own clock)."""
    out, in_events = [], False
    for line in text.splitlines(keepends=True):
        if _EVENTS_HEADER.match(line):
            in_events = True
            out.append(line)
            continue
        if in_events and line.startswith("  ") and line.strip():
            cells = re.split(r"\s{2,}", line.strip())
            if len(cells) >= 4:
                cells[2] = "<age>"
            out.append("  " + "\t".join(cells) + "\n")
            continue
        in_events = False
        out.append(line)
    return "".join(out)


@dataclass(frozen=True)
class Known:
    id: str
    command: str  # regular expression over the command line
    stream: str   # "stdout", "stderr" or "exit"
    accepts: Callable[[str, str], bool]  # (console, oracle) -> this is exactly the known difference


KNOWN: tuple[Known, ...] = (
)


def normalise(line: str, stream: str, text: str) -> str:
    if stream == "stdout" and re.search(r"\bdescribe\b", line):
        return mask_describe_event_ages(text)
    return text


def explain(line: str, stream: str, console: str, oracle: str) -> str | None:
    """The id of the known difference this is, or None."""
    for k in KNOWN:
        if k.stream == stream and re.search(k.command, line) and k.accepts(str(console), str(oracle)):
            return k.id
    return None
