"""client-go util/jsonpath semantics as kubectl -o jsonpath uses them (examples from the kubectl
JSONPath reference page, kubernetes/website content/en/docs/reference/kubectl/jsonpath.md)."""
import pytest
from hypothesis import given, strategies as st

from simulator.api.errors import CLIError, KubeError
from simulator.kubectl.jsonpath import render_jsonpath

# the data object of the website's JSONPath page
DOC = {
    "kind": "List",
    "items": [
        {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
         "status": {"capacity": {"cpu": "4"},
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
        {"kind": "None", "metadata": {"name": "127.0.0.2"},
         "status": {"capacity": {"cpu": "8"},
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                  {"type": "another", "address": "127.0.0.3"}]}},
    ],
    "users": [{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}],
}


@pytest.mark.parametrize("template,expected", [
    ("{.kind}", "List"),
    ("{['kind']}", "List"),
    ("{.items[0].metadata.name}", "127.0.0.1"),
    ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
    ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
    ("{.items[-1:].metadata.name}", "127.0.0.2"),
    ("{.items[0:1].metadata.name}", "127.0.0.1"),
    ("{.items[*].status.addresses[?(@.type==\"LegacyHostIP\")].address}", "127.0.0.1 127.0.0.2"),
    ("{.users[?(@.name==\"e2e\")].user.password}", "secret"),
    ("{.items[0].metadata.labels.kubernetes\\.io/hostname}", "127.0.0.1"),
    ("{.items[0].metadata.labels['kubernetes.io/hostname']}", "127.0.0.1"),
    ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
     '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '),
    ('{range .items[*]}{.metadata.name}{"\\t"}{.status.capacity.cpu}{"\\n"}{end}', "127.0.0.1\t4\n127.0.0.2\t8\n"),
    ("{.users[0]}", '{"name":"myself","user":{}}'),
    ("{.items[0,1].metadata.name}", "127.0.0.1 127.0.0.2"),
    ("name={.kind} and {.missing}.", "name=List and ."),
    ("{.users[?(@.user.password)].name}", "e2e"),
    ("plain text", "plain text"),
    ("{.items[0].status.addresses[*]}",
     '{"address":"127.0.0.1","type":"LegacyHostIP"}'),
])
def test_jsonpath_examples(template, expected):
    assert render_jsonpath(template, DOC) == expected


def test_scalars_print_like_go():
    assert render_jsonpath("{.a} {.b} {.c} {.d}", {"a": 3, "b": True, "c": None, "d": 0.5}) == "3 true <nil> 0.5"


@pytest.mark.parametrize("template,msg", [
    # cli-runtime jsonpath_flags.go: "error parsing jsonpath %s, %v\n"
    ("{.items", "error: error parsing jsonpath {.items, unclosed action"),
    ("{end}", "error: error parsing jsonpath {end}, not in range, nothing to end"),
    ("{!}", "error: error parsing jsonpath {!}, unrecognized character in action: U+0021 '!'"),
    ("{.items[x]}", "error: error parsing jsonpath {.items[x]}, invalid array index x"),
    ("{.items[0}", "error: error parsing jsonpath {.items[0}, unterminated array"),
    ('{"abc}', "error: error parsing jsonpath {\"abc}, unterminated quoted string"),
    ("{foo}", "error: error parsing jsonpath {foo}, unrecognized identifier foo"),
])
def test_parse_errors(template, msg):
    with pytest.raises(CLIError) as e:
        render_jsonpath(template, DOC)
    assert e.value.render() == msg


def test_execution_error_text():
    # printers/jsonpath.go PrintObj; object dumped with %#v
    with pytest.raises(CLIError) as e:
        render_jsonpath("{.a[3]}", {"a": [1, "x"]})
    assert e.value.render() == (
        'error: error executing jsonpath "{.a[3]}": Error executing template: array index out of bounds: '
        "index 3, length 2. Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.a[3]}\n"
        '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"a":[]interface {}{1, "x"}}\n\n')
    with pytest.raises(CLIError) as e:
        render_jsonpath("{.x}", {"a": None}, allow_missing_keys=False)
    assert "Error executing template: x is not found." in e.value.render()
    assert 'map[string]interface {}{"a":interface {}(nil)}' in e.value.render()


values = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text("ab", max_size=2),
                      lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "items"]), c, max_size=3),
                      max_leaves=8)


@given(st.text(alphabet='{}[]().*@?=!"\'\\ab:-,0123 rangeend', max_size=25), values)
def test_never_raises_anything_but_kube_errors(template, data):
    try:
        render_jsonpath(template, data)
    except KubeError:
        pass
