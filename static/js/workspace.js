// The lesson page's workspace (templates/lessons/lesson.html): resizable panels, the views' tabs and,
// on a phone, one pane at a time. Sizes, the chosen view and pane are remembered in localStorage,
// per browser (the learner's device), under one key.
(function () {
  "use strict";
  const KEY = "rolloutlab.workspace.v1";
  const STEP = 2;  // percent per arrow key press; Shift+arrow moves 10

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(patch) {
    const state = Object.assign(load(), patch);
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: not kept */ }
  }

  const workspace = () => document.getElementById("workspace");

  // ------------------------------------------------------------------ dividers
  // Each gutter sets a CSS variable (a percentage of its container) on the workspace. Which axis a
  // gutter works on depends on the layout (site.css sets --gutter-axis per breakpoint).
  function axisOf(gutter) {
    return getComputedStyle(gutter).getPropertyValue("--gutter-axis").trim() === "y" ? "y" : "x";
  }
  function varOf(gutter) {
    return axisOf(gutter) === "y" && gutter.dataset.varY ? gutter.dataset.varY : gutter.dataset.var;
  }
  function containerOf(gutter) {
    return gutter.parentElement;
  }
  function current(gutter) {
    const value = parseFloat(getComputedStyle(workspace()).getPropertyValue(varOf(gutter)));
    return isNaN(value) ? 50 : value;
  }
  function setSize(gutter, percent, remember) {
    const min = parseFloat(gutter.dataset.min || "10"), max = parseFloat(gutter.dataset.max || "90");
    const value = Math.round(Math.max(min, Math.min(max, percent)) * 10) / 10;
    const name = varOf(gutter);
    workspace().style.setProperty(name, value + "%");
    gutter.setAttribute("aria-valuenow", String(Math.round(value)));
    gutter.setAttribute("aria-valuemin", String(min));
    gutter.setAttribute("aria-valuemax", String(max));
    if (remember) {
      const sizes = load().sizes || {};
      sizes[name] = value;
      save({ sizes });
    }
  }
  // The gutter's position inside its container, as a percentage along its axis. The panel before
  // the gutter ends where the pointer is, measured from the start of the container.
  function percentAt(gutter, event) {
    const box = containerOf(gutter).getBoundingClientRect();
    const vertical = axisOf(gutter) === "y";
    const offset = vertical ? event.clientY - box.top : event.clientX - box.left;
    return (offset / (vertical ? box.height : box.width)) * 100;
  }

  function startDrag(gutter, event) {
    if (event.button !== 0) return;
    event.preventDefault();
    gutter.setPointerCapture(event.pointerId);
    gutter.classList.add("is-dragging");
    document.body.classList.add("is-resizing");
    const move = (e) => setSize(gutter, percentAt(gutter, e), false);
    const end = (e) => {
      setSize(gutter, percentAt(gutter, e), true);
      gutter.classList.remove("is-dragging");
      document.body.classList.remove("is-resizing");
      gutter.removeEventListener("pointermove", move);
      gutter.removeEventListener("pointerup", end);
      gutter.removeEventListener("pointercancel", end);
    };
    gutter.addEventListener("pointermove", move);
    gutter.addEventListener("pointerup", end);
    gutter.addEventListener("pointercancel", end);
  }

  function keyResize(gutter, event) {
    const vertical = axisOf(gutter) === "y";
    const back = vertical ? "ArrowUp" : "ArrowLeft", forward = vertical ? "ArrowDown" : "ArrowRight";
    const step = event.shiftKey ? 10 : STEP;
    let value = null;
    if (event.key === back) value = current(gutter) - step;
    else if (event.key === forward) value = current(gutter) + step;
    else if (event.key === "Home") value = parseFloat(gutter.dataset.min || "10");
    else if (event.key === "End") value = parseFloat(gutter.dataset.max || "90");
    if (value === null) return;
    event.preventDefault();
    setSize(gutter, value, true);
  }

  function restoreSizes() {
    const ws = workspace();
    const sizes = load().sizes || {};
    Object.keys(sizes).forEach((name) => {
      if (/^--[a-z-]+$/.test(name) && typeof sizes[name] === "number") ws.style.setProperty(name, sizes[name] + "%");
    });
    ws.querySelectorAll(".gutter").forEach((g) => {
      g.setAttribute("aria-valuenow", String(Math.round(current(g))));
      g.setAttribute("aria-valuemin", g.dataset.min || "10");
      g.setAttribute("aria-valuemax", g.dataset.max || "90");
    });
  }

  // ------------------------------------------------------------------ tabs
  // A tablist with roving focus (←/→, Home/End), as the WAI-ARIA tabs pattern.
  function selectTab(tab, { focus = false, remember = true } = {}) {
    const list = tab.closest('[role="tablist"]');
    list.querySelectorAll('[role="tab"]').forEach((t) => {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel && t.dataset.view) panel.hidden = !on;
    });
    if (tab.dataset.pane) {
      workspace().dataset.pane = tab.dataset.pane;
      tab.classList.remove("has-activity");
      // Kept for a reload of this lesson; another lesson opens on its text.
      if (remember) save({ pane: tab.dataset.pane, panePath: window.location.pathname });
    }
    if (tab.dataset.view && remember) save({ view: tab.dataset.view });
    if (focus) tab.focus();
  }

  function tabKeys(event) {
    const tab = event.target.closest && event.target.closest(".view-tab, .pane-tab");
    if (!tab) return false;
    const tabs = Array.from(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
    let i = tabs.indexOf(tab);
    if (event.key === "ArrowRight") i = (i + 1) % tabs.length;
    else if (event.key === "ArrowLeft") i = (i - 1 + tabs.length) % tabs.length;
    else if (event.key === "Home") i = 0;
    else if (event.key === "End") i = tabs.length - 1;
    else return false;
    event.preventDefault();
    selectTab(tabs[i], { focus: true });
    return true;
  }

  function showView(name) {
    const tab = document.querySelector(`.view-tab[data-view="${name}"]`);
    if (tab) selectTab(tab, { remember: false });
  }

  document.addEventListener("click", (event) => {
    const tab = event.target.closest(".view-tab, .pane-tab");
    if (tab) selectTab(tab);
  });
  document.addEventListener("keydown", (event) => {
    if (tabKeys(event)) return;
    const gutter = event.target.closest && event.target.closest(".workspace .gutter");
    if (gutter) keyResize(gutter, event);
  });
  document.addEventListener("pointerdown", (event) => {
    const gutter = event.target.closest && event.target.closest(".workspace .gutter");
    if (gutter) startDrag(gutter, event);
  });
  document.addEventListener("dblclick", (event) => {
    // Double-click a divider: back to the default size.
    const gutter = event.target.closest && event.target.closest(".workspace .gutter");
    if (!gutter) return;
    const name = varOf(gutter);
    workspace().style.removeProperty(name);
    const sizes = load().sizes || {};
    delete sizes[name];
    save({ sizes });
    gutter.setAttribute("aria-valuenow", String(Math.round(current(gutter))));
  });

  // On a phone, output arriving while the Lesson pane is shown (a ▶ button was pressed) marks
  // the Console tab, so the learner knows where to look.
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    const ws = workspace();
    if (!target || !ws || !/^console-output(-2)?$/.test(target.id) || ws.dataset.pane !== "lesson") return;
    const tab = document.getElementById("pane-tab-console");
    if (tab && getComputedStyle(tab).display !== "none") tab.classList.add("has-activity");
  });

  // The editor opens (a file, or `kubectl edit` waiting): bring the Files view forward.
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || target.id !== "editor-doc") return;
    const doc = document.getElementById("editor-doc");
    if (doc && doc.dataset.mode !== "none") {
      showView("files");
      if (workspace().dataset.pane === "console" && window.matchMedia("(max-width: 767.98px), (max-width: 1099.98px) and (max-height: 520px)").matches) {
        const pane = document.getElementById("pane-tab-cluster");
        if (pane) selectTab(pane, { remember: false });
      }
    }
  });

  function init() {
    if (!workspace()) return;
    restoreSizes();
    const state = load();
    const view = state.view && document.querySelector(`.view-tab[data-view="${state.view}"]`);
    if (view) selectTab(view, { remember: false });
    const samePage = state.panePath && state.panePath.replace(/^\/[a-z]{2}\//, "/") === window.location.pathname.replace(/^\/[a-z]{2}\//, "/");
    const pane = samePage && state.pane && document.querySelector(`.pane-tab[data-pane="${state.pane}"]`);
    if (pane) selectTab(pane, { remember: false });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
