"""Go text/tabwriter golden cases (golang/go src/text/tabwriter/tabwriter_test.go) and the
liggitt/tabwriter RememberWidths behaviour that cli-runtime relies on."""
import pytest
from hypothesis import given, strategies as st

from simulator.kubectl.printers.tabwriter import (
    ALIGN_RIGHT, DEBUG, DISCARD_EMPTY_COLUMNS, FILTER_HTML, REMEMBER_WIDTHS,
    TabWriter, describe_writer, table_writer, tabwrite,
)

# (name, minwidth, tabwidth, padding, padchar, flags, src, expected) — copied from upstream's table,
# minus the 0xff Escape cases (not ported).
GO_CASES = [
    ("1a", 8, 0, 1, ".", 0, "", ""),
    ("1a debug", 8, 0, 1, ".", DEBUG, "", ""),
    ("2", 8, 0, 1, ".", 0, "\n\n\n", "\n\n\n"),
    ("3", 8, 0, 1, ".", 0, "a\nb\nc", "a\nb\nc"),
    ("4a", 8, 0, 1, ".", 0, "\t", ""),
    ("4b", 8, 0, 1, ".", ALIGN_RIGHT, "\t", ""),
    ("5", 8, 0, 1, ".", 0, "*\t*", "*.......*"),
    ("5b", 8, 0, 1, ".", 0, "*\t*\n", "*.......*\n"),
    ("5c", 8, 0, 1, ".", 0, "*\t*\t", "*.......*"),
    ("5c debug", 8, 0, 1, ".", DEBUG, "*\t*\t", "*.......|*"),
    ("5d", 8, 0, 1, ".", ALIGN_RIGHT, "*\t*\t", ".......**"),
    ("6", 8, 0, 1, ".", 0, "\t\n", "........\n"),
    ("7a", 8, 0, 1, ".", 0, "a) foo", "a) foo"),
    ("7b", 8, 0, 1, " ", 0, "b) foo\tbar", "b) foo  bar"),
    ("7c", 8, 0, 1, ".", 0, "c) foo\tbar\t", "c) foo..bar"),
    ("7d", 8, 0, 1, ".", 0, "d) foo\tbar\n", "d) foo..bar\n"),
    ("7e", 8, 0, 1, ".", 0, "e) foo\tbar\t\n", "e) foo..bar.....\n"),
    ("7f", 8, 0, 1, ".", FILTER_HTML, "f) f&lt;o\t<b>bar</b>\t\n", "f) f&lt;o..<b>bar</b>.....\n"),
    ("7g", 8, 0, 1, ".", FILTER_HTML, "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
     "g) f&lt;o..<b>bar</b>..... non-terminated entity &amp"),
    ("7g debug", 8, 0, 1, ".", FILTER_HTML | DEBUG, "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
     "g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp"),
    ("8", 8, 0, 1, "*", 0, "Hello, world!\n", "Hello, world!\n"),
    ("9a", 1, 0, 0, ".", 0, "1\t2\t3\t4\n11\t222\t3333\t44444\n", "1.2..3...4\n11222333344444\n"),
    ("9b", 1, 0, 0, ".", FILTER_HTML, "1\t2<!---\f--->\t3\t4\n11\t222\t3333\t44444\n",
     "1.2<!---\f--->..3...4\n11222333344444\n"),
    ("9c", 1, 0, 0, ".", 0, "1\t2\t3\t4\f11\t222\t3333\t44444\n", "1234\n11222333344444\n"),
    ("9c debug", 1, 0, 0, ".", DEBUG, "1\t2\t3\t4\f11\t222\t3333\t44444\n", "1|2|3|4\n---\n11|222|3333|44444\n"),
    ("10a", 5, 0, 0, ".", 0, "1\t2\t3\t4\n", "1....2....3....4\n"),
    ("10b", 5, 0, 0, ".", 0, "1\t2\t3\t4\t\n", "1....2....3....4....\n"),
    ("11", 8, 0, 1, ".", 0, "本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n",
     "本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n"),
    ("12a", 8, 0, 1, " ", ALIGN_RIGHT, "a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n",
     "       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n"),
    ("12b", 2, 0, 0, " ", 0, "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n", "a  b  c\naa bbbcccc\naaabbbb\n"),
    ("12c", 8, 0, 1, "_", 0, "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
     "a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n"),
    ("13a", 4, 0, 1, "-", 0,
     "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
     "4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n"
     "666666-666666-666666----4444\n1------1------999999999-0000000000\n"),
    ("13b", 4, 0, 3, ".", 0,
     "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
     "4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n"
     "666666...666666...666666......4444\n1........1........999999999...0000000000\n"),
    ("13c", 8, 8, 1, "\t", FILTER_HTML,
     "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n"
     "1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n",
     "4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n"
     "1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n"),
    ("14", 1, 0, 2, " ", ALIGN_RIGHT,
     ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n"
     ".0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
     "    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n"
     "    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3"),
    ("14 debug", 1, 0, 2, " ", ALIGN_RIGHT | DEBUG,
     ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n"
     ".0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
     "    .0|          .3|    2.4|    -5.1|\n  23.0|  12345678.9|    2.4|  -989.4|\n   5.1|        12.0|    2.4|    -7.0|\n"
     "    .0|         0.0|  332.0|  8908.0|\n    .0|         -.3|  456.4|    22.1|\n    .0|         1.2|   44.4|   -13.3|"),
    ("15a", 4, 0, 0, ".", 0, "a\t\tb", "a.......b"),
    ("15b", 4, 0, 0, ".", DISCARD_EMPTY_COLUMNS, "a\t\tb", "a.......b"),
    ("15c", 4, 0, 0, ".", DISCARD_EMPTY_COLUMNS, "a\v\vb", "a...b"),
    ("15d", 4, 0, 0, ".", ALIGN_RIGHT | DISCARD_EMPTY_COLUMNS, "a\v\vb", "...ab"),
    ("16a", 100, 100, 0, "\t", 0, "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
     "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n"),
    ("16b", 100, 100, 0, "\t", DISCARD_EMPTY_COLUMNS, "a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n",
     "a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n"),
    ("16b debug", 100, 100, 0, "\t", DISCARD_EMPTY_COLUMNS | DEBUG,
     "a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n",
     "a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n"),
    ("16c", 100, 100, 0, "\t", DISCARD_EMPTY_COLUMNS, "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
     "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n"),
    ("16c debug", 100, 100, 0, "\t", DISCARD_EMPTY_COLUMNS | DEBUG,
     "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
     "a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n"),
]


