"""Output formats: Go templates (cli-runtime pkg/printers/template.go GoTemplatePrinter with
`exists`/`base64decode`, pkg/genericclioptions/template_flags.go ToPrinter: `template format
specified but no template given`, `error reading --template`, `error parsing template`; print_flags.go:
`--template` alone means go-template; Go's text/template semantics, src/text/template/exec.go and
funcs.go), `rollout history -o …` printing the ReplicaSets (kubectl pkg/cmd/rollout/rollout_history.go,
pkg/polymorphichelpers/history.go DeploymentHistoryViewer.GetHistory), and the YAML printer's
`---` between objects (cli-runtime pkg/printers/yaml.go)."""
from __future__ import annotations

import json

import pytest

from simulator import Cluster
from simulator.kubectl import gotemplate
from simulator.kubectl.gotemplate import TemplateError, execute

DATA = {"kind": "List", "items": [
    {"metadata": {"name": "a", "labels": {"app": "x"}}, "spec": {"replicas": 3}, "status": {"phase": "Running"}},
    {"metadata": {"name": "b"}, "spec": {"replicas": 1}, "status": {"phase": "Pending"}}],
    "data": {"k": "aGVsbG8="}}


@pytest.mark.parametrize("template,out", [
    ('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}', "a\nb\n"),
    ("{{range $i, $p := .items}}{{$i}}:{{$p.metadata.name}} {{end}}", "0:a 1:b "),
    ('{{range .items}}{{if eq .status.phase "Running"}}up{{else if eq .status.phase "Pending"}}wait{{end}};{{end}}',
     "up;wait;"),
    ("{{len .items}} {{index .items 0 \"metadata\" \"name\"}} {{(index .items 1).metadata.name}}", "2 a b"),
    ("{{- range .items -}}\n  {{ .metadata.name }}\n{{- end }}", "ab"),
    ("{{/* a comment */}}x{{- /* trimmed */ -}} y", "xy"),
    ("{{.data.k | base64decode}} {{exists .items 0 \"metadata\"}} {{exists . \"nope\"}}", "hello true false"),
    ('{{printf "%s-%d-%5s|%-4s|%q" "a" 3 "b" "c" "d"}}', 'a-3-    b|c   |"d"'),
    ("{{.nope}} {{.items | len}}", "<no value> 2"),
    ("{{with .items}}{{len .}}{{end}} {{with .nope}}x{{else}}none{{end}}", "2 none"),
    ("{{range .items}}{{if gt .spec.replicas 2}}{{.metadata.name}}{{end}}{{end}}", "a"),
    ("{{$x := 1}}{{range .items}}{{$x = 2}}{{end}}{{$x}}", "2"),
    ("{{range .items}}{{.metadata.labels}}{{end}}", "map[app:x]<no value>"),
    ('{{print 1 2 "a" "b" 3}} {{println "x" 1}}', "1 2ab3 x 1\n"),
    ("{{range .items}}{{.metadata.name}}{{break}}{{end}}", "a"),
    ('{{if and .items (not .nope)}}yes{{end}} {{or .nope "default"}}', "yes default"),
    ("{{range .items}}{{else}}empty{{end}}{{range .nope}}{{else}}none{{end}}", "none"),
])
def test_text_template_semantics(template, out):
    assert execute(template, DATA) == out


@pytest.mark.parametrize("template,message", [
    ("{{foo}}", 'template: output:1: function "foo" not defined'),
    ("{{if .x}}", "template: output:1: unexpected EOF"),
    ("{{end}}", "template: output:1: unexpected {{end}}"),
    ("{{.a", "template: output:1: unclosed action"),
    ("{{$y}}", 'template: output:1: undefined variable "$y"'),
    ("{{.nope.deeper}}", 'template: output:1:2: executing "output" at <.nope.deeper>: nil pointer evaluating '
                         "interface {}.deeper"),
    ("{{index .items 5}}", 'template: output:1:2: executing "output" at <index .items 5>: error calling index: '
                           "index out of range: 5"),
    ("{{range .kind}}{{end}}", 'template: output:1:8: executing "output" at <.kind>: range can\'t iterate over List'),
])
def test_template_errors(template, message):
    with pytest.raises(TemplateError) as e:
        execute(template, DATA)
    assert str(e.value) == message


