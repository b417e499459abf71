"""The lesson loader: format of tutorial/content/README.md, and robustness to broken folders."""

from __future__ import annotations

import time

from tests.web.conftest import write_lesson
from tutorial.curriculum.catalogue import (
    get_catalogue,
    load_catalogue,
    split_front_matter,
)


def test_loads_lessons_in_order_with_texts_files_and_setup(tmp_path):
    write_lesson(tmp_path, "02-later", slug="later", order=2)
    write_lesson(tmp_path, "01-first", order=None, setup=["kubectl create -f kubia-deployment.yaml", "# advance 30"])
    catalogue = load_catalogue(tmp_path)
    assert [lesson.slug for lesson in catalogue.lessons] == ["first", "later"]  # slug/order from folder name
    first = catalogue.get("first")
    assert first.order == 1
    assert first.setup == ("kubectl create -f kubia-deployment.yaml", "# advance 30")
    assert "kubia-deployment.yaml" in first.files and "luksa/kubia:v1" in first.files["kubia-deployment.yaml"]
    assert first.text("ko").title == "첫 디플로이먼트"
    assert first.text("en").title == "First Deployment"
    assert first.text("en").summary == "en summary"
    assert catalogue.neighbours("first") == (None, catalogue.get("later"))
    assert catalogue.neighbours("later") == (first, None)
    assert catalogue.get("missing") is None


def test_run_fence_becomes_console_buttons_and_other_fences_stay_code(tmp_path):
    write_lesson(tmp_path, "01-first")
    html = load_catalogue(tmp_path).get("first").text("en").html
    assert 'class="run-block"' in html
    assert 'data-command="kubectl create -f kubia-deployment.yaml"' in html
    assert 'data-command="kubectl get pods"' in html
    assert '<code class="language-yaml">kind: Deployment' in html
    ko_html = load_catalogue(tmp_path).get("first").text("ko").html
    assert 'title="콘솔로 보내기"' in ko_html  # button labels follow the text's language


def test_markdown_escapes_raw_html_and_commands(tmp_path):
    path = write_lesson(tmp_path, "01-first")
    (path / "lesson.en.md").write_text(
        '---\ntitle: T\n---\n<script>alert(1)</script>\n\n```run\necho "<b>" & done\n```\n', encoding="utf-8")
    html = load_catalogue(tmp_path).get("first").text("en").html
    assert "<script>" not in html
    assert 'data-command="echo &quot;&lt;b&gt;&quot; &amp; done"' in html


def test_broken_folders_are_skipped_not_fatal(tmp_path, caplog):
    write_lesson(tmp_path, "01-good")
    bad_yaml = write_lesson(tmp_path, "02-bad-yaml")
    (bad_yaml / "lesson.yaml").write_text("slug: [unclosed\n", encoding="utf-8")
    no_text = write_lesson(tmp_path, "03-no-text")
    for language in ("ko", "en"):
        (no_text / f"lesson.{language}.md").unlink()
    write_lesson(tmp_path, "04-duplicate", slug="good")
    bad_slug = write_lesson(tmp_path, "05-bad-slug", slug="Not A Slug")
    bad_setup = write_lesson(tmp_path, "06-bad-setup")
    (bad_setup / "lesson.yaml").write_text("setup: kubectl get pods\n", encoding="utf-8")
    (tmp_path / "07-not-a-lesson").mkdir()  # no lesson.yaml: ignored silently
    (tmp_path / "README.md").write_text("# content\n", encoding="utf-8")
    catalogue = load_catalogue(tmp_path)
    assert [lesson.slug for lesson in catalogue.lessons] == ["good"]
    assert caplog.text.count("Skipping lesson folder") == 5


def test_missing_language_falls_back_to_the_other(tmp_path):
    path = write_lesson(tmp_path, "01-only-korean")
    (path / "lesson.en.md").unlink()
    lesson = load_catalogue(tmp_path).get("only-korean")
    assert not lesson.has_language("en")
    assert lesson.text("en").title == "첫 디플로이먼트"


def test_empty_or_missing_root_gives_empty_catalogue(tmp_path):
    assert load_catalogue(tmp_path).lessons == ()
    assert load_catalogue(tmp_path / "nowhere").lessons == ()


def test_front_matter():
    assert split_front_matter("---\ntitle: 제목\nsummary: s\n---\n# Body\n") == ({"title": "제목", "summary": "s"}, "# Body\n")
    assert split_front_matter("# No front matter\n") == ({}, "# No front matter\n")
    assert split_front_matter("\ufeff---\ntitle: x\n---\n") == ({"title": "x"}, "")


def test_get_catalogue_reloads_after_an_edit(tmp_path):
    write_lesson(tmp_path, "01-first")
    assert [lesson.slug for lesson in get_catalogue(tmp_path).lessons] == ["first"]
    assert get_catalogue(tmp_path) is get_catalogue(tmp_path)  # cached while nothing changes
    time.sleep(0.01)
    write_lesson(tmp_path, "02-second")
    assert [lesson.slug for lesson in get_catalogue(tmp_path).lessons] == ["first", "second"]


def test_the_real_content_folder_loads_every_lesson_folder():
    from django.conf import settings

    root = settings.BASE_DIR / "tutorial" / "content"
    folders = [p for p in root.iterdir() if p.is_dir() and (p / "lesson.yaml").is_file()]
    catalogue = load_catalogue(root)
    assert len(catalogue.lessons) == len(folders)
    for lesson in catalogue.lessons:
        assert lesson.has_language("ko") and lesson.has_language("en"), lesson.slug


def test_the_event_loop_gets_the_catalogue_checked_in_the_last_second_without_io(tmp_path, monkeypatch):
    from tutorial.curriculum import catalogue as module

    write_lesson(tmp_path, "01-first", slug="first")
    assert module.recent_catalogue(tmp_path) is None  # never checked: a thread must load it
    loaded = module.get_catalogue(tmp_path)
    monkeypatch.setattr(module, "_fingerprint", lambda root: (_ for _ in ()).throw(AssertionError("disk read")))
    assert module.recent_catalogue(tmp_path) is loaded
    later = time.monotonic() + module.FRESH_SECONDS + 0.01
    monkeypatch.setattr(module.time, "monotonic", lambda: later)
    assert module.recent_catalogue(tmp_path) is None  # older than a second: checked again by get_catalogue
