"""A port of Go's text/tabwriter, as forked by kubectl (github.com/liggitt/tabwriter).

Upstream: golang/go src/text/tabwriter/tabwriter.go and liggitt/tabwriter tabwriter.go (the fork
adds the RememberWidths flag that cli-runtime uses so `kubectl get -w` rows keep the widths of the
initial listing).

Semantics that matter for kubectl output:
* cells are *terminated* by '\\t' (or '\\v'); the text after the last tab of a line is a cell that
  belongs to no column and is never padded;
* a column block is a run of consecutive lines that all have a tab-terminated cell in that column;
  its width is max(minwidth, widest cell + padding);
* a line without any tab flushes everything before it (Write's `ncells == 1` rule), and '\\f'
  always flushes;
* widths are counted in code points (utf8.RuneCount), not display cells.

Not ported: the 0xff Escape byte (a Python str has no byte 0xff distinct from U+00FF) and
FilterHTML entity handling beyond tags/entities counting, which kubectl never enables.
"""
from __future__ import annotations

# Flags, same bit values as upstream.
FILTER_HTML = 1 << 0
STRIP_ESCAPE = 1 << 1  # accepted for completeness; escapes are not ported
ALIGN_RIGHT = 1 << 2
DISCARD_EMPTY_COLUMNS = 1 << 3
TAB_INDENT = 1 << 4
DEBUG = 1 << 5
REMEMBER_WIDTHS = 1 << 6  # liggitt/tabwriter only


class _Cell:
    __slots__ = ("text", "width", "htab")

    def __init__(self, text: str, width: int, htab: bool):
        self.text, self.width, self.htab = text, width, htab


