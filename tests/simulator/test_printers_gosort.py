"""printers/gosort.py, the port of Go's sort.Sort: sorts like sorted(), is deterministic, and
is not stable above 12 elements (the behaviour kubectl describe's Events show; the differential
suite checks the exact order against the real kubectl)."""
from hypothesis import given
from hypothesis import strategies as st

from simulator.kubectl.printers.gosort import go_sort


@given(st.lists(st.integers(min_value=0, max_value=30), max_size=400))
def test_sorts_and_is_deterministic(xs):
    a = go_sort(list(xs), lambda x, y: x < y)
    assert a == sorted(xs)
    assert go_sort(list(xs), lambda x, y: x < y) == a


def test_small_inputs_are_stable_insertion_sorted():
    items = [(1, "a"), (0, "b"), (1, "c"), (0, "d")]
    assert go_sort(items, lambda x, y: x[0] < y[0]) == [(0, "b"), (0, "d"), (1, "a"), (1, "c")]


def test_large_inputs_with_equal_keys_are_not_stable():
    items = [(i % 3, i) for i in range(60)]
    out = go_sort(list(items), lambda x, y: x[0] < y[0])
    assert [k for k, _ in out] == sorted(k for k, _ in items)
    assert out != sorted(items, key=lambda x: x[0])  # pdqsort moves equal elements
