"""The lesson catalogue, read from content folders (format: tutorial/content/README.md).

A folder is `<NN>-<slug>/` with lesson.yaml, lesson.ko.md, lesson.en.md and manifests/.
Loading is forgiving: a broken folder is logged and skipped, never takes the site down.
The catalogue is cached and reloaded when any file under the content folder changes.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tutorial.curriculum.markdown import render_markdown
from tutorial.exercises import Exercise, ExerciseError, LessonExercises, load_exercises

logger = logging.getLogger(__name__)

LANGUAGES = ("ko", "en")
FOLDER_NAME = re.compile(r"^(?P<order>\d+)-(?P<slug>[a-z0-9][a-z0-9-]*)$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# Working-directory files: small text files only (the simulator limits input sizes too).
MAX_FILE_BYTES = 256 * 1024


class LessonError(ValueError):
    """A lesson folder that cannot be loaded (the message says why)."""


@dataclass(frozen=True)
class LessonText:
    language: str
    title: str
    summary: str
    html: str


@dataclass(frozen=True)
class Lesson:
    slug: str
    order: int
    folder: Path
    setup: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    texts: dict[str, LessonText] = field(default_factory=dict)
    # Parsed exercises.yaml (tutorial/exercises); a malformed file is logged and gives none.
    exercises: tuple[Exercise, ...] = ()

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == exercise_id), None)

    def for_grader(self) -> LessonExercises:
        """The same lesson in the shape tutorial.exercises.replay expects."""
        return LessonExercises(self.slug, self.order, self.folder, self.setup, dict(self.files), self.exercises)

    def text(self, language: str) -> LessonText:
        """The lesson in `language`, or in the other language while a translation is missing."""
        if language in self.texts:
            return self.texts[language]
        for other in LANGUAGES:
            if other in self.texts:
                return self.texts[other]
        return LessonText(language, self.slug, "", "")

    def has_language(self, language: str) -> bool:
        return language in self.texts


@dataclass(frozen=True)
class Catalogue:
    lessons: tuple[Lesson, ...]

    def get(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def neighbours(self, slug: str) -> tuple[Lesson | None, Lesson | None]:
        """(previous, next) lessons around `slug` in catalogue order."""
        for index, lesson in enumerate(self.lessons):
            if lesson.slug == slug:
                previous = self.lessons[index - 1] if index > 0 else None
                following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
                return previous, following
        return None, None


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split `---\\nyaml\\n---\\nbody` into (metadata, body); no front matter gives ({}, text)."""
    text = text.lstrip("\ufeff")
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = yaml.safe_load(match.group("yaml")) or {}
    if not isinstance(meta, dict):
        raise LessonError("front matter must be a mapping")
    return meta, text[match.end():]


def load_text(path: Path, language: str) -> LessonText:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    title = str(meta.get("title") or "").strip()
    if not title:
        # Fall back to the first heading so a missing front matter still gives a usable title.
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        title = heading.group(1).strip() if heading else path.parent.name
    return LessonText(
        language=language,
        title=title,
        summary=str(meta.get("summary") or "").strip(),
        html=render_markdown(body, language),
    )


