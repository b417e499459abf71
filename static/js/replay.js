// Replay: the slider over simulated time [0, now] above the live view. Moving it asks the server
// for the cluster as it was then ({"replay": seconds}); the far right end (or "Back to live") is live.
(function () {
  "use strict";
  let socket = null;
  let timer = null;
  const $ = (id) => document.getElementById(id);

  function send(message) {
    if (socket) socket.send(JSON.stringify(message));
  }

  function clock(seconds) {
    const total = Math.floor(seconds);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  // Keep the slider's end at the simulated clock (console-controls carries data-now).
  function followClock() {
    const controls = $("console-controls"), bar = $("replay-bar"), slider = $("replay-slider");
    if (!controls || !slider || !bar) return;
    const now = parseFloat(controls.dataset.now || "0") || 0;
    const live = bar.dataset.mode !== "replay";
    slider.max = now.toFixed(1);
    if (live) {
      slider.value = slider.max;
      const out = $("replay-time");
      if (out) out.textContent = clock(now);
      slider.setAttribute("aria-valuetext", clock(now));
    }
  }

  document.addEventListener("htmx:wsOpen", (event) => { socket = event.detail.socketWrapper; });
  document.addEventListener("htmx:wsClose", () => { socket = null; });
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (target && (target.id === "console-controls" || target.id === "replay-bar")) followClock();
  });

  document.addEventListener("input", (event) => {
    const slider = event.target;
    if (slider.id !== "replay-slider") return;
    const t = parseFloat(slider.value);
    const bar = $("replay-bar");
    if (bar) bar.dataset.mode = t >= parseFloat(slider.max) ? "live" : "replay";
    const out = $("replay-time");
    if (out) out.textContent = clock(t);
    slider.setAttribute("aria-valuetext", clock(t));
    // At most about seven requests a second while dragging; the last position always goes out.
    clearTimeout(timer);
    timer = setTimeout(() => {
      send({ replay: t >= parseFloat(slider.max) ? "live" : t });
    }, 150);
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest(".replay-live")) send({ replay: "live" });
  });

  document.addEventListener("DOMContentLoaded", followClock);
})();
