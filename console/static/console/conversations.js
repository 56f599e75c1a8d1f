// Field conversations (conversation-intelligence.md): start, chunked upload from the microphone,
// the transcribe and nudges sockets, stop, then insights, upsells and coaching.
import { accessToken, closeReason, request, socketUrl } from "./lib/api.js";
import { ChunkRecorder, closeMicrophone, extensionFor, openMicrophone } from "./lib/audio.js";
import { barChart } from "./lib/charts.js";
import { $, formatSeconds, h, metric, number, percent, replace, show, showError, sleep, Status } from "./lib/dom.js";

// The analysis of a stopped call takes seconds; poll the call's status gently until it is done.
const ANALYSIS_POLL_MS = 1500;
const ANALYSIS_GIVE_UP_MS = 300_000;

let call = null; // {id, stream, recorder, started}
const sockets = [];
const segments = new Map(); // segment_id -> <li>
const chunkStates = new Map(); // sequence -> text
let uploads = Promise.resolve(); // chunks go up one after another, in order
let complete = null; // resolves when transcription_complete arrives
const status = new Status($("#cv-status"));

function showChunks() {
  $("#cv-chunks").textContent = [...chunkStates.entries()].map(([seq, state]) => `chunk ${seq}: ${state}`).join(" · ");
}

$("#cv-start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#cv-error"), null);
  const form = new FormData(event.target);
  let stream;
  try {
    stream = await openMicrophone();
    const { data } = await request("/conversations/start", { method: "POST", auth: true, json: Object.fromEntries(form) });
    call = { id: data.conversation_id, stream, started: Date.now() };
    $("#cv-id").textContent = `${data.conversation_id} · ${data.status}`;
  } catch (error) {
    closeMicrophone(stream);
    showError($("#cv-error"), error);
    return;
  }
  resetResults();
  await openSockets(call.id);
  const seconds = Number($("#cv-chunk-seconds").value);
  call.recorder = new ChunkRecorder(stream, seconds, (blob, sequence, mimeType) => queueUpload(blob, sequence, mimeType));
  call.recorder.start();
  call.clock = setInterval(() => ($("#cv-clock").textContent = formatSeconds((Date.now() - call.started) / 1000)), 250);
  $("#cv-start").disabled = true;
  $("#cv-stop").disabled = false;
  show($("#cv-rec"));
  status.start(`Recording; a chunk goes up every ${seconds} s`);
});

function resetResults() {
  segments.clear();
  chunkStates.clear();
  replace($("#cv-segments"));
  replace($("#cv-nudges"));
  show($("#cv-analysis"), false);
}

async function openSockets(id) {
  const token = await accessToken();
  complete = new Promise((resolve) => {
    const transcribe = new WebSocket(socketUrl(`/conversations/${id}/transcribe`, { token }));
    transcribe.addEventListener("open", () => ($("#cv-socket").textContent = "live"));
    transcribe.addEventListener("close", (event) => {
      $("#cv-socket").textContent = closeReason(event);
      resolve(false);
    });
    transcribe.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "transcription_segment") showSegment(frame);
      else if (frame.type === "transcription_segment_retracted") segments.get(frame.segment_id)?.remove();
      else if (frame.type === "chunk_error") showError($("#cv-error"), { message: frame.message || `Chunk ${frame.sequence} could not be transcribed.` });
      else if (frame.type === "transcription_complete") resolve(true);
      else if (frame.type === "error") showError($("#cv-error"), { message: frame.message });
    });
    sockets.push(transcribe);
  });
  const nudges = new WebSocket(socketUrl(`/conversations/${id}/nudges`, { token }));
  nudges.addEventListener("open", () => ($("#cv-nudge-socket").textContent = "live"));
  nudges.addEventListener("close", (event) => ($("#cv-nudge-socket").textContent = closeReason(event)));
  nudges.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "nudge") showNudge(frame, nudges);
    else if (frame.type === "nudge_action") $(`#nudge-${frame.nudge_id} .nudge-state`)?.replaceChildren(frame.action);
    else if (frame.type === "error") showError($("#cv-error"), { message: frame.message });
  });
  sockets.push(nudges);
}

