"""Decoding `-f` files as kubectl does.

Upstream: apimachinery pkg/util/yaml/decoder.go (YAMLReader, YAMLOrJSONDecoder, GuessJSONStream),
cli-runtime pkg/resource/visitor.go (`error parsing %s: %v`), mapper.go (`unable to decode`,
`resource mapping not found ... ensure CRDs are installed first`), sigs.k8s.io/yaml
(`error converting YAML to JSON: %v`), go-yaml v2 resolve.go / parserc.go / scannerc.go.
"""
import pathlib

import pytest

from simulator.api.decode import decode_documents, decode_stream, go_resolve_plain
from simulator.api.errors import CLIError, KubeError, LimitExceeded

REF = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"


def render(text, source="f.yaml"):
    with pytest.raises(KubeError) as e:
        decode_documents(text, source)
    return e.value.render()


def test_bad_colon_fixture_line_and_wording():
    # go-yaml scanner errors report the 1-based line of the offending ':' (line 17 here: the file
    # has a 3-line comment header before the document)
    text = (REF / "err-bad-yaml-colon.yaml").read_text()
    assert render(text, "err-bad-yaml-colon.yaml") == (
        "error: error parsing err-bad-yaml-colon.yaml: error converting YAML to JSON: yaml: "
        "line 17: mapping values are not allowed in this context")


def test_line_numbers_are_relative_to_the_document():
    text = "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n"
    items = decode_stream(text, "f.yaml")
    assert items[0]["kind"] == "Pod"
    assert items[1].render() == ("error: error parsing f.yaml: error converting YAML to JSON: "
                                 "yaml: line 4: mapping values are not allowed in this context")


def test_parser_error_uses_go_yaml_zero_based_line():
    # parserc.go block mapping: "did not find expected key"; parser.fail() does not add 1
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n labels: {}\n"
    assert render(text) == ("error: error parsing f.yaml: error converting YAML to JSON: yaml: "
                            "line 4: did not find expected key")


def test_tab_indentation():
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n"
    assert render(text) == ("error: error parsing f.yaml: error converting YAML to JSON: yaml: "
                            "line 4: found character that cannot start any token")


def test_invalid_document_separator():
    assert render("apiVersion: v1\n--- kind: Pod\n") == (
        "error: error parsing f.yaml: invalid Yaml document separator: kind: Pod")


def test_retired_api_version_mapping_error():
    text = (REF / "kubia-deployment-v2.yaml").read_text()
    assert render(text, "kubia-deployment-v2.yaml") == (
        'error: resource mapping not found for name: "kubia" namespace: "" from '
        '"kubia-deployment-v2.yaml": no matches for kind "Deployment" in version "apps/v1beta1"\n'
        "ensure CRDs are installed first")


def test_mapping_error_does_not_stop_the_stream():
    text = (REF / "kubia-deployment-and-service-v1.yaml").read_text()
    items = decode_stream(text, "k.yaml")
    assert isinstance(items[0], CLIError) and "extensions" not in items[0].render()
    assert items[1]["kind"] == "Service"


def test_missing_kind_quotes_the_json_kubectl_built():
    assert render("apiVersion: v1\nmetadata:\n  name: x\n") == (
        "error: unable to decode \"f.yaml\": Object 'Kind' is missing in "
        "'{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}'")


def test_missing_api_version_for_apps_kind():
    assert render("kind: Deployment\nmetadata:\n  name: x\n") == (
        'error: resource mapping not found for name: "x" namespace: "" from "f.yaml": '
        'no matches for kind "Deployment" in version ""\nensure CRDs are installed first')


def test_core_kind_without_api_version_maps_to_v1():
    assert decode_documents("kind: Service\nmetadata: {name: s}\n", "f")[0]["apiVersion"] == "v1"


def test_flow_style_multi_document_files():
    objs = decode_documents((REF / "nginx-app.yaml").read_text(), "nginx-app.yaml")
    assert [o["kind"] for o in objs] == ["Service", "Deployment"]
    assert objs[1]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.14.2"
    upd = decode_documents((REF / "deployment-update.yaml").read_text(), "d.yaml")[0]
    assert upd["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"


def test_empty_documents_are_skipped():
    text = "---\n# only a comment\n---\n\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nnull\n"
    assert [o["kind"] for o in decode_documents(text, "f")] == ["Namespace"]


def test_json_stream():
    text = '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}\n' \
           '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}'
    assert [o["metadata"]["name"] for o in decode_documents(text, "f.json")] == ["a", "b"]


def test_json_syntax_errors_in_go_words():
    # encoding/json scanner.go messages, wrapped by YAMLOrJSONDecoder as `json: offset N: ...`
    assert render('{"a": 1,}', "f.json") == (
        "error: error parsing f.json: json: offset 9: invalid character '}' looking for "
        "beginning of object key string")
    assert render('{"a" 1}', "f.json") == (
        "error: error parsing f.json: json: offset 6: invalid character '1' after object key")
    assert render('{"a": [1 2]}', "f.json") == (
        "error: error parsing f.json: json: offset 10: invalid character '2' after array element")
    assert render('{"a": 1', "f.json") == "error: error parsing f.json: unexpected EOF"


def test_kind_list_is_flattened():
    text = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: a}
