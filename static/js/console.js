// The lesson console: keyboard handling around the htmx ws extension.
// htmx sends the form as {"command": ...} and swaps the HTML fragments the server sends back;
// this script adds history (↑/↓), Tab completion, Ctrl+C, Ctrl+L, "send to console" buttons,
// reset, the Rollout panel's selectors, and keeps the output scrolled to the bottom.
(function () {
  "use strict";
  let socket = null;        // the ws extension's socket wrapper (send(text))
  let history = [];
  let historyIndex = 0;     // == history.length means "the line being typed"
  let draft = "";

  const $ = (id) => document.getElementById(id);
  const input = () => $("console-input");

  function send(message) {
    if (socket) socket.send(JSON.stringify(message));
  }

  function loadHistory() {
    const el = $("console-history");
    try { history = JSON.parse((el && el.dataset.history) || "[]"); } catch (e) { history = []; }
    historyIndex = history.length;
  }

  function scrollOutput() {
    const out = $("console-output");
    if (out) out.scrollTop = out.scrollHeight;
  }

  function submitCommand(command) {
    const field = input();
    const form = $("console-form");
    if (!field || !form) return;
    field.value = command;
    form.requestSubmit();
  }

  document.addEventListener("htmx:wsOpen", (event) => {
    socket = event.detail.socketWrapper;
    const console = $("console");
    if (console) console.dataset.state = "open";
  });
  document.addEventListener("htmx:wsClose", () => {
    socket = null;
    const console = $("console");
    if (console) console.dataset.state = "closed";
  });
  document.addEventListener("htmx:wsAfterSend", (event) => {
    if (event.target && event.target.id === "console-form") {
      input().value = "";
      draft = "";
      historyIndex = history.length;
    }
  });
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (!target) return;
    if (target.id === "console-output") scrollOutput();
    if (target.id === "console-history") loadHistory();
    if (target.id === "console-completion") {
      const field = input();
      // Apply only if the learner has not typed on since pressing Tab.
      if (field && field.value === target.dataset.for) field.value = target.dataset.value;
      if (field) field.focus();
    }
  });

  document.addEventListener("keydown", (event) => {
    const field = input();
    if (!field || event.target !== field) return;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      if (!history.length) return;
      event.preventDefault();
      if (historyIndex === history.length) draft = field.value;
      historyIndex += event.key === "ArrowUp" ? -1 : 1;
      historyIndex = Math.max(0, Math.min(history.length, historyIndex));
      field.value = historyIndex === history.length ? draft : history[historyIndex];
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      send({ complete: field.value });
    } else if (event.ctrlKey && (event.key === "c" || event.key === "C")) {
      // Ctrl+C copies a selection as usual; without one it interrupts, like a terminal.
      if (field.selectionStart !== field.selectionEnd) return;
      event.preventDefault();
      send({ cancel: true });
      field.value = "";
    } else if (event.ctrlKey && (event.key === "l" || event.key === "L")) {
      event.preventDefault();
      const out = $("console-output");
      if (out) out.textContent = "";
      send({ clear: true });
    }
  });

  document.addEventListener("click", (event) => {
    const run = event.target.closest(".copy-to-console");
    if (run) {
      submitCommand(run.dataset.command);
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
    const reset = event.target.closest(".reset-button");
    if (reset && window.confirm(reset.dataset.confirm)) send({ reset: true });
  });

  // Rollout panel: the Deployment shown, and the traffic strip's switch and Service.
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.id === "rollout-deployment") send({ rollout: target.value });
    else if (target.id === "traffic-toggle") send({ traffic: target.checked });
    else if (target.id === "traffic-service") send({ traffic_service: target.value });
  });

  document.addEventListener("DOMContentLoaded", () => {
    loadHistory();
    scrollOutput();
  });
})();
