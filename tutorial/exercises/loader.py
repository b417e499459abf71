"""Read and validate a lesson's lesson.yaml and exercises.yaml (format: tutorial/content/README.md).

Loading is strict: anything malformed raises ExerciseError whose text names the file, the
exercise and the place, e.g. `09-canary/exercises.yaml: exercise 'canary-paused': checks[2]
(id 'canary-ready'): count: unknown key 'redy'`. The web decides whether to skip such a lesson.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .checks import Condition, parse_condition
from .comparisons import SpecError

CONTENT_ROOT = Path(__file__).resolve().parent.parent / "content"
LANGUAGES = ("ko", "en")
MAX_FILE_BYTES = 256 * 1024
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_FOLDER = re.compile(r"^(?P<order>\d+)-(?P<slug>[a-z0-9][a-z0-9-]*)$")
# `# advance N` in setup and scripts lets N simulated seconds pass (README "lesson.yaml").
ADVANCE = re.compile(r"^#\s*advance\s+(\d+(?:\.\d+)?)\s*$")
MAX_ADVANCE_SECONDS = 3600.0


class ExerciseError(ValueError):
    """Malformed lesson or exercise data; the message says where and why."""


@dataclass(frozen=True)
class Check:
    id: str
    condition: Condition
    message: dict[str, str]

    @property
    def kind(self) -> str:
        return self.condition.kind


@dataclass(frozen=True)
class Mistake:
    condition: Condition
    message: dict[str, str]


@dataclass(frozen=True)
class WrongAttempt:
    commands: tuple[str, ...]
    fails: tuple[str, ...]


@dataclass(frozen=True)
class Exercise:
    id: str
    goal: dict[str, str]
    hints: tuple[dict[str, str], ...]
    checks: tuple[Check, ...]
    mistakes: tuple[Mistake, ...] = ()
    solution: tuple[str, ...] = ()
    wrong_attempts: tuple[WrongAttempt, ...] = ()
    lesson: str = ""  # the lesson slug, when loaded from a folder


@dataclass(frozen=True)
class LessonExercises:
    slug: str
    order: int
    folder: Path
    setup: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)
    exercises: tuple[Exercise, ...] = ()

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)


def text(value: dict[str, str], lang: str) -> str:
    """A {ko, en} text in `lang`, falling back to the other language."""
    if lang in value:
        return value[lang]
    return next((value[other] for other in LANGUAGES if other in value), "")


# ---- small validators --------------------------------------------------------------------------

def _texts(value, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise SpecError(f"{where}: must be a mapping {{ko: \"…\", en: \"…\"}}")
    for key in value:
        if key not in LANGUAGES:
            raise SpecError(f"{where}: unknown language {key!r} (use ko and en)")
    for lang in LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise SpecError(f"{where}: needs a non-empty {lang} text")
    return {lang: value[lang] for lang in LANGUAGES}


def _list(value, where: str, *, required: bool = False) -> list:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise SpecError(f"{where}: must be a list")
    return value


def _id(value, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise SpecError(f"{where}: id must be lowercase letters, digits and dashes (got {value!r})")
    return value


def parse_script(value, where: str, *, required: bool = False) -> tuple[str, ...]:
    """Command lines, with `# advance N` and other comments."""
    lines = _list(value, where, required=required)
    if required and not lines:
        raise SpecError(f"{where}: must list at least one command")
    out = []
    for i, line in enumerate(lines):
        if not isinstance(line, str):
            raise SpecError(f"{where}[{i}]: must be a command line (text), not {type(line).__name__}")
        stripped = line.strip()
        if stripped.startswith("#") and re.match(r"^#\s*advance\b", stripped):
            m = ADVANCE.match(stripped)
            if not m:
                raise SpecError(f"{where}[{i}]: write '# advance N' with N seconds (got {line!r})")
            if float(m.group(1)) > MAX_ADVANCE_SECONDS:
                raise SpecError(f"{where}[{i}]: advance at most {int(MAX_ADVANCE_SECONDS)} seconds at once")
        out.append(line)
    return tuple(out)


# ---- exercises ---------------------------------------------------------------------------------

_EXERCISE_KEYS = {"id", "goal", "hints", "checks", "mistakes", "solution", "wrong_attempts"}


def _check(raw, where: str) -> Check:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a mapping with id, one check kind and message")
    cid = _id(raw.get("id"), where)
    where = f"{where} (id {cid!r})"
    if "message" not in raw:
        raise SpecError(f"{where}: needs a message {{ko, en}}")
    message = _texts(raw["message"], f"{where}: message")
    return Check(cid, parse_condition(raw, where, ignore=("id", "message")), message)


def _mistake(raw, where: str) -> Mistake:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a mapping with when and message")
    for key in raw:
        if key not in ("when", "message"):
            raise SpecError(f"{where}: unknown key {key!r} (use when and message)")
    if "when" not in raw:
        raise SpecError(f"{where}: needs when: <one check body>")
    condition = parse_condition(raw["when"], f"{where}: when")
    return Mistake(condition, _texts(raw.get("message"), f"{where}: message"))


def _wrong_attempt(raw, where: str, check_ids: set[str]) -> WrongAttempt:
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a mapping with commands and fails")
    for key in raw:
        if key not in ("commands", "fails"):
            raise SpecError(f"{where}: unknown key {key!r} (use commands and fails)")
    commands = parse_script(raw.get("commands"), f"{where}: commands", required=True)
    fails = _list(raw.get("fails"), f"{where}: fails", required=True)
    if not fails:
        raise SpecError(f"{where}: fails must name at least one check id")
    for cid in fails:
        if not isinstance(cid, str) or cid not in check_ids:
            raise SpecError(f"{where}: fails names {cid!r}, which is not a check id of this exercise")
    return WrongAttempt(commands, tuple(fails))


def parse_exercise(raw, where: str = "exercise", lesson: str = "") -> Exercise:
    """One exercise mapping → Exercise (SpecError on malformed data)."""
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: must be a mapping")
    eid = _id(raw.get("id"), where)
    where = f"exercise {eid!r}"
    for key in raw:
        if key not in _EXERCISE_KEYS:
            raise SpecError(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(_EXERCISE_KEYS))})")
    goal = _texts(raw.get("goal"), f"{where}: goal")
    hints = tuple(_texts(h, f"{where}: hints[{i}]") for i, h in enumerate(_list(raw.get("hints"), f"{where}: hints")))
    raw_checks = _list(raw.get("checks"), f"{where}: checks", required=True)
    if not raw_checks:
        raise SpecError(f"{where}: checks must list at least one check")
    checks = tuple(_check(c, f"{where}: checks[{i}]") for i, c in enumerate(raw_checks))
    ids = [c.id for c in checks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SpecError(f"{where}: check id {dupes[0]!r} is used twice")
    mistakes = tuple(_mistake(m, f"{where}: mistakes[{i}]")
                     for i, m in enumerate(_list(raw.get("mistakes"), f"{where}: mistakes")))
    solution = parse_script(raw.get("solution"), f"{where}: solution", required=True)
    wrong = tuple(_wrong_attempt(w, f"{where}: wrong_attempts[{i}]", set(ids))
                  for i, w in enumerate(_list(raw.get("wrong_attempts"), f"{where}: wrong_attempts")))
    return Exercise(eid, goal, hints, checks, mistakes, solution, wrong, lesson)


def parse_exercises(data, source: str = "exercises.yaml", lesson: str = "") -> tuple[Exercise, ...]:
    """The parsed content of an exercises.yaml → exercises; ExerciseError names `source`."""
    try:
        if not isinstance(data, dict):
            raise SpecError("must be a mapping with an exercises: list")
        for key in data:
            if key != "exercises":
                raise SpecError(f"unknown top-level key {key!r} (only exercises)")
        raws = _list(data.get("exercises"), "exercises", required=True)
        if not raws:
            raise SpecError("exercises: must list at least one exercise")
        exercises = []
        for i, raw in enumerate(raws):
            exercises.append(parse_exercise(raw, f"exercises[{i}]", lesson))
    except SpecError as err:
        raise ExerciseError(f"{source}: {err}") from None
    except RecursionError:
        raise ExerciseError(f"{source}: nested too deeply") from None
    ids = [e.id for e in exercises]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ExerciseError(f"{source}: exercise id {dupes[0]!r} is used twice")
    return tuple(exercises)


def _read_yaml(path: Path, source: str):
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ExerciseError(f"{source}: cannot read: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ExerciseError(f"{source}: larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ExerciseError(f"{source}: not UTF-8 text") from None
    except yaml.YAMLError as err:
        raise ExerciseError(f"{source}: invalid YAML: {err}") from None


def load_exercises(path: Path) -> tuple[Exercise, ...]:
    path = Path(path)
    source = f"{path.parent.name}/{path.name}"
    return parse_exercises(_read_yaml(path, source), source, lesson=_slug_from_folder(path.parent))


def _slug_from_folder(folder: Path) -> str:
    m = _FOLDER.match(folder.name)
    return m.group("slug") if m else folder.name


# ---- lessons -----------------------------------------------------------------------------------

def _small_text(path: Path, source: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ExerciseError(f"{source}: cannot read {path.name}: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ExerciseError(f"{source}: {path.name} is larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ExerciseError(f"{source}: {path.name} is not UTF-8 text") from None


def _working_files(folder: Path, declared, source: str) -> dict[str, str]:
    """manifests/* plus lesson.yaml `files:` — the same set tutorial/curriculum/catalogue.py loads."""
    files: dict[str, str] = {}
    manifests = folder / "manifests"
    if manifests.is_dir():
        for path in sorted(manifests.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                files[path.name] = _small_text(path, source)
    if isinstance(declared, dict):
        for name, body in declared.items():
            files[str(name)] = str(body)
    elif isinstance(declared, list):
        root = folder.resolve()
        for relative in declared:
            path = (folder / str(relative)).resolve()
            if root not in path.parents or not path.is_file():
                raise ExerciseError(f"{source}: files: {relative!r} is not a file inside the lesson folder")
            files[path.name] = _small_text(path, source)
    elif declared is not None:
        raise ExerciseError(f"{source}: files: must be a list or a mapping")
    return files


def load_lesson(folder: Path) -> LessonExercises:
    """A lesson folder's setup, working files and exercises (no exercises.yaml: none)."""
    folder = Path(folder)
    source = f"{folder.name}/lesson.yaml"
    meta = _read_yaml(folder / "lesson.yaml", source)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ExerciseError(f"{source}: must be a mapping")
    m = _FOLDER.match(folder.name)
    slug = meta.get("slug") or (m.group("slug") if m else "")
    if not isinstance(slug, str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", slug):
        raise ExerciseError(f"{source}: invalid slug {slug!r}")
    order = meta.get("order", m.group("order") if m else None)
    try:
        order = int(order)
    except (TypeError, ValueError):
        raise ExerciseError(f"{source}: invalid order {order!r}") from None
    try:
        setup = parse_script(meta.get("setup"), "setup")
    except SpecError as err:
        raise ExerciseError(f"{source}: {err}") from None
    files = _working_files(folder, meta.get("files"), source)
    exercises: tuple[Exercise, ...] = ()
    if (folder / "exercises.yaml").is_file():
        exercises = parse_exercises(_read_yaml(folder / "exercises.yaml", f"{folder.name}/exercises.yaml"),
                                    f"{folder.name}/exercises.yaml", lesson=slug)
    return LessonExercises(slug, order, folder, setup, files, exercises)


def load_all(root: Path = CONTENT_ROOT) -> list[LessonExercises]:
    """Every lesson folder under `root` in order; the first malformed one raises ExerciseError."""
    root = Path(root)
    lessons = [load_lesson(folder) for folder in sorted(root.iterdir())
               if folder.is_dir() and (folder / "lesson.yaml").is_file()] if root.is_dir() else []
    lessons.sort(key=lambda lesson: (lesson.order, lesson.folder.name))
    return lessons


__all__ = ["ExerciseError", "Exercise", "Check", "Mistake", "WrongAttempt", "LessonExercises", "text",
           "parse_exercise", "parse_exercises", "load_exercises", "load_lesson", "load_all", "parse_script",
           "CONTENT_ROOT", "ADVANCE"]
