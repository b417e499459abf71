"""Bare and boolean `--dry-run` (kubectl pkg/cmd/util/helpers.go GetDryRunStrategy, v1.34):

    case cmd.Flag("dry-run").NoOptDefVal:   // "unchanged", what a bare --dry-run stands for
        klog.Warning(`--dry-run is deprecated and can be replaced with --dry-run=client.`)
        return DryRunClient, nil
    ... a strconv.ParseBool value: klog.Warningf(`--dry-run=%v is deprecated (boolean value) and
    can be replaced with --dry-run=%s.`, ...) and client (true) or none (false)

The boolean/bare forms were removed in 1.23.0 and restored in 1.23.1 (kubernetes#107003).
"""
import pytest

from simulator import Cluster
from simulator.kubectl import klog

BARE = "W0101 09:00:00.000000   41822 helpers.go:663] --dry-run is deprecated and can be replaced with --dry-run=client.\n"


@pytest.fixture
def c():
    return Cluster(seed=3)


def test_bare_dry_run_is_client_with_a_klog_warning(c):
    r = c.run("kubectl create deployment web --image=nginx --dry-run")
    assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/web created (dry run)\n", BARE, 0)
    assert c.get("Deployment", "default", "web") is None


def test_bare_dry_run_before_output_flag_prints_the_manifest(c):
    r = c.run("kubectl run tmp --image=busybox --dry-run -o yaml")
    assert r.stderr == BARE
    assert r.stdout.startswith("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: tmp\n  name: tmp\n")
    assert c.get("Pod", "default", "tmp") is None


@pytest.mark.parametrize("value,mode", [("true", "client"), ("True", "client"), ("1", "client"), ("t", "client"),
                                        ("false", "none"), ("0", "none"), ("F", "none")])
def test_boolean_values_warn_and_map(c, value, mode):
    r = c.run(f"kubectl create deployment web --image=nginx --dry-run={value}")
    assert r.stderr == (f"W0101 09:00:00.000000   41822 helpers.go:663] --dry-run={value} is deprecated (boolean value) "
                        f"and can be replaced with --dry-run={mode}.\n")
    created = c.get("Deployment", "default", "web") is not None
    assert created == (mode == "none")
    assert r.stdout == "deployment.apps/web created" + (" (dry run)" if mode == "client" else "") + "\n"


@pytest.mark.parametrize("value", ["", "bogus", "yes", "Client"])
def test_other_values_are_refused(c, value):
    r = c.run(f"kubectl create deployment web --image=nginx --dry-run={value}")
    assert r.stderr == f'error: Invalid dry-run value ({value}). Must be "none", "server", or "client".\n'
    assert r.exit_code == 1 and c.get("Deployment", "default", "web") is None


def test_explicit_values_do_not_warn(c):
    for value in ("client", "server", "none"):
        r = c.run(f"kubectl create deployment web-{value} --image=nginx --dry-run={value}")
        assert r.stderr == "" and r.exit_code == 0


def test_klog_header_follows_the_simulated_clock(c):
    c.advance(3725.25)  # 10:02:05.25 on the cluster's epoch day
    r = c.run("kubectl scale deployment nope --replicas=2 --dry-run")
    assert r.stderr.startswith("W0101 10:02:05.250000   41822 helpers.go:663] --dry-run is deprecated")
    assert klog.line(c._eng, "I", "x.go:1", "m") == "I0101 10:02:05.250000   41822 x.go:1] m\n"


def test_help_does_not_read_the_flag(c):
    r = c.run("kubectl create deployment --dry-run -h")
    assert "helpers.go" not in r.stderr
