// Interview practice (interview-practice.md): sessions, media, transcript and report over REST with
// the bearer token; live audio metrics over ws/analysis/{id} while recording.
import { accessToken, closeReason, request, socketUrl } from "./lib/api.js";
import { closeMicrophone, extensionFor, openMicrophone, pcmFrames, record } from "./lib/audio.js";
import { barChart, lineChart } from "./lib/charts.js";
import { $, formatSeconds, h, metric, number, percent, replace, show, showError, Status } from "./lib/dom.js";
import { decodeMono16k, pitchTrack } from "./lib/pitch.js";

// interviews/ai/norms.py: a comfortable pace.
const PACE_BAND = [120, 165];
// Hesitation sounds are always fillers; "like" only where commas set it apart ("and, like, we"),
// since "I like Python" is no filler.
const FILLERS = /\b(u+m+|u+h+|e+r+m+|e+r+|a+h+|h+m+|m{2,}|you know|i mean)\b|(?<=,\s*)like\b|\blike(?=,)/gi;

let session = null;
let question = null;
let recording = null;
let answerBlob = null;
let volumeTrace = [];
const status = new Status($("#pr-status"));

$("#pr-session-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#pr-setup-error"), null);
  const form = new FormData(event.target);
  try {
    const { data } = await request("/interview/sessions", {
      method: "POST",
      auth: true,
      json: {
        job_title: form.get("job_title"),
        job_description: form.get("job_description"),
        interviewer_type: form.get("interviewer_type"),
        duration_minutes: Number(form.get("duration_minutes")),
      },
    });
    session = data;
    const started = await request(`/interview/sessions/${session.id}/start`, { method: "POST", auth: true });
    $("#pr-session").textContent = `Session ${session.id} · ${started.data.status}`;
    $("#pr-create").disabled = true;
    await nextQuestion();
  } catch (error) {
    showError($("#pr-setup-error"), error);
  }
});

async function nextQuestion() {
  showError($("#pr-error"), null);
  status.start("Choosing a question");
  const { data } = await request(`/interview/sessions/${session.id}/next-question`, { method: "POST", auth: true });
  question = data;
  status.done(`Question ${data.question_number} ready`);
  show($("#pr-question-panel"));
  $("#pr-qmeta").textContent = `#${data.question_number} · ${data.type} · ${data.topic} · ${data.difficulty}`;
  $("#pr-question").textContent = data.content;
  $("#pr-reason").textContent = data.reason || "";
}

$("#pr-next").addEventListener("click", async () => {
  show($("#pr-transcript-panel"), false);
  show($("#pr-report-panel"), false);
  try {
    await nextQuestion();
  } catch (error) {
    status.fail("No question");
    showError($("#pr-error"), error);
  }
});

$("#pr-record").addEventListener("click", () => (recording ? stopRecording() : startRecording()));

async function startRecording() {
  showError($("#pr-error"), null);
  let stream;
  try {
    stream = await openMicrophone();
  } catch (error) {
    showError($("#pr-error"), error);
    return;
  }
  volumeTrace = [];
  const started = Date.now();
  recording = { stream, take: record(stream), started };
  recording.clock = setInterval(() => ($("#pr-rec-clock").textContent = formatSeconds((Date.now() - started) / 1000)), 250);
  $("#pr-record").textContent = "Stop and analyse";
  show($("#pr-rec"));
  show($("#pr-live"));
  show($("#pr-nudge"), false);
  try {
    await connectMetrics(stream);
  } catch (error) {
    $("#pr-socket").textContent = `live metrics unavailable: ${error.message}`;
  }
}

