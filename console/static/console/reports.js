// Report sections (report-sections.md): POST /generate or /refine, then poll /status/{job_id}.
import { ApiError, request } from "./lib/api.js";
import { renderDiff } from "./lib/diff.js";
import { $, h, replace, show, showError, sleep, Status } from "./lib/dom.js";
import { render } from "./lib/markdown.js";
import { SECTION_TITLES } from "./report-catalog.js";

// The spec's polling advice: wait 1 s, grow the wait by half each time, at most 10 s; give up
// after 10 minutes.
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 10_000;
const GIVE_UP_MS = 600_000;

const keyInput = $("#rp-key");
const sessionInput = $("#rp-session");
const status = new Status($("#rp-status"));
let current = null; // {markdown, request body, version}

// What was typed before this module ran (it loads after the page) is kept.
keyInput.value ||= sessionStorage.getItem("console.reports.key") || "";
sessionInput.value ||= sessionStorage.getItem("console.reports.session") || `console-${crypto.randomUUID().slice(0, 8)}`;
keyInput.addEventListener("change", () => sessionStorage.setItem("console.reports.key", keyInput.value.trim()));
sessionInput.addEventListener("change", () => sessionStorage.setItem("console.reports.session", sessionInput.value.trim()));

const typeSelect = $("#rp-type");
const titleSelect = $("#rp-title");
for (const type of Object.keys(SECTION_TITLES)) typeSelect.append(h("option", { value: type, text: type.replace("_", " ") }));
function fillTitles() {
  replace(titleSelect, SECTION_TITLES[typeSelect.value].map((title) => h("option", { value: title, text: title })));
}
typeSelect.addEventListener("change", fillTitles);
fillTitles();

function headers() {
  return { "X-API-Key": keyInput.value.trim(), "Session-Id": sessionInput.value.trim() };
}

// UTF-8 safe base64 both ways: sections carry "→", "€" and names in any script.
export function toBase64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary);
}

export function fromBase64(encoded) {
  const binary = atob(encoded);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

async function runJob(path, body, what) {
  status.start(`${what}: sending`);
  const accepted = await request(path, { method: "POST", json: body, headers: headers() });
  // "busy": the same request is already running; follow that job instead of starting another.
  const jobId = accepted.data.data.job_id;
  status.update(`${what}: ${accepted.data.message} (job ${jobId.slice(0, 8)})`);
  const began = Date.now();
  let delay = FIRST_DELAY_MS;
  let polls = 0;
  while (Date.now() - began < GIVE_UP_MS) {
    await sleep(delay);
    polls += 1;
    let answer;
    try {
      answer = (await request(`/status/${jobId}`, { headers: { "X-API-Key": headers()["X-API-Key"] } })).data;
    } catch (error) {
      if (error.status === 404) throw new ApiError(`${error.message}: the job expired or was lost; submit it again.`, 404);
      throw error;
    }
    if (answer.status === "ready") return answer.data.result;
    if (answer.status === "error") throw new ApiError(answer.data.error?.message || answer.message, 200, answer);
    status.update(`${what}: ${answer.data.status} · polled ${polls}× · next check in ${(Math.min(delay * 1.5, MAX_DELAY_MS) / 1000).toFixed(1)} s`);
    delay = Math.min(delay * 1.5, MAX_DELAY_MS);
  }
  throw new ApiError("No answer after 10 minutes: treat the job as failed.", 0);
}

function showSection(markdown, version) {
  show($("#rp-result"));
  $("#rp-version").textContent = version;
  replace($("#rp-markdown"), render(markdown));
}

$("#rp-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#rp-error"), null);
  const form = new FormData(event.target);
  const body = Object.fromEntries(["type", "customer_id", "opportunity_id", "section_title"].map((k) => [k, form.get(k)]));
  $("#rp-generate").disabled = true;
  try {
    const result = await runJob("/generate", body, "Generating");
    current = { markdown: fromBase64(result.generated_section_b64), body, version: 1 };
    status.done(`Generated “${result.section_title}” for ${result.customer_id} / ${result.opportunity_id}`);
    showSection(current.markdown, "draft 1");
    show($("#rp-diff-panel"), false);
  } catch (error) {
    status.fail("Generation failed");
    showError($("#rp-error"), error);
  } finally {
    $("#rp-generate").disabled = false;
  }
});

$("#rp-refine-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#rp-error"), null);
  const prompt = $("#rp-prompt").value.trim();
  $("#rp-refine").disabled = true;
  try {
    const body = { ...current.body, original_text: toBase64(current.markdown), prompt };
    const result = await runJob("/refine", body, "Refining");
    const refined = fromBase64(result.refined_section_b64);
    const { rows, added, removed } = renderDiff(current.markdown, refined);
    current = { ...current, markdown: refined, version: current.version + 1 };
    status.done(`Refined: “${prompt}”`);
    showSection(refined, `draft ${current.version}`);
    show($("#rp-diff-panel"));
    $("#rp-diff-summary").textContent = `${added} line${added === 1 ? "" : "s"} added, ${removed} removed`;
    replace($("#rp-diff"), rows);
  } catch (error) {
    status.fail("Refinement failed");
    showError($("#rp-error"), error);
  } finally {
    $("#rp-refine").disabled = false;
  }
});
