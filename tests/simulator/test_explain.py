"""kubectl explain layout (pkg/explain/v2/templates/plaintext.tmpl) and errors."""
import pytest

from simulator.api.errors import KubeError
from simulator.kubectl.explain import explain


def test_field_header_and_description():
    out = explain("deployment.spec.replicas")
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n")
    assert "Defaults to 1." in out


def test_core_kind_has_no_group_and_lists_fields():
    out = explain("pods")
    assert out.startswith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n")
    assert "FIELDS:\n  apiVersion\t<string>\n" in out


def test_required_marker_and_recursive():
    assert "  selector\t<LabelSelector> -required-\n" in explain("deploy.spec")
    rec = explain("deploy.spec.strategy", recursive=True)
    assert "  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n" in rec


def test_unknown_field():
    with pytest.raises(KubeError) as e:
        explain("deployment.spec.foo")
    assert e.value.render() == 'error: field "foo" does not exist'
