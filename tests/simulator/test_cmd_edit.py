"""`kubectl edit` with a scripted editor, through Cluster.run.

Texts are from kubectl pkg/cmd/util/editor/editoptions.go (header, "Edit cancelled, no changes
made.", "Edit cancelled, saved file was empty.", addError's `error: %s %q is invalid`,
preservedFile's `A copy of your changes has been stored to %q`, "Edit cancelled, no valid changes
were saved.", "At least one of apiVersion, kind and name was changed") and editor.go (`there was
a problem with the editor %q`). sed's messages are GNU sed 4.9's; the emulation is checked
against the real sed binary when one is installed.
"""
from __future__ import annotations

import json
import pathlib
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cluster
from simulator.api.errors import KubeError
from simulator.kubectl.commands.edit import HEADER, SedError, edit_document, apply_edit, parse_editor

from .cmd_helpers import cluster_state

KUBIA = (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests" / "kubia-deployment-v1.yaml").read_text()
SED = shutil.which("sed")


@pytest.fixture
def kubia():
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    assert c.run("kubectl create -f kubia.yaml").exit_code == 0
    c.advance(30)
    return c


def _image(c):
    return json.loads(c.run("kubectl get deploy kubia -o json").stdout)["spec"]["template"]["spec"]["containers"][0]["image"]


def test_header_is_kubectls():
    assert HEADER == ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
                      "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
                      "# reopened with the relevant failures.\n#\n")


def test_plain_v1_to_v2_also_rewrites_apiversion(kubia):
    # sed replaces the first `v1` of every line: `apiVersion: apps/v1` becomes apps/v2, which the
    # server does not serve; kubectl reopens the file with the mapping error, the second sed pass
    # changes nothing, and the edit is cancelled (as on a real cluster)
    before = cluster_state(kubia)
    r = kubia.run("kubectl edit deploy kubia", env={"KUBE_EDITOR": "sed -i 's/v1/v2/'"})
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.splitlines()[-1] == "error: Edit cancelled, no valid changes were saved."
    after = cluster_state(kubia)
    before["engine"].pop("rng", None), after["engine"].pop("rng", None)
    assert after == before


def test_image_change_with_sed(kubia):
    r = kubia.run("kubectl edit deploy kubia", env={"KUBE_EDITOR": "sed -i 's/kubia:v1/kubia:v2/'"})
    assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/kubia edited\n", "", 0)
    assert _image(kubia) == "luksa/kubia:v2"
    # a template change is a rollout: a second ReplicaSet appears
    kubia.advance(2)
    rs = json.loads(kubia.run("kubectl get rs -o json").stdout)["items"]
    assert len(rs) == 2


def test_unchanged_and_empty(kubia):
    r = kubia.run("kubectl edit deploy kubia", env={"KUBE_EDITOR": "sed -i 's/nothing-here/x/'"})
    assert (r.stdout, r.stderr, r.exit_code) == ("", "Edit cancelled, no changes made.\n", 0)
    r = kubia.run("kubectl edit deploy kubia", env={"EDITOR": "sed -i -n '/nothing-here/p'"})
    assert (r.stdout, r.stderr, r.exit_code) == ("", "Edit cancelled, saved file was empty.\n", 0)
    # only comments changed: StripComments makes them equal
    r = kubia.run("kubectl edit deploy kubia", env={"EDITOR": "sed -i 's/^# Please/# Kindly/'"})
    assert r.stderr == "Edit cancelled, no changes made.\n"


def test_invalid_edit_reopens_then_gives_up(kubia):
    before = cluster_state(kubia)
    r = kubia.run("kubectl edit deploy kubia", env={"KUBE_EDITOR": "sed -i 's/replicas: 3/replicas: -3/'"})
    lines = r.stderr.splitlines()
    assert lines[0] == 'error: deployments.apps "kubia" is invalid'
    assert lines[1].startswith('A copy of your changes has been stored to "/tmp/kubectl-edit-')
    assert lines[1].endswith('.yaml"')
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    assert r.exit_code == 1 and r.stdout == ""
    after = cluster_state(kubia)
    before["engine"].pop("rng", None), after["engine"].pop("rng", None)  # the temp file names
    assert after == before


