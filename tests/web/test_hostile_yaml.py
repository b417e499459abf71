"""Oversized and malformed YAML through the editor panel (file_save over the console WebSocket) and
then `kubectl apply -f` in the console: the learner gets kubectl's own error (or the panel's limit
message), never an internal error, and nothing already in the sandbox is lost.

The error texts are the simulator's renderings of kubectl's (sigs.k8s.io/yaml "error converting YAML
to JSON", apimachinery's "unable to decode", kubectl apply's "no objects passed to apply"); the alias
and nesting caps are Rollout Lab's own refusals of YAML bombs.
"""

from __future__ import annotations

import logging
import re

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import SAMPLE_DEPLOYMENT
from tests.web.test_console import new_session, open_console
from tests.web.test_editor_ws import status
from tests.web.test_hostile_ws import run_probe
from tutorial.sandbox.realtime import consumer as consumers
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import restore_cluster

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def alias_bomb(levels: int = 9) -> str:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "x0: &x0 [a,a,a,a,a,a,a,a,a,a]"]
    lines += [f"x{i}: &x{i} [" + ",".join([f"*x{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


MALFORMED = [
    ("tabs.yaml", "kind: Deployment\n\tmetadata: x\n", r"error: error parsing tabs\.yaml: error converting YAML to JSON: yaml: line 2"),
    ("unclosed.yaml", "kind: [Deployment\n", r"error: error parsing unclosed\.yaml: error converting YAML to JSON"),
    ("list.yaml", "- 1\n- 2\n", r'error: unable to decode "list\.yaml"'),
    ("scalar.yaml", "hello\n", r'error: unable to decode "scalar\.yaml"'),
    ("nul.yaml", "kind: \x00Deployment\n", r"control characters are not allowed"),
    ("empty.yaml", "", r"error: no objects passed to apply"),
    ("python-tag.yaml", "!!python/object/apply:os.system ['echo pwned']\n", r'error: unable to decode "python-tag\.yaml"'),
    ("bomb.yaml", alias_bomb(), r"aliases that expand to more than \d+ values"),
    ("deep.yaml", "a: " + "[" * 3000 + "]" * 3000 + "\n", r"nests deeper than \d+ levels"),
    ("bigint.yaml", SAMPLE_DEPLOYMENT.replace("replicas: 3", "replicas: 99999999999999999999999999"),
     r"Error from server \(BadRequest\)"),
    ("noname.yaml", SAMPLE_DEPLOYMENT.replace("  name: kubia\nspec", "  labels: {app: kubia}\nspec"),
     r"name may not be empty|name or generateName is required"),
    ("nullmeta.yaml", SAMPLE_DEPLOYMENT.replace("  name: kubia\nspec", "spec"),
     r"name may not be empty|name or generateName is required"),
]

PLAIN_MALFORMED = [case for case in MALFORMED if not hasattr(case, "marks")]


@pytest_asyncio.fixture
async def editor(lesson_root, monkeypatch):
    monkeypatch.setattr(consumers, "COMMANDS_PER_SECOND", 100000.0)  # the fuzz below sends fast
    con, connected, _ = await open_console(await new_session("yaml-learner"), lang="en")
    assert connected
    await con.send({"pause": True})
    await con.drain(0.3)
    await run_probe(con, "kubectl create -f kubia-deployment.yaml", r"deployment\.apps/kubia created")
    yield con
    await con.communicator.disconnect()


@database_sync_to_async
def saved_cluster():
    return restore_cluster(Sandbox.objects.get().snapshot)


def assert_nothing_lost(cluster) -> None:
    assert cluster.files["kubia-deployment.yaml"] == SAMPLE_DEPLOYMENT
    deployment = cluster.get("Deployment", "default", "kubia")
    assert deployment is not None and deployment["spec"]["replicas"] == 3


def no_internal_error(con) -> None:
    # The site's "Internal error" and the simulator's "internal error in the simulator".
    assert not re.search("internal error", "".join(con.received), re.I)


@pytest.mark.parametrize("name,text,expected", MALFORMED)
async def test_malformed_yaml_saved_then_applied_gives_kubectls_error(editor, name, text, expected):
    await editor.send({"file_save": name, "text": text})
    await editor.drain(0.2)
    assert status(editor) == f"Saved {name}."
    output = await run_probe(editor, f"kubectl apply -f {name}", expected, timeout=3)
    assert not re.search("internal error", output, re.I)
    output = await run_probe(editor, "kubectl get deployments", r"kubia\s+\d/3")
    no_internal_error(editor)
    assert_nothing_lost(await saved_cluster())
    assert name in (await saved_cluster()).files  # the learner's file is kept to fix it


async def test_oversized_files_are_refused_by_the_panel_and_nothing_is_lost(editor):
    # Just over the simulator's 256 KB cap: the panel says so in the learner's language.
    await editor.send({"file_save": "big.yaml", "text": "#" * (256 * 1024 + 1)})
    await editor.drain(0.3)
    assert status(editor) == "big.yaml is too large: files are limited to 256 KB."
    # Far over: refused before the JSON is even parsed (the socket's own message cap).
    await editor.send({"file_save": "bigger.yaml", "text": "#" * (2 * 1024 * 1024)})
    await editor.wait_for(re.escape("Message too large: the limit is 8 KB."))
    # Overwriting the lesson's manifest with an oversized text leaves the old one in place.
    await editor.send({"file_save": "kubia-deployment.yaml", "text": "x" * (300 * 1024)})
    await editor.drain(0.3)
    assert "too large" in status(editor)
    await run_probe(editor, "kubectl apply -f big.yaml", r"error: the path \"big\.yaml\" does not exist")
    await run_probe(editor, "cat kubia-deployment.yaml", r"luksa/kubia:v1")
    no_internal_error(editor)
    cluster = await saved_cluster()
    assert_nothing_lost(cluster)
    assert "big.yaml" not in cluster.files and "bigger.yaml" not in cluster.files


async def test_a_large_but_allowed_manifest_applies_or_is_refused_by_kubectls_rules(editor):
    """A ConfigMap-sized payload just under the file cap: apply answers (created, or the API's own
    size error), the console stays responsive and the snapshot still saves."""
    big = SAMPLE_DEPLOYMENT.replace("name: kubia\nspec", "name: big\n  annotations:\n    note: '"
                                    + "n" * (200 * 1024) + "'\nspec", 1)
    await editor.send({"file_save": "big.yaml", "text": big})
    await editor.drain(0.3)
    assert status(editor) == "Saved big.yaml."
    output = await run_probe(editor, "kubectl apply -f big.yaml",
                             r"deployment\.apps/big created|Too long|metadata\.annotations")
    assert not re.search("internal error", output, re.I)
    await run_probe(editor, "kubectl get deployments", r"kubia\s+\d/3")
    assert_nothing_lost(await saved_cluster())


YAML_TOKENS = st.sampled_from([
    "apiVersion: apps/v1\n", "kind: Deployment\n", "kind: Service\n", "metadata:\n", "  name: fuzz\n", "spec:\n",
    "  replicas: ", "  selector:\n", "    matchLabels:\n", "      app: x\n", "  template:\n", "- ", "---\n", "...\n",
    "&a ", "*a ", "<<: ", "!!binary ", "!!str ", "? ", ": ", "{", "}", "[", "]", ",", "'", '"', "|\n", ">\n",
    "#", "\t", "  ", "\n", "null", "~", "1e309", "-1", "0x1F", "0o17", ".inf", ".nan", "yes", "2024-02-30",
    "%YAML 1.2\n", "%TAG ! tag:x:\n", "\ufeff", "한", "\x85", "\u2028",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(YAML_TOKENS | st.text(max_size=5), max_size=40), verb=st.sampled_from(["apply", "create", "replace"]))
async def test_fuzzed_yaml_never_breaks_the_console(editor, caplog, tokens, verb):
    caplog.clear()
    caplog.set_level(logging.ERROR)
    await editor.send({"file_save": "fuzz.yaml", "text": "".join(tokens)})
    await editor.send({"command": f"kubectl {verb} -f fuzz.yaml"})
    await editor.drain(0.05)
    await run_probe(editor, "kubectl get deployment kubia -o name", r"deployment\.apps/kubia\n")
    assert [r.getMessage()[:300] for r in caplog.records if r.name.startswith(("tutorial", "simulator"))] == []
    no_internal_error(editor)
    await editor.send({"command": "kubectl delete deployment fuzz --ignore-not-found"})
    editor.received = editor.received[-20:]  # keep the scan above cheap across examples


async def test_the_fuzzed_sandbox_still_saves_and_restores(editor):
    for name, text, _expected in PLAIN_MALFORMED:
        await editor.send({"file_save": name, "text": text})
        await editor.send({"command": f"kubectl apply -f {name}"})
        await editor.drain(0.05)
    await run_probe(editor, "ls", r"bomb\.yaml")
    await editor.communicator.disconnect()
    cluster = await saved_cluster()
    assert_nothing_lost(cluster)
    assert {name for name, _t, _e in PLAIN_MALFORMED} <= set(cluster.files)
    again, connected, _ = await open_console(await new_session("yaml-learner"), lang="en")
    assert connected
    await run_probe(again, "kubectl get deployment kubia -o name", r"deployment\.apps/kubia\n")
    await again.communicator.disconnect()
