"""Console output that the differential suite (tests/differential) found differing from the real
kubectl v1.34.5; each test names the upstream file that prints it."""
from __future__ import annotations

import pytest

from simulator import Cluster


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.fixture
def web():
    c = Cluster(seed=0)
    _run(c, "kubectl create deployment web --image=nginx:1.25 --replicas=2")
    c.advance(30)
    return c


def test_delete_dry_run_marker_follows_namespace(web):
    # kubectl pkg/cmd/delete/delete.go PrintObj: "deleted" + " from NS namespace" + " (server dry run)"
    r = _run(web, "kubectl delete deployment web --dry-run=server")
    assert r.stdout == 'deployment.apps "web" deleted from default namespace (server dry run)\n'
    r = _run(web, "kubectl delete deployment web --dry-run=client")
    assert r.stdout == 'deployment.apps "web" deleted from default namespace (dry run)\n'
    r = _run(web, "kubectl delete deployment web --dry-run=client --force")
    assert r.stdout == 'deployment.apps "web" force deleted from default namespace (dry run)\n'
    assert web.get("Deployment", "default", "web") is not None


def test_rollout_undo_prints_no_last_applied_warning():
    # kubectl pkg/cmd/rollout/rollout_undo.go at v0.34.5 warns about nothing
    c = Cluster(seed=0)
    c.files["d.yaml"] = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
                         "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                         "    spec: {containers: [{name: c, image: 'nginx:1.25'}]}\n")
    _run(c, "kubectl apply -f d.yaml")
    c.advance(30)
    _run(c, "kubectl set image deployment web c=nginx:1.26")
    c.advance(30)
    r = _run(c, "kubectl rollout undo deployment web")
    assert (r.stdout, r.stderr) == ("deployment.apps/web rolled back\n", "")
