"""kubectl's JSONPath dialect: k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go) and the
cli-runtime printers that wrap it (pkg/printers/jsonpath.go JSONPathPrinter.PrintObj,
pkg/genericclioptions/jsonpath_flags.go ToPrinter).

render_jsonpath(template, data) -> str, raising CLIError with kubectl's text.
Map iteration (`*` on a map, `..`) uses sorted keys: Go iterates maps in random order there.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from simulator import cpu_budget, limits
from simulator.api.errors import CLIError


class JSONPathError(Exception):
    """A parse or execution error with client-go's text."""


class JSONPathTooLarge(JSONPathError):
    """A template that would produce more than limits.MAX_JSONPATH_RESULTS values (ours, not kubectl's)."""


_MISSING = object()


# ============================================================================ nodes
@dataclass
class Text:
    text: str


@dataclass
class Field:
    name: str


@dataclass
class Wildcard:
    pass


@dataclass
class Recursive:
    pass


@dataclass
class Array:
    params: list  # three [value, known, derived]


@dataclass
class Union:
    branches: list  # of lists of nodes


@dataclass
class Filter:
    left: list
    right: list
    op: str


@dataclass
class Literal:
    value: Any


@dataclass
class Ident:
    name: str  # "range" or "end"


@dataclass
class ListNode:
    nodes: list = field(default_factory=list)


# ============================================================================ parser
_EOF = ""
_NUMBER_RE = re.compile(r"^[+-]?\d+$")


def _is_terminator(ch: str) -> bool:
    return ch in (_EOF, ".", ",", "[", "]", "$", "@", "{", "}")