async function connectMetrics(stream) {
  const token = await accessToken();
  const { started } = recording;
  let socket = null;
  const frames = await pcmFrames(stream, (samples) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(samples.buffer);
  });
  socket = new WebSocket(socketUrl(`/ws/analysis/${session.id}`, { token, sample_rate: Math.round(frames.sampleRate) }));
  socket.binaryType = "arraybuffer";
  if (recording) {
    recording.socket = socket;
    recording.frames = frames;
  }
  socket.addEventListener("open", () => ($("#pr-socket").textContent = `socket: live at ${Math.round(frames.sampleRate)} Hz`));
  socket.addEventListener("close", (event) => ($("#pr-socket").textContent = `socket: ${closeReason(event)}`));
  socket.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "error") {
      showError($("#pr-error"), { message: frame.message });
      return;
    }
    const metrics = frame.data;
    if (frame.type === "metrics") {
      const seconds = (Date.now() - started) / 1000;
      volumeTrace.push([seconds, metrics.volume]);
      $("#pr-volume").textContent = metrics.volume.toFixed(2);
      $("#pr-volume-bar").style.width = `${Math.min(100, metrics.volume * 400)}%`;
      const speaking = $("#pr-speaking");
      speaking.textContent = metrics.is_speaking ? "Speaking" : "Silent";
      speaking.classList.toggle("on", metrics.is_speaking);
    }
    if (frame.type === "nudge") {
      $("#pr-nudge").textContent = `Nudge: ${frame.message}`;
      show($("#pr-nudge"));
    }
  });
}

async function stopRecording() {
  const current = recording;
  recording = null;
  clearInterval(current.clock);
  const blob = await current.take.stop();
  current.socket?.close();
  await current.frames?.close();
  closeMicrophone(current.stream);
  show($("#pr-rec"), false);
  $("#pr-record").textContent = "Record again";
  const name = `answer-${question.question_number}.${extensionFor(current.take.mimeType)}`;
  await analyse(new File([blob], name, { type: blob.type }), "audio");
}

$("#pr-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  volumeTrace = [];
  show($("#pr-live"), false);
  await analyse(file, file.type.startsWith("video/") ? "video" : "audio");
  event.target.value = "";
});

async function analyse(file, mediaType) {
  showError($("#pr-error"), null);
  show($("#pr-transcript-panel"), false);
  show($("#pr-report-panel"), false);
  answerBlob = file;
  $("#pr-record").disabled = true;
  try {
    status.start(`Uploading ${(file.size / 1024).toFixed(0)} KB`);
    const form = new FormData();
    form.append("file", file, file.name);
    const query = new URLSearchParams({ media_type: mediaType, question_id: question.id });
    const media = (await request(`/interview/sessions/${session.id}/media?${query}`, { method: "POST", auth: true, form })).data;
    status.update(`Transcribing ${number(media.duration_seconds)} s of ${mediaType}`);
    const transcript = (await request(`/interview/media/${media.id}/transcribe`, { method: "POST", auth: true })).data;
    renderTranscript(transcript);
    status.update("Measuring pace, pauses and pitch, then writing feedback");
    const report = (await request(`/interview/media/${media.id}/report`, { method: "POST", auth: true })).data;
    status.done("Report ready");
    await renderReport(report, transcript);
  } catch (error) {
    status.fail(error.status === 503 ? "Still working or unavailable: try again" : "Failed");
    showError($("#pr-error"), error);
  } finally {
    $("#pr-record").disabled = false;
  }
}

function renderTranscript(transcript) {
  show($("#pr-transcript-panel"));
  const text = transcript.transcript || "";
  const out = $("#pr-transcript");
  out.replaceChildren();
  let last = 0;
  let count = 0;
  for (const match of text.matchAll(FILLERS)) {
    out.append(text.slice(last, match.index), h("mark", { class: "filler", text: match[0] }));
    last = match.index + match[0].length;
    count += 1;
  }
  out.append(text.slice(last) || (text ? "" : "(no speech was heard)"));
  $("#pr-filler-count").textContent = `${count} filler${count === 1 ? "" : "s"} highlighted in ${text.split(/\s+/).filter(Boolean).length} words.`;
}

