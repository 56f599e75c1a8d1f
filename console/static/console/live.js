// Live mock interview (live-interview.md): setup over REST, the interview over ws/interview/{id}.
import { closeReason, request, socketUrl } from "./lib/api.js";
import { closeMicrophone, openMicrophone, record } from "./lib/audio.js";
import { barChart } from "./lib/charts.js";
import { $, formatSeconds, h, replace, scoreRow, show, showError, Status } from "./lib/dom.js";

const DIMENSIONS = ["technical", "design", "communication"];

let sessionId = null;
let socket = null;
let started = false;
let deadline = null; // Date.now() when the clock reaches zero
let recording = null;
const overallByQuestion = [];
const status = new Status($("#lv-status"));

async function ensureSession() {
  if (sessionId) return sessionId;
  const { data } = await request("/session/start", { method: "POST" });
  sessionId = data.session_id;
  $("#lv-session").textContent = `Session ${sessionId}`;
  return sessionId;
}

async function setupCall(work) {
  showError($("#lv-setup-error"), null);
  try {
    await ensureSession();
    await work();
  } catch (error) {
    showError($("#lv-setup-error"), error);
  }
}

$("#lv-jd-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setupCall(async () => {
    const form = new FormData(event.target);
    form.append("session_id", sessionId);
    const { data } = await request("/upload/jd", { method: "POST", form });
    $("#lv-jd-saved").textContent = `Job description saved for ${data.role}.`;
    show($("#lv-jd-saved"));
  });
});

$("#lv-resume-form").addEventListener("submit", (event) => {
  event.preventDefault();
  setupCall(async () => {
    const form = new FormData(event.target);
    form.append("session_id", sessionId);
    const { data } = await request("/upload/resume", { method: "POST", form });
    $("#lv-seniority").textContent = data.detected_seniority || "–";
    $("#lv-strengths").textContent = data.strengths.join(", ") || "–";
    $("#lv-gaps").textContent = data.gaps.join(", ") || "–";
    $("#lv-focus").textContent = data.focus_areas.join(", ") || "–";
    show($("#lv-profile"));
  });
});

$("#lv-memory").addEventListener("change", (event) => {
  setupCall(async () => {
    const { data } = await request("/interview/opt-in-memory", {
      method: "POST",
      json: { session_id: sessionId, opt_in: event.target.checked },
    });
    say("system", data.message);
  });
});

function say(kind, text, meta) {
  const chat = $("#lv-chat");
  const msg = h("div", { class: `msg ${kind}` }, meta ? h("div", { class: "meta", text: meta }) : null, text);
  chat.append(msg);
  chat.scrollTop = chat.scrollHeight;
  return msg;
}

function setClock(seconds) {
  deadline = Date.now() + seconds * 1000;
  $("#lv-timer").textContent = formatSeconds(seconds);
}

setInterval(() => {
  if (deadline !== null) $("#lv-timer").textContent = formatSeconds((deadline - Date.now()) / 1000);
}, 1000);

function canAnswer(yes) {
  $("#lv-answer").disabled = !yes;
  $("#lv-send").disabled = !yes;
  $("#lv-record").disabled = !yes;
  if (yes) $("#lv-answer").focus();
}

$("#lv-connect").addEventListener("click", async () => {
  showError($("#lv-error"), null);
  try {
    await ensureSession();
  } catch (error) {
    showError($("#lv-error"), error);
    return;
  }
  socket?.close();
  socket = new WebSocket(socketUrl(`/ws/interview/${sessionId}`));
  $("#lv-socket").textContent = "connecting";
  socket.addEventListener("open", () => ($("#lv-socket").textContent = "connected"));
  socket.addEventListener("close", (event) => {
    $("#lv-socket").textContent = closeReason(event);
    $("#lv-voice").disabled = true;
    canAnswer(false);
  });
  socket.addEventListener("message", (event) => onFrame(JSON.parse(event.data)));
});

function send(frame) {
  socket.send(JSON.stringify(frame));
}

