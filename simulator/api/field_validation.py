"""The `fieldValidation` directive of a create/update request (apiserver pkg/endpoints/handlers/
rest.go fieldValidation, create.go/update.go): Strict fails on an unknown field, Warn answers
with a `unknown field "…"` warning and drops it, Ignore drops it silently. A value of the wrong
type fails under every directive. kubectl sends the directive its `--validate` flag names
(simulator/kubectl/commands/common.py validation_directive)."""
from __future__ import annotations

import re

from simulator.api.schema import check_known_fields, strict_decode_error

STRICT, WARN, IGNORE = "Strict", "Warn", "Ignore"

_UNKNOWN = re.compile(r'unknown field "((?:[^"\\]|\\.)*)"')


def unknown_fields(problem: str) -> list[str]:
    """The field paths a `strict decoding error: unknown field "…", …` names."""
    return _UNKNOWN.findall(problem) if problem.startswith("strict decoding error: ") else []


def decode_body(obj: dict, directive: str = STRICT) -> tuple[dict, list[str]]:
    """The object the server keeps from a create/update body, and its warnings; raises the
    BadRequest of check_known_fields when the directive (or a type error) refuses the body."""
    from simulator.api.patch_handler import drop_unknown_fields

    problem = strict_decode_error(obj)
    if problem is None:
        return obj, []
    unknown = unknown_fields(problem)
    if not unknown or directive == STRICT:
        check_known_fields(obj)  # raises with the server's text
    kept = drop_unknown_fields(obj, unknown)
    return kept, ([f'unknown field "{u}"' for u in unknown] if directive == WARN else [])
