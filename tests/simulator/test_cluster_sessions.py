"""The Cluster API a sandbox session needs: rollout status as kubectl says it, read-only commands
decided from the parsed command, and several commands running at once on one cluster (two
terminals: `kubectl get pods -w` in one, `kubectl set image` + `kubectl rollout status` in the
other), in lockstep with simulated time and deterministic.

kubectl pkg/polymorphichelpers/rollout_status.go (DeploymentStatusViewer.Status) for the messages.
"""
from __future__ import annotations

import pathlib

import pytest

from simulator import Cluster
from simulator.cluster import RolloutStatus

KUBIA = (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"
         / "kubia-deployment-v1.yaml").read_text()


def _kubia(seed: int = 0) -> Cluster:
    c = Cluster(seed=seed)
    c.files["kubia.yaml"] = KUBIA
    assert c.run("kubectl create -f kubia.yaml").exit_code == 0
    c.advance(30)
    return c


def test_rollout_status_says_what_kubectl_says():
    c = _kubia()
    assert c.rollout_status("kubia") == RolloutStatus('deployment "kubia" successfully rolled out', True)
    assert c.rollout_status("nope") is None
    assert c.rollout_status("kubia", "other") is None
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    status = c.rollout_status("kubia")
    assert not status.done and status.message.startswith('Waiting for deployment "kubia" rollout to finish')
    # the console's own command agrees with the API at every step
    for _ in range(60):
        c.advance(1)
        once = c.run("kubectl rollout status deployment kubia --watch=false").stdout.rstrip("\n")
        assert c.rollout_status("kubia").message == once
    assert c.rollout_status("kubia").done


def test_paused_rollout_counts_as_settled_but_not_done_for_kubectl():
    c = _kubia()
    c.run("kubectl rollout pause deployment kubia")
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(5)
    assert c.rollout_status("kubia").done  # waiting would not move it


def test_progress_deadline_is_an_error_status():
    c = _kubia()
    c.run("kubectl patch deployment kubia -p '{\"spec\":{\"progressDeadlineSeconds\":10}}'")
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:nope")
    c.advance(60)
    status = c.rollout_status("kubia")
    assert status.done and status.error
    assert status.message == 'error: deployment "kubia" exceeded its progress deadline'


@pytest.mark.parametrize("line, read_only", [
    ("kubectl get pods", True),
    ("k -n default get pods -o wide", True),  # a flag before the verb
    ("kubectl --namespace=default describe deploy kubia", True),
    ("kubectl rollout status deploy kubia", True),
    ("k rollout history deployment/kubia", True),
    ("kubectl rollout undo deploy kubia", False),
    ("kubectl scale deploy kubia --replicas=2", False),
    ("kubectl create deployment x --image=nginx --dry-run=client -o yaml", True),
    ("kubectl create deployment x --image=nginx --dry-run=server", False),
    ("kubectl delete pod -l app=kubia", False),
    ("kubectl get pods | grep kubia", False),  # pipelines: not judged, checkpointed
    ("kubectl frobnicate", True),  # an unknown command runs nothing
    ("kubectl apply --help", True),
    ("ls", True), ("cat kubia.yaml", True), ("curl http://kubia", False), ("", True),
    ("kubectl get pods 'unclosed", True),
])
def test_read_only_comes_from_the_parsed_command(line, read_only):
    assert Cluster(seed=0).read_only(line) is read_only


def test_a_write_command_still_rolls_back_when_it_crashes(monkeypatch):
    """Not read-only → checkpointed: a crash inside the command leaves the cluster as it was."""
    from simulator.kubectl.commands import scale

    c = _kubia()
    before = c.get("Deployment", "default", "kubia")["spec"]["replicas"]

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(scale, "run_scale", boom, raising=False)
    import simulator.console as console
    monkeypatch.setattr(console, "run_kubectl", boom)  # the console's own name for kubectl's dispatch
    r = c.run("kubectl scale deploy kubia --replicas=5")
    assert r.exit_code == 1 and "internal error" in r.stderr
    assert c.get("Deployment", "default", "kubia")["spec"]["replicas"] == before


