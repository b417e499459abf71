"""The loader: located error messages for malformed content, and (hypothesis) malformed exercise
data of any shape gives ExerciseError, never a crash; whatever it accepts can be graded."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutorial.exercises import ExerciseError, grade, load_lesson, parse_exercises, replay
from tutorial.exercises.checks import Context, evaluate
from tutorial.exercises.loader import CONTENT_ROOT

VALID = yaml.safe_load((CONTENT_ROOT / "09-canary" / "exercises.yaml").read_text(encoding="utf-8"))


def _error(data) -> str:
    with pytest.raises(ExerciseError) as err:
        parse_exercises(data, "09-canary/exercises.yaml")
    return str(err.value)


def test_valid_content_loads():
    exercises = parse_exercises(VALID)
    assert [e.id for e in exercises] == ["canary-paused", "canary-promoted"]
    paused = exercises[0]
    assert [c.id for c in paused.checks] == ["image-v4", "paused", "canary-ready", "old-still-serving"]
    assert [c.kind for c in paused.checks] == ["image", "paused", "count", "count"]
    assert paused.wrong_attempts[0].fails == ("canary-ready",)
    assert paused.solution[1] == "# advance 2"


def test_errors_name_file_exercise_and_place():
    data = copy.deepcopy(VALID)
    data["exercises"][0]["checks"][2]["count"]["redy"] = True
    assert _error(data).startswith(
        "09-canary/exercises.yaml: exercise 'canary-paused': checks[2] (id 'canary-ready'): count: unknown key 'redy'")

    data = copy.deepcopy(VALID)
    data["exercises"][1]["wrong_attempts"][0]["fails"] = ["used-pause", "used-pauze"]
    assert _error(data) == ("09-canary/exercises.yaml: exercise 'canary-promoted': wrong_attempts[0]: fails names "
                            "'used-pauze', which is not a check id of this exercise")

    data = copy.deepcopy(VALID)
    del data["exercises"][0]["checks"][1]["message"]["en"]
    assert _error(data) == ("09-canary/exercises.yaml: exercise 'canary-paused': checks[1] (id 'paused'): "
                            "message: needs a non-empty en text")

    data = copy.deepcopy(VALID)
    data["exercises"][0]["mistakes"][0]["when"] = {"count": {"kind": "pods"}}
    assert _error(data).startswith("09-canary/exercises.yaml: exercise 'canary-paused': mistakes[0]: when: count: "
                                   "needs one comparison")

    data = copy.deepcopy(VALID)
    data["exercises"][0]["solution"][1] = "# advance soon"
    assert _error(data) == ("09-canary/exercises.yaml: exercise 'canary-paused': solution[1]: write "
                            "'# advance N' with N seconds (got '# advance soon')")

    data = copy.deepcopy(VALID)
    data["exercises"][1]["id"] = "canary-paused"
    assert _error(data) == "09-canary/exercises.yaml: exercise id 'canary-paused' is used twice"

    data = copy.deepcopy(VALID)
    data["exercises"][0]["checks"].append(dict(data["exercises"][0]["checks"][0]))
    assert "check id 'image-v4' is used twice" in _error(data)

    assert _error([]) == "09-canary/exercises.yaml: must be a mapping with an exercises: list"
    assert _error({"exercise": []}).endswith("unknown top-level key 'exercise' (only exercises)")
    assert _error({"exercises": [{"id": "Bad Id"}]}).endswith(
        "exercises[0]: id must be lowercase letters, digits and dashes (got 'Bad Id')")


def _lesson_folder(tmp_path: Path, lesson_yaml: str, exercises_yaml: str | None) -> Path:
    folder = tmp_path / "07-broken"
    (folder / "manifests").mkdir(parents=True)
    (folder / "manifests" / "a.yaml").write_text("kind: Pod\n", encoding="utf-8")
    (folder / "lesson.yaml").write_text(lesson_yaml, encoding="utf-8")
    if exercises_yaml is not None:
        (folder / "exercises.yaml").write_text(exercises_yaml, encoding="utf-8")
    return folder


def test_load_lesson_folder(tmp_path):
    folder = _lesson_folder(tmp_path, "slug: broken\norder: 7\nsetup: [kubectl get pods, '# advance 3']\n",
                            yaml.safe_dump(VALID, allow_unicode=True))
    lesson = load_lesson(folder)
    assert (lesson.slug, lesson.order, lesson.setup) == ("broken", 7, ("kubectl get pods", "# advance 3"))
    assert lesson.files == {"a.yaml": "kind: Pod\n"}
    assert lesson.exercise("canary-promoted").lesson == "broken"


@pytest.mark.parametrize("lesson_yaml,exercises_yaml,message", [
    ("slug: broken\n", "exercises: [\n", "07-broken/exercises.yaml: invalid YAML"),
    ("slug: [\n", None, "07-broken/lesson.yaml: invalid YAML"),
    ("- a\n", None, "07-broken/lesson.yaml: must be a mapping"),
    ("slug: Broken!\n", None, "07-broken/lesson.yaml: invalid slug 'Broken!'"),
    ("order: seven\n", None, "07-broken/lesson.yaml: invalid order 'seven'"),
    ("setup: kubectl get pods\n", None, "07-broken/lesson.yaml: setup: must be a list"),
    ("setup: [{a: 1}]\n", None, "07-broken/lesson.yaml: setup[0]: must be a command line (text), not dict"),
    ("files: [../../etc/passwd]\n", None, "07-broken/lesson.yaml: files: '../../etc/passwd' is not a file"),
    ("slug: broken\n", "exercises: []\n", "07-broken/exercises.yaml: exercises: must list"),
])
def test_broken_lesson_folders(tmp_path, lesson_yaml, exercises_yaml, message):
    folder = _lesson_folder(tmp_path, lesson_yaml, exercises_yaml)
    with pytest.raises(ExerciseError) as err:
        load_lesson(folder)
    assert str(err.value).startswith(message)


def test_exercises_yaml_not_utf8(tmp_path):
    folder = _lesson_folder(tmp_path, "slug: broken\n", None)
    (folder / "exercises.yaml").write_bytes(b"exercises:\n - id: \xff\xfe\n")
    with pytest.raises(ExerciseError, match="^07-broken/exercises.yaml: not UTF-8 text$"):
        load_lesson(folder)


# ---- hypothesis --------------------------------------------------------------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["deployment/kubia", "pods", "kubia", "^(", "latest",
                                                           "equals", "app=kubia", "# advance 5", "ko", "en"]))
junk = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
                                                         ["id", "checks", "when", "message", "count", "field", "kind",
                                                          "equals", "at_least", "path", "object", "exercises"])),
                                                         inner, max_size=4)), max_leaves=20)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = list(_paths(VALID))[1:]


def _mutate(data, path, how, value):
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "replace":
        parent[last] = value
    elif how == "rename" and isinstance(parent, dict):
        parent[f"{last}x"] = parent.pop(last)
    else:  # wrap the value into a list, a classic YAML indentation slip
        parent[last] = [parent[last]]
    return data


def _canary_cluster():
    lesson = load_lesson(CONTENT_ROOT / "09-canary")
    cluster, since, _ = replay(lesson, lesson.exercises[0].solution)
    return cluster, since


GRADING_CLUSTER, GRADING_SINCE = _canary_cluster()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "rename", "wrap"]), junk)
def test_mutated_content_gives_loader_errors_not_crashes(path, how, value):
    data = _mutate(VALID, path, how, value)
    try:
        exercises = parse_exercises(data, "09-canary/exercises.yaml")
    except ExerciseError as err:
        assert str(err).startswith("09-canary/exercises.yaml: ")
        return
    for exercise in exercises:  # whatever the loader accepts must evaluate without raising
        ctx = Context(GRADING_CLUSTER, GRADING_SINCE)
        for condition in [*(c.condition for c in exercise.checks), *(m.condition for m in exercise.mistakes)]:
            assert isinstance(evaluate(condition, ctx).passed, bool)
        result = grade(GRADING_CLUSTER, exercise, since=GRADING_SINCE, lang="en")
        assert len(result.checks) == len(exercise.checks)


@settings(max_examples=300, deadline=None)
@given(junk)
def test_arbitrary_data_gives_loader_errors_not_crashes(data):
    try:
        parse_exercises(data, "x/exercises.yaml")
    except ExerciseError as err:
        assert str(err).startswith("x/exercises.yaml: ")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_yaml_text_gives_loader_errors(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("lesson") / "03-x"
    folder.mkdir()
    (folder / "lesson.yaml").write_text("slug: x\n", encoding="utf-8")
    (folder / "exercises.yaml").write_text(text, encoding="utf-8")
    try:
        load_lesson(folder)
    except ExerciseError as err:
        assert str(err).startswith("03-x/exercises.yaml: ")
