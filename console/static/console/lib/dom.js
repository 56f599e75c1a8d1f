// Small DOM helpers. Text always goes in through textContent: answers from the APIs quote what
// people typed or said, and none of it may become markup.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** h("li", {class: "x", dataset: {id: 1}, onclick: fn}, "text", child) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function show(el, visible = true) {
  el.hidden = !visible;
}

/** Shows the API's message in an error box (role=alert), or clears it. */
export function showError(el, error) {
  if (!error) {
    el.hidden = true;
    el.textContent = "";
    return;
  }
  el.textContent = error.message || String(error);
  el.hidden = false;
}

/**
 * A visible status line for long work: a spinner, what is happening and for how long.
 * status.start("Transcribing"), status.update("Running: analyzing"), status.done("Ready"),
 * status.fail(message).
 */
export class Status {
  constructor(el) {
    this.el = el;
    this.el.classList.add("status");
    this.el.setAttribute("role", "status");
    this.el.setAttribute("aria-live", "polite");
    this.spinner = h("span", { class: "spinner" });
    this.label = h("span", { class: "label" });
    this.clock = h("span", { class: "clock small" });
    this.el.replaceChildren(this.spinner, this.label, this.clock);
    this.timer = null;
    this.el.hidden = true;
  }

  start(text) {
    this.el.hidden = false;
    this.el.classList.remove("done", "failed");
    this.label.textContent = text;
    this.started = Date.now();
    this.clock.textContent = "";
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.clock.textContent = `${Math.round((Date.now() - this.started) / 1000)} s`;
    }, 500);
  }

  update(text) {
    if (this.el.hidden) return this.start(text);
    this.label.textContent = text;
  }

  done(text) {
    clearInterval(this.timer);
    this.el.hidden = false;
    this.el.classList.remove("failed");
    this.el.classList.add("done");
    this.label.textContent = text;
    if (this.started) this.clock.textContent = `(${((Date.now() - this.started) / 1000).toFixed(1)} s)`;
  }

  fail(text) {
    clearInterval(this.timer);
    this.el.hidden = false;
    this.el.classList.remove("done");
    this.el.classList.add("failed");
    this.label.textContent = text;
    this.clock.textContent = "";
  }
}

export function formatSeconds(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

export function percent(ratio, digits = 0) {
  return ratio === null || ratio === undefined ? "–" : `${(ratio * 100).toFixed(digits)}%`;
}

export function number(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? "–" : Number(value).toFixed(digits);
}

export function metric(label, value, hint) {
  return h("div", { class: "metric" }, h("div", { class: "value", text: value }), h("div", { class: "label", text: label }), hint ? h("div", { class: "small muted", text: hint }) : null);
}

/** A labelled horizontal bar, value out of max. */
export function scoreRow(label, value, max = 100, digits = 0) {
  const fill = h("span");
  fill.style.width = `${Math.max(0, Math.min(100, (value / max) * 100))}%`;
  return h(
    "div",
    { class: "score-row" },
    h("span", { text: label }),
    h("div", { class: "bar" }, fill),
    h("span", { class: "num", text: value === null || value === undefined ? "–" : Number(value).toFixed(digits) }),
  );
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