def test_missing_key_error_mode():
    with pytest.raises(TemplateError) as e:
        execute("{{.nope}}", DATA, missing_key_error=True)
    assert str(e.value).endswith('map has no entry for key "nope"')


def test_cost_is_bounded():
    # a range over a huge number, output growing without end, deep nesting: each stops with an error
    with pytest.raises(TemplateError, match="steps"):
        execute("{{range 100000000}}{{end}}", {})
    with pytest.raises(TemplateError, match="characters of output"):
        execute("{{range $.a}}{{range $.a}}{{range $.a}}" + "x" * 100 + "{{end}}{{end}}{{end}}", {"a": list(range(100))})
    with pytest.raises(TemplateError, match="nesting|longer"):
        execute("{{if 1}}" * 200 + "{{end}}" * 200, {})
    with pytest.raises(TemplateError, match="longer than"):
        gotemplate.parse("x" * (gotemplate.MAX_TEMPLATE + 1))


# ------------------------------------------------------------------ through kubectl
@pytest.fixture
def web():
    c = Cluster(seed=0)
    assert c.run("kubectl create deployment web --image=nginx:1.25 --replicas=2").exit_code == 0
    c.advance(30)
    return c


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


def test_get_go_template_forms(web):
    r = _run(web, """kubectl get deploy -o go-template='{{range .items}}{{.metadata.name}} {{.spec.replicas}}{{"\\n"}}{{end}}'""")
    assert r.stdout == "web 2\n"
    assert _run(web, "kubectl get deploy web -o template --template='{{.metadata.name}}'").stdout == "web"
    assert _run(web, "kubectl get deploy web --template='{{.metadata.name}}'").stdout == "web"
    assert _run(web, "kubectl get deploy web -o go-template={{.kind}}").stdout == "Deployment"
    web.files["t.tmpl"] = "{{.metadata.name}}/{{.spec.replicas}}\n"
    assert _run(web, "kubectl get deploy web -o go-template-file=t.tmpl").stdout == "web/2\n"
    assert _run(web, "kubectl get deploy web -o templatefile --template=t.tmpl").stdout == "web/2\n"


def test_get_go_template_errors(web):
    r = _run(web, "kubectl get deploy web -o go-template", 1)
    assert r.stderr == "error: template format specified but no template given\n"
    r = _run(web, "kubectl get deploy web -o go-template='{{.x'", 1)
    assert r.stderr == "error: error parsing template {{.x, template: output:1: unclosed action\n"
    r = _run(web, "kubectl get deploy web -o go-template-file=nope.tmpl", 1)
    assert r.stderr == "error: error reading --template nope.tmpl, open nope.tmpl: no such file or directory\n"
    r = _run(web, "kubectl get deploy web -o go-template='{{.x.y}}'", 1)
    assert r.stdout.startswith('Error executing template: template: output:1:2: executing "output" at <.x.y>: '
                               "nil pointer evaluating interface {}.y. Printing more information for debugging "
                               "the template:\n\ttemplate was:\n\t\t{{.x.y}}\n\traw data was:\n\t\t{")
    assert r.stderr == ('error: error executing template "{{.x.y}}": template: output:1:2: executing "output" at '
                        "<.x.y>: nil pointer evaluating interface {}.y\n")
    r = _run(web, "kubectl get deploy web -o go-template='{{.x}}' --allow-missing-template-keys=false", 1)
    assert r.stderr.endswith('executing "output" at <.x>: map has no entry for key "x"\n')


