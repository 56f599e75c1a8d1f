// What a refinement changed: lines compared by their longest common subsequence, and within a
// changed line, the words. Sections are a few hundred lines at most, so the quadratic table is cheap.
import { h } from "./dom.js";

/** [{op: "same"|"add"|"del", value}] turning `before` into `after` (arrays of strings). */
export function diff(before, after) {
  const n = before.length;
  const m = after.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i][j] = before[i] === after[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      ops.push({ op: "same", value: before[i] });
      i += 1;
      j += 1;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      ops.push({ op: "del", value: before[i++] });
    } else {
      ops.push({ op: "add", value: after[j++] });
    }
  }
  while (i < n) ops.push({ op: "del", value: before[i++] });
  while (j < m) ops.push({ op: "add", value: after[j++] });
  return ops;
}

function words(line) {
  return line.split(/(\s+)/).filter((w) => w !== "");
}

function wordLine(ops, keep, mark) {
  return ops.filter((o) => o.op === "same" || o.op === keep).map((o) => (o.op === "same" ? o.value : h(mark, { text: o.value })));
}

/** Rendered diff; counts of added and removed lines in `summary`. */
export function renderDiff(beforeText, afterText) {
  const ops = diff(beforeText.split("\n"), afterText.split("\n"));
  const rows = [];
  let added = 0;
  let removed = 0;
  for (let k = 0; k < ops.length; k += 1) {
    const op = ops[k];
    if (op.op === "same") {
      rows.push(h("div", { class: "same", text: op.value }));
      continue;
    }
    // A removed line followed by an added one is shown as one change, word by word.
    const next = ops[k + 1];
    if (op.op === "del" && next && next.op === "add") {
      const inner = diff(words(op.value), words(next.value));
      rows.push(h("div", { class: "del" }, wordLine(inner, "del", "del")));
      rows.push(h("div", { class: "add" }, wordLine(inner, "add", "ins")));
      removed += 1;
      added += 1;
      k += 1;
      continue;
    }
    rows.push(h("div", { class: op.op, text: op.value }));
    if (op.op === "add") added += 1;
    else removed += 1;
  }
  return { rows, added, removed };
}
