// Markdown to DOM for report sections: headings, paragraphs, lists, tables, quotes, rules,
// **bold**, *italic* and `code`. Built from nodes and text, never from HTML strings, so a section
// quoting a customer record cannot inject markup.
import { h } from "./dom.js";

const INLINE = /(\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`)/g;

export function inline(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) nodes.push(text.slice(last, match.index));
    const token = match[0];
    if (token.startsWith("**") || token.startsWith("__")) nodes.push(h("strong", {}, inline(token.slice(2, -2))));
    else if (token.startsWith("`")) nodes.push(h("code", { text: token.slice(1, -1) }));
    else nodes.push(h("em", {}, inline(token.slice(1, -1))));
    last = match.index + token.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function cells(line) {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

const isTableRule = (line) => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;

export function render(markdown) {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (heading) {
      out.push(h(`h${Math.min(6, heading[1].length + 1)}`, {}, inline(heading[2])));
      i += 1;
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(h("hr"));
      i += 1;
    } else if (line.includes("|") && i + 1 < lines.length && isTableRule(lines[i + 1])) {
      const head = cells(line);
      const rows = [];
      i += 2;
      while (i < lines.length && lines[i].includes("|") && lines[i].trim()) rows.push(cells(lines[i++]));
      out.push(
        h("table", {}, h("thead", {}, h("tr", {}, head.map((c) => h("th", {}, inline(c))))), h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, inline(c))))))),
      );
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      const ordered = NUMBERED.test(line) && !BULLET.test(line);
      const pattern = ordered ? NUMBERED : BULLET;
      const items = [];
      while (i < lines.length && pattern.test(lines[i])) items.push(h("li", {}, inline(lines[i++].match(pattern)[1])));
      out.push(h(ordered ? "ol" : "ul", {}, items));
    } else if (/^\s*>/.test(line)) {
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) quoted.push(lines[i++].replace(/^\s*>\s?/, ""));
      out.push(h("blockquote", {}, inline(quoted.join(" "))));
    } else {
      const paragraph = [];
      while (
        i < lines.length &&
        lines[i].trim() &&
        !/^(#{1,6})\s/.test(lines[i]) &&
        !BULLET.test(lines[i]) &&
        !NUMBERED.test(lines[i]) &&
        !/^\s*>/.test(lines[i]) &&
        !(lines[i].includes("|") && i + 1 < lines.length && isTableRule(lines[i + 1]))
      ) {
        paragraph.push(lines[i++].trim());
      }
      out.push(h("p", {}, inline(paragraph.join(" "))));
    }
  }
  return out;
}
