"""Django for tests/web (and tests/browser, which imports these fixtures)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402

SAMPLE_DEPLOYMENT = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: kubia
    spec:
      replicas: 3
      selector:
        matchLabels:
          app: kubia
      template:
        metadata:
          name: kubia
          labels:
            app: kubia
        spec:
          containers:
          - image: luksa/kubia:v1
            name: nodejs
    """
)


def write_lesson(root: Path, folder: str, *, slug: str | None = None, order: int | None = None,
                 title_ko: str = "첫 디플로이먼트", title_en: str = "First Deployment",
                 setup: list[str] | None = None, files: dict[str, str] | None = None) -> Path:
    """Create a lesson folder in the format of tutorial/content/README.md."""
    path = root / folder
    (path / "manifests").mkdir(parents=True)
    meta = []
    if slug:
        meta.append(f"slug: {slug}")
    if order is not None:
        meta.append(f"order: {order}")
    if setup:
        meta.append("setup:")
        meta.extend(f"  - {line!r}" if line.startswith("#") else f"  - {line}" for line in setup)
    (path / "lesson.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    for language, title in (("ko", title_ko), ("en", title_en)):
        (path / f"lesson.{language}.md").write_text(
            f"---\ntitle: {title}\nsummary: {language} summary\n---\n\n"
            f"Text in {language}.\n\n```run\nkubectl create -f kubia-deployment.yaml\nkubectl get pods\n```\n\n"
            "```yaml\nkind: Deployment\n```\n",
            encoding="utf-8",
        )
    for name, text in (files or {"kubia-deployment.yaml": SAMPLE_DEPLOYMENT}).items():
        (path / "manifests" / name).write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lesson_root(tmp_path, settings):
    """A content folder with two lessons, used instead of tutorial/content."""
    root = tmp_path / "content"
    root.mkdir()
    write_lesson(root, "01-first-deployment", slug="first-deployment", order=1)
    write_lesson(root, "02-second", slug="second", order=2, title_ko="두 번째", title_en="Second")
    settings.LESSON_CONTENT_DIR = root
    return root


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