class TabWriter:
    """Buffers text written with `write`; `flush` returns the aligned output produced so far.

    Output that upstream would emit early (on a tab-less line or '\\f') is kept and returned by the
    next `flush`, so `write(...)` then `flush()` always yields exactly what Go would have written.
    """

    def __init__(self, minwidth: int, tabwidth: int, padding: int, padchar: str = " ", flags: int = 0):
        if minwidth < 0 or tabwidth < 0 or padding < 0:
            raise ValueError("negative minwidth, tabwidth, or padding")
        if len(padchar) != 1:
            raise ValueError("padchar must be a single character")
        self.minwidth, self.tabwidth, self.padding, self.padchar = minwidth, tabwidth, padding, padchar
        if padchar == "\t":
            flags &= ~ALIGN_RIGHT  # tab padding enforces left-alignment
        self.flags = flags
        self.maxwidths: list[int] = []  # RememberWidths: per-column max width across flushes
        self._out: list[str] = []
        self._reset()

    # -- state -------------------------------------------------------------------------------
    def _reset(self) -> None:
        self._lines: list[list[_Cell]] = [[]]
        self._cell_parts: list[str] = []
        self._cell_width = 0
        self._in_html = ""  # '>' or ';' while inside an HTML tag/entity (FilterHTML)
        self._widths: list[int] = []

    def remembered_widths(self) -> list[int]:
        return list(self.maxwidths)

    def set_remembered_widths(self, widths: list[int]) -> "TabWriter":
        self.maxwidths = list(widths)
        return self

    # -- input -------------------------------------------------------------------------------
    def _terminate_cell(self, htab: bool) -> int:
        line = self._lines[-1]
        line.append(_Cell("".join(self._cell_parts), self._cell_width, htab))
        self._cell_parts, self._cell_width = [], 0
        return len(line)

    def write(self, text: str) -> None:
        html = self.flags & FILTER_HTML
        start = 0
        for i, ch in enumerate(text):
            if self._in_html:
                if ch == self._in_html:
                    self._cell_parts.append(text[start:i + 1])
                    if ch == ";":
                        self._cell_width += 1  # an entity counts as one rune; a tag as zero
                    self._in_html = ""
                    start = i + 1
                continue
            if ch in "\t\v\n\f":
                seg = text[start:i]
                self._cell_parts.append(seg)
                self._cell_width += len(seg)
                start = i + 1
                ncells = self._terminate_cell(ch == "\t")
                if ch in "\n\f":
                    self._lines.append([])
                    if ch == "\f" or ncells == 1:
                        self._flush()
                        if ch == "\f" and self.flags & DEBUG:
                            self._out.append("---\n")
            elif html and ch in "<&":
                seg = text[start:i]
                self._cell_parts.append(seg)
                self._cell_width += len(seg)
                start = i
                self._in_html = ">" if ch == "<" else ";"
        seg = text[start:]
        self._cell_parts.append(seg)
        if not self._in_html:
            self._cell_width += len(seg)

    # -- output ------------------------------------------------------------------------------
    def _pad(self, textw: int, cellw: int, use_tabs: bool) -> None:
        if self.padchar == "\t" or use_tabs:
            if self.tabwidth == 0:
                return
            cellw = (cellw + self.tabwidth - 1) // self.tabwidth * self.tabwidth
            n = cellw - textw
            self._out.append("\t" * ((n + self.tabwidth - 1) // self.tabwidth))
            return
        self._out.append(self.padchar * (cellw - textw))

    def _write_lines(self, line0: int, line1: int) -> None:
        widths = self._widths
        for i in range(line0, line1):
            use_tabs = bool(self.flags & TAB_INDENT)
            for j, c in enumerate(self._lines[i]):
                if j > 0 and self.flags & DEBUG:
                    self._out.append("|")
                if not c.text:
                    if j < len(widths):
                        self._pad(c.width, widths[j], use_tabs)
                else:
                    use_tabs = False
                    if not self.flags & ALIGN_RIGHT:
                        self._out.append(c.text)
                        if j < len(widths):
                            self._pad(c.width, widths[j], False)
                    else:
                        if j < len(widths):
                            self._pad(c.width, widths[j], False)
                        self._out.append(c.text)
            if i + 1 == len(self._lines):
                # last buffered line has no newline: write the incomplete cell
                self._out.append("".join(self._cell_parts))
            else:
                self._out.append("\n")

    def _format(self, line0: int, line1: int) -> None:
        column = len(self._widths)
        this = line0
        while this < line1:
            if column >= len(self._lines[this]) - 1:
                this += 1
                continue
            # a cell exists in this column: print the lines before the block
            self._write_lines(line0, this)
            line0 = this
            width = self.minwidth
            discardable = True
            while this < line1:
                line = self._lines[this]
                if column >= len(line) - 1:
                    break
                c = line[column]
                width = max(width, c.width + self.padding)
                if c.width > 0 or c.htab:
                    discardable = False
                this += 1
            if discardable and self.flags & DISCARD_EMPTY_COLUMNS:
                width = 0
            if self.flags & REMEMBER_WIDTHS:
                mw, w = self.maxwidths, self._widths
                if len(mw) < len(w):
                    mw.extend(w[len(mw):])
                if len(mw) == len(w):
                    mw.append(width)
                elif mw[len(w)] > width:
                    width = mw[len(w)]
                elif mw[len(w)] < width:
                    mw[len(w)] = width
            self._widths.append(width)
            self._format(line0, this)
            self._widths.pop()
            line0 = this
        self._write_lines(line0, line1)

    def _flush(self) -> None:
        if "".join(self._cell_parts):
            if self._in_html == ";":
                self._cell_width += 1  # endEscape: an unterminated entity still counts as one
            self._in_html = ""
            self._terminate_cell(False)
        self._format(0, len(self._lines))
        self._reset()

    def flush(self) -> str:
        """Format everything buffered and return all output not yet returned."""
        self._flush()
        out, self._out = "".join(self._out), []
        return out


def tabwrite(text: str, minwidth: int, tabwidth: int, padding: int, padchar: str = " ", flags: int = 0) -> str:
    w = TabWriter(minwidth, tabwidth, padding, padchar, flags)
    w.write(text)
    return w.flush()


def table_writer() -> TabWriter:
    """cli-runtime pkg/printers/tabwriter.go GetNewTabWriter: 6, 4, 3, ' ', RememberWidths."""
    return TabWriter(6, 4, 3, " ", REMEMBER_WIDTHS)


def describe_writer() -> TabWriter:
    """kubectl pkg/describe/describe.go tabbedString: w.Init(out, 0, 8, 2, ' ', 0)."""
    return TabWriter(0, 8, 2, " ", 0)