def _go_unquote(s: str) -> str:
    """strconv.Unquote for the quoted strings kubectl templates use ("\\n", "\\t", unicode)."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise JSONPathError("invalid syntax")
    body = s[1:-1]
    if s[0] == "'" and len(body) != 1 and not body.startswith("\\"):
        # Go: single quotes are a rune literal; the jsonpath parser unquotes them anyway
        raise JSONPathError("invalid syntax")
    out, i = [], 0
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
              "\\": "\\", "'": "'", '"': '"'}
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body):
                raise JSONPathError("invalid syntax")
            e = body[i + 1]
            if e in simple:
                out.append(simple[e]); i += 2; continue
            width = {"x": 2, "u": 4, "U": 8}.get(e)
            if width:
                digits = body[i + 2:i + 2 + width]
                if len(digits) != width or not all(ch in "0123456789abcdefABCDEF" for ch in digits):
                    raise JSONPathError("invalid syntax")
                out.append(chr(int(digits, 16))); i += 2 + width; continue
            raise JSONPathError("invalid syntax")
        if c == s[0] or c == "\n":
            raise JSONPathError("invalid syntax")
        out.append(c); i += 1
    return "".join(out)


class _Parser:
    def __init__(self, text: str, name: str = "out"):
        self.input, self.pos, self.start = text, 0, 0
        self.root = ListNode()
        self.open_ranges = 0

    # -- lexer helpers (parser.go next/peek/backup/consumeText)
    def next(self) -> str:
        if self.pos >= len(self.input):
            self.pos = len(self.input) + 1
            return _EOF
        ch = self.input[self.pos]
        self.pos += 1
        return ch

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else _EOF

    def backup(self) -> None:
        self.pos -= 1

    def consume(self) -> str:
        end = min(self.pos, len(self.input))
        text = self.input[self.start:end]
        self.start = end
        self.pos = end
        return text

    def rest(self) -> str:
        return self.input[self.pos:]

    # -- grammar
    def parse(self) -> ListNode:
        # parseText / parseLeftDelim / parseRightDelim, as a loop instead of mutual recursion
        while self.parse_text(self.root):
            node = ListNode()
            self.root.nodes.append(node)
            self.parse_inside(node)
        return self.root

    def parse_text(self, cur: ListNode) -> bool:
        """Text up to the next `{`; True when an action starts there."""
        while True:
            if self.rest().startswith("{"):
                if self.pos > self.start:
                    cur.nodes.append(Text(self.consume()))
                self.pos += 1
                self.consume()
                return True
            if self.next() == _EOF:
                break
        self.pos = min(self.pos, len(self.input))
        if self.pos > self.start:
            cur.nodes.append(Text(self.consume()))
        return False

    def parse_inside(self, cur: ListNode) -> None:
        while True:
            rest = self.rest()
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                return
            if rest.startswith("[?("):
                self.parse_filter(cur)
                continue
            if rest.startswith(".."):
                # parseRecursive
                if cur.nodes and isinstance(cur.nodes[-1], Recursive):
                    raise JSONPathError("invalid multiple recursive descent")
                self.pos += 2
                self.consume()
                cur.nodes.append(Recursive())
                if self.peek() != _EOF and (self.peek().isalnum() or self.peek() == "_"):
                    self.parse_field(cur)
                continue
            r = self.next()
            if r == _EOF or r in "\r\n":
                raise JSONPathError("unclosed action")
            if r == " " or r in "@$":
                self.consume()
            elif r == "[":
                self.parse_array(cur)
            elif r in "\"'":
                self.parse_quote(cur, r)
            elif r == ".":
                self.parse_field(cur)
            elif r in "+-" or r.isdigit():
                self.backup()
                self.parse_number(cur)
            elif r.isalnum() or r == "_":
                self.backup()
                self.parse_identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: U+{ord(r):04X} {_go_quote_rune(r)}")

    def parse_identifier(self, cur: ListNode) -> None:
        while True:
            r = self.next()
            if not (r.isalnum() or r == "_") or r == _EOF:
                self.backup() if r != _EOF else None
                break
        self.pos = min(self.pos, len(self.input))
        value = self.consume()
        if value == "end":
            if self.open_ranges == 0:
                raise JSONPathError("not in range, nothing to end")
            self.open_ranges -= 1
            cur.nodes.append(Ident("end"))
        elif value == "range":
            self.open_ranges += 1
            cur.nodes.append(Ident("range"))
        elif value in ("true", "false"):
            cur.nodes.append(Literal(value == "true"))
        else:
            raise JSONPathError(f"unrecognized identifier {value}")

    def parse_number(self, cur: ListNode) -> None:
        r = self.peek()
        if r in "+-":
            self.next()
        while True:
            r = self.next()
            if not (r.isdigit() or r == ".") or r == _EOF:
                if r != _EOF:
                    self.backup()
                break
        self.pos = min(self.pos, len(self.input))
        value = self.consume()
        if _NUMBER_RE.match(value):
            cur.nodes.append(Literal(int(value)))
            return
        try:
            cur.nodes.append(Literal(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def parse_field(self, cur: ListNode) -> None:
        self.consume()
        while True:
            r = self.next()
            if r == "\\":
                self.next()
                continue
            if _is_terminator(r):
                if r != _EOF:
                    self.backup()
                break
        self.pos = min(self.pos, len(self.input))
        value = self.consume()
        if value == "*":
            cur.nodes.append(Wildcard())
        else:
            cur.nodes.append(Field(value.replace("\\", "")))

    def parse_quote(self, cur: ListNode, end: str) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unterminated quoted string")
            if r == "\\":
                if self.next() == _EOF:
                    raise JSONPathError("unterminated quoted string")
                continue
            if r == end:
                break
        value = self.consume()
        try:
            s = _go_unquote(value)
        except JSONPathError as e:
            raise JSONPathError(f"unquote string {value} error: {e}") from None
        cur.nodes.append(Text(s))

    def parse_array(self, cur: ListNode) -> None:
        if "]" not in self.rest():
            raise JSONPathError("unterminated array")
        self.consume()
        while self.peek() != "]":
            self.next()
        text = self.consume()
        self.next()
        self.consume()
        if text == "*":
            text = ":"
        parts = _split_union(text)
        if len(parts) > 1:
            branches = []
            for p in parts:
                sub = _Parser("{[" + p + "]}")
                sub.parse()
                branches.append(sub.root.nodes[0].nodes)
            cur.nodes.append(Union(branches))
            return
        m = re.match(r"^'([^']*)'$", text)
        if m:
            cur.nodes.append(Field(m.group(1)))
            return
        m = re.match(r"^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$", text)
        if not m:
            raise JSONPathError(f"invalid array index {text}")
        params = [[0, False, False] for _ in range(3)]
        groups = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        for i, g in enumerate(groups):
            if g != "":
                if i > 0:
                    g = g[1:]
                if i > 0 and g == "":
                    params[i][1] = False
                else:
                    try:
                        params[i] = [int(g), True, False]
                    except ValueError:
                        raise JSONPathError(f"array index {g} is not a number") from None
            elif i == 1:
                params[1] = [params[0][0] + 1, True, True]
        cur.nodes.append(Array(params))

    def parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathError("unclosed array expect ]")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")":
                if begin == end:
                    break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        m = re.match(r"^([^!<>=]+)([!<>=]+)(.+?)$", text, re.S)
        if m is None:
            cur.nodes.append(Filter(_parse_action(text), [], "exists"))
        else:
            cur.nodes.append(Filter(_parse_action(m.group(1)), _parse_action(m.group(3)), m.group(2)))


def _split_union(text: str) -> list[str]:
    return text.split(",")


def _parse_action(text: str) -> list:
    p = _Parser("{" + text + "}")
    p.parse()
    return p.root.nodes[0].nodes if p.root.nodes and isinstance(p.root.nodes[0], ListNode) else []


def _go_quote_rune(r: str) -> str:
    if r == "'":
        return "'\\''"
    if r == "\\":
        return "'\\\\'"
    if r == "\t":
        return "'\\t'"
    if ord(r) < 0x20:
        return f"'\\x{ord(r):02x}'"
    return f"'{r}'"


def parse_jsonpath(template: str) -> ListNode:
    """Parse a template; raises JSONPathError with client-go's message."""
    return _Parser(template).parse()


