"""Dotted field paths of `field:` checks: parse once, look up in a `kubectl get -o json` object."""
from __future__ import annotations

import re

from .comparisons import SpecError

_SEGMENT = re.compile(r"""\[(\d+)\]|\[(?:"([^"]*)"|'([^']*)')\]|((?:\\.|[^.\[\\])+)|\.""")


def parse_path(path, where: str) -> tuple:
    """`spec.template.spec.containers[0].image` → ("spec", "template", …, 0, "image").
    A key holding dots is written `metadata.annotations["kubernetes.io/change-cause"]` or with `\\.`."""
    if not isinstance(path, str) or not path or path.startswith(".") or path.endswith("."):
        raise SpecError(f"{where}: path must be a dotted path such as spec.replicas (got {path!r})")
    parts: list = []
    pos, expect_key = 0, True
    while pos < len(path):
        m = _SEGMENT.match(path, pos)
        if not m or m.end() == pos:
            raise SpecError(f"{where}: cannot read path {path!r} at character {pos + 1}")
        index, dq, sq, key = m.groups()
        if index is not None:
            parts.append(int(index))
        elif dq is not None or sq is not None:
            parts.append(dq if dq is not None else sq)
        elif key is not None:
            if not expect_key:
                raise SpecError(f"{where}: cannot read path {path!r} at character {pos + 1}")
            parts.append(re.sub(r"\\(.)", r"\1", key))
        if m.group(0) == "." and path[m.end():m.end() + 1] in (".", ""):
            raise SpecError(f"{where}: empty part in path {path!r}")
        expect_key = m.group(0) == "."
        pos = m.end()
    return tuple(parts)


def lookup(obj, parts: tuple):
    cur = obj
    for part in parts:
        if isinstance(part, int):
            if not isinstance(cur, list) or part >= len(cur):
                return None
        elif not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur
