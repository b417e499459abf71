"""Unit tests of each check kind (tutorial/exercises/VOCABULARY.md) against small clusters.

Expected numbers come from upstream behaviour collected in /work/shared/K8S-FACTS.md: e.g. three
replicas with the default 25%/25% resolve to maxSurge 1, maxUnavailable 0 (§1.2, trace §10.4), so a
rolling update never has fewer than 3 available pods nor more than 4 pods.
"""
from __future__ import annotations

import pytest

from simulator import Cluster
from tutorial.exercises.checks import Context, command_text, evaluate, parse_condition, parse_path, lookup, timeline_fact
from tutorial.exercises.comparisons import SpecError, compare

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:v1
        ports:
        - containerPort: 8080
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  selector: {app: kubia}
  ports:
  - port: 80
    targetPort: 8080
"""


def _rs(version: str) -> str:
    return f"""\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia-{version}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: kubia, version: {version}}}
  template:
    metadata:
      labels: {{app: kubia, version: {version}}}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:{version}
        ports:
        - containerPort: 8080
"""


def cluster_with(*lines, **files) -> Cluster:
    c = Cluster(seed=0)
    c.files.update({"kubia-deployment.yaml": DEPLOYMENT, "kubia-svc.yaml": SERVICE,
                    "kubia-rs-v1.yaml": _rs("v1"), "kubia-rs-v2.yaml": _rs("v2"), **files})
    for line in lines:
        if isinstance(line, (int, float)):
            c.advance(line)
        else:
            r = c.run(line)
            assert r.exit_code == 0, (line, r.output)
    return c


def holds(cluster, body, since=None) -> bool:
    return evaluate(parse_condition(body, "test"), Context(cluster, since)).passed


def measured(cluster, body, since=None):
    return evaluate(parse_condition(body, "test"), Context(cluster, since)).actual


@pytest.fixture(scope="module")
def running():
    """kubia (3 × v1) behind the kubia Service, settled."""
    return cluster_with("kubectl create -f kubia-deployment.yaml --record", "kubectl create -f kubia-svc.yaml", 40)


# ---- comparisons ---------------------------------------------------------------------------------

@pytest.mark.parametrize("op,actual,expected,result", [
    ("equals", 3, 3, True), ("equals", 3, "3", True), ("equals", True, 1, False), ("equals", 1, True, False),
    ("equals", True, True, True), ("equals", False, "false", True), ("equals", None, 0, False),
    ("equals", "25%", "25%", True), ("equals", [2, 3], [2, 3], True), ("equals", [2, 3], [3, 2], False),
    ("not_equals", None, 4, True), ("not_equals", 4, 4, False),
    ("at_least", 4, 4, True), ("at_least", 3, 4, False), ("at_least", None, 0, False), ("at_least", "x", 1, False),
    ("at_most", 3, 3, True), ("at_most", 7, 6, False),
    ("contains", "luksa/kubia:v4 --record", "kubia:v4", True), ("contains", [1, 2], 2, True),
    ("contains", [1, 2], 3, False), ("contains", None, "x", False),
    ("matches", "<none>", r"^(?!<none>$)\S", False), ("matches", "kubectl create", r"^(?!<none>$)\S", True),
    ("matches", "luksa/kubia:v9", r"^(?!luksa/kubia:v[1-4]$)", True), ("matches", None, ".*", False),
])
def test_compare(op, actual, expected, result):
    assert compare(op, actual, expected) is result


# ---- object kinds --------------------------------------------------------------------------------

def test_exists_and_absent_resolve_kubectl_type_names(running):
    for ref in ("deployment/kubia", "deploy/kubia", "deployments/kubia", "svc/kubia", "service/kubia"):
        assert holds(running, {"exists": ref})
        assert not holds(running, {"absent": ref})
    assert holds(running, {"absent": "rc/kubia"})
    assert holds(running, {"absent": "deployment/kubia", "namespace": "kube-system"})
    assert holds(running, {"exists": {"object": "deployment/kubia", "namespace": "default"}})


def test_field_paths(running):
    assert holds(running, {"field": {"object": "deployment/kubia", "path": "spec.replicas", "equals": 3}})
    # defaults applied by the API server (K8S-FACTS §8): 25% / 25%, RollingUpdate, deadline 600
    assert holds(running, {"field": {"object": "deploy/kubia", "path": "spec.strategy.rollingUpdate.maxSurge",
                                     "equals": "25%"}})
    assert holds(running, {"field": {"object": "deployment/kubia", "path": "spec.progressDeadlineSeconds",
                                     "equals": 600}})
    assert holds(running, {"field": {"object": "deployment/kubia",
                                     "path": "spec.template.spec.containers[0].image", "equals": "luksa/kubia:v1"}})
    assert holds(running, {"field": {"object": "deployment/kubia", "path": "spec.template.spec.containers[1].image",
                                     "not_equals": "luksa/kubia:v1"}})
    assert holds(running, {"field": {"object": "deployment/kubia",
                                     "path": 'metadata.annotations["kubernetes.io/change-cause"]',
                                     "contains": "--record"}})
    assert holds(running, {"field": {"object": "deployment/kubia",
                                     "path": r"metadata.annotations.deployment\.kubernetes\.io/revision",
                                     "equals": "1"}})
    # a field that is not there only satisfies not_equals; a missing object satisfies nothing
    assert not holds(running, {"field": {"object": "deployment/kubia", "path": "spec.minReadySeconds", "equals": 10}})
    assert holds(running, {"field": {"object": "deployment/kubia", "path": "spec.paused", "not_equals": True}})
    assert not holds(running, {"field": {"object": "deployment/web", "path": "spec.replicas", "not_equals": 4}})


def test_parse_path():
    assert parse_path("spec.template.spec.containers[0].image", "p") == (
        "spec", "template", "spec", "containers", 0, "image")
    assert parse_path("metadata.labels['app']", "p") == ("metadata", "labels", "app")
    assert lookup({"a": [{"b": 1}]}, ("a", 0, "b")) == 1
    assert lookup({"a": [{"b": 1}]}, ("a", 1, "b")) is None
    assert lookup({"a": "text"}, ("a", "b")) is None
    for bad in ("", ".spec", "spec.", "spec..replicas", "spec[x]", "spec[0]name", 3):
        with pytest.raises(SpecError):
            parse_path(bad, "p")


def test_count_filters(running):
    pods = {"kind": "pods", "selector": "app=kubia"}
    assert measured(running, {"count": {**pods, "equals": 3}}) == 3
    assert holds(running, {"count": {**pods, "ready": True, "image": "luksa/kubia:v1", "equals": 3}})
    assert holds(running, {"count": {**pods, "image": "luksa/kubia:v2", "equals": 0}})
    assert holds(running, {"count": {**pods, "phase": "Running", "equals": 3}})
    assert holds(running, {"count": {"kind": "po", "selector": "app in (kubia),tier!=db", "equals": 3}})
    assert holds(running, {"count": {"kind": "replicasets", "selector": "app=kubia", "image": "luksa/kubia:v1",
                                     "equals": 1}})
    assert holds(running, {"count": {"kind": "deployments", "equals": 1}})
    assert holds(running, {"count": {"kind": "pods", "namespace": "kube-system", "selector": "app=kubia",
                                     "equals": 0}})


def test_count_skips_terminating_pods_unless_asked():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 40)
    victim = c.list("Pod", "default")[0]["metadata"]["name"]
    assert c.run(f"kubectl delete pod {victim} --wait=false").exit_code == 0
    c.advance(1)
    # the replacement exists while the deleted pod sits out its 30 s grace period (K8S-FACTS §5.2)
    assert measured(c, {"count": {"kind": "pods", "selector": "app=kubia", "equals": 3}}) == 3
    assert measured(c, {"count": {"kind": "pods", "selector": "app=kubia", "terminating": True, "equals": 1}}) == 1
    c.advance(40)
    assert measured(c, {"count": {"kind": "pods", "terminating": True, "equals": 0}}) == 0


def test_image_of_a_container(running):
    assert holds(running, {"image": {"deployment": "kubia", "container": "nodejs", "equals": "luksa/kubia:v1"}})
    assert holds(running, {"image": {"deployment": "kubia", "equals": "luksa/kubia:v1"}})  # the only container
    assert not holds(running, {"image": {"deployment": "kubia", "container": "kubia", "equals": "luksa/kubia:v1"}})
    assert holds(running, {"image": {"deployment": "kubia", "container": "kubia", "not_equals": "luksa/kubia:v1"}})
    assert not holds(running, {"image": {"deployment": "nope", "not_equals": "x"}})


def test_rollout_complete_follows_the_rollout():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 40)
    assert holds(c, {"rollout_complete": "deployment/kubia"})
    assert c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2").exit_code == 0
    assert not holds(c, {"rollout_complete": "deployment/kubia"})
    c.advance(2)
    assert not holds(c, {"rollout_complete": "deploy/kubia"})
    assert c.run("kubectl rollout status deployment kubia").exit_code == 0
    assert holds(c, {"rollout_complete": "deployment/kubia"})
    assert not holds(c, {"rollout_complete": "deployment/other"})


def test_paused():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 10)
    assert holds(c, {"paused": {"deployment": "kubia", "equals": False}})
    c.run("kubectl rollout pause deployment kubia")
    assert holds(c, {"paused": {"deployment": "kubia", "equals": True}})
    assert not holds(c, {"paused": {"deployment": "kubia", "not_equals": True}})


def test_history_revisions_count_and_change_cause():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 40)
    hist = {"deployment": "kubia"}
    assert holds(c, {"history": {**hist, "revisions": {"equals": [1]}}})
    # created without --record: rollout history prints <none> (rollout_history.go)
    assert measured(c, {"history": {**hist, "change_cause": {"revision": "latest", "equals": "<none>"}}}) == "<none>"
    for line in ("kubectl set image deployment kubia nodejs=luksa/kubia:v2 --record",
                 "kubectl rollout status deployment kubia", "kubectl rollout undo deployment kubia",
                 "kubectl rollout status deployment kubia"):
        assert c.run(line).exit_code == 0
    # undo re-labels revision 1 as 3 (K8S-FACTS §10.7): history lists 2 and 3
    assert measured(c, {"history": {**hist, "revisions": {"equals": [2, 3]}}}) == [2, 3]
    assert holds(c, {"history": {**hist, "revisions": {"contains": 3}}})
    assert holds(c, {"history": {**hist, "count": {"equals": 2}}})
    assert holds(c, {"history": {**hist, "change_cause": {"revision": 2, "contains": "nodejs=luksa/kubia:v2"}}})
    assert holds(c, {"history": {**hist, "change_cause": {"equals": "<none>"}}})  # latest = 3, the old v1
    assert not holds(c, {"history": {**hist, "change_cause": {"revision": 1, "matches": ".*"}}})


def test_command_log():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 5)
    since = c.now
    c.run("k   rollout   pause deployment kubia")
    c.run("kubectl get pods | grep kubia")
    c.run("kubectl create -f kubia-deployment.yaml")  # fails: AlreadyExists, still a command used
    assert command_text("k   rollout   pause deployment kubia") == "rollout pause deployment kubia"
    assert command_text("kubectl") == ""
    assert command_text("kubectlx get") == "kubectlx get"
    assert holds(c, {"command": {"used": "^rollout pause"}})
    assert holds(c, {"command": {"used": "rollout pause deployment"}})
    assert holds(c, {"command": {"used": "^get pods \\| grep"}})
    assert holds(c, {"command": {"not_used": "rollout resume"}})
    assert not holds(c, {"command": {"used": "^pause"}})
    # since: the setup's create is not part of the exercise, the failed retry is
    assert holds(c, {"command": {"used": "^create -f kubia-deployment\\.yaml$"}}, since=since)
    c2 = cluster_with("kubectl create -f kubia-deployment.yaml", 5)
    assert holds(c2, {"command": {"used": "create -f"}})
    assert not holds(c2, {"command": {"used": "create -f"}}, since=c2.now)


# ---- timeline ------------------------------------------------------------------------------------

def test_timeline_default_rolling_update_for_three_replicas():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 40)
    since = c.now
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.run("kubectl rollout status deployment kubia")
    tl = {"deployment": "kubia"}
    # K8S-FACTS §10.4: maxSurge 1, maxUnavailable 0 → never under 3 available, at most 4 pods
    assert measured(c, {"timeline": {**tl, "min_available": {"at_least": 3}}}, since) == 3
    assert measured(c, {"timeline": {**tl, "max_pods": {"at_most": 4}}}, since) == 4
    assert measured(c, {"timeline": {**tl, "max_surge_seen": {"equals": 1}}}, since) == 1
    assert measured(c, {"timeline": {**tl, "rollouts_completed": {"equals": 1}}}, since) == 1
    assert measured(c, {"timeline": {**tl, "revisions_seen": {"equals": [1, 2]}}}, since) == [1, 2]
    assert measured(c, {"timeline": {**tl, "new_pods_while_paused": {"equals": 0}}}, since) == 0
    # from the very start the first rollout counts as completed too, but not for min_available
    assert measured(c, {"timeline": {**tl, "rollouts_completed": {"equals": 2}}}) == 2


def test_timeline_recreate_drops_to_zero():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 40)
    since = c.now
    c.run("kubectl patch deployment kubia -p '{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}'")
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.run("kubectl rollout status deployment kubia")
    # K8S-FACTS §10.6: every old pod goes before the new ReplicaSet is scaled up
    assert measured(c, {"timeline": {"deployment": "kubia", "min_available": {"at_least": 3}}}, since) == 0
    assert measured(c, {"timeline": {"deployment": "kubia", "max_pods": {"at_most": 3}}}, since) == 3


def test_timeline_no_rollout_measures_nothing():
    c = cluster_with("kubectl create -f kubia-deployment.yaml", 40)
    since = c.now
    # a pod deleted after a finished rollout is not a rollout: min_available stays unmeasured
    c.run(f"kubectl delete pod {c.list('Pod', 'default')[0]['metadata']['name']}")
    c.advance(40)
    body = {"timeline": {"deployment": "kubia", "min_available": {"at_least": 3}}}
    assert measured(c, body, since) is None and not holds(c, body, since)
    assert not holds(c, {"timeline": {"deployment": "kubia", "min_available": {"at_most": 3}}}, since)
    assert not holds(c, {"timeline": {"deployment": "nope", "max_pods": {"at_least": 0}}})


def test_timeline_new_pods_while_paused():
    early = cluster_with("kubectl create -f kubia-deployment.yaml", 40, "kubectl rollout pause deployment kubia",
                         "kubectl set image deployment kubia nodejs=luksa/kubia:v4", 40)
    # paused before the template changed: no new ReplicaSet at all (K8S-FACTS §1.7)
    assert measured(early, {"timeline": {"deployment": "kubia", "new_pods_while_paused": {"equals": 0}}}) == 0
    canary = cluster_with("kubectl create -f kubia-deployment.yaml", 40,
                          "kubectl set image deployment kubia nodejs=luksa/kubia:v4", 2,
                          "kubectl rollout pause deployment kubia", 40)
    assert measured(canary, {"timeline": {"deployment": "kubia", "new_pods_while_paused": {"at_least": 1}}}) == 1


def test_timeline_fact_on_samples():
    def s(t, rev, available, complete, pods=3, replicas=3, paused=False, updated=3):
        return {"t": t, "revision": rev, "available": available, "complete": complete, "pods": pods,
                "replicas": replicas, "paused": paused, "updated": updated}

    samples = [s(0, 1, 0, False), s(10, 1, 3, True), s(20, 2, 3, False, pods=4), s(25, 2, 2, False),
               s(30, 2, 3, True), s(40, 2, 2, False), s(45, 2, 3, True)]
    assert timeline_fact(samples, "min_available") == 2
    # Issue 15: only the learner's rollouts are judged; one still under way when the exercise
    # started (at 27, the state of t=25) is the set-up's, not theirs.
    assert timeline_fact(samples, "min_available", since=27) is None
    assert timeline_fact(samples, "min_available", since=20) == 2  # started at 20: the learner's
    assert timeline_fact(samples, "min_available", since=31) is None  # only a pod loss after that
    assert timeline_fact(samples, "min_available", since=22) is None  # under way at 22: not the learner's
    assert timeline_fact(samples, "rollouts_completed") == 2
    assert timeline_fact(samples, "rollouts_completed", since=12) == 1
    assert timeline_fact(samples, "max_surge_seen") == 1
    assert timeline_fact(samples, "revisions_seen", since=21) == [2]
    assert timeline_fact([], "max_pods") is None
    assert timeline_fact(samples, "new_pods_while_paused") == 0
    paused = [s(0, 1, 3, True), s(5, 2, 3, False, paused=True, updated=1), s(9, 2, 3, False, updated=2)]
    assert timeline_fact(paused, "new_pods_while_paused") == 1


# ---- services and traffic ------------------------------------------------------------------------

def test_service_selects_endpoints_and_never_mixed():
    c = cluster_with("kubectl create -f kubia-rs-v1.yaml", "kubectl create -f kubia-svc.yaml", 40)
    svc = {"name": "kubia"}
    assert holds(c, {"service": {**svc, "endpoints": {"equals": 3}}})
    assert not holds(c, {"service": {**svc, "selects": {"version": "v2"}}})
    assert holds(c, {"service": {**svc, "selects": {"app": "kubia"}}})
    since = c.now
    c.run("kubectl create -f kubia-rs-v2.yaml")
    c.advance(40)
    # the selector is app=kubia only: both versions are behind the Service now
    assert measured(c, {"service": {**svc, "endpoints": {"equals": 6}}}) == 6
    assert not holds(c, {"service": {**svc, "never_mixed": True}}, since)
    assert not holds(c, {"service": {"name": "other", "endpoints": {"at_least": 0}}})


def test_service_switch_is_never_mixed():
    c = cluster_with("kubectl create -f kubia-rs-v1.yaml", "kubectl create -f kubia-rs-v2.yaml", 40)
    c.files["blue.yaml"] = SERVICE.replace("selector: {app: kubia}", "selector: {app: kubia, version: v1}")
    c.run("kubectl create -f blue.yaml")
    c.advance(5)
    since = c.now
    assert c.run("kubectl patch svc kubia -p '{\"spec\":{\"selector\":{\"version\":\"v2\"}}}'").exit_code == 0
    c.advance(5)
    assert holds(c, {"service": {"name": "kubia", "selects": {"version": "v2"}}})
    assert holds(c, {"service": {"name": "kubia", "never_mixed": True}}, since)
    assert holds(c, {"service": {"name": "kubia", "endpoints": {"equals": 3}}})


def test_traffic_errors_and_requests():
    c = cluster_with("kubectl create -f kubia-svc.yaml", 5)
    c.run("curl http://kubia")          # no endpoints yet: curl (7), no HTTP answer at all
    c.run("curl http://elsewhere")      # not this Service
    c.advance(1)
    since = c.now
    c.run("kubectl create -f kubia-deployment.yaml")
    c.advance(40)
    c.run("curl http://kubia.default.svc.cluster.local")
    c.run("curl -s kubia")
    traffic = {"service": "kubia"}
    assert measured(c, {"traffic": {**traffic, "errors": {"equals": 0}}}) == 1
    assert measured(c, {"traffic": {**traffic, "requests": {"equals": 3}}}) == 3
    assert measured(c, {"traffic": {**traffic, "errors": {"equals": 0}}}, since) == 0
    assert measured(c, {"traffic": {**traffic, "requests": {"equals": 2}}}, since) == 2


# ---- parsing errors name the problem ---------------------------------------------------------------

@pytest.mark.parametrize("body,fragment", [
    ({"exists": "deployment"}, "<type>/<name>"),
    ({"exists": "flux/kubia"}, "the server doesn't have a resource type \"flux\""),
    ({"exists": "deployment/Kubia"}, "not an object name"),
    ({"exists": "deployment/kubia", "absent": "rc/kubia"}, "exactly one check kind"),
    ({}, "exactly one check kind"),
    ({"exsts": "deployment/kubia"}, "unknown key 'exsts'"),
    ({"field": {"object": "deployment/kubia", "path": "spec.replicas"}}, "needs one comparison"),
    ({"field": {"object": "deployment/kubia", "path": "spec.replicas", "equals": 1, "at_most": 2}}, "several"),
    ({"count": {"kind": "pods", "at_least": "three"}}, "needs a number"),
    ({"count": {"kind": "pods", "selector": "app in (", "equals": 1}}, "selector"),
    ({"count": {"kind": "deployments", "ready": True, "equals": 1}}, "pods only"),
    ({"count": {"kind": "pods", "redy": True, "equals": 1}}, "unknown key 'redy'"),
    ({"image": {"container": "nodejs", "equals": "x"}}, "needs deployment"),
    ({"paused": {"deployment": "kubia", "equals": "yes"}}, "true or false"),
    ({"history": {"deployment": "kubia", "revisions": [2, 3]}}, "one comparison"),
    ({"history": {"deployment": "kubia", "revisions": {"equals": 2}}}, "list of numbers"),
    ({"history": {"deployment": "kubia", "change_cause": {"revision": 0, "equals": "x"}}}, "positive"),
    ({"command": {"used": "^(unclosed"}}, "invalid regular expression"),
    ({"command": {"used": "a", "not_used": "b"}}, "exactly one of used, not_used"),
    ({"timeline": {"deployment": "kubia", "min_avail": {"at_least": 3}}}, "unknown key 'min_avail'"),
    ({"timeline": {"deployment": "kubia", "max_pods": 6}}, "one comparison"),
    ({"service": {"name": "kubia", "never_mixed": False}}, "only be true"),
    ({"service": {"name": "kubia", "selects": {}}}, "labels"),
    ({"traffic": {"service": "kubia", "errors": {"matches": "("}}}, "invalid regular expression"),
    ({"rollout_complete": "rc/kubia"}, "deployments"),
    ({"field": {"object": "deployment/kubia", "path": "spec.x", "equals": {"a": 1}}}, "mapping"),
])
def test_malformed_bodies_are_spec_errors(body, fragment):
    with pytest.raises(SpecError) as err:
        parse_condition(body, "checks[0]")
    assert fragment in str(err.value)
    assert str(err.value).startswith("checks[0]")


# ---- grade() -------------------------------------------------------------------------------------

def test_grade_raw_exercise_and_languages(running):
    from tutorial.exercises import ExerciseError, grade

    raw = {"id": "demo", "goal": {"ko": "목표", "en": "goal"},
           "checks": [{"id": "has-kubia", "exists": "deployment/kubia", "message": {"ko": "없음", "en": "missing"}},
                      {"id": "v2", "image": {"deployment": "kubia", "equals": "luksa/kubia:v2"},
                       "message": {"ko": "v2 아님", "en": "not v2"}}],
           "mistakes": [{"when": {"count": {"kind": "pods", "selector": "app=kubia", "at_least": 3}},
                         "message": {"ko": "실수", "en": "mistake"}},
                        {"when": {"absent": "deployment/kubia"}, "message": {"ko": "삭제", "en": "deleted"}}],
           "solution": ["kubectl set image deployment kubia nodejs=luksa/kubia:v2"]}
    result = grade(running, raw, lang="en")
    assert (result.passed, result.failed) == (False, ["v2"])
    assert result.feedback == ["mistake", "not v2"]
    assert result.checks[1].actual == "luksa/kubia:v1"
    assert grade(running, raw).feedback == ["실수", "v2 아님"]  # Korean by default
    assert grade(running, raw, lang="fr").feedback == ["실수", "v2 아님"]  # unknown language: ko first
    with pytest.raises(ExerciseError, match="exercise 'demo': checks\\[0\\] \\(id 'has-kubia'\\): message"):
        grade(running, {**raw, "checks": [{**raw["checks"][0], "message": "missing"}]})