# ============================================================================ evaluation
class _Eval:
    """Evaluation; a learner's template can multiply work (`{range ..}{range ..}{end}{end}`), so
    every loop checks the command's CPU budget and the values produced are capped."""

    def __init__(self, allow_missing: bool):
        self.allow_missing = allow_missing
        self.produced = 0

    def _count(self, values: list) -> list:
        cpu_budget.check()
        self.produced += len(values)
        if self.produced > limits.MAX_JSONPATH_RESULTS:
            raise JSONPathTooLarge(f"the template produces more than {limits.MAX_JSONPATH_RESULTS:,} values "
                                   "(a Rollout Lab limit)")
        return values

    def results(self, nodes: list, data: Any) -> list[list]:
        """FindResults: one result list per top-level node; range blocks expand in place."""
        out: list[list] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, ListNode) and node.nodes and isinstance(node.nodes[0], Ident) \
                    and node.nodes[0].name == "range":
                end = self._matching_end(nodes, i)
                values = self.eval_list(node.nodes[1:], [data])
                body = nodes[i + 1:end]
                if values:
                    for v in values:
                        cpu_budget.check()
                        out.extend(self.results(body, v))
                else:
                    self.results(body, None)  # upstream still walks the body (errors surface)
                i = end + 1
                continue
            if isinstance(node, ListNode) and any(isinstance(n, Ident) and n.name == "end" for n in node.nodes):
                i += 1
                continue
            out.append(self.walk([data], node))
            i += 1
        return out

    @staticmethod
    def _matching_end(nodes: list, start: int) -> int:
        depth = 0
        for j in range(start, len(nodes)):
            n = nodes[j]
            if isinstance(n, ListNode):
                for x in n.nodes:
                    if isinstance(x, Ident):
                        depth += 1 if x.name == "range" else -1
                if depth == 0:
                    return j
        return len(nodes)

    def walk(self, values: list, node: Any) -> list:
        return self._count(self._walk(values, node))

    def _walk(self, values: list, node: Any) -> list:
        if isinstance(node, ListNode):
            return self.eval_list(node.nodes, values)
        if isinstance(node, Text):
            return [node.text]
        if isinstance(node, Field):
            return self.eval_field(values, node.name)
        if isinstance(node, Array):
            return self.eval_array(values, node)
        if isinstance(node, Filter):
            return self.eval_filter(values, node)
        if isinstance(node, Literal):
            return [node.value]
        if isinstance(node, Wildcard):
            return self.eval_wildcard(values)
        if isinstance(node, Recursive):
            return self.eval_recursive(values)
        if isinstance(node, Union):
            out = []
            for branch in node.branches:
                out.extend(self.eval_list(branch, values))
            return out
        if isinstance(node, Ident):
            return values
        raise JSONPathError(f"unexpected Node {node}")

    def eval_list(self, nodes: list, values: list) -> list:
        cur = values
        for n in nodes:
            cur = self.walk(cur, n)
        return cur

    def eval_field(self, values: list, name: str) -> list:
        if not values:
            return []
        if name == "":
            return [v for v in values if v is not None]
        results = [v[name] for v in values if isinstance(v, dict) and name in v]
        if not results and not self.allow_missing:
            raise JSONPathError(f"{name} is not found")
        return results

    def eval_array(self, values: list, node: Array) -> list:
        result = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                raise JSONPathError(f"{_go_type(value)} is not array or slice")
            (start, sknown, _), (stop, eknown, ederived), (step, stepknown, _) = node.params
            n = len(value)
            if not sknown:
                start = 0
            if start < 0:
                start += n
            if not eknown:
                stop = n
            if stop < 0 or (stop == 0 and ederived):
                stop += n
            if stop == start:
                return result
            if start >= n or start < 0:
                raise JSONPathError(f"array index out of bounds: index {start}, length {n}")
            if stop > n or stop < 0:
                raise JSONPathError(f"array index out of bounds: index {stop - 1}, length {n}")
            if start > stop:
                raise JSONPathError(f"starting index {start} is greater than ending index {stop}")
            if stepknown and step <= 0:
                raise JSONPathError("step must be > 0")
            result.extend(value[start:stop][::step if stepknown else 1])
        return result

    def eval_wildcard(self, values: list) -> list:
        out = []
        for v in values:
            if isinstance(v, dict):
                out.extend(v[k] for k in sorted(v))
            elif isinstance(v, list):
                out.extend(v)
        return out

    def eval_recursive(self, values: list) -> list:
        result = []
        for v in values:
            children = [v[k] for k in sorted(v)] if isinstance(v, dict) else v if isinstance(v, list) else []
            if children:
                result.append(v)
                result.extend(self.eval_recursive(children))
        return result

    def eval_filter(self, values: list, node: Filter) -> list:
        results = []
        for value in values:
            if not isinstance(value, list):
                raise JSONPathError(f"{go_value(value)} is not array or slice and cannot be filtered")
            for item in value:
                cpu_budget.check()
                try:
                    lefts = self.eval_list(node.left, [item])
                except JSONPathError:
                    if node.op == "exists":
                        continue
                    raise
                if node.op == "exists":
                    if lefts:
                        results.append(item)
                    continue
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self.eval_list(node.right, [item])
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                if _compare(lefts[0], rights[0], node.op):
                    results.append(item)
        return results


