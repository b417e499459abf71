// The file editor panel: working-directory files and `kubectl edit` (tutorial/sandbox/panels_consumer.py).
// The server sends the panel's parts as htmx out-of-band fragments; this script sends the learner's
// actions as JSON over the same WebSocket and makes the textarea behave like a code editor.
(function () {
  "use strict";
  let socket = null;
  const $ = (id) => document.getElementById(id);

  function send(message) {
    if (socket) socket.send(JSON.stringify(message));
  }

  document.addEventListener("htmx:wsOpen", (event) => { socket = event.detail.socketWrapper; });
  document.addEventListener("htmx:wsClose", () => { socket = null; });

  function doc() { return $("editor-doc"); }

  function save() {
    const d = doc();
    const text = $("editor-text");
    if (!d || !text) return;
    if (d.dataset.mode === "edit") send({ edit_save: d.dataset.token, text: text.value });
    else if (d.dataset.mode === "file") send({ file_save: d.dataset.name, text: text.value });
  }

  // A fresh document (a file opened, kubectl edit started or reopened): show and focus it.
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || target.id !== "editor-doc") return;
    const text = $("editor-text");
    if (text) {
      target.scrollIntoView({ block: "nearest" });
      text.focus();
      text.setSelectionRange(0, 0);
      text.scrollTop = 0;
    }
  });

  document.addEventListener("click", (event) => {
    const open = event.target.closest(".editor-open");
    if (open) { send({ file_open: open.dataset.file }); return; }
    if (event.target.closest(".editor-save")) { save(); return; }
    if (event.target.closest(".editor-cancel")) {
      const d = doc();
      if (d) send({ edit_cancel: d.dataset.token });
      return;
    }
    if (event.target.closest(".editor-close")) { send({ file_close: true }); return; }
    const del = event.target.closest(".editor-delete");
    if (del && doc() && window.confirm(del.dataset.confirm)) send({ file_delete: doc().dataset.name });
  });

  document.addEventListener("submit", (event) => {
    if (event.target.id !== "editor-new-form") return;
    event.preventDefault();
    const field = $("editor-new-name");
    send({ file_new: field ? field.value : "" });
    if (field) field.value = "";
  });

  document.addEventListener("keydown", (event) => {
    const text = $("editor-text");
    if (!text || event.target !== text) return;
    if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
      // Two spaces, as YAML wants (a tab character is not allowed for indentation there).
      event.preventDefault();
      const start = text.selectionStart, end = text.selectionEnd;
      text.setRangeText("  ", start, end, "end");
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      save();
    } else if (event.key === "Escape") {
      text.blur();  // so that Tab can move on from the editor again
    }
  });
})();