def _read_small_text(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise LessonError(f"{path.name} is larger than {MAX_FILE_BYTES} bytes")
    return path.read_text(encoding="utf-8")


def load_files(folder: Path, declared: object) -> dict[str, str]:
    """The learner's working directory: every manifests/* file, plus `files:` from lesson.yaml.

    `files:` may be a list of paths relative to the lesson folder or a mapping name -> text.
    """
    files: dict[str, str] = {}
    manifests = folder / "manifests"
    if manifests.is_dir():
        for path in sorted(manifests.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                files[path.name] = _read_small_text(path)
    if isinstance(declared, dict):
        for name, text in declared.items():
            files[str(name)] = str(text)
    elif isinstance(declared, list):
        root = folder.resolve()
        for relative in declared:
            path = (folder / str(relative)).resolve()
            if root not in path.parents or not path.is_file():
                raise LessonError(f"files: {relative!r} is not a file inside the lesson folder")
            files[path.name] = _read_small_text(path)
    elif declared is not None:
        raise LessonError("files: must be a list or a mapping")
    return files


def load_lesson(folder: Path) -> Lesson:
    """Load one lesson folder; raises LessonError (or OSError/YAMLError) when it is broken."""
    name_match = FOLDER_NAME.match(folder.name)
    meta = yaml.safe_load((folder / "lesson.yaml").read_text(encoding="utf-8")) or {}
    if not isinstance(meta, dict):
        raise LessonError("lesson.yaml must be a mapping")
    slug = str(meta.get("slug") or (name_match.group("slug") if name_match else ""))
    if not SLUG.match(slug):
        raise LessonError(f"invalid slug {slug!r}")
    order_value = meta.get("order", name_match.group("order") if name_match else None)
    try:
        order = int(order_value)
    except (TypeError, ValueError):
        raise LessonError(f"invalid order {order_value!r}") from None
    setup = meta.get("setup") or []
    if not isinstance(setup, list) or not all(isinstance(line, (str, int, float)) for line in setup):
        raise LessonError("setup: must be a list of command lines")
    texts = {}
    for language in LANGUAGES:
        path = folder / f"lesson.{language}.md"
        if path.is_file():
            texts[language] = load_text(path, language)
    if not texts:
        raise LessonError("no lesson.ko.md or lesson.en.md")
    return Lesson(
        slug=slug,
        order=order,
        folder=folder,
        setup=tuple(str(line) for line in setup),
        files=load_files(folder, meta.get("files")),
        texts=texts,
        exercises=_load_exercises(folder),
    )


def _load_exercises(folder: Path) -> tuple[Exercise, ...]:
    path = folder / "exercises.yaml"
    if not path.is_file():
        return ()
    try:
        return load_exercises(path)
    except ExerciseError as exc:
        logger.warning("Lesson %s has no exercises: %s", folder.name, exc)
        return ()


def load_catalogue(root: Path) -> Catalogue:
    lessons: list[Lesson] = []
    seen: set[str] = set()
    if not root.is_dir():
        return Catalogue(())
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or not (folder / "lesson.yaml").is_file():
            continue
        try:
            lesson = load_lesson(folder)
        except (LessonError, OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            logger.warning("Skipping lesson folder %s: %s", folder.name, exc)
            continue
        if lesson.slug in seen:
            logger.warning("Skipping lesson folder %s: duplicate slug %r", folder.name, lesson.slug)
            continue
        seen.add(lesson.slug)
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.folder.name))
    return Catalogue(tuple(lessons))


def _fingerprint(root: Path) -> tuple:
    """Changes whenever a file under root is added, removed or modified."""
    if not root.is_dir():
        return ()
    entries = []
    for path in root.rglob("*"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


_cache: dict[Path, tuple[tuple, Catalogue]] = {}
_cache_lock = threading.Lock()
_checked: dict[Path, float] = {}  # root → time.monotonic() of the last fingerprint that matched
FRESH_SECONDS = 1.0  # an edit shows within a second; in between nobody looks at the disk


def _root(root: Path | None) -> Path:
    if root is None:
        from django.conf import settings

        root = Path(settings.LESSON_CONTENT_DIR)
    return root


def get_catalogue(root: Path | None = None) -> Catalogue:
    """The catalogue for `root` (default settings.LESSON_CONTENT_DIR), reloaded after edits."""
    root = _root(root)
    fingerprint = _fingerprint(root)
    with _cache_lock:
        cached = _cache.get(root)
        if cached and cached[0] == fingerprint:
            _checked[root] = time.monotonic()
            return cached[1]
    catalogue = load_catalogue(root)
    with _cache_lock:
        _cache[root] = (fingerprint, catalogue)
        _checked[root] = time.monotonic()
    return catalogue


def recent_catalogue(root: Path | None = None) -> Catalogue | None:
    """The catalogue as checked against the disk less than FRESH_SECONDS ago, without any I/O (for
    the event loop: a socket's connect need not wait for a thread); None when it is older."""
    root = _root(root)
    with _cache_lock:
        cached = _cache.get(root)
        if cached and time.monotonic() - _checked.get(root, -1e9) < FRESH_SECONDS:
            return cached[1]
    return None
