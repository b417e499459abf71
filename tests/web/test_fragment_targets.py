"""panels/targets.py: a page that shows part of the console receives only what it can place."""

from __future__ import annotations

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.targets import keep_targets, top_level


def test_top_level_elements_are_split_by_id_whatever_they_contain():
    html = ('<pre id="console-output" hx-swap-oob="beforeend"><span class="x">a &lt;b&gt;</span></pre>'
            '<!-- a comment <div id="nope"> -->\n'
            '<div id="editor-files" hx-swap-oob="true"><input id="inner" value="1"><br/><div><p>x</p></div></div>'
            '<section id="cluster-view"><div id="pod-1"></div></section>')
    assert [element_id for element_id, _ in top_level(html)] == ["console-output", "editor-files", "cluster-view"]
    kept = keep_targets(html, frozenset({"console-output", "cluster-view"}))
    assert kept == ('<pre id="console-output" hx-swap-oob="beforeend"><span class="x">a &lt;b&gt;</span></pre>'
                    '<section id="cluster-view"><div id="pod-1"></div></section>')


def test_a_real_frame_keeps_the_console_output_and_drops_the_editor_panel():
    frame = (fragments.appended_entries([{"kind": "output", "text": "<pods> & more\n"}], "en", "")
             + fragments.editor_files({"a.yaml": "x: 1"}, "en")
             + fragments.editor_status("Saved a.yaml.", "en")
             + fragments.appended_entries([{"kind": "input", "text": "ls"}], "en", "-2"))
    kept = keep_targets(frame, frozenset({"console-output", "console-output-2"}))
    assert "editor-files" not in kept and "Saved a.yaml." not in kept
    assert kept.count("<pre ") == 2 and "&lt;pods&gt; &amp; more" in kept and 'id="console-output-2"' in kept
