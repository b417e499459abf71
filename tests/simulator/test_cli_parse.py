"""Golden tests for kubectl's grammar (messages from spf13/pflag flag.go, spf13/cobra command.go/args.go,
kubectl templater FlagErrorFunc, cmdutil.UsageErrorf, pkg/cmd/get/get.go, scale.go, rollout_*.go,
create.go) and a property test: no argv raises anything but KubeError."""
import pytest
from hypothesis import given, settings, strategies as st

from simulator.api.errors import KubeError
from simulator.kubectl.cli import parse, record_string, tokenize


def err(line):
    with pytest.raises(KubeError) as e:
        parse(tokenize(line))
    return e.value.render(), e.value.exit_code


def test_tokenize_quotes_and_comments():
    assert tokenize("""kubectl annotate deploy kubia kubernetes.io/change-cause="Update to v2" # why""") == \
        ["kubectl", "annotate", "deploy", "kubia", "kubernetes.io/change-cause=Update to v2"]
    assert tokenize("echo a#b 'x y' \"q\\\"z\"") == ["echo", "a#b", "x y", 'q"z']


def test_tokenize_unbalanced_quote():
    with pytest.raises(KubeError) as e:
        tokenize("kubectl get 'pods")
    assert e.value.exit_code == 2 and "unexpected EOF while looking for matching `''" in e.value.render()


def test_flag_forms():
    inv = parse(tokenize("-n=ns get -owide pods --selector app=kubia -A -- x"))
    assert inv.path == ("get",) and inv.args == ["pods", "x"]
    assert inv.flags["namespace"] == "ns" and inv.flags["output"] == "wide" and inv.flags["all-namespaces"]
    assert inv.explicit == [("namespace", "ns"), ("output", "wide"), ("selector", "app=kubia"), ("all-namespaces", "true")]
    assert parse(tokenize("get pods -wA")).flags["watch"] is True
    assert parse(tokenize("rollout status deploy/k --watch=false")).flags["watch"] is False
    assert parse(tokenize("apply -f a.yaml -f b.yaml,c.yaml")).flags["filename"] == ["a.yaml", "b.yaml", "c.yaml"]
    assert parse(tokenize("rollout status deploy/k --timeout=1m30s")).flags["timeout"] == 90.0
    assert parse(tokenize("get pods --all_namespaces")).flags["all-namespaces"] is True


def test_unknown_flags():
    assert err("get pods --foo") == ("error: unknown flag: --foo\nSee 'kubectl get --help' for usage.", 1)
    assert err("get pods -z") == ("error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.", 1)
    assert err("scale deploy kubia -A")[0].startswith("error: unknown shorthand flag: 'A' in -A")


def test_invalid_values():
    assert err("scale --replicas=x deploy/kubia")[0] == (
        "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n"
        "See 'kubectl scale --help' for usage.")
    assert err("get pods -w=maybe")[0].startswith(
        'error: invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax')
    assert 'time: missing unit in duration "5"' in err("rollout status deploy/k --timeout=5")[0]
    assert err("get pods -n")[0].startswith("error: flag needs an argument: 'n' in -n")


def test_unknown_commands_and_suggestions():
    assert err("rolling-update kubia-v1 kubia-v2 --image=luksa/kubia:v2") == (
        'error: unknown command "rolling-update" for "kubectl"', 1)
    assert err("gett pods")[0] == 'error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tset\n\tget'
    assert err("rollout foo")[0] == "error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and examples"
    assert err("set foo")[0] == "error: unknown command \"foo\"\nSee 'kubectl set -h' for help and examples"


def test_group_without_subcommand_prints_help_and_fails():
    text, code = err("rollout")
    assert code == 1 and text.startswith("Manage the rollout of one or many resources.") and "Available Commands:" in text


def test_required_args_messages():
    assert err("get")[0] == (
        'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n'
        "error: Required resource not specified.\n"
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n'
        "See 'kubectl get -h' for help and examples")
    assert err("scale deploy kubia")[0] == 'error: required flag(s) "replicas" not set'
    assert err("scale deploy kubia --replicas=-1")[0] == \
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
    assert err("rollout undo")[0] == "error: required resource not specified"
    assert err("create deployment kubia")[0] == 'error: required flag(s) "image" not set'
    assert err("create deployment --image=x")[0] == \
        "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples"
    assert err("create redis.yaml")[0] == ("Error: must specify one of -f and -k\n\n"
                                            "error: unknown command \"redis.yaml\"\nSee 'kubectl create -h' for help and examples")
    assert err("apply")[0] == "error: must specify one of -f and -k"
    assert err("set image")[0].startswith("error: You must provide one or more resources by argument or filename.")
    assert err("label pods foo")[0] == "error: at least one label update is required"
    assert err("explain")[0] == ('error: You must specify the type of resource to explain. '
                                 'Use "kubectl api-resources" for a complete list of supported resources.')


def test_help_forms():
    assert parse(["get", "--help"]).wants_help
    assert parse(["get", "-h"]).wants_help
    inv = parse(["help", "rollout", "undo"])
    assert inv.wants_help and inv.path == ("rollout", "undo")
    assert parse([]).wants_help


def test_record_deprecation_and_change_cause():
    inv = parse(tokenize("apply -f kubia.yaml --record"))
    assert inv.deprecations == ["Flag --record has been deprecated, --record will be removed in the future"]
    assert record_string(inv) == "kubectl apply --filename=kubia.yaml --record=true"
    inv = parse(tokenize("set image deployment/kubia nodejs=luksa/kubia:v2 --record=true"))
    assert record_string(inv) == "kubectl set image deployment/kubia nodejs=luksa/kubia:v2 --record=true"


def test_flags_before_verb_and_aliases():
    inv = parse(tokenize("-n x create deploy kubia --image=luksa/kubia:v1"))
    assert inv.path == ("create", "deployment") and inv.args == ["kubia"] and inv.namespace == "x"


WORDS = st.sampled_from(["get", "pods", "rollout", "undo", "set", "image", "-n", "-f", "--", "-A", "--replicas",
                         "--replicas=x", "-w", "--record", "create", "deploy", "x=y", "-", "--=", "---x", "-oyaml",
                         "help", "scale", "k", "label", "a-", "--watch=false", "-h", "api-resources", "explain"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=7))
def test_any_argv_only_raises_kube_errors(argv):
    try:
        parse(argv)
    except KubeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_line_tokenizes_or_kube_error(line):
    try:
        tokenize(line)
    except KubeError:
        pass
