"""What `kubectl patch` (and `kubectl edit`) send as a PATCH body: apimachinery pkg/util/yaml
ToJSON as kubectl pkg/cmd/patch/patch.go calls it, with kubectl's `unable to parse` error."""
from __future__ import annotations

from simulator.api.errors import CLIError
from simulator.gofmt import go_quote as _go_quote
from simulator.patching.goish import go_json


class PatchParseError(CLIError):
    """kubectl patch.go: `unable to parse %q: %v` (quoting the -p value, "" for --patch-file)."""


def patch_body(text: str, flag_value: str) -> str:
    """apimachinery yaml.ToJSON as kubectl patch.go calls it: JSON-looking text is passed through
    untouched (the server reports its syntax errors), YAML is converted (errors are kubectl's)."""
    if text.lstrip(" \t\r\n\v\f").startswith("{"):
        return text
    from simulator.api import decode

    try:
        value = decode._yaml_chunk_to_json(text, "patch")  # noqa: SLF001 - YAMLToJSON of one document
    except decode._StreamError as stop:  # noqa: SLF001
        message = stop.error.render()
        for prefix in ("error: ", "error parsing patch: ", "error converting YAML to JSON: "):
            if message.startswith(prefix):
                message = message[len(prefix):]
        if "\n" not in text.strip("\n") and message.startswith("yaml: line 1: "):
            # go-yaml v2 parser.fail(): a problem on the first line (0-based line 0) is reported
            # without a line, scanner errors included (decode.py adds one; see the report)
            message = "yaml: " + message[len("yaml: line 1: "):]
        raise PatchParseError(f"unable to parse {_go_quote(flag_value)}: {message}") from None
    return go_json(value)
