"""-o custom-columns / custom-columns-file (kubectl pkg/cmd/get/customcolumn.go)."""
import pytest
from hypothesis import given, strategies as st

from simulator.api.errors import CLIError, KubeError
from simulator.kubectl.printers.custom_columns import (
    relaxed_jsonpath, render_custom_columns, render_custom_columns_file,
)

PODS = {"apiVersion": "v1", "kind": "List", "items": [
    {"metadata": {"name": "kubia-74967b5695-xk2p9", "labels": {"app": "kubia", "pod-template-hash": "74967b5695"}},
     "spec": {"containers": [{"name": "nodejs", "image": "luksa/kubia:v1"}, {"name": "side", "image": "redis"}]},
     "status": {"phase": "Running"}},
    {"metadata": {"name": "x"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
]}


@pytest.mark.parametrize("expr", ["metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"])
def test_relaxed_jsonpath(expr):
    assert relaxed_jsonpath(expr) == "{.metadata.name}"


def test_table_golden():
    # tabwriter 6/4/3: column width = longest cell + 3, last column unpadded
    out = render_custom_columns("NAME:.metadata.name,IMAGES:.spec.containers[*].image,PHASE:.status.phase", PODS)
    assert out == (
        "NAME                     IMAGES                 PHASE\n"
        "kubia-74967b5695-xk2p9   luksa/kubia:v1,redis   Running\n"
        "x                        nginx                  <none>\n")


def test_no_headers_and_maps_print_go_style():
    out = render_custom_columns("N:metadata.name,L:{.metadata.labels}", PODS, no_headers=True)
    assert out == ("kubia-74967b5695-xk2p9   map[app:kubia pod-template-hash:74967b5695]\n"
                   "x                        <none>\n")


def test_single_object():
    assert render_custom_columns("NAME:.metadata.name", PODS["items"][1]) == "NAME\nx\n"


def test_template_file_ignores_no_headers():
    text = "NAME          IMAGE\n.metadata.name   .spec.containers[0].image\n"
    assert render_custom_columns_file(text, PODS, no_headers=True) == (
        "NAME                     IMAGE\n"
        "kubia-74967b5695-xk2p9   luksa/kubia:v1\n"
        "x                        nginx\n")


@pytest.mark.parametrize("spec,msg", [
    ("", "error: custom-columns format specified but no custom columns given"),
    ("NAME", "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
    ("NAME:{a}{b}", "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
                    "'{name1.name2}' or '{.name1.name2}'"),
    ("NAME:.items[", "error: unterminated array"),
])
def test_spec_errors(spec, msg):
    with pytest.raises(CLIError) as e:
        render_custom_columns(spec, PODS)
    assert e.value.render() == msg


def test_template_errors():
    with pytest.raises(CLIError, match="missing spec line"):
        render_custom_columns_file("NAME\n", PODS)
    with pytest.raises(CLIError) as e:
        render_custom_columns_file("A B\n.x\n", PODS)
    assert e.value.render() == "error: number of headers (2) and field specifications (1) don't match"


@given(st.text(alphabet="AB:.,{}[]*a-0", max_size=20))
def test_never_raises_anything_but_kube_errors(spec):
    try:
        render_custom_columns(spec, PODS)
    except KubeError:
        pass