function showSegment(frame) {
  const row = h(
    "li",
    { class: frame.is_final ? "final" : "partial", dataset: { segmentId: frame.segment_id } },
    h("span", { class: "time", text: formatSeconds(frame.start_time) }),
    h("span", { class: `speaker ${frame.speaker_type}`, text: frame.speaker_type }),
    h("span", { class: "text", text: frame.text }),
  );
  const existing = segments.get(frame.segment_id);
  if (existing) existing.replaceWith(row);
  else {
    // Keep call order: a segment may arrive after a later one was shown.
    const after = [...segments.values()].find((li) => Number(li.dataset.start) > frame.start_time);
    $("#cv-segments").insertBefore(row, after || null);
  }
  row.dataset.start = frame.start_time;
  segments.set(frame.segment_id, row);
  $("#cv-segments").scrollTop = $("#cv-segments").scrollHeight;
}

function showNudge(frame, socket) {
  if ($(`#nudge-${frame.nudge_id}`)) return;
  const act = (action) => () => socket.send(JSON.stringify({ action, nudge_id: frame.nudge_id }));
  $("#cv-nudges").prepend(
    h(
      "li",
      { id: `nudge-${frame.nudge_id}` },
      h("strong", { text: frame.title }),
      h("span", { class: "small muted", text: ` at ${formatSeconds(frame.triggered_at)} · ${frame.nudge_type}` }),
      h("p", { text: frame.message }),
      frame.suggested_response ? h("div", { class: "quote", text: frame.suggested_response }) : null,
      h("div", { class: "row" }, h("button", { type: "button", onclick: act("accepted"), text: "Use it" }), h("button", { type: "button", onclick: act("dismissed"), text: "Dismiss" }), h("span", { class: "nudge-state small muted" })),
    ),
  );
}

function queueUpload(blob, sequence, mimeType) {
  chunkStates.set(sequence, "waiting");
  showChunks();
  uploads = uploads.then(async () => {
    chunkStates.set(sequence, "uploading");
    showChunks();
    const form = new FormData();
    form.append("chunk", blob, `chunk-${sequence}.${extensionFor(mimeType)}`);
    form.append("sequence", String(sequence));
    try {
      const { data } = await request(`/conversations/${call.id}/upload-audio`, { method: "POST", auth: true, form });
      chunkStates.set(sequence, data.duplicate ? "already stored" : "received");
    } catch (error) {
      chunkStates.set(sequence, "refused");
      showError($("#cv-error"), error);
    }
    showChunks();
  });
  return uploads;
}

$("#cv-stop").addEventListener("click", async () => {
  $("#cv-stop").disabled = true;
  clearInterval(call.clock);
  show($("#cv-rec"), false);
  status.update("Uploading the last chunk");
  await call.recorder.stop();
  closeMicrophone(call.stream);
  await uploads;
  try {
    status.update("Stopping the call");
    const { data } = await request(`/conversations/${call.id}/stop`, { method: "POST", auth: true });
    $("#cv-id").textContent = `${data.conversation_id} · ${data.status} · ${formatSeconds(data.duration_seconds)}`;
    status.update("Finishing the transcript");
    // The socket says when the transcript is whole; the analysis status is checked regardless.
    await Promise.race([complete, sleep(120_000)]);
    await waitForAnalysis(data);
  } catch (error) {
    status.fail("Stopped with an error");
    showError($("#cv-error"), error);
  } finally {
    sockets.splice(0).forEach((s) => s.close());
    $("#cv-start").disabled = false;
  }
});

async function waitForAnalysis(stopped) {
  const began = Date.now();
  for (;;) {
    const { data } = await request(`/conversations/${call.id}`, { auth: true });
    if (data.status === "analyzed") break;
    if (data.status === "failed") throw new Error(data.failure_reason || "The analysis failed.");
    if (Date.now() - began > ANALYSIS_GIVE_UP_MS) throw new Error("The analysis has not finished after 5 minutes.");
    status.update(`Analysing the call (${data.status})`);
    await sleep(ANALYSIS_POLL_MS);
  }
  const [insights, upsells, coaching] = await Promise.all(
    ["insights", "upsells", "coaching"].map((part) => request(`/conversations/${call.id}/${part}`, { auth: true }).then((r) => r.data)),
  );
  status.done("Call analysed");
  await showAnalysis(stopped, insights, upsells, coaching);
}