async function renderReport(report, transcript) {
  show($("#pr-report-panel"));
  $("#pr-engine").textContent = `engine: ${report.engine}`;
  const a = report.audio_features || {};
  const score = report.answer_score || {};
  replace(
    $("#pr-metrics"),
    metric("Answer score", score.overall === undefined ? "–" : `${number(score.overall)}/10`),
    metric("Pace", `${number(a.speech_rate, 0)} wpm`, `comfortable ${PACE_BAND[0]}–${PACE_BAND[1]}`),
    metric("Pauses", percent(a.pause_ratio), "of the time silent"),
    metric("Fillers", percent(a.filler_word_ratio, 1), "of words"),
    metric("Pitch variation", `${number(a.pitch_variance, 0)} Hz`, "standard deviation"),
    metric("Tone", a.emotion || "–"),
  );
  $("#pr-feedback").textContent = report.feedback;
  const point = (p) => h("li", {}, h("span", { class: "tag", text: p.category }), p.message, p.quote ? h("div", { class: "quote", text: `“${p.quote}”` }) : null);
  replace($("#pr-strengths"), (report.points || []).filter((p) => p.kind === "strength").map(point));
  replace($("#pr-improvements"), (report.points || []).filter((p) => p.kind === "improvement").map(point));
  const v = report.video_features;
  replace(
    $("#pr-video"),
    v
      ? [
          h("h3", { text: "On camera" }),
          h("div", { class: "metrics" }, metric("Eye contact", percent(v.eye_contact_score)), metric("Smiling", percent(v.smile_ratio)), metric("Posture", percent(v.posture_score)), metric("Mostly", v.dominant_emotion || "–")),
        ]
      : [],
  );
  drawCharts(transcript);
  await drawPitch();
}

function drawCharts(transcript) {
  const segments = (transcript.segments || []).filter((s) => s.end > s.start);
  const pace = segments.map((s) => [(s.start + s.end) / 2, (s.text.split(/\s+/).filter(Boolean).length / (s.end - s.start)) * 60]);
  if (pace.length) {
    lineChart($("#pr-chart-pace"), [{ name: "words per minute, per sentence", points: pace }], {
      title: "Pace (shaded: comfortable range)",
      xLabel: "seconds",
      yLabel: "wpm",
      band: PACE_BAND,
    });
  } else {
    replace($("#pr-chart-pace"), h("p", { class: "muted", text: "No timed speech to chart the pace." }));
  }
  const gaps = [];
  for (let i = 1; i < segments.length; i += 1) {
    gaps.push({ label: formatSeconds(segments[i].start), value: Math.max(0, segments[i].start - segments[i - 1].end) });
  }
  if (gaps.length) {
    barChart($("#pr-chart-pauses"), gaps.slice(0, 16), { title: "Pauses between sentences (s), by when they end", yLabel: "seconds", format: (v) => v.toFixed(1) });
  } else {
    replace($("#pr-chart-pauses"), h("p", { class: "muted", text: "One stretch of speech: no pauses between sentences." }));
  }
  if (volumeTrace.length) {
    lineChart($("#pr-chart-volume"), [{ name: "volume (live socket)", points: volumeTrace, dots: false }], {
      title: "Volume while recording",
      xLabel: "seconds",
      yMin: 0,
    });
  } else {
    replace($("#pr-chart-volume"));
  }
}

async function drawPitch() {
  try {
    const track = pitchTrack(await decodeMono16k(answerBlob));
    if (!track.some((p) => p[1] !== null)) throw new Error("no voiced speech");
    lineChart($("#pr-chart-pitch"), [{ name: "pitch, measured in this browser", points: track, dots: false }], {
      title: "Pitch over time (Hz)",
      xLabel: "seconds",
      yMin: 50,
    });
  } catch (error) {
    replace($("#pr-chart-pitch"), h("p", { class: "muted", text: `No pitch track (${error.message}).` }));
  }
}
