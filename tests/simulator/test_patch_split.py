"""The patch split of issue 12: pure algorithms in simulator/patching/, the API server's PATCH
handling in simulator/api/patch_handler.py, and the patchStrategy/patchMergeKey tags in
simulator/api/schema.py (PATCH_TAGS, checked here against kubernetes/api core/v1/types.go,
apps/v1/types.go and apimachinery pkg/apis/meta/v1/types.go)."""
from __future__ import annotations

import ast
import pathlib

from simulator.api import schema
from simulator.api.schema import PATCH_TAGS, STRUCTS, patch_meta

ROOT = pathlib.Path(__file__).resolve().parents[2] / "simulator"


def test_every_tag_names_a_known_list_or_struct_field():
    for (struct, field), (strategies, key) in PATCH_TAGS.items():
        t = STRUCTS[struct][field]
        assert set(strategies) <= {"merge", "retainKeys", "replace"}
        if "merge" in strategies:
            assert isinstance(t, schema.ListOf), (struct, field)
            elem = t.elem
            if key:  # the merge key is a field of the element struct
                assert isinstance(elem, schema.Ref) and key in STRUCTS[elem.struct], (struct, field)
            else:  # a list of scalars merges as a set
                assert isinstance(elem, schema.Scalar), (struct, field)


def test_patch_meta_walks_the_schema():
    # kubernetes/api core/v1/types.go PodSpec.Containers: patchStrategy:"merge" patchMergeKey:"name"
    spec = patch_meta("Deployment").lookup("spec")[2]
    assert spec.lookup("strategy")[:2] == (("retainKeys",), "")
    pod = spec.lookup("template")[2].lookup("spec")[2]
    assert pod.lookup("containers")[:2] == (("merge",), "name")
    assert pod.lookup("volumes")[:2] == (("merge", "retainKeys"), "name")
    assert pod.lookup("tolerations")[:2] == ((), "")  # untagged: replaced
    container = pod.lookup("containers")[2]
    assert container.lookup("env")[:2] == (("merge",), "name")
    assert container.lookup("ports")[:2] == (("merge",), "containerPort")
    assert container.lookup("image")[2] is None
    assert patch_meta("Service").lookup("spec")[2].lookup("ports")[:2] == (("merge",), "port")
    # kinds without a struct keep ObjectMeta's tags (ownerReferences merge on uid)
    assert patch_meta("ConfigMap").lookup("metadata")[2].lookup("ownerReferences")[:2] == (("merge",), "uid")
    assert patch_meta("ConfigMap").lookup("data") == ((), "", None)


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add("." * node.level + node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_layers():
    # the algorithms know nothing of kubectl or of the request handling
    for path in (ROOT / "patching").glob("*.py"):
        for mod in _imports(path):
            assert "kubectl" not in mod and "patch_handler" not in mod, (path.name, mod)
    for mod in _imports(ROOT / "api" / "patch_handler.py"):
        assert "kubectl" not in mod, mod
    # no second field table: the tag tables live only in schema.py
    for path in list((ROOT / "patching").glob("*.py")) + [ROOT / "api" / "patch_handler.py"]:
        assert "patchMergeKey" not in path.read_text() or path.name == "strategic.py"
        assert "SCHEMAS" not in path.read_text()
    # kubectl's commands import the new homes, not the compatibility module
    for path in (ROOT / "kubectl" / "commands").glob("*.py"):
        assert not any(m.endswith("kubectl.patch") or m == "..patch" for m in _imports(path)), path.name
        assert "import patch as" not in path.read_text(), path.name