def _fib_slices(src):
    i, d = 0, 0
    while i < len(src):
        yield src[i:i + d]
        i, d = i + d, d + 1
        if i + d > len(src):
            d = len(src) - i


@pytest.mark.parametrize("case", GO_CASES, ids=[c[0] for c in GO_CASES])
def test_go_tabwriter_cases(case):
    _, minw, tabw, pad, padchar, flags, src, expected = case
    w = TabWriter(minw, tabw, pad, padchar, flags)
    w.write(src)
    assert w.flush() == expected
    # same Writer reused, byte-by-byte, then in Fibonacci-sized slices, as upstream's check() does
    for ch in src:
        w.write(ch)
    assert w.flush() == expected
    for part in _fib_slices(src):
        w.write(part)
    assert w.flush() == expected


def test_table_writer_matches_k8s_facts_deployment_table():
    text = "NAME\tREADY\tUP-TO-DATE\tAVAILABLE\tAGE\nkubia\t3/3\t3\t3\t5m\n"
    assert table_writer().write(text) is None
    w = table_writer()
    w.write(text)
    assert w.flush() == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "kubia   3/3     3            3           5m\n"
    )


def test_remember_widths_keeps_columns_across_flushes():
    # cli-runtime prints each watch row with its own Flush(); RememberWidths keeps the widths.
    w = table_writer()
    w.write("NAME\tREADY\nkubia\t1/1\n")
    first = w.flush()
    assert first == "NAME    READY\nkubia   1/1\n"
    w.write("x\t0/1\n")
    assert w.flush() == "x       0/1\n"
    # a wider cell widens the remembered column for later rows
    w.write("a-much-longer-name\t0/1\n")
    assert w.flush() == "a-much-longer-name   0/1\n"
    w.write("y\t1/1\n")
    assert w.flush() == "y                    1/1\n"
    assert w.remembered_widths() == [21]


def test_without_remember_widths_each_flush_is_independent():
    w = TabWriter(6, 4, 3)
    w.write("NAME\tREADY\nkubia\t1/1\n")
    w.flush()
    w.write("x\t0/1\n")
    assert w.flush() == "x     0/1\n"


def test_set_remembered_widths():
    w = table_writer().set_remembered_widths([10, 8])
    w.write("a\tb\tc\n")
    assert w.flush() == "a         b       c\n"


def test_describe_writer_parameters():
    w = describe_writer()
    w.write("Name:\tkubia\nNamespace:\tdefault\n")
    assert w.flush() == "Name:       kubia\nNamespace:  default\n"


def test_tabless_line_splits_column_blocks():
    assert tabwrite("a\tb\nno tabs here\nlonger-cell\tc\n", 0, 8, 2) == "a  b\nno tabs here\nlonger-cell  c\n"


@given(st.lists(st.lists(st.text(alphabet="ab本-", max_size=6), min_size=1, max_size=4), min_size=1, max_size=6))
def test_rectangular_input_gives_fixed_column_offsets(rows):
    # Every line has the same number of tab-terminated cells, so each column is one block whose
    # width is max(minwidth, widest + padding); the last cell is never padded.
    ncols = max(len(r) for r in rows)
    rows = [r + ["x"] * (ncols - len(r)) for r in rows]
    out = tabwrite("".join("\t".join(r) + "\n" for r in rows), 6, 4, 3)
    widths = [max(6, max(len(r[c]) for r in rows) + 3) for c in range(ncols - 1)]
    expected = "".join(
        "".join(cell.ljust(w) for cell, w in zip(r, widths)) + r[-1] + "\n" for r in rows
    )
    assert out == expected