async function loadRecording(url) {
  // Fetched whole into a blob: the player can then seek anywhere without range requests.
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The recording could not be loaded (HTTP ${response.status}).`);
  $("#cv-audio").src = URL.createObjectURL(await response.blob());
}

function jump(seconds) {
  return h("button", {
    type: "button",
    class: "jump",
    text: `▶ ${formatSeconds(seconds)}`,
    title: "Play this moment",
    onclick: () => {
      const audio = $("#cv-audio");
      audio.currentTime = Math.max(0, seconds - 1);
      audio.play();
    },
  });
}

const list = (items) => items.map((item) => h("li", { text: item }));

async function showAnalysis(stopped, insights, upsells, coaching) {
  show($("#cv-analysis"));
  $("#cv-duration").textContent = `${formatSeconds(stopped.duration_seconds)} recorded`;
  try {
    await loadRecording(stopped.recording_url);
  } catch (error) {
    showError($("#cv-error"), error);
  }
  $("#cv-engine").textContent = `engine: ${insights.engine}`;
  replace(
    $("#cv-insight-metrics"),
    metric("Customer satisfaction", `${insights.customer_satisfaction_score}/100`),
    metric("Sentiment", insights.overall_sentiment),
    metric("Upsells found", String(upsells.opportunities.length)),
    metric("Coaching moments", String(coaching.coaching_moments.length)),
  );
  $("#cv-summary").textContent = insights.summary;
  replace($("#cv-topics"), list(insights.key_topics));
  replace($("#cv-positive"), list(insights.positive_keywords));
  replace($("#cv-improve"), list(insights.improvement_keywords));
  const details = insights.action_item_details || [];
  replace(
    $("#cv-actions"),
    details.length
      ? details.map((a) => h("li", {}, h("div", { class: "row" }, a.timestamp_in_call !== null && a.timestamp_in_call !== undefined ? jump(a.timestamp_in_call) : null, h("span", { text: a.text })), a.due ? h("span", { class: "small muted", text: `due ${a.due} · ${a.owner}` }) : null))
      : list(insights.action_items),
  );
  replace(
    $("#cv-evidence"),
    (insights.evidence || []).map((e) => h("li", {}, h("div", { class: "row" }, jump(e.timestamp_in_call), h("span", { class: `speaker ${e.speaker_type}`, text: e.speaker_type })), h("div", { class: "quote", text: `“${e.quote}”` }))),
  );
  replace(
    $("#cv-upsells"),
    upsells.opportunities.length
      ? upsells.opportunities.map((o) =>
          h(
            "li",
            {},
            h("span", { class: `tag ${o.priority}`, text: o.priority }),
            h("strong", { text: o.title }),
            h("span", { class: "small muted", text: ` · ${o.opportunity_type} · ${o.status} · confidence ${percent(o.confidence)} · est. ${Number(o.estimated_value).toLocaleString()}` }),
            h("p", { class: "small", text: o.description }),
            h("div", { class: "row" }, jump(o.timestamp_in_call), h("span", { class: "quote", text: `“${o.trigger_phrase}”` })),
          ),
        )
      : [h("li", { class: "muted", text: "No upsell opportunity was found in this call." })],
  );
  replace(
    $("#cv-coaching"),
    coaching.coaching_moments.length
      ? coaching.coaching_moments.map((m) =>
          h(
            "li",
            {},
            h("span", { class: `tag ${m.severity}`, text: m.severity }),
            h("strong", { text: m.title }),
            h("div", { class: "row" }, jump(m.timestamp_in_call), h("span", { class: "small muted", text: m.category })),
            h("p", { class: "small" }, h("strong", { text: "What happened: " }), m.what_happened),
            h("p", { class: "small" }, h("strong", { text: "Better: " }), m.what_should_happen),
            m.example_better_response ? h("div", { class: "quote", text: m.example_better_response }) : null,
          ),
        )
      : [h("li", { class: "muted", text: "No coaching moment in this call." })],
  );
  const m = coaching.metrics || {};
  replace(
    $("#cv-metrics"),
    metric("Technician talk share", percent(m.technician_talk_share)),
    metric("Talk-to-listen", number(m.talk_to_listen_ratio, 2)),
    metric("Questions asked by technician", String(m.questions_asked?.technician ?? "–")),
    metric("Longest monologue", m.longest_monologue ? `${number(m.longest_monologue.seconds)} s` : "–"),
  );
  barChart(
    $("#cv-talk-chart"),
    [
      { label: "technician", value: m.technician_talk_seconds || 0, color: "#2f6fde" },
      { label: "customer", value: m.customer_talk_seconds || 0, color: "#8e44ad" },
    ],
    { title: "Seconds of talk per speaker", yLabel: "seconds", format: (v) => v.toFixed(1) },
  );
}