function onFrame(frame) {
  const data = frame.data || {};
  switch (frame.type) {
    case "connected":
      $("#lv-phase").textContent = data.phase;
      $("#lv-voice").disabled = false;
      $("#lv-voice").checked = Boolean(data.voice_enabled);
      showVoice(Boolean(data.voice_enabled));
      if (data.time_remaining) setClock(data.time_remaining);
      // A new interview starts; one under way resumes where it was (the server re-sends what waits).
      send(data.status === "created" && !started ? { type: "start" } : { type: "ready" });
      started = true;
      break;
    case "intro":
      say("interviewer", data.message, "Interviewer");
      break;
    case "phase_update":
      $("#lv-phase").textContent = data.phase;
      if (data.message) say("system", data.message);
      if (data.phase === "evaluation") status.start("Writing the final report");
      break;
    case "new_question":
      status.done(`Question ${data.question_number}`);
      say("interviewer", data.question, `Question ${data.question_number} · ${data.topic} · ${data.difficulty}`);
      if (data.time_remaining !== undefined) setClock(data.time_remaining);
      canAnswer(true);
      break;
    case "followup":
      status.done("Follow-up question");
      say("interviewer", data.question, `Follow-up · ${data.reason}`);
      if (data.time_remaining !== undefined) setClock(data.time_remaining);
      canAnswer(true);
      break;
    case "transcript":
      say("candidate", data.text || "(nothing was heard)", `Heard from your recording (${data.duration_seconds.toFixed(1)} s)`);
      status.update("Scoring your answer");
      break;
    case "score_update":
      onScore(data);
      break;
    case "time_remaining":
      setClock(data.seconds);
      break;
    case "feedback":
      status.done("Interview complete");
      deadline = null;
      canAnswer(false);
      showReport(data);
      break;
    case "error":
      status.fail("Refused");
      showError($("#lv-error"), { message: `${data.message} (code ${data.code})` });
      if (recording === null && socket.readyState === WebSocket.OPEN && data.code === 4400) canAnswer(true);
      break;
    default:
      break;
  }
}

function onScore(data) {
  const current = data.current_scores || {};
  const lines = [
    DIMENSIONS.map((d) => `${d} ${current[d] ?? "–"}`).join(" · "),
    data.feedback,
    ...(data.strengths || []).map((s) => `+ ${s}`),
    ...(data.improvements || []).map((s) => `− ${s}`),
  ].filter(Boolean);
  const msg = say("score", "", `Score for question ${data.question_number}${data.is_followup ? " (with follow-up)" : ""}: ${data.overall ?? "–"}/10`);
  lines.forEach((line) => msg.append(h("div", { text: line })));
  const running = data.running_average || {};
  replace($("#lv-scores"), DIMENSIONS.map((d) => scoreRow(d, running[d], 10, 1)));
  overallByQuestion.push({ label: `Q${data.question_number}${data.is_followup ? "+" : ""}`, value: data.overall || 0 });
  barChart($("#lv-score-chart"), overallByQuestion, {
    title: "Overall score per answer (+: with its follow-up)",
    yMax: 10,
    format: (v) => v.toFixed(1),
  });
  status.update("Waiting for the interviewer");
}

$("#lv-answer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("#lv-answer").value.trim();
  if (!text) return;
  showError($("#lv-error"), null);
  send({ type: "answer", data: { text } });
  say("candidate", text, "You");
  $("#lv-answer").value = "";
  canAnswer(false);
  status.start("Scoring your answer");
});

function showVoice(enabled) {
  show($("#lv-record"), enabled);
}

$("#lv-voice").addEventListener("change", (event) => {
  send({ type: "voice_toggle", data: { enabled: event.target.checked } });
  showVoice(event.target.checked);
});

$("#lv-record").addEventListener("click", async () => {
  showError($("#lv-error"), null);
  if (recording) {
    const current = recording;
    recording = null;
    clearInterval(current.clock);
    const blob = await current.take.stop();
    closeMicrophone(current.stream);
    show($("#lv-rec"), false);
    $("#lv-record").textContent = "Record answer";
    canAnswer(false);
    status.start(`Sending ${(blob.size / 1024).toFixed(0)} KB of audio; transcribing`);
    socket.send(await blob.arrayBuffer());
    return;
  }
  try {
    const stream = await openMicrophone();
    const began = Date.now();
    recording = { stream, take: record(stream) };
    recording.clock = setInterval(() => ($("#lv-rec-clock").textContent = formatSeconds((Date.now() - began) / 1000)), 250);
    $("#lv-record").textContent = "Stop and send";
    show($("#lv-rec"));
  } catch (error) {
    showError($("#lv-error"), error);
  }
});

async function showReport(feedback) {
  show($("#lv-report"));
  $("#lv-recommendation").textContent = feedback.recommendation;
  $("#lv-final").textContent = feedback.report;
  replace($("#lv-final-scores"), DIMENSIONS.map((d) => scoreRow(d, feedback.final_scores?.[d], 10, 1)));
  replace(
    $("#lv-roadmap"),
    (feedback.skill_roadmap || []).map((item) =>
      h(
        "li",
        {},
        h("span", { class: `tag ${item.priority}`, text: item.priority }),
        h("strong", { text: item.skill }),
        h("p", { class: "small", text: item.reason }),
        h("ul", {}, (item.actions || []).map((a) => h("li", { class: "small", text: a }))),
      ),
    ),
  );
  try {
    const { data } = await request(`/interview/report/${sessionId}`);
    replace(
      $("#lv-history"),
      h("tr", {}, ["#", "Question", "Answer", "Overall"].map((t) => h("th", { text: t }))),
      data.qa_history.map((q) =>
        h("tr", {}, h("td", { text: q.question_number }), h("td", { text: q.question }), h("td", { text: q.answer || "(erased)" }), h("td", { text: q.scores?.overall ?? "–" })),
      ),
    );
  } catch (error) {
    showError($("#lv-error"), error);
  }
}
