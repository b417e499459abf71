// Ctrl+R in a console terminal: reverse search through its history, as bash's reverse-i-search.
// static/js/console.js owns the keys and the histories and calls this with them; the status line
// is the terminal's #console-search(-2) element (its labels come translated in data-*).
window.RolloutConsoleSearch = (function () {
  "use strict";
  const searches = {};  // terminal ("1" | "2") -> {saved, query, index}

  function statusOf(t) {
    return document.getElementById("console-search" + (t === "2" ? "-2" : ""));
  }
  function find(history, query, from) {
    for (let i = Math.min(from, history.length - 1); i >= 0; i--) {
      if (history[i].includes(query)) return i;
    }
    return -1;
  }
  function show(t, history) {
    const search = searches[t];
    const status = statusOf(t);
    if (!status) return;
    const match = search.index >= 0 ? history[search.index] : "";
    const failed = search.query && search.index < 0;
    status.textContent = `${failed ? status.dataset.failed || "failed " : ""}${status.dataset.label || "(reverse-i-search)"}` +
      `\`${search.query}': ${match}`;
    status.hidden = false;
  }

  return {
    active(t) { return Boolean(searches[t]); },
    // Ctrl+R: start searching (the typed line is kept to come back to), or find the next older match.
    start(t, field, history) {
      const search = searches[t];
      if (search) {
        const next = find(history, search.query, search.index - 1);
        if (next >= 0) search.index = next;
      } else {
        searches[t] = { saved: field.value, query: "", index: history.length - 1 };
        field.value = "";
      }
      show(t, history);
    },
    // The learner typed: the field holds the query; search again from the newest entry.
    update(t, field, history) {
      const search = searches[t];
      if (!search) return;
      search.query = field.value;
      search.index = find(history, search.query, history.length - 1);
      show(t, history);
    },
    // accept: the match goes into the field (or the query if none matched); else the saved line.
    end(t, field, history, accept) {
      const search = searches[t];
      if (!search) return;
      const match = search.index >= 0 && search.query ? history[search.index] : null;
      field.value = accept ? (match !== null ? match : search.query) : search.saved;
      delete searches[t];
      const status = statusOf(t);
      if (status) status.hidden = true;
    },
  };
})();