def test_mutating_verbs_print_through_the_template(web):
    assert _run(web, "kubectl label deploy web a=b -o go-template={{.metadata.labels.a}}").stdout == "b"
    assert _run(web, "kubectl scale deploy web --replicas=3 -o go-template={{.spec.replicas}}").stdout == "3"
    assert _run(web, "kubectl scale deploy web --replicas=2 -o name").stdout == "deployment.apps/web\n"
    # a template that does not parse stops the command before it changes anything
    r = _run(web, "kubectl scale deploy web --replicas=5 -o go-template='{{.x'", 1)
    assert r.stderr.startswith("error: error parsing template")
    assert json.loads(_run(web, "kubectl get deploy web -o json").stdout)["spec"]["replicas"] == 2


def test_rollout_history_prints_the_replicasets(web):
    _run(web, "kubectl set image deploy/web nginx=nginx:1.26")
    web.advance(20)
    r = _run(web, "kubectl rollout history deploy web --revision=2 -o name")
    assert r.stdout.startswith("replicaset.apps/web-") and r.stdout.count("\n") == 1
    assert len(_run(web, "kubectl rollout history deploy web -o name").stdout.splitlines()) == 2
    r = _run(web, "kubectl rollout history deploy web --revision=1 -o jsonpath={.spec.template.spec.containers[0].image}")
    assert r.stdout == "nginx:1.25"
    rs = json.loads(_run(web, "kubectl rollout history deploy/web --revision=2 -o json").stdout)
    assert (rs["kind"], rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]) == ("ReplicaSet", "2")
    r = _run(web, "kubectl rollout history deploy web --revision=9 -o yaml", 1)
    assert r.stderr == "error: unable to find the specified revision\n"


def test_local_prints_every_object_with_yaml_separators():
    c = Cluster(seed=0)
    c.files["two.yaml"] = """apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  selector: {app: a}
  ports: [{port: 80}]
"""
    assert _run(c, "kubectl label --local -f two.yaml a=b -o name").stdout == "deployment.apps/a\nservice/s\n"
    out = _run(c, "kubectl annotate --local -f two.yaml x=y -o yaml").stdout
    assert out.count("---\n") == 1 and out.index("kind: Deployment") < out.index("---\n") < out.index("kind: Service")
    assert _run(c, "kubectl create -f two.yaml --dry-run=client -o yaml").stdout.count("---\n") == 1


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(["{{", "}}", "{{-", "-}}", " ", ".", ".items", "$", "$x", ":=", "=", "|", "(", ")",
                           "range", "if", "else", "end", "with", "len", "index", "printf", '"%d"', "1", "-2",
                           "nil", "true", "`raw`", '"s"', "eq", "not", "and", "break", "/*", "*/", "x", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_any_template_text_is_an_answer_or_a_template_error(pieces):
    text = "".join(pieces)
    try:
        out = execute(text, DATA)
    except TemplateError:
        return
    assert isinstance(out, str)


def test_deep_parentheses_are_an_error_not_a_crash():
    with pytest.raises(TemplateError):
        execute("{{" + "(" * 3000 + "1" + ")" * 3000 + "}}", {})


def test_jsonpath_and_custom_columns_from_files_and_template_flag(web):
    # cli-runtime jsonpath_flags.go / customcolumn_flags.go: --template, jsonpath-file, custom-columns-file
    web.files["p.txt"] = "{.metadata.name}\n"
    web.files["cc.txt"] = "NAME   IMAGE\n.metadata.name   .spec.template.spec.containers[0].image\n"
    assert _run(web, "kubectl get deploy web -o jsonpath --template={.metadata.name}").stdout == "web"
    assert _run(web, "kubectl get deploy web -o jsonpath-file=p.txt").stdout == "web\n"
    assert _run(web, "kubectl get deploy -o custom-columns-file=cc.txt").stdout == "NAME   IMAGE\nweb    nginx:1.25\n"
    assert _run(web, "kubectl get deploy web -o jsonpath-file=nope", 1).stderr == \
        "error: error reading --template nope, open nope: no such file or directory\n"
