"""`kubectl set resources|env|selector` (kubectl pkg/cmd/set/set_resources.go, set_env.go, set_selector.go)."""
from ._cmd_fixtures import kubia_cluster


def container(c):
    return c.get("Deployment", "default", "kubia")["spec"]["template"]["spec"]["containers"][0]


def test_set_resources_updates_and_is_silent_when_unchanged():
    c = kubia_cluster()
    line = "kubectl set resources deployment kubia --limits=cpu=200m,memory=512Mi --requests=cpu=100m"
    assert c.run(line).stdout == "deployment.apps/kubia resource requirements updated\n"
    assert container(c)["resources"] == {"limits": {"cpu": "200m", "memory": "512Mi"}, "requests": {"cpu": "100m"}}
    r = c.run(line)  # CalculatePatches: an empty patch prints nothing
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
    assert c.run("kubectl set resources deployment kubia").stderr == (
        "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n")
    assert c.run("kubectl set resources deployment kubia --limits=cpu=lots").stderr == (
        "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n")


def test_set_env_add_list_remove_and_rollout():
    c = kubia_cluster()
    assert c.run("kubectl set env deployment/kubia GREETING=hi MODE=dev").stdout == "deployment.apps/kubia env updated\n"
    assert c.run("kubectl set env deployment/kubia --list").stdout == (
        "# deployments kubia, container nodejs\nGREETING=hi\nMODE=dev\n")
    assert c.run("kubectl set env deployment/kubia MODE-").exit_code == 0
    assert container(c)["env"] == [{"name": "GREETING", "value": "hi"}]
    c.advance(60)
    assert len(c.list("ReplicaSet")) == 3  # each template change is a new revision
    r = c.run("kubectl set env deployment/kubia GREETING=bye --overwrite=false")
    assert r.stderr == "error: deployments/kubia 'GREETING' already has a value (hi), and --overwrite is false\n"
    r = c.run("kubectl set env deployment/kubia 1BAD=x")
    assert r.stderr.startswith('error: "1BAD" is not a valid key name: a valid environment variable name')


def test_set_selector_switches_service_traffic():
    c = kubia_cluster()
    c.run("kubectl expose deployment kubia --port=80 --target-port=8080")
    assert c.run("kubectl set selector service kubia app=kubia,version=v2").stdout == "service/kubia selector updated\n"
    c.advance(1)
    assert c.get("Service", "default", "kubia")["spec"]["selector"] == {"app": "kubia", "version": "v2"}
    assert c.run("curl -s kubia").exit_code != 0  # no pod has version=v2
    r = c.run("kubectl set selector deployment kubia app=x")
    assert (r.stderr, r.exit_code) == ("error: deployments/kubia setting a selector is only supported for Services\n", 1)
