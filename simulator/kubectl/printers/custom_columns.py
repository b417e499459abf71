"""`-o custom-columns=SPEC` and `-o custom-columns-file=FILE`.

kubernetes/kubectl pkg/cmd/get/customcolumn.go: RelaxedJSONPathExpression, NewCustomColumnsPrinterFromSpec,
NewCustomColumnsPrinterFromTemplate, CustomColumnsPrinter.PrintObj/printOneObject. Each column is a
client-go JSONPath with missing keys allowed; a column with no value prints `<none>`, several values are
joined with ',' (each printed with fmt.Sprint: maps as `map[k:v]`, lists as `[a b]`). Output goes through
cli-runtime's table tab writer (minwidth 6, tabwidth 4, padding 3).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from simulator.api.errors import CLIError
from simulator.kubectl.jsonpath import JSONPathError, _Eval, go_value, parse_jsonpath
from simulator.kubectl.printers.tabwriter import table_writer

_JSON_RE = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$", re.S)


@dataclass(frozen=True)
class Column:
    header: str
    field_spec: str


def relaxed_jsonpath(expr: str) -> str:
    """RelaxedJSONPathExpression: `metadata.name`, `.metadata.name`, `{metadata.name}` → `{.metadata.name}`."""
    if not expr:
        return expr
    m = _JSON_RE.match(expr)
    if m is None or "\n" in expr:
        raise CLIError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                       "'{name1.name2}' or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"


def columns_from_spec(spec: str) -> list[Column]:
    """NewCustomColumnsPrinterFromSpec."""
    if not spec:
        raise CLIError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise CLIError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append(Column(header, relaxed_jsonpath(path)))
    return columns


def columns_from_template(text: str) -> list[Column]:
    """NewCustomColumnsPrinterFromTemplate: a header line and a spec line, whitespace separated."""
    lines = text.split("\n")
    if text == "":
        raise CLIError("invalid template, missing header line. Expected format is one line of space "
                       "separated headers, one line of space separated column specs.")
    if len(lines) < 2 or (len(lines) == 2 and lines[1] == ""):
        raise CLIError("invalid template, missing spec line. Expected format is one line of space "
                       "separated headers, one line of space separated column specs.")
    headers = lines[0].removesuffix("\r").split()
    specs = lines[1].removesuffix("\r").split()
    if len(headers) != len(specs):
        raise CLIError(f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match")
    return [Column(h, relaxed_jsonpath(s)) for h, s in zip(headers, specs)]


def _items(data: Any) -> list:
    # meta.IsListType / ExtractList: a List (or any *List kind) prints one row per item
    if isinstance(data, dict) and isinstance(data.get("items"), list) and str(data.get("kind", "List")).endswith("List"):
        return data["items"]
    return [data]


def _cell(parsed, obj: Any) -> str:
    try:
        results = _Eval(allow_missing=True).results(parsed.nodes, obj)
    except JSONPathError as e:
        raise CLIError(str(e)) from None
    values = [go_value(v) for lst in results for v in lst]
    if not results or not results[0]:
        values.insert(0, "<none>")
    return ",".join(values)


def print_custom_columns(columns: list[Column], data: Any, no_headers: bool = False) -> str:
    """CustomColumnsPrinter.PrintObj for one object or a List."""
    parsed = []
    for col in columns:
        try:
            parsed.append(parse_jsonpath(col.field_spec))
        except JSONPathError as e:
            raise CLIError(str(e)) from None
    lines = []
    if not no_headers:
        lines.append("\t".join(c.header for c in columns))
    for obj in _items(data):
        lines.append("\t".join(_cell(p, obj) for p in parsed))
    w = table_writer()
    w.write("".join(line + "\n" for line in lines))
    return w.flush()


def render_custom_columns(spec: str, data: Any, no_headers: bool = False) -> str:
    """`kubectl get … -o custom-columns=SPEC [--no-headers]`."""
    return print_custom_columns(columns_from_spec(spec), data, no_headers)


def render_custom_columns_file(template_text: str, data: Any, no_headers: bool = False) -> str:
    """`-o custom-columns-file=FILE`: upstream builds this printer without NoHeaders, so
    `--no-headers` has no effect here (kubectl pkg/cmd/get/customcolumn_flags.go)."""
    return print_custom_columns(columns_from_template(template_text), data, False)