def test_unknown_field_is_strict_in_edit(kubia):
    r = kubia.run("kubectl edit deploy kubia",
                  env={"KUBE_EDITOR": "sed -i 's/progressDeadlineSeconds/progressDeadline/'"})
    assert r.stderr.splitlines()[0] == 'error: deployments.apps "kubia" is invalid'
    assert r.exit_code == 1


def test_preconditions_and_editor_failures(kubia):
    r = kubia.run("kubectl edit deploy kubia", env={"EDITOR": "sed -i 's/^kind: Deployment/kind: ReplicaSet/'"})
    assert r.stderr.splitlines()[-1] == "error: At least one of apiVersion, kind and name was changed"
    r = kubia.run("kubectl edit deploy kubia", env={"EDITOR": "sed -i 's/a'"})
    assert r.stderr == ("sed: -e expression #1, char 3: unterminated `s' command\n"
                        "error: there was a problem with the editor \"/bin/bash -c sed -i 's/a'\"\n")
    r = kubia.run("kubectl edit deploy kubia")
    assert r.exit_code == 1 and "editor panel" in r.stderr
    r = kubia.run("kubectl edit deploy nope", env={"EDITOR": "sed -i 's/a/b/'"})
    assert r.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_several_expressions_and_delimiters(kubia):
    r = kubia.run("kubectl edit deployment/kubia --output-patch",
                  env={"KUBE_EDITOR": "sed -i -e 's|luksa/kubia:v1|luksa/kubia:v3|' -e 's/replicas: 3/replicas: 4/g'"})
    # `replicas: 3` also matches status.replicas; the patch carries it and the server ignores it
    assert r.stdout.splitlines()[0] == ('Patch: {"spec":{"replicas":4,"template":{"spec":{"$setElementOrder/containers":'
                                        '[{"name":"nodejs"}],"containers":[{"image":"luksa/kubia:v3","name":"nodejs"}]}}},'
                                        '"status":{"replicas":4}}')
    assert r.stdout.splitlines()[1] == "deployment.apps/kubia edited"
    assert _image(kubia) == "luksa/kubia:v3"


def test_edit_document_and_apply_edit(kubia):
    text = edit_document(kubia._eng, ["deploy", "kubia"], "default")
    assert text.startswith(HEADER + "apiVersion: apps/v1\nkind: Deployment\n")
    ctx = _ctx(kubia)
    assert apply_edit(ctx, text, text.replace("luksa/kubia:v1", "luksa/kubia:v2")) is None
    assert ctx.proc.stdout == "deployment.apps/kubia edited\n" and ctx.exit_code == 0
    # an invalid save: the text to reopen carries the reasons in its header
    text = edit_document(kubia._eng, ["deploy", "kubia"], "default")
    ctx = _ctx(kubia)
    reopen = apply_edit(ctx, text, text.replace("replicas: 3", "replicas: -3"))
    assert ctx.exit_code == 1 and ctx.proc.stderr == 'error: deployments.apps "kubia" is invalid\n'
    assert '# deployments.apps "kubia" was not valid:\n# * spec.replicas: Invalid value: -1' not in reopen
    assert '# deployments.apps "kubia" was not valid:\n# * spec.replicas: Invalid value: -3: must be greater ' \
           'than or equal to 0\n#\n' in reopen
    assert "replicas: -3" in reopen


def _ctx(c):
    from simulator.kubectl.runtime import Context, Process

    return Context(c, Process("edit"), {})


