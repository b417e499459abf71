"""Keep only the fragments a page has a place for.

A session sends every client the same frames: top-level elements swapped out of band by id
(outbox.py). A page that shows only part of the console (an instructor's read-only drill-down,
tutorial/classroom/watch.py) would otherwise receive fragments htmx cannot place
(htmx:oobErrorNoTarget in the browser) and kilobytes it never shows. The fragments are our own
templates (well-formed, attribute values escaped), so a scan of the tags is enough: no parser.
"""

from __future__ import annotations

import re

TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>", re.S)
ID = re.compile(r'\bid="([^"]*)"')
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


def top_level(html: str):
    """(id or None, the element's HTML) for each top-level element of `html`, in order."""
    depth, start, element_id = 0, 0, None
    for match in TAG.finditer(html):
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name is None:  # a comment
            continue
        name = name.lower()
        if closing:
            depth -= 1
            if depth == 0:
                yield element_id, html[start:match.end()]
            continue
        if depth == 0:
            start = match.start()
            found = ID.search(attributes)
            element_id = found.group(1) if found else None
        if name in VOID or attributes.rstrip().endswith("/"):
            if depth == 0:
                yield element_id, html[start:match.end()]
            continue
        depth += 1


def keep_targets(html: str, ids: frozenset[str]) -> str:
    """The top-level elements of `html` whose id is in `ids`, in order."""
    return "".join(element for element_id, element in top_level(html) if element_id in ids)