- apiVersion: apps/v1beta2
  kind: Deployment
  metadata: {name: d}
"""
    items = decode_stream(text, "l.yaml")
    assert items[0]["metadata"]["name"] == "a"
    assert items[1].render() == (
        'error: unable to recognize no matches for kind "Deployment" in version "apps/v1beta2"')


def test_scalar_document_is_not_an_object():
    assert render("hello\n") == ('error: unable to decode "f.yaml": json: cannot unmarshal '
                                 "string into Go value of type unstructured.detector")


@pytest.mark.parametrize("plain,expected", [
    ("on", True), ("yes", True), ("y", True), ("N", False), ("off", False), ("~", None),
    ("0755", 493), ("0x1F", 31), ("1_000", 1000), ("1e3", 1000.0), (".5", 0.5),
    ("1.10", 1.1), ("12:30", "12:30"), ("2001-12-14", "2001-12-14"), ("=", "="),
    ("0o17", 15), ("08", 8.0),
])
def test_go_yaml_v2_scalar_resolution(plain, expected):
    assert go_resolve_plain(plain)[1] == expected


def test_yaml_values_become_json_values():
    obj = decode_documents("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n"
                           "    on: 1.0\n    version: '1.10'\n", "f")[0]
    # a bool key becomes "true"; a whole float is an integer once it went through JSON
    assert obj["metadata"]["labels"] == {"true": 1, "version": "1.10"}


def test_tags_never_execute():
    obj = decode_documents("apiVersion: v1\nkind: Pod\nmetadata:\n"
                           "  name: !!python/object/apply:os.system ['true']\n", "f")[0]
    assert obj["metadata"]["name"] == ["true"]


def test_limits():
    with pytest.raises(LimitExceeded):
        decode_documents("a: " + "x" * (256 * 1024), "big.yaml")
    with pytest.raises(LimitExceeded):
        decode_documents("---\n".join("kind: Namespace\n" for _ in range(101)), "many.yaml")
    with pytest.raises(LimitExceeded):
        decode_documents("a: " + "[" * 70 + "]" * 70, "deep.yaml")
    with pytest.raises(LimitExceeded):
        decode_documents('{"a": ' + "[" * 70 + "]" * 70 + "}", "deep.json")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    with pytest.raises(LimitExceeded):
        decode_documents(bomb, "bomb.yaml")


def test_small_aliases_are_fine():
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: &l {app: x}\n" \
           "  annotations: *l\n"
    assert decode_documents(text, "f")[0]["metadata"]["annotations"] == {"app": "x"}


def test_every_reference_manifest_decodes_or_fails_like_kubectl():
    for path in sorted(REF.glob("*.y*ml")):
        if path.name == "SOURCES.yaml":
            continue
        for item in decode_stream(path.read_text(), path.name):
            if isinstance(item, KubeError):
                assert path.name.startswith(("err-bad", "kubia-deployment-v", "bg-",
                                             "kubia-deployment-and", "patch-file")), path.name


def test_decoded_manifests_are_reused_as_copies_and_errors_are_not_kept():
    """decode_stream keeps error-free results by (text, source): a second decode is equal, but a
    copy, so a caller changing what it got changes nothing for the next one."""
    from simulator.api import decode

    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cached-one\ndata:\n  a: b\n"
    first = decode.decode_stream(text, "c.yaml")
    first[0]["metadata"]["name"] = "changed"
    first[0]["data"]["a"] = "changed"
    second = decode.decode_stream(text, "c.yaml")
    assert second[0]["metadata"]["name"] == "cached-one" and second[0]["data"] == {"a": "b"}
    assert ("c.yaml" in decode.decode_stream(text + "---\nkind: [\n", "c.yaml")[-1].render())
    assert not any(key[0] == text + "---\nkind: [\n" for key in decode._DECODED)  # errors are decoded anew
    other = decode.decode_stream(text, "other.yaml")  # the source name is part of the key
    assert other == second and other[0] is not second[0]
