// The lesson console: keyboard handling around the htmx ws extension, for two terminals.
// htmx sends a terminal's form as {"command": ...} (terminal 2's form adds "terminal": "2") and swaps
// the HTML fragments the server sends back. This script adds, per terminal: history (↑/↓), Tab
// completion, Ctrl+C, Ctrl+L, Ctrl+R (reverse history search), a queue for commands given while one
// runs (▶ buttons, Enter, pasted lines), multi-line paste; plus terminal tabs/split, reset, the
// exercise and Rollout panels' buttons, and keeps each output scrolled to the bottom.
(function () {
  "use strict";
  const QUIET_MS = 400;      // a command's answer is complete when its terminal is quiet this long
  const ANSWER_MS = 5000;    // ... or, at the latest, this long after it was sent
  const LAYOUT_KEY = "rolloutlab.console.v1";
  let socket = null;         // the ws extension's socket wrapper (send(text))

  const $ = (id) => document.getElementById(id);
  const TERMINALS = ["1", "2"];
  const suffix = (t) => (t === "2" ? "-2" : "");
  const el = (name, t) => $(name + suffix(t));
  const terminals = {};
  TERMINALS.forEach((t) => {
    terminals[t] = { history: [], historyIndex: 0, draft: "", queue: [], awaiting: false, timer: null };
  });

  function send(message) {
    if (socket) socket.send(JSON.stringify(message));
  }
  // Terminal 1's messages stay exactly as before the second terminal; terminal 2's say so.
  function sendFor(t, message) {
    send(t === "2" ? Object.assign({}, message, { terminal: "2" }) : message);
  }

  function terminalOf(node) {
    const box = node && node.closest && node.closest(".terminal");
    return box ? box.dataset.terminal : null;
  }
  function activeTerminal() {
    const consoleBox = $("console");
    return (consoleBox && consoleBox.dataset.activeTerminal) || "1";
  }

  function loadHistory(t) {
    const node = el("console-history", t);
    const state = terminals[t];
    try { state.history = JSON.parse((node && node.dataset.history) || "[]"); } catch (e) { state.history = []; }
    if (!Array.isArray(state.history)) state.history = [];
    state.historyIndex = state.history.length;
  }

  function scrollOutput(t) {
    const out = el("console-output", t);
    if (out) out.scrollTop = out.scrollHeight;
  }

  // ---------------------------------------------------------------- running, queue
  // The server runs one command per terminal at a time. The controls say whether one is running
  // (data-running for terminal 1, data-running-N for terminal N: session/state.py others_running).
  function running(t) {
    const controls = $("console-controls");
    if (!controls) return false;
    return controls.getAttribute(t === "2" ? "data-running-2" : "data-running") === "true";
  }
  function busy(t) {
    return running(t) || terminals[t].awaiting;
  }

  function renderQueue(t) {
    const list = el("console-queue", t);
    if (!list) return;
    const queue = terminals[t].queue;
    list.replaceChildren(...queue.map((command) => {
      const item = document.createElement("li");
      item.dataset.label = list.dataset.label || "";
      item.textContent = command;
      return item;
    }));
    list.hidden = queue.length === 0;
  }

  function awaitAnswer(t) {
    const state = terminals[t];
    state.awaiting = true;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => answered(t), ANSWER_MS);
  }
  function answered(t) {
    const state = terminals[t];
    clearTimeout(state.timer);
    state.awaiting = false;
    pump(t);
  }

  function pump(t) {
    const state = terminals[t];
    if (!state.queue.length || busy(t) || !socket) return;
    const command = state.queue.shift();
    renderQueue(t);
    awaitAnswer(t);
    sendFor(t, { command });
  }

  function enqueue(t, commands) {
    const state = terminals[t];
    commands.forEach((c) => state.queue.push(c));
    renderQueue(t);
    pump(t);
  }

  // Lines as a learner pastes them: blank lines dropped, a copied "$ " prompt or ▶ button removed.
  function commandLines(text) {
    return text.split(/\r?\n/).map((line) => line.replace(/\s*▶?\s*$/, "").replace(/^\s*\$\s+/, ""))
      .filter((line) => line.trim() !== "");
  }

  // ---------------------------------------------------------------- terminals: tabs and split
  function selectTerminal(t, focus) {
    const consoleBox = $("console");
    if (!consoleBox) return;
    consoleBox.dataset.activeTerminal = t;
    document.querySelectorAll(".terminal-tab").forEach((tab) => {
      const on = tab.dataset.terminal === t;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      if (on) tab.classList.remove("has-activity");
    });
    document.querySelectorAll(".terminal").forEach((box) => { box.hidden = box.dataset.terminal !== t; });
    scrollOutput(t);
    if (focus) {
      const field = el("console-input", t);
      if (field) field.focus();
    }
  }
  function setSplit(on, remember) {
    const consoleBox = $("console");
    const button = document.querySelector(".terminal-split");
    if (!consoleBox || !button) return;
    consoleBox.dataset.layout = on ? "split" : "tabs";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    document.querySelectorAll(".terminal-tab").forEach((tab) => tab.classList.remove("has-activity"));
    if (!on) selectTerminal(activeTerminal(), false);
    TERMINALS.forEach(scrollOutput);
    if (remember) {
      try { window.localStorage.setItem(LAYOUT_KEY, JSON.stringify({ split: on })); } catch (e) { /* not kept */ }
    }
  }

  // Ctrl+R: static/js/console-search.js (loaded before this file).
  const search = window.RolloutConsoleSearch;

  // ---------------------------------------------------------------- htmx events
  // An instructor's read-only view of a learner's sandbox (templates/classroom/_learner_live.html)
  // shows whether it is live; it never sends anything.
  function watchState(event, state) {
    const box = event.target;
    if (!box || !box.classList || !box.classList.contains("learner-watch")) return false;
    box.dataset.state = state;
    return true;
  }

  // What this window shows of the live panels (the server draws only those: session/screen.py):
  // the cluster view and which of the views' tabs; nothing while the page is in a background tab.
  // Said when the socket opens and whenever it changes (tabs, panes, resizing, page visibility).
  const PANELS = { cluster: "cluster-view", chart: "view-chart", why: "view-why", traffic: "view-traffic" };
  let saidShowing = null;
  let showingTimer = null;
  function showing() {
    if (document.visibilityState === "hidden") return [];
    return Object.keys(PANELS).filter((name) => {
      const node = $(PANELS[name]);
      return !!node && node.getClientRects().length > 0;
    });
  }
  function sayShowing() {
    clearTimeout(showingTimer);
    const now = showing();
    if (!socket || now.join(",") === saidShowing) return;
    saidShowing = now.join(",");
    send({ showing: now });
  }
  const sayShowingSoon = () => { clearTimeout(showingTimer); showingTimer = setTimeout(sayShowing, 100); };
  document.addEventListener("visibilitychange", sayShowing);
  window.addEventListener("resize", sayShowingSoon);
  new MutationObserver(sayShowingSoon).observe(document.documentElement, {
    subtree: true, attributes: true, attributeFilter: ["hidden", "data-pane"],
  });

  document.addEventListener("htmx:wsOpen", (event) => {
    if (watchState(event, "open")) return;
    socket = event.detail.socketWrapper;
    const consoleBox = $("console");
    if (consoleBox) consoleBox.dataset.state = "open";
    TERMINALS.forEach((t) => { terminals[t].awaiting = false; pump(t); });
    saidShowing = null;  // a new socket (a reconnect) knows nothing yet
    sayShowing();
  });
  document.addEventListener("htmx:wsClose", (event) => {
    if (watchState(event, "closed")) return;
    socket = null;
    const consoleBox = $("console");
    if (consoleBox) consoleBox.dataset.state = "closed";
  });

  // A form is about to send a command: while its terminal is busy (or others wait before it) the
  // command joins the queue instead, as typed-ahead input waits in a real terminal.
  document.addEventListener("htmx:wsConfigSend", (event) => {
    const form = event.target;
    if (!form || (form.id !== "console-form" && form.id !== "console-form-2")) return;
    const t = form.id === "console-form-2" ? "2" : "1";
    const command = String(event.detail.parameters.command || "");
    if (busy(t) || terminals[t].queue.length) {
      event.preventDefault();
      if (command.trim()) enqueue(t, [command]);
      const field = el("console-input", t);
      if (field) field.value = "";
      return;
    }
    awaitAnswer(t);
  });
  document.addEventListener("htmx:wsAfterSend", (event) => {
    const form = event.target;
    if (form && (form.id === "console-form" || form.id === "console-form-2")) {
      const t = form.id === "console-form-2" ? "2" : "1";
      const state = terminals[t];
      el("console-input", t).value = "";
      state.draft = "";
      state.historyIndex = state.history.length;
    }
  });

  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || !target.id) return;
    // An outerHTML swap reports the element it replaced: read the new one by its id.
    const node = $(target.id);
    const match = /^console-(output|history|completion|controls)(-2)?$/.exec(target.id);
    if (!match || !node) return;
    const t = match[2] ? "2" : "1";
    const kind = match[1];
    if (kind === "output") {
      scrollOutput(t);
      if (terminals[t].awaiting) {  // the answer is coming in: wait until it is complete
        clearTimeout(terminals[t].timer);
        terminals[t].timer = setTimeout(() => answered(t), QUIET_MS);
      }
      const tab = $("terminal-tab-" + t);
      const consoleBox = $("console");
      if (tab && consoleBox && consoleBox.dataset.layout !== "split" && activeTerminal() !== t) tab.classList.add("has-activity");
    } else if (kind === "history") {
      loadHistory(t);
    } else if (kind === "completion") {
      const field = el("console-input", t);
      // Apply only if the learner has not typed on since pressing Tab.
      if (field && field.value === node.dataset.for) {
        field.value = node.dataset.value;
        field.setSelectionRange(field.value.length, field.value.length);
        field.focus();
      }
    } else if (kind === "controls") {
      TERMINALS.forEach(pump);
    }
  });

  // ---------------------------------------------------------------- keys
  document.addEventListener("keydown", (event) => {
    const field = event.target;
    if (!field || (field.id !== "console-input" && field.id !== "console-input-2")) {
      terminalTabKeys(event);
      return;
    }
    const t = field.id === "console-input-2" ? "2" : "1";
    const state = terminals[t];
    const ctrl = event.ctrlKey && !event.altKey && !event.metaKey;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;

    if (search.active(t)) {
      if (ctrl && key === "r") { event.preventDefault(); search.start(t, field, state.history); return; }
      if (key === "Escape" || (ctrl && (key === "g" || key === "c"))) {
        event.preventDefault();
        search.end(t, field, state.history, false);
        return;
      }
      if (key === "Enter") { search.end(t, field, state.history, true); return; }  // runs the match, as in bash
      if (["Tab", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(key)) {
        event.preventDefault();
        search.end(t, field, state.history, true);
        return;
      }
      return;  // typing edits the query (the input event below searches again)
    }

    if (key === "ArrowUp" || key === "ArrowDown") {
      if (!state.history.length) return;
      event.preventDefault();
      if (state.historyIndex === state.history.length) state.draft = field.value;
      state.historyIndex += key === "ArrowUp" ? -1 : 1;
      state.historyIndex = Math.max(0, Math.min(state.history.length, state.historyIndex));
      field.value = state.historyIndex === state.history.length ? state.draft : state.history[state.historyIndex];
    } else if (key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      sendFor(t, { complete: field.value });
    } else if (ctrl && key === "c") {
      // Ctrl+C copies a selection as usual; without one it interrupts, like a terminal, and drops
      // the commands queued behind the running one.
      if (field.selectionStart !== field.selectionEnd) return;
      event.preventDefault();
      state.queue = [];
      renderQueue(t);
      sendFor(t, { cancel: true });
      field.value = "";
    } else if (ctrl && key === "l") {
      event.preventDefault();
      const out = el("console-output", t);
      if (out) out.textContent = "";
      sendFor(t, { clear: true });
    } else if (ctrl && key === "r") {
      event.preventDefault();
      search.start(t, field, state.history);
    }
  });

  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!field || (field.id !== "console-input" && field.id !== "console-input-2")) return;
    const t = field.id === "console-input-2" ? "2" : "1";
    search.update(t, field, terminals[t].history);
  });

  // Pasting several lines runs each line in order (through the queue); one line pastes as usual.
  document.addEventListener("paste", (event) => {
    const field = event.target;
    if (!field || (field.id !== "console-input" && field.id !== "console-input-2")) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\r\n]/.test(text)) return;
    event.preventDefault();
    const t = field.id === "console-input-2" ? "2" : "1";
    const before = field.value.slice(0, field.selectionStart), after = field.value.slice(field.selectionEnd);
    const lines = commandLines(before + text + after);
    field.value = "";
    enqueue(t, lines);
  });

  function terminalTabKeys(event) {
    const tab = event.target.closest && event.target.closest(".terminal-tab");
    if (!tab) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const next = tab.dataset.terminal === "1" ? "2" : "1";
    selectTerminal(next, false);
    const other = $("terminal-tab-" + next);
    if (other) other.focus();
  }

  // ---------------------------------------------------------------- clicks and changes
  document.addEventListener("click", (event) => {
    const run = event.target.closest(".copy-to-console");
    if (run) {
      enqueue(activeTerminal(), [run.dataset.command]);
      return;
    }
    const tab = event.target.closest(".terminal-tab");
    if (tab) {
      selectTerminal(tab.dataset.terminal, true);
      return;
    }
    const split = event.target.closest(".terminal-split");
    if (split) {
      setSplit(split.getAttribute("aria-pressed") !== "true", true);
      return;
    }
    // Exercise panel: Check grades now, the hint button reveals the next hint.
    const check = event.target.closest(".exercise-check");
    if (check) {
      send({ check: check.dataset.exercise });
      return;
    }
    const hint = event.target.closest(".exercise-hint");
    if (hint) {
      send({ hint: hint.dataset.exercise });
      return;
    }
    // The reference solution, once earned (tutorial/exercises/feedback.py).
    const solution = event.target.closest(".exercise-show-solution");
    if (solution) {
      send({ solution: solution.dataset.exercise });
      return;
    }
    const stop = event.target.closest(".cancel-button");
    if (stop) {  // each terminal's Stop button is its Ctrl+C: the commands queued behind go too
      const t = stop.dataset.terminal === "2" ? "2" : "1";
      terminals[t].queue = [];
      renderQueue(t);
      return;
    }
    const reset = event.target.closest(".reset-button");
    if (reset && window.confirm(reset.dataset.confirm)) send({ reset: true });
  });

  // In split view, the terminal last clicked or typed in is the one ▶ buttons send to.
  document.addEventListener("focusin", (event) => {
    const t = terminalOf(event.target);
    const consoleBox = $("console");
    if (t && consoleBox && consoleBox.dataset.layout === "split") consoleBox.dataset.activeTerminal = t;
  });

  // Rollout panel: the Deployment shown, and the traffic strip's switch and Service.
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.id === "rollout-deployment") send({ rollout: target.value });
    else if (target.id === "traffic-toggle") send({ traffic: target.checked });
    else if (target.id === "traffic-service") send({ traffic_service: target.value });
  });

  document.addEventListener("DOMContentLoaded", () => {
    TERMINALS.forEach((t) => { loadHistory(t); scrollOutput(t); });
    try {
      if ((JSON.parse(window.localStorage.getItem(LAYOUT_KEY) || "{}") || {}).split) setSplit(true, false);
    } catch (e) { /* nothing remembered */ }
  });
})();
