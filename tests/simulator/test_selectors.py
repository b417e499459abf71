"""kubectl -l / --field-selector: apimachinery pkg/labels + pkg/fields, server conversions,
cli-runtime's `Unable to find` rewrite. Golden strings from upstream tests and user transcripts."""
import pytest
from hypothesis import given, strategies as st

from simulator.api.errors import BadRequest, KubeError
from simulator.kubectl.selectors import (
    SelectorSyntaxError, compile_selectors, parse_field_selector, parse_label_selector,
)

POD = {"metadata": {"name": "kubia-74967b5695-xk2p9", "namespace": "default",
                    "labels": {"app": "kubia", "pod-template-hash": "74967b5695", "env": "prod"}},
       "spec": {"nodeName": "node1", "restartPolicy": "Always"},
       "status": {"phase": "Running", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}]}}


@pytest.mark.parametrize("sel,expected", [
    ("app=kubia", True), ("app==kubia", True), ("app!=kubia", False), ("app!=other", True),
    ("env in (prod,qa)", True), ("env in (qa)", False), ("env notin (qa)", True), ("missing notin (x)", True),
    ("app", True), ("!app", False), ("!missing", True), ("app=kubia,env=prod", True),
    ("app=kubia,env=qa", False), ("", True), ("  app = kubia ", True), ("missing=", False),
    ("env in (in, notin, prod)", True),
])
def test_label_selector_matches(sel, expected):
    assert parse_label_selector(sel).matches(POD["metadata"]["labels"]) is expected


def test_label_selector_string_sorted_by_key():
    assert str(parse_label_selector("z=1,a in (c,b),!m")) == "a in (b,c),!m,z=1"


@pytest.mark.parametrize("sel,msg", [
    # upstream text: pkg/labels/selector.go Parser
    ("a in", "unable to parse requirement: found '' expected: '('"),
    ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("a=b,", "found '', expected: identifier after ','"),
    ("a=b c", "found 'c', expected: ',' or 'end of string'"),
    ("=a", "found '=', expected: !, identifier, or 'end of string'"),
    ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    # transcript: kubectl get pods -l "app:monolith"
    ("app:monolith", "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": name part must "
     "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
     "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
     "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
    ("a=b c d", "found 'c', expected: ',' or 'end of string'"),
    ("a=b@", "unable to parse requirement: values[0][a]: Invalid value: \"b@\": a valid label must be an empty "
     "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
     "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
     "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
])
def test_label_selector_errors(sel, msg):
    with pytest.raises(SelectorSyntaxError) as e:
        parse_label_selector(sel)
    assert str(e.value) == msg


def test_kubectl_wording_for_bad_label_selector():
    # transcript (kubectl get pods -l "app:monolith"), cli-runtime pkg/resource/selector.go
    with pytest.raises(BadRequest) as e:
        compile_selectors("Pod", "app:monolith")
    assert e.value.render().startswith(
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector '
        '"app:monolith", field selector "": unable to parse requirement: <nil>: Invalid value: "app:monolith": ')


def test_replicaset_status_replicas_rejected_like_the_server():
    # kubernetes/kubernetes#135136 (v1.34): no conversion func for ReplicaSet
    with pytest.raises(BadRequest) as e:
        compile_selectors("ReplicaSet", "", "status.replicas=0")
    assert e.value.render() == (
        'Error from server (BadRequest): Unable to find "apps/v1, Resource=replicasets" that match label '
        'selector "", field selector "status.replicas=0": "status.replicas" is not a known field selector: '
        'only "metadata.name", "metadata.namespace"')


def test_pod_field_label_not_supported():
    with pytest.raises(BadRequest) as e:
        compile_selectors("Pod", "", "status.foo=x")
    assert e.value.message.endswith(': field label not supported: status.foo')


def test_field_selector_matching():
    assert compile_selectors("Pod", "", "status.phase=Running")(POD)
    assert not compile_selectors("Pod", "", "status.phase!=Running")(POD)
    assert compile_selectors("Pod", "app=kubia", "metadata.name==kubia-74967b5695-xk2p9,spec.nodeName=node1")(POD)
    assert compile_selectors("Pod", "", "spec.host=node1")(POD)
    assert compile_selectors("Pod", "", "status.podIP=10.244.1.7,spec.hostNetwork=false")(POD)
    assert not compile_selectors("Pod", "app=other", "")(POD)
    ev = {"metadata": {"name": "e", "namespace": "default"}, "involvedObject": {"kind": "Deployment", "name": "kubia"},
          "reason": "ScalingReplicaSet", "type": "Normal", "source": {"component": "deployment-controller"}}
    assert compile_selectors("Event", "", "involvedObject.kind=Deployment,reason=ScalingReplicaSet,"
                                          "source=deployment-controller,type=Normal")(ev)
    assert compile_selectors("Deployment", "", "metadata.name=kubia")({"metadata": {"name": "kubia"}})


def test_field_selector_parse():
    terms = parse_field_selector("b=2,a!=1,,c==x\\,y")
    assert [(t.field, t.op, t.value) for t in terms] == [("a", "!=", "1"), ("b", "=", "2"), ("c", "=", "x,y")]
    with pytest.raises(SelectorSyntaxError, match=r"^invalid selector: 'abc'; can't understand 'abc'$"):
        parse_field_selector("abc")
    with pytest.raises(SelectorSyntaxError, match=r"^invalid field selector: invalid escape sequence: \\x$"):
        parse_field_selector("a=\\x")
    with pytest.raises(SelectorSyntaxError, match=r"^invalid field selector: unescaped character in value: 61$"):
        parse_field_selector("a==b=c")


@given(st.text(alphabet="ab=!(),<> in\\!x-./", max_size=20), st.text(alphabet="ab=!,\\.x ", max_size=15))
def test_never_raises_anything_but_kube_errors(label_sel, field_sel):
    try:
        pred = compile_selectors("Pod", label_sel, field_sel)
    except KubeError:
        return
    pred(POD)