def _basic(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    return "other"


def _compare(left: Any, right: Any, op: str) -> bool:
    """text/template's eq/ne/lt/le/gt/ge on basic kinds."""
    lk, rk = _basic(left), _basic(right)
    if op in ("==", "!="):
        if lk == "other" or rk == "other":
            if lk == rk:
                raise JSONPathError("non-comparable types")
            raise JSONPathError("incompatible types for comparison")
        if lk != rk:
            raise JSONPathError("incompatible types for comparison")
        return (left == right) == (op == "==")
    if op not in ("<", ">", "<=", ">="):
        raise JSONPathError(f"unrecognized filter operator {op}")
    if lk != rk or lk in ("bool", "other"):
        raise JSONPathError("incompatible types for comparison" if lk != rk else "invalid type for comparison")
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


# ============================================================================ printing
def _go_json(v: Any) -> str:
    s = json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _go_float(f: float) -> str:
    """fmt %v for float64 (strconv 'g' with shortest precision, exponent when < -4 or >= 21)."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    r = repr(f)
    if "e" in r or "E" in r:
        mant, exp = r.split("e")
        mant = mant[:-2] if mant.endswith(".0") else mant
        sign = "-" if exp.startswith("-") else "+"
        digits = exp.lstrip("+-").rjust(2, "0")
        return f"{mant}e{sign}{digits}"
    if r.endswith(".0"):
        r = r[:-2]
    exp10 = len(r.split(".")[0].lstrip("-")) - 1
    if exp10 >= 21:
        mant = r.lstrip("-").rstrip("0")
        mant = mant[0] + ("." + mant[1:] if len(mant) > 1 else "")
        return ("-" if f < 0 else "") + f"{mant}e+{exp10:02d}"
    return r


def _text(v: Any) -> str:
    if isinstance(v, (dict, list)):
        return _go_json(v)
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _go_float(v)
    return str(v)


def _go_type(v: Any) -> str:
    return {"map": "map[string]interface {}", "str": "string", "int": "int64", "float": "float64",
            "bool": "bool"}.get(type(v).__name__ if not isinstance(v, dict) else "map", "interface {}")


def go_value(v: Any) -> str:
    """fmt %v of a decoded JSON value (map[k:v] form)."""
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_value(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_value(x) for x in v) + "]"
    return _text(v)


def go_sharp_v(v: Any) -> str:
    """fmt %#v of the map[string]interface{} kubectl hands to the jsonpath engine."""
    if isinstance(v, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{json.dumps(k, ensure_ascii=False)}:{go_sharp_v(v[k])}" for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(x) for x in v) + "}"
    if v is None:
        return "interface {}(nil)"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, float):
        return _go_float(v)
    return str(v)


