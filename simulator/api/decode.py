"""`kubectl ... -f FILE`: manifest text → Kubernetes objects (plain dicts), with kubectl's own errors.

The path a file takes through kubectl (all quoted code is upstream):
1. cli-runtime `pkg/resource/visitor.go` StreamVisitor.Visit reads the file with apimachinery
   `pkg/util/yaml/decoder.go` NewYAMLOrJSONDecoder(r, 4096): if the first 4096 bytes, trimmed of
   leading white space, start with `{` the whole stream is JSON (Go's json.Decoder), else it is YAML,
   cut into documents by YAMLReader (a line starting with `---`) and converted document by document
   with sigs.k8s.io/yaml YAMLToJSON (go-yaml v2 underneath). Any error ends the stream:
   `error parsing <source>: <err>`.
2. Empty documents (no bytes, or `null`) are skipped.
3. cli-runtime `pkg/resource/mapper.go` infoForData decodes with unstructured.UnstructuredJSONScheme
   (`unable to decode "<source>": Object 'Kind' is missing in '<json>'`) and maps apiVersion/kind
   with discovery (`resource mapping not found for name: ... ensure CRDs are installed first`).
   A mapping error does not stop the stream (ContinueOnErrorVisitor): later documents still apply.
4. Objects with `items` are lists (`kind: List`, `DeploymentList`...), flattened by
   FlattenListVisitor; an item whose kind is not served fails with `unable to recognize ...`.

This module reproduces that pipeline with pyyaml's scanner/parser/composer under a resolver that
follows go-yaml v2 (`resolve.go`) and its own node → JSON conversion (no pyyaml constructor runs, so
no tag can execute anything), plus Rollout Lab's input limits (`LimitExceeded`).
"""
from __future__ import annotations

import base64
import json
import math
import re

from collections import OrderedDict

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from simulator import limits
from simulator.api import kinds
from simulator.api.errors import CLIError, KubeError, LimitExceeded
from simulator.objects import clone

# the input caps live in simulator/limits.py with the others
MAX_FILE_BYTES = limits.MAX_FILE_BYTES
MAX_DOCUMENTS = limits.MAX_DOCUMENTS
MAX_DEPTH = limits.MAX_DEPTH
MAX_EXPANDED_NODES = limits.MAX_EXPANDED_NODES

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


# ----------------------------------------------------------------------------------------------
# public entry points


def decode_documents(text: str, source: str) -> list[dict]:
    """Every object in the file, lists flattened, or the first error kubectl would print.

    Use decode_stream() instead when the caller wants kubectl's continue-on-error behaviour
    (objects before and after a bad document still get created)."""
    objects: list[dict] = []
    for item in decode_stream(text, source):
        if isinstance(item, KubeError):
            raise item
        objects.append(item)
    return objects


# Decoded manifests by (text, source name): a decode is a pure function of both, PyYAML (pure
# Python here) takes ~3 ms for a lesson's 40-line Deployment, and every learner of a lesson applies
# the same files, again and again. Only error-free results of small texts are kept (256 entries of
# at most 16 K characters), handed out as copies (callers change what they get).
_DECODED: "OrderedDict[tuple, list[dict]]" = OrderedDict()
_DECODED_MAX = 256
_DECODED_MAX_CHARS = 16 * 1024


def decode_stream(text: str, source: str) -> list[dict | KubeError]:
    """The file's documents in order, each an object (dict) or the KubeError kubectl reports for it.

    A syntax error ends the list (kubectl stops reading there); a document of an unknown kind is an
    error entry and the documents after it are still returned. Limits raise LimitExceeded at once."""
    check_size(text, source)
    key = None
    if len(text) <= _DECODED_MAX_CHARS and len(source) <= 4096:  # the caps decide what decodes too
        key = (text, source, MAX_DOCUMENTS, MAX_DEPTH, MAX_EXPANDED_NODES)
    if key is not None:
        hit = _DECODED.get(key)
        if hit is not None:
            return [clone(obj) for obj in hit]
    out = _decode_stream(text, source)
    if key is not None and all(isinstance(item, dict) for item in out):
        _DECODED[key] = [clone(obj) for obj in out]
        while len(_DECODED) > _DECODED_MAX:
            try:
                _DECODED.popitem(last=False)
            except KeyError:  # pragma: no cover - emptied by another thread meanwhile
                break
    return out