# ----------------------------------------------------------------------------- sed emulation
SED_CASES = ["s/a/b/", "s/a/b/g", "s|a|b|", "s/a/b/2", "s/a/b/2g", "s/\\(a\\)\\(b\\)/\\2\\1/g",
             "s/a*/X/g", "s/[[:digit:]]\\+/N/g", "s/^ */>/", "s/$/;/", "/image/s/v1/v2/", "2,3d",
             "s/a\\|b/_/g", "s/x\\{2\\}/Y/", "s/./&&/3", "/^k/d", "s/[^a-z]//g", "$d", "s/A/b/Ig",
             "s#/#|#g", "1d;s/e/E/"]
TEXT = "apiVersion: apps/v1\nkind: Deployment\n  image: luksa/kubia:v1\nabba xx aab 12 *a\n"


@pytest.mark.skipif(SED is None, reason="no sed binary to compare with")
@pytest.mark.parametrize("script", SED_CASES)
def test_sed_matches_gnu_sed(script, tmp_path):
    f = tmp_path / "f.yaml"
    f.write_text(TEXT)
    subprocess.run([SED, "-i", script, str(f)], check=True)
    sed, _ = parse_editor(f"sed -i '{script}'")
    assert sed.run(TEXT)[0] == f.read_text()


@pytest.mark.parametrize("script, message", [
    ("s/a", "sed: -e expression #1, char 3: unterminated `s' command"),
    ("s/a/b", "sed: -e expression #1, char 5: unterminated `s' command"),
    ("s/a/b/x", "sed: -e expression #1, char 7: unknown option to `s'"),
    ("s/a/b/gg", "sed: -e expression #1, char 8: multiple `g' options to `s' command"),
    ("s/\\(a/b/", "sed: -e expression #1, char 8: Unmatched ( or \\("),
    ("s/a/\\1/", "sed: -e expression #1, char 7: invalid reference \\1 on `s' command's RHS"),
    ("s/a/b/;s/c", "sed: -e expression #1, char 10: unterminated `s' command"),
    ("k/a/b/", "sed: -e expression #1, char 1: unknown command: `k'"),
    ("3", "sed: -e expression #1, char 1: missing command"),
    ("/x", "sed: -e expression #1, char 2: unterminated address regex"),
    ("s/x/y/w", "sed: -e expression #1, char 7: missing filename in r/R/w/W commands"),
])
def test_sed_error_messages(script, message):
    with pytest.raises(SedError) as e:
        parse_editor(f"sed -i '{script}'")[0]
    assert str(e.value) == message


# ----------------------------------------------------------------------------- properties
_scripts = st.one_of(
    st.text(alphabet="s/\\|.*^$[]()ab1&g;:-e 'd", max_size=16),
    st.builds(lambda a, b, f: f"s/{a}/{b}/{f}", st.text(alphabet="ab:v1 .*[]\\", max_size=6),
              st.text(alphabet="ab:v2 &\\-", max_size=6), st.sampled_from(["", "g", "2", "p", "I"])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=_scripts)
def test_random_sed_editors_never_crash_and_failures_change_nothing(kubia, script):
    before = cluster_state(kubia)
    editor = "sed -i " + "'" + script.replace("'", "") + "'"
    r = kubia.run("kubectl edit deploy kubia", env={"KUBE_EDITOR": editor})
    assert "internal error" not in r.stderr
    if r.exit_code != 0:
        after = cluster_state(kubia)
        before["engine"].pop("rng", None), after["engine"].pop("rng", None)
        assert after == before
    else:
        assert r.stderr == "" or r.stderr.startswith("Edit cancelled") or "Warning" in r.stderr or \
            r.stdout.endswith("edited\n")


@settings(max_examples=40, deadline=None)
@given(script=_scripts)
def test_sed_parser_only_raises_sed_errors(script):
    try:
        sed, _ = parse_editor("sed -i '" + script.replace("'", "") + "'")
        sed.run(TEXT)
    except (SedError, KubeError):
        pass