def execute(template: str, data: Any, allow_missing_keys: bool = True) -> str:
    """JSONPath.Execute: each result list printed space-joined, lists concatenated."""
    root = parse_jsonpath(template)
    out, size = [], 0
    for results in _Eval(allow_missing_keys).results(root.nodes, data):
        for k, r in enumerate(results):
            text = _text(r) if k == 0 else " " + _text(r)
            out.append(text)
            size += len(text)
            if size > limits.MAX_OUTPUT_BYTES:  # the console cuts output there anyway
                return "".join(out)
            cpu_budget.check()
    return "".join(out)


def render_jsonpath(template: str, data: Any, allow_missing_keys: bool = True) -> str:
    """`kubectl get -o jsonpath=TEMPLATE` output for `data` (the object or List as a dict)."""
    try:
        parse_jsonpath(template)
    except JSONPathError as e:
        # jsonpath_flags.go: fmt.Errorf("error parsing jsonpath %s, %v\n", templateValue, err)
        raise CLIError(f"error parsing jsonpath {template}, {e}") from None
    except RecursionError:
        raise CLIError(f"error parsing jsonpath {template}, template is too deeply nested") from None
    try:
        return execute(template, data, allow_missing_keys)
    except JSONPathTooLarge as e:  # no debugging dump of the object: the template is the problem
        raise CLIError(f"error executing jsonpath {json.dumps(template, ensure_ascii=False)}: {e}") from None
    except JSONPathError as e:
        # printers/jsonpath.go PrintObj; kubectl prints the message as is (it ends in "\n")
        raise CLIError(
            f"error executing jsonpath {json.dumps(template, ensure_ascii=False)}: Error executing template: {e}. "
            "Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_sharp_v(data)}\n\n") from None
