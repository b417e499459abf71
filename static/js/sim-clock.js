// The simulated clock on screen counts forward between server updates. An idle sandbox is not
// ticked on the server (tutorial/sandbox/scheduler.py), so the page carries the clock itself:
// data-now (simulated seconds when the controls were rendered) + wall time × data-speed.
(function () {
  "use strict";
  let base = null;  // {now, speed, paused, at}

  function format(seconds) {
    const total = Math.floor(seconds);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  function read() {
    const controls = document.getElementById("console-controls");
    if (!controls) return null;
    return {
      now: parseFloat(controls.dataset.now || "0") || 0,
      speed: parseFloat(controls.dataset.speed || "1") || 1,
      paused: controls.dataset.paused === "true",
      at: performance.now(),
    };
  }

  function tick() {
    if (!base) base = read();
    const clock = document.getElementById("sim-clock");
    if (!base || !clock || base.paused) return;
    const elapsed = (performance.now() - base.at) / 1000;
    clock.textContent = format(base.now + elapsed * base.speed);
  }

  // A fresh controls fragment from the server resets the base.
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (target && target.id === "console-controls") base = read();
  });
  document.addEventListener("htmx:afterSwap", () => { base = read(); });
  setInterval(tick, 1000);
})();
