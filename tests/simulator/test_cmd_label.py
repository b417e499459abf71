"""`kubectl label` / `annotate` (kubectl pkg/cmd/label/label.go, pkg/cmd/annotate/annotate.go)."""
from ._cmd_fixtures import kubia_cluster, pod_names


def run(c, line):
    r = c.run(line)
    return r.stdout, r.stderr, r.exit_code


def test_label_messages_follow_update_data_change_msg():
    c = kubia_cluster()
    assert run(c, "kubectl label deploy kubia tier=web") == ("deployment.apps/kubia labeled\n", "", 0)
    assert run(c, "kubectl label deploy kubia tier=web") == ("deployment.apps/kubia not labeled\n", "", 0)
    assert run(c, "kubectl label deploy kubia tier=api --overwrite") == ("deployment.apps/kubia labeled\n", "", 0)
    # v0.34.5 compares the object's JSON: same length after removing tier=api and adding env=prod
    assert run(c, "kubectl label deploy kubia tier- env=prod") == ("deployment.apps/kubia labeled\n", "", 0)
    assert run(c, "kubectl label deploy kubia env- x=y") == ("deployment.apps/kubia unlabeled\n", "", 0)  # shorter
    assert run(c, "kubectl label deploy kubia x-") == ("deployment.apps/kubia unlabeled\n", "", 0)
    assert c.get("Deployment", "default", "kubia")["metadata"]["labels"] == {"app": "kubia"}


def test_label_conflict_and_missing_removal():
    c = kubia_cluster()
    pod = pod_names(c)[0]
    assert run(c, f"kubectl label pod {pod} app=other") == (
        "", "error: 'app' already has a value (kubia), and --overwrite is false\n", 1)
    assert run(c, f"kubectl label pod {pod} nothere-") == (
        f'label "nothere" not found.\npod/{pod} not labeled\n', "", 0)


def test_label_all_and_selector_and_list():
    c = kubia_cluster()
    a, b = pod_names(c)
    assert run(c, "kubectl label pods --all env=dev") == (f"pod/{a} labeled\npod/{b} labeled\n", "", 0)
    out, _, code = run(c, "kubectl label pods -l env=dev --list")
    assert code == 0 and out.startswith(f"Listing labels for Pod./{a}:\n app=kubia\n env=dev\n pod-template-hash=")
    assert run(c, "kubectl label deploy kubia --list") == ("app=kubia\n", "", 0)
    assert run(c, "kubectl label pods env=x")[1] == "error: resource(s) were provided, but no name was specified\n"


def test_label_parse_errors_and_dry_run_does_not_write():
    c = kubia_cluster()
    assert run(c, "kubectl label deploy kubia a=b=c")[1] == "error: invalid label spec: a=b=c\n"
    assert run(c, "kubectl label deploy kubia a- a=b")[1] == (
        "error: can not both modify and remove a label in the same command\n")
    assert run(c, "kubectl label deploy kubia x=y --dry-run=client") == (
        "deployment.apps/kubia labeled (dry run)\n", "", 0)
    assert "x" not in c.get("Deployment", "default", "kubia")["metadata"]["labels"]
    assert run(c, "kubectl label pod nope a=b") == ("", 'Error from server (NotFound): pods "nope" not found\n', 1)


def test_annotate_and_its_conflict():
    c = kubia_cluster()
    assert run(c, "kubectl annotate deploy kubia owner=team-a") == ("deployment.apps/kubia annotated\n", "", 0)
    # annotate.go validateNoAnnotationOverwrites: an existing key conflicts even with the same value
    assert run(c, "kubectl annotate deploy kubia owner=team-a") == (
        "", "error: --overwrite is false but found the following declared annotation(s): "
            "'owner' already has a value (team-a)\n", 1)
    assert run(c, "kubectl annotate deploy kubia owner=team-b --overwrite")[2] == 0
    # kubernetes.io/change-cause may always be overwritten
    c.run('kubectl annotate deploy kubia kubernetes.io/change-cause="v1"')
    assert run(c, 'kubectl annotate deploy kubia kubernetes.io/change-cause="v1 again"')[2] == 0
    anns = c.get("Deployment", "default", "kubia")["metadata"]["annotations"]
    assert anns["owner"] == "team-b" and anns["kubernetes.io/change-cause"] == "v1 again"
    assert run(c, "kubectl annotate deploy kubia owner-") == ("deployment.apps/kubia annotated\n", "", 0)
    assert "owner" not in c.get("Deployment", "default", "kubia")["metadata"]["annotations"]


def test_change_cause_annotation_shows_in_rollout_history():
    c = kubia_cluster()
    c.run('kubectl annotate deployment kubia kubernetes.io/change-cause="first release"')
    c.advance(2)
    assert "1         first release\n" in c.run("kubectl rollout history deployment kubia").stdout