def _decode_stream(text: str, source: str) -> list[dict | KubeError]:
    text = text.lstrip("\ufeff")  # the UTF-8/16 BOM is dropped by the file visitor's transform
    out: list[dict | KubeError] = []
    try:
        if _is_json_stream(text):
            raws = _json_values(text, source)
        else:
            raws = _yaml_values(text, source)
        for raw_json, value in raws:
            out.extend(_objects_for(raw_json, value, source))
    except _StreamError as stop:
        out.append(stop.error)
    return out


def check_size(text: str, source: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise LimitExceeded(
            f'error: the file "{source}" is too large ({size} bytes): Rollout Lab accepts files up '
            f"to {MAX_FILE_BYTES // 1024} KB"
        )


class _StreamError(Exception):
    """Stops reading the stream; carries the error kubectl prints."""

    def __init__(self, error: KubeError):
        super().__init__(error.render())
        self.error = error


def _parse_error(source: str, message: str) -> _StreamError:
    return _StreamError(CLIError(f"error parsing {source}: {message}"))


def _too_many_documents(source: str) -> LimitExceeded:
    return LimitExceeded(
        f'error: the file "{source}" has more than {MAX_DOCUMENTS} documents: Rollout Lab reads at '
        f"most {MAX_DOCUMENTS} objects from one file"
    )


def _too_deep(source: str) -> LimitExceeded:
    return LimitExceeded(
        f'error: the file "{source}" nests deeper than {MAX_DEPTH} levels: Rollout Lab refuses '
        "such manifests"
    )


def _alias_bomb(source: str) -> LimitExceeded:
    return LimitExceeded(
        f'error: the file "{source}" uses YAML aliases that expand to more than '
        f"{MAX_EXPANDED_NODES} values: Rollout Lab refuses such manifests"
    )


# ----------------------------------------------------------------------------------------------
# Go's json.Marshal text, for messages that quote the document (`Object 'Kind' is missing in '...'`)


def go_json(value) -> str:
    """encoding/json Marshal of a decoded document: sorted keys, no spaces, HTML-safe escaping."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _go_number(value):
    """A number as it comes back from JSON via apimachinery's ConvertMapNumbers: int64 when the
    JSON text is an integer, float64 otherwise (json.Marshal writes whole floats without `.0`)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if _INT64_MIN <= value <= _INT64_MAX else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        as_int = int(value)
        return as_int if _INT64_MIN <= as_int <= _INT64_MAX else value
    return value


# ----------------------------------------------------------------------------------------------
# JSON streams (Go encoding/json Decoder semantics and messages: scanner.go, stream.go)


def _is_json_stream(text: str) -> bool:
    head = text.encode("utf-8", "surrogatepass")[:4096]
    return head.lstrip(b" \t\r\n\v\f\x85\xa0").startswith(b"{")


def _json_values(text: str, source: str):
    """(raw JSON text, value) for each top-level value in a JSON stream."""
    pos, n, count = 0, len(text), 0
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return
        end = _scan_json_value(text, pos, source)
        raw = text[pos:end]
        pos = end
        count += 1
        if count > MAX_DOCUMENTS:
            raise _too_many_documents(source)
        value = json.loads(raw, object_pairs_hook=dict)
        if value is None:
            continue
        yield raw, _normalise_json(value)


def _normalise_json(value):
    if isinstance(value, dict):
        return {k: _normalise_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_json(v) for v in value]
    if isinstance(value, (int, float)):
        return _go_number(value)
    return value


def _quote_char(c: str) -> str:
    """encoding/json scanner.go quoteChar."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    quoted = json.dumps(c, ensure_ascii=False)[1:-1]
    if c == "\t":
        quoted = "\\t"
    return f"'{quoted}'"


def _scan_json_value(text: str, start: int, source: str) -> int:
    """Validate one JSON value from `start` the way Go's scanner does; return its end index.

    Raises the stream error kubectl prints: `json: offset N: invalid character ...` (the offset
    counts bytes from the start of the stream, the bad byte included) or `unexpected EOF`."""
    n = len(text)
    stack: list[str] = []  # "{" or "["
    i = start

    def fail(idx: int, context: str):
        if idx >= n:
            raise _parse_error(source, "unexpected EOF")
        offset = len(text[:idx + 1].encode("utf-8", "surrogatepass"))
        raise _parse_error(
            source, f"json: offset {offset}: invalid character {_quote_char(text[idx])} {context}")

    def skip_ws(idx: int) -> int:
        while idx < n and text[idx] in " \t\r\n":
            idx += 1
        return idx

    def scan_string(idx: int) -> int:  # text[idx] == '"'
        idx += 1
        while True:
            if idx >= n:
                fail(idx, "")
            c = text[idx]
            if c == '"':
                return idx + 1
            if c == "\\":
                idx += 1
                if idx >= n:
                    fail(idx, "")
                e = text[idx]
                if e == "u":
                    for k in range(1, 5):
                        if idx + k >= n:
                            fail(idx + k, "")
                        if text[idx + k] not in "0123456789abcdefABCDEF":
                            fail(idx + k, "in \\u hexadecimal character escape")
                    idx += 5
                    continue
                if e not in "\"\\/bfnrt":
                    fail(idx, "in string escape code")
                idx += 1
                continue
            if ord(c) < 0x20:
                fail(idx, "in string literal")
            idx += 1

    def scan_number(idx: int) -> int:
        if text[idx] == "-":
            idx += 1
            if idx >= n:
                fail(idx, "")
            if not text[idx].isdigit() or not text[idx].isascii():
                fail(idx, "in numeric literal")
        if text[idx] == "0":
            idx += 1
        else:
            while idx < n and "0" <= text[idx] <= "9":
                idx += 1
        if idx < n and text[idx] == ".":
            idx += 1
            if idx >= n:
                fail(idx, "")
            if not "0" <= text[idx] <= "9":
                fail(idx, "after decimal point in numeric literal")
            while idx < n and "0" <= text[idx] <= "9":
                idx += 1
        if idx < n and text[idx] in "eE":
            idx += 1
            if idx < n and text[idx] in "+-":
                idx += 1
            if idx >= n:
                fail(idx, "")
            if not "0" <= text[idx] <= "9":
                fail(idx, "in exponent of numeric literal")
            while idx < n and "0" <= text[idx] <= "9":
                idx += 1
        return idx

    def scan_literal(idx: int, word: str) -> int:
        for k in range(1, len(word)):
            if idx + k >= n:
                fail(idx + k, "")
            if text[idx + k] != word[k]:
                fail(idx + k, f"in literal {word} (expecting {_quote_char(word[k])})")
        return idx + len(word)

    def scan_scalar_or_open(idx: int) -> tuple[int, bool]:
        """Begin a value at idx (white space skipped); returns (next index, opened container)."""
        idx = skip_ws(idx)
        if idx >= n:
            fail(idx, "")
        c = text[idx]
        if c in "{[":
            stack.append(c)
            if len(stack) > MAX_DEPTH:
                raise _too_deep(source)
            return idx + 1, True
        if c == '"':
            return scan_string(idx), False
        if c == "-" or "0" <= c <= "9":
            return scan_number(idx), False
        for word in ("true", "false", "null"):
            if c == word[0]:
                return scan_literal(idx, word), False
        fail(idx, "looking for beginning of value")
        raise AssertionError  # unreachable

    i, opened = scan_scalar_or_open(i)
    fresh = opened  # just after `{` or `[`
    while stack:
        i = skip_ws(i)
        if i >= n:
            fail(i, "")
        c = text[i]
        top = stack[-1]
        if top == "{":
            if fresh and c == "}":
                stack.pop()
                i += 1
                fresh = False
                continue
            if fresh:
                # key expected
                if c != '"':
                    fail(i, "looking for beginning of object key string")
                i = skip_ws(scan_string(i))
                if i >= n:
                    fail(i, "")
                if text[i] != ":":
                    fail(i, "after object key")
                i, fresh = scan_scalar_or_open(i + 1)
                continue
            # after a member value
            if c == ",":
                i = skip_ws(i + 1)
                if i >= n:
                    fail(i, "")
                if text[i] != '"':
                    fail(i, "looking for beginning of object key string")
                fresh = True
                continue
            if c == "}":
                stack.pop()
                i += 1
                continue
            fail(i, "after object key:value pair")
        else:
            if fresh and c == "]":
                stack.pop()
                i += 1
                fresh = False
                continue
            if fresh:
                i, fresh = scan_scalar_or_open(i)
                continue
            if c == ",":
                i, fresh = scan_scalar_or_open(i + 1)
                continue
            if c == "]":
                stack.pop()
                i += 1
                continue
            fail(i, "after array element")
    return i


# ----------------------------------------------------------------------------------------------
# YAML streams: documents as kubectl's YAMLReader cuts them, resolved like go-yaml v2


def _yaml_chunks(text: str, source: str) -> list[str]:
    """apimachinery YAMLReader.Read: a line starting with `---` ends a document; only spaces or a
    comment may follow the dashes. The first separator line stays in its document (the buffer is
    empty when it is read), so go-yaml's line numbers count it."""
    chunks: list[str] = []
    buffer: list[str] = []
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            line += "\n"
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise _parse_error(source, f"invalid Yaml document separator: {rest}")
            if buffer:
                chunks.append("".join(buffer))
                buffer = []
                if len(chunks) > MAX_DOCUMENTS:
                    raise _too_many_documents(source)
                continue
        buffer.append(line)
    if buffer:
        chunks.append("".join(buffer))
    if len(chunks) > MAX_DOCUMENTS:
        raise _too_many_documents(source)
    return chunks


def _yaml_values(text: str, source: str):
    for chunk in _yaml_chunks(text, source):
        value = _yaml_chunk_to_json(chunk, source)
        if value is None:
            continue
        yield None, value


_BOOL_TRUE = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}
_BOOL_FALSE = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_SPECIAL_FLOATS = {
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
}
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_INT = re.compile(
    r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$")

TAG_STR = "tag:yaml.org,2002:str"
TAG_INT = "tag:yaml.org,2002:int"
TAG_FLOAT = "tag:yaml.org,2002:float"
TAG_BOOL = "tag:yaml.org,2002:bool"
TAG_NULL = "tag:yaml.org,2002:null"
TAG_MERGE = "tag:yaml.org,2002:merge"
TAG_BINARY = "tag:yaml.org,2002:binary"


def _go_parse_int(plain: str):
    """strconv.ParseInt(s, 0, 64), then ParseUint: decimal, 0x, 0o, 0b, and a leading 0 = octal."""
    if not _GO_INT.match(plain):
        return None
    sign = -1 if plain[0] == "-" else 1
    body = plain.lstrip("+-")
    low = body.lower()
    if low.startswith("0x"):
        v = int(body[2:], 16)
    elif low.startswith("0o"):
        v = int(body[2:], 8)
    elif low.startswith("0b"):
        v = int(body[2:], 2)
    elif len(body) > 1 and body[0] == "0":
        v = int(body[1:], 8)
    else:
        v = int(body)
    v *= sign
    if _INT64_MIN <= v <= 2**64 - 1:
        return v
    return None


def go_resolve_plain(value: str):
    """go-yaml v2 resolve.go for an untagged plain scalar: (tag, Python value)."""
    if value in _BOOL_TRUE:
        return TAG_BOOL, True
    if value in _BOOL_FALSE:
        return TAG_BOOL, False
    if value in _NULLS:
        return TAG_NULL, None
    if value in _SPECIAL_FLOATS:
        return TAG_FLOAT, _SPECIAL_FLOATS[value]
    if value == "<<":
        return TAG_MERGE, "<<"
    first = value[0]
    if first in "+-0123456789":
        plain = value.replace("_", "")
        as_int = _go_parse_int(plain) if plain else None
        if as_int is not None:
            return TAG_INT, as_int
        if _YAML_STYLE_FLOAT.match(plain):
            return TAG_FLOAT, float(plain)
    elif first == ".":
        try:
            if re.fullmatch(r"\.[0-9]+([eE][-+]?[0-9]+)?", value):
                return TAG_FLOAT, float(value)
        except ValueError:
            pass
    return TAG_STR, value


class _GoResolver(BaseResolver):
    """Only plain scalars are resolved, by go-yaml v2's rules (no YAML 1.1 sexagesimals, no
    timestamps, no `=` value tag); quoted scalars stay strings."""

    yaml_implicit_resolvers: dict = {}

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return go_resolve_plain(value)[0]
        return super().resolve(kind, value, implicit)


class _GoComposer(Composer):
    """pyyaml's composer with go-yaml v2's anchor rules (an anchor may be redefined; the latest
    definition wins) and a nesting limit checked while composing, so deep input never recurses."""

    def compose_node(self, parent, index):
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH and self.check_event(
                    yaml.SequenceStartEvent, yaml.MappingStartEvent):
                raise _DepthExceeded()
            if self.check_event(yaml.AliasEvent):
                event = self.get_event()
                if event.anchor not in self.anchors:
                    raise _GoYAMLError(f"unknown anchor '{event.anchor}' referenced")
                return self.anchors[event.anchor]
            event = self.peek_event()
            anchor = event.anchor
            if anchor is not None:
                self.anchors.pop(anchor, None)
            if self.check_event(yaml.ScalarEvent):
                return self.compose_scalar_node(anchor)
            if self.check_event(yaml.SequenceStartEvent):
                return self.compose_sequence_node(anchor)
            return self.compose_mapping_node(anchor)
        finally:
            self._depth -= 1


class _DepthExceeded(Exception):
    pass


class _GoYAMLError(Exception):
    """A go-yaml error message without position (`yaml: <msg>`)."""


class _Loader(Reader, Scanner, Parser, _GoComposer, _GoResolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _GoComposer.__init__(self)
        _GoResolver.__init__(self)


# pyyaml problem text → go-yaml v2 problem text (scannerc.go / parserc.go)
_SCANNER_PROBLEMS = [
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("sequence entries are not allowed here",
     "block sequence entries are not allowed in this context"),
    ("that cannot start any token", "found character that cannot start any token"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("found unexpected end of stream", "found unexpected end of stream"),
    ("found unexpected document separator", "found unexpected document indicator"),
    ("found unknown escape character", "found unknown escape character"),
    ("expected alphabetic or numeric character",
     "did not find expected alphabetic or numeric character"),
    ("expected a comment or a line break", "did not find expected comment or line break"),
    ("expected ' ', but found", "did not find expected whitespace or line break"),
    ("found a tab character where an indentation space is expected",
     "found a tab character that violates indentation"),
]
_PARSER_PROBLEMS = [
    ("while parsing a block mapping", "expected <block end>", "did not find expected key"),
    ("while parsing a block collection", "expected <block end>",
     "did not find expected '-' indicator"),
    ("while parsing a flow sequence", "expected ',' or ']'", "did not find expected ',' or ']'"),
    ("while parsing a flow mapping", "expected ',' or '}'", "did not find expected ',' or '}'"),
    (None, "expected '<document start>'", "did not find expected <document start>"),
    (None, "expected the node content", "did not find expected node content"),
    (None, "found undefined tag handle", "found undefined tag handle"),
]


def _go_yaml_message(err: yaml.MarkedYAMLError) -> str:
    """`yaml: line N: <problem>` as go-yaml v2's parser.fail() words it: scanner errors report the
    1-based line of the problem, parser errors its 0-based line (a known go-yaml off-by-one), and
    a parser problem on line 0 falls back to the context line, or to no line at all."""
    problem = err.problem or ""
    context = err.context or ""
    if isinstance(err, yaml.scanner.ScannerError):
        text = next((go for py, go in _SCANNER_PROBLEMS if py in problem), problem)
        line = err.problem_mark.line + 1 if err.problem_mark else 0
    else:
        text = next((go for ctx, py, go in _PARSER_PROBLEMS
                     if py in problem and (ctx is None or ctx == context)), problem)
        line = err.problem_mark.line if err.problem_mark else 0
        if line == 0 and err.context_mark is not None:
            line = err.context_mark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{text}"


def _yaml_chunk_to_json(chunk: str, source: str):
    """sigs.k8s.io/yaml YAMLToJSON of one document: the JSON-compatible value, or None."""
    loader = None
    try:
        loader = _Loader(chunk)
        node = loader.get_node() if loader.check_node() else None
    except _DepthExceeded:
        raise _too_deep(source) from None
    except _GoYAMLError as e:
        raise _parse_error(source, f"error converting YAML to JSON: yaml: {e}") from None
    except yaml.MarkedYAMLError as e:
        raise _parse_error(source, f"error converting YAML to JSON: {_go_yaml_message(e)}") \
            from None
    except yaml.reader.ReaderError:
        # go-yaml readerc.go yaml_parser_update_buffer
        raise _parse_error(source, "error converting YAML to JSON: yaml: control characters "
                                   "are not allowed") from None
    except yaml.YAMLError as e:
        raise _parse_error(source, f"error converting YAML to JSON: yaml: {e}") from None
    except RecursionError:  # belt and braces: nesting is capped while composing
        raise _too_deep(source) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None
    _check_expansion(node, source)
    try:
        return _node_to_json(node, source)
    except _GoYAMLError as e:
        raise _parse_error(source, f"error converting YAML to JSON: {e}") from None


def _check_expansion(root, source: str) -> None:
    """Count the values the document expands to once aliases are followed, and its depth, without
    expanding it (sizes are memoised per node; a node that contains itself never finishes)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node, depth: int) -> int:
        if depth > MAX_DEPTH and not isinstance(node, ScalarNode):
            raise _too_deep(source)
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _alias_bomb(source)
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
                if total > MAX_EXPANDED_NODES:
                    raise _alias_bomb(source)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1) + size(v, depth + 1)
                if total > MAX_EXPANDED_NODES:
                    raise _alias_bomb(source)
        active.discard(key)
        sizes[key] = total
        return total

    size(root, 1)


def _scalar_value(node: ScalarNode):
    tag = node.tag
    if tag == TAG_BINARY:
        try:
            return base64.b64decode("".join(node.value.split())).decode("utf-8", "replace")
        except (ValueError, TypeError):
            raise _GoYAMLError(f"yaml: cannot decode !!binary `{node.value}`") from None
    if tag in (TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_MERGE):
        resolved_tag, value = go_resolve_plain(node.value)
        if resolved_tag == tag or (tag == TAG_FLOAT and resolved_tag == TAG_INT):
            return float(value) if tag == TAG_FLOAT else value
        raise _GoYAMLError(
            f"yaml: cannot decode !!str `{node.value}` as a !!{tag.rsplit(':', 1)[-1]}")
    return node.value  # str, timestamp (a string for interface{} targets), unknown local tags


def _json_scalar(value):
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        text = "NaN" if math.isnan(value) else ("+Inf" if value > 0 else "-Inf")
        raise _GoYAMLError(f"json: unsupported value: {text}")
    return _go_number(value)


def _key_string(key_node, source: str) -> str:
    """sigs.k8s.io/yaml convertToJSONableObject: how non-string map keys become JSON keys."""
    if not isinstance(key_node, ScalarNode):
        raise _GoYAMLError("yaml: invalid map key: a mapping or sequence cannot be a key")
    value = _scalar_value(key_node)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise _GoYAMLError("unsupported map key of type: %!s(<nil>), key: <nil>")
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return _go_float_key(value)
    return str(value)


def _go_float_key(value: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32): shortest float32 digits."""
    import struct

    f32 = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{f32:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            break
    mantissa, _, exp = text.partition("e")
    if exp:
        sign = exp[0]
        exp = exp[1:].lstrip("0").rjust(2, "0")
        return f"{mantissa}e{sign}{exp}"
    return mantissa


def _node_to_json(node, source: str):
    if isinstance(node, ScalarNode):
        return _json_scalar(_scalar_value(node))
    if isinstance(node, SequenceNode):
        return [_node_to_json(child, source) for child in node.value]
    out: dict = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.tag == TAG_MERGE:
            _merge_into(out, value_node, source)
            continue
        out[_key_string(key_node, source)] = _node_to_json(value_node, source)
    return out


def _merge_into(out: dict, value_node, source: str) -> None:
    """go-yaml v2 decode.go merge: a map, or a sequence of maps applied last to first."""
    if isinstance(value_node, MappingNode):
        out.update(_node_to_json(value_node, source))
        return
    if isinstance(value_node, SequenceNode) and all(
            isinstance(child, MappingNode) for child in value_node.value):
        for child in reversed(value_node.value):
            out.update(_node_to_json(child, source))
        return
    raise _GoYAMLError("yaml: map merge requires map or sequence of maps as the value")


# ----------------------------------------------------------------------------------------------
# unstructured decoding and REST mapping (cli-runtime mapper.go, apimachinery unstructured.go)


def _go_kind_of(value) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def _nested_string(obj: dict, *path: str) -> str:
    """unstructured getNestedString: "" unless every step is a map and the leaf a string."""
    cur = obj
    for step in path:
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(step)
    return cur if isinstance(cur, str) else ""


def _parse_group_version(api_version: str) -> tuple[str, str] | None:
    """schema.ParseGroupVersion: "" → ("", ""), "v1" → ("", "v1"), "apps/v1" → ("apps", "v1")."""
    if api_version == "" or api_version == "/":
        return "", ""
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", api_version
    if len(parts) == 2:
        return parts[0], parts[1]
    return None


def _no_kind_match(kind: str, group: str, version: str) -> str:
    api_version = f"{group}/{version}" if group else version
    return f'no matches for kind "{kind}" in version "{api_version}"'


def _map_kind(obj: dict) -> tuple[kinds.Kind | None, str]:
    """(served type, NoKindMatchError text). A core kind without apiVersion maps (kubectl's
    RESTMapper looks the GroupKind up in the core group) and is sent as v1."""
    kind = _nested_string(obj, "kind")
    group, version = _parse_group_version(_nested_string(obj, "apiVersion")) or ("", "")
    if version == "":
        served = kinds.by_kind(kind)
        if served is not None and served.group == group:
            return served, ""
        return None, _no_kind_match(kind, group, version)
    served = kinds.lookup(f"{group}/{version}" if group else version, kind)
    if served is None:
        return None, _no_kind_match(kind, group, version)
    return served, ""


def _kind_is_missing(obj: dict) -> bool:
    return _nested_string(obj, "kind") == "" or \
        _parse_group_version(_nested_string(obj, "apiVersion")) is None


def _objects_for(raw_json: str | None, value, source: str) -> list[dict | KubeError]:
    raw = raw_json.strip() if raw_json is not None else go_json(value)
    if not isinstance(value, dict):
        return [CLIError(f'error: unable to decode "{source}": json: cannot unmarshal '
                         f"{_go_kind_of(value)} into Go value of type unstructured.detector")]
    if "items" in value and value["items"] is not None:
        return _list_items(value, raw, source)
    if _kind_is_missing(value):
        return [CLIError(f"error: unable to decode \"{source}\": Object 'Kind' is missing in '{raw}'")]
    served, problem = _map_kind(value)
    if served is None:
        name = _nested_string(value, "metadata", "name")
        namespace = _nested_string(value, "metadata", "namespace")
        return [CLIError(
            f'error: resource mapping not found for name: "{name}" namespace: "{namespace}" '
            f'from "{source}": {problem}\nensure CRDs are installed first')]
    if not value.get("apiVersion"):
        value["apiVersion"] = served.api_version
    return [value]


def _list_items(value: dict, raw: str, source: str) -> list[dict | KubeError]:
    """unstructuredJSONScheme.decodeToList + FlattenListVisitor: items inherit the list's
    apiVersion and its kind minus `List` when they have none of their own."""
    items = value["items"]
    if not isinstance(items, list):
        return [CLIError(f'error: unable to decode "{source}": json: cannot unmarshal '
                         f"{_go_kind_of(items)} into Go struct field .items of type "
                         "[]json.RawMessage")]
    if _kind_is_missing(value):
        return [CLIError(f"error: unable to decode \"{source}\": Object 'Kind' is missing in '{raw}'")]
    list_api_version = _nested_string(value, "apiVersion")
    item_kind = _nested_string(value, "kind")
    item_kind = item_kind[:-4] if item_kind.endswith("List") else item_kind
    out: list[dict | KubeError] = []
    for item in items:
        if not isinstance(item, dict):
            out.append(CLIError(
                f'error: unable to decode "{source}": json: cannot unmarshal {_go_kind_of(item)} '
                "into Go value of type map[string]interface {}"))
            return out
        if "kind" not in item and item_kind:
            item["kind"] = item_kind
        if "apiVersion" not in item and list_api_version:
            item["apiVersion"] = list_api_version
        if _kind_is_missing(item):
            out.append(CLIError(
                'error: unable to get type info from the object "*unstructured.Unstructured": '
                "Object 'Kind' is missing in 'unstructured object has no kind'"))
            continue
        served, problem = _map_kind(item)
        if served is None:
            out.append(CLIError(f"error: unable to recognize {problem}"))
            continue
        if not item.get("apiVersion"):
            item["apiVersion"] = served.api_version
        out.append(item)
    return out
