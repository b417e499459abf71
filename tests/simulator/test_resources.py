"""RESTMapper resolution and builder argument grammar (cli-runtime pkg/resource/builder.go)."""
import pytest

from simulator.api.errors import KubeError
from simulator.kubectl.resources import parse_resource_args, resolve


@pytest.mark.parametrize("word", ["deploy", "deployments", "Deployment", "deployment.apps", "deployments.v1.apps", "DEPLOYMENTS"])
def test_deployment_spellings(word):
    rt = resolve(word)
    assert rt.resource == "deployments.apps" and rt.name_prefix == "deployment.apps" and rt.simulated


@pytest.mark.parametrize("word,resource", [("rs", "replicasets.apps"), ("po", "pods"), ("svc", "services"), ("ep", "endpoints"),
                                           ("ev", "events"), ("rc", "replicationcontrollers"), ("ns", "namespaces"), ("no", "nodes")])
def test_short_names(word, resource):
    assert resolve(word).resource == resource


def test_known_but_unsimulated_types():
    for w in ("sts", "jobs", "cronjobs"):
        assert not resolve(w).simulated
    for w in ("configmaps", "cm", "secrets"):  # served since the fidelity branch (ConfigMap, Secret)
        assert resolve(w).simulated


def test_unknown_type():
    with pytest.raises(KubeError) as e:
        resolve("foo")
    assert e.value.render() == 'error: the server doesn\'t have a resource type "foo"'
    with pytest.raises(KubeError):
        resolve("deployments.v2.apps")


def test_all_expands_to_served_category_members_in_discovery_order():
    assert [rt.plural for rt in parse_resource_args(["all"]).types] == \
        ["pods", "replicationcontrollers", "services", "deployments", "replicasets"]


def test_argument_forms():
    items = parse_resource_args(["deploy,svc", "kubia"]).items
    assert [(rt.plural, n) for rt, n in items] == [("deployments", "kubia"), ("services", "kubia")]
    items = parse_resource_args(["deploy/a", "po/b"]).items
    assert [(rt.plural, n) for rt, n in items] == [("deployments", "a"), ("pods", "b")]
    assert [(rt.plural, n) for rt, n in parse_resource_args(["rs"]).items] == [("replicasets", None)]
    with pytest.raises(KubeError) as e:
        parse_resource_args(["deploy", "svc/b"])
    assert e.value.render().startswith("error: there is no need to specify a resource type as a separate argument")
    with pytest.raises(KubeError) as e:
        parse_resource_args(["a/b/c"])
    assert e.value.render() == "error: arguments in resource/name form may not have more than one slash"