def _two_terminals(seed: int):
    """Terminal 1 watches pods; terminal 2 changes the image and waits for the rollout, while a
    second watch (on ReplicaSets) runs too. Returns every read, in order."""
    c = _kubia(seed)
    watch_pods = c.start("kubectl get pods -w")
    watch_rs = c.start("kubectl get rs -w")
    reads = [("pods", watch_pods.read()), ("rs", watch_rs.read())]
    set_image = c.start("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    assert set_image.done and "image updated" in set_image.read()
    status = c.start("kubectl rollout status deployment kubia")
    reads.append(("status", status.read()))
    for _ in range(90):
        c.advance(1)
        reads += [("pods", watch_pods.read()), ("rs", watch_rs.read()), ("status", status.read())]
    return c, watch_pods, watch_rs, status, reads


def test_two_watches_and_a_blocking_rollout_status_run_in_lockstep():
    c, watch_pods, watch_rs, status, reads = _two_terminals(0)
    assert status.done and status.exit_code == 0
    status_text = "".join(text for who, text in reads if who == "status")
    assert status_text.endswith('deployment "kubia" successfully rolled out\n')
    assert "Waiting for deployment" in status_text
    pods = "".join(text for who, text in reads if who == "pods")
    rs = "".join(text for who, text in reads if who == "rs")
    # each command reads its own output: the pod watch shows pods, the RS watch ReplicaSets
    assert "kubia-" in pods and "DESIRED" not in pods and "READY" in pods
    assert pods.count("Terminating") >= 3
    assert "DESIRED" in rs and "Terminating" not in rs
    # the watches keep streaming after the blocking command ended; Ctrl+C ends one, not the other
    assert not watch_pods.done and not watch_rs.done
    watch_pods.cancel()
    c.run("kubectl scale deploy kubia --replicas=4")
    c.advance(5)
    assert watch_pods.done and watch_pods.read() == ""
    assert "kubia-" in watch_rs.read()
    # the two commands ended their own way; simulated time was shared
    assert [entry["line"] for entry in c.history][-4:] == [
        "kubectl get rs -w", "kubectl set image deployment kubia nodejs=luksa/kubia:v2",
        "kubectl rollout status deployment kubia", "kubectl scale deploy kubia --replicas=4"]


def test_concurrent_commands_are_deterministic():
    *_, reads_a = _two_terminals(7)
    *_, reads_b = _two_terminals(7)
    assert reads_a == reads_b


def test_next_due_wakes_a_blocking_command_among_watches():
    c = _kubia()
    c.start("kubectl get pods -w")
    sleeping = c.start("sleep 7")
    assert not sleeping.done
    assert c.next_due() is not None and c.next_due() <= c.now + 7
    c.advance(7)
    assert sleeping.done and c.busy  # the watch still runs


def test_snapshot_mid_way_keeps_the_cluster_not_the_running_commands():
    c = _kubia()
    watch = c.start("kubectl get pods -w")
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    status = c.start("kubectl rollout status deployment kubia")
    c.advance(4)
    restored = Cluster.restore(c.snapshot())
    assert not restored.busy  # streaming commands are not kept: the front-end ends them with a message
    assert restored.now == c.now
    c.advance(60)
    restored.advance(60)
    assert status.done and not watch.done
    assert restored.rollout_status("kubia") == c.rollout_status("kubia")
    # Restoring the same snapshot twice gives the same cluster. (A restored cluster mid-rollout
    # may pick a different old pod to delete first than the uninterrupted one: an engine matter,
    # reported; not about running commands, it happens without any too.)
    again = Cluster.restore(c.snapshot())
    again_too = Cluster.restore(c.snapshot())
    again.advance(30)
    again_too.advance(30)
    assert again.snapshot() == again_too.snapshot()


def test_edit_is_a_command_that_waits_for_its_editor():
    c = _kubia()
    assert c.start_edit("kubectl get pods") is None
    assert c.start_edit("kubectl edit deploy kubia", env={"KUBE_EDITOR": "vi"}) is None
    missing = c.start_edit("kubectl edit deploy nope")
    assert missing.done and missing.exit_code == 1 and 'deployments.apps "nope" not found' in missing.read()
    edit = c.start_edit("kubectl edit deploy kubia")
    assert not edit.done and "image: luksa/kubia:v1" in edit.editor["text"]
    c.advance(5)  # time passes while the editor is open
    assert not edit.done
    edit.save(edit.editor["text"].replace("replicas: 3", "replicas: -3"))  # invalid: reopened
    assert not edit.done and edit.editor["text"].startswith("# Please edit the object below.")
    assert "is invalid" in edit.read()
    fixed = edit.editor["text"].replace("replicas: -3", "replicas: 2")
    edit.save(fixed)
    assert edit.done and edit.exit_code == 0 and "deployment.apps/kubia edited" in edit.read()
    assert c.get("Deployment", "default", "kubia")["spec"]["replicas"] == 2
    assert c.history[-1]["line"] == "kubectl edit deploy kubia" and c.history[-1]["exit"] == 0
    quit_ = c.start_edit("kubectl edit deploy kubia")
    quit_.cancel()  # Ctrl+C in the terminal: the editor quits without saving
    assert quit_.done and "Edit cancelled, no changes made." in quit_.read()
