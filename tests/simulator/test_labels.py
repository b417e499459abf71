"""simulator/labels.py against apimachinery pkg/labels/selector.go and metav1 helpers.go."""
from hypothesis import given, strategies as st

from simulator.labels import (
    format_label_selector, format_labels, map_selector_matches, selector_matches, selector_string,
)

RS_SELECTOR = {"matchLabels": {"pod-template-hash": "74967b5695", "app": "kubia"}}


def test_nil_selects_nothing_empty_selects_everything():
    # LabelSelectorAsSelector: nil -> labels.Nothing(), empty -> labels.Everything()
    assert selector_matches(None, {"app": "kubia"}) is False
    assert selector_matches({}, {"app": "kubia"}) is True
    assert selector_matches({}, None) is True
    assert selector_matches({"matchLabels": {}, "matchExpressions": []}, {}) is True


def test_match_labels():
    assert selector_matches(RS_SELECTOR, {"app": "kubia", "pod-template-hash": "74967b5695", "x": "y"})
    assert not selector_matches(RS_SELECTOR, {"app": "kubia"})
    assert not selector_matches(RS_SELECTOR, {"app": "kubia", "pod-template-hash": "other"})


def test_match_expressions():
    sel = {"matchExpressions": [
        {"key": "env", "operator": "In", "values": ["prod", "qa"]},
        {"key": "tier", "operator": "NotIn", "values": ["cache"]},
        {"key": "app", "operator": "Exists"},
        {"key": "legacy", "operator": "DoesNotExist"},
    ]}
    assert selector_matches(sel, {"env": "qa", "app": "x"})
    assert selector_matches(sel, {"env": "qa", "app": "x", "tier": "web"})
    assert not selector_matches(sel, {"env": "dev", "app": "x"})
    assert not selector_matches(sel, {"env": "qa", "app": "x", "tier": "cache"})
    assert not selector_matches(sel, {"env": "qa"})
    assert not selector_matches(sel, {"env": "qa", "app": "x", "legacy": ""})


def test_malformed_selector_matches_nothing():
    assert not selector_matches({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}, {"a": "b"})
    assert not selector_matches({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}, {"a": ""})
    assert format_label_selector({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}) == "<error>"


def test_format_label_selector_golden():
    # metav1.FormatLabelSelector: requirements sorted by key, `in (a,b)` with values sorted
    assert format_label_selector(RS_SELECTOR) == "app=kubia,pod-template-hash=74967b5695"
    assert format_label_selector({}) == "<none>"
    assert format_label_selector(None) == "<none>"
    sel = {"matchLabels": {"app": "nginx"}, "matchExpressions": [
        {"key": "env", "operator": "In", "values": ["qa", "prod"]},
        {"key": "tier", "operator": "NotIn", "values": ["cache"]},
        {"key": "b", "operator": "Exists"},
        {"key": "c", "operator": "DoesNotExist"},
    ]}
    assert format_label_selector(sel) == "app=nginx,b,!c,env in (prod,qa),tier notin (cache)"
    assert selector_string({}) == ""


def test_map_selector_service_semantics():
    assert map_selector_matches({"app": "kubia"}, {"app": "kubia", "pod-template-hash": "x"})
    assert not map_selector_matches({"app": "kubia", "version": "v2"}, {"app": "kubia"})
    assert not map_selector_matches({}, {"app": "kubia"})
    assert not map_selector_matches(None, {"app": "kubia"})
    assert map_selector_matches({}, {"app": "kubia"}, empty_selects_all=True)


def test_format_labels():
    assert format_labels({"pod-template-hash": "74967b5695", "app": "kubia"}) == "app=kubia,pod-template-hash=74967b5695"
    assert format_labels({}) == "<none>"
    assert format_labels(None) == "<none>"


label_maps = st.dictionaries(st.sampled_from(["a", "b", "c", "app"]), st.sampled_from(["", "x", "y"]), max_size=4)


@given(label_maps, label_maps)
def test_match_labels_equals_map_selector(sel, labels):
    # a matchLabels-only selector and the equivalent map selector agree (when non-empty)
    if sel:
        assert selector_matches({"matchLabels": sel}, labels) == map_selector_matches(sel, labels)


@given(st.recursive(st.none() | st.text(max_size=3) | st.integers(),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                    max_leaves=8), label_maps)
def test_never_raises_on_garbage(sel, labels):
    selector_matches(sel, labels)
    format_label_selector(sel)
    map_selector_matches(sel, labels)
