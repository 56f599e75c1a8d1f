// OKR coach (okr-review.md): questionnaire over REST, analysis over ws/analysis/{id}/.
import { request, socketUrl, closeReason } from "./lib/api.js";
import { closeMicrophone, extensionFor, openMicrophone, record } from "./lib/audio.js";
import { $, h, replace, show, showError, Status, scoreRow, formatSeconds } from "./lib/dom.js";

const STEPS = {
  collecting_answers: "Collecting answers",
  transcribing_audio: "Transcribing recorded answers",
  analyzing: "Analysing",
};
const DIMENSIONS = [
  ["overall", "Overall"],
  ["clarity", "Clarity"],
  ["measurability", "Measurability"],
  ["alignment", "Alignment"],
  ["execution_readiness", "Execution readiness"],
];

let session = null;
let question = null;
let recording = null;
let recorded = null; // {blob, mimeType}
let socket = null;
const answerStatus = new Status($("#okr-answer-status"));
const analysisStatus = new Status($("#okr-analysis-status"));

$("#okr-begin").addEventListener("click", async () => {
  showError($("#okr-start-error"), null);
  try {
    const { data } = await request("/api/review/start/", { method: "POST", json: {} });
    session = data.session;
    $("#okr-session").textContent = `Review ${session.id}`;
    $("#okr-begin").disabled = true;
    askNext(data.next_question, false);
  } catch (error) {
    showError($("#okr-start-error"), error);
  }
});

function askNext(next, completed) {
  question = next;
  if (completed || !next) {
    show($("#okr-question-panel"), false);
    show($("#okr-after"));
    $("#okr-session").textContent = `Review ${session.id} · all answers in`;
    return;
  }
  show($("#okr-question-panel"));
  $("#okr-progress").textContent = `Question ${next.order} of 5`;
  $("#okr-prompt").textContent = next.prompt;
  $("#okr-answer").value = "";
  recorded = null;
  show($("#okr-recorded"), false);
  show($("#okr-playback"), false);
  $("#okr-answer").focus();
}

$("#okr-record").addEventListener("click", async () => {
  showError($("#okr-answer-error"), null);
  if (recording) {
    const blob = await recording.take.stop();
    closeMicrophone(recording.stream);
    clearInterval(recording.clock);
    recorded = { blob, mimeType: recording.take.mimeType };
    recording = null;
    $("#okr-record").textContent = "Record again";
    show($("#okr-recording"), false);
    $("#okr-recorded").textContent = `Recorded ${(blob.size / 1024).toFixed(0)} KB; it is transcribed when you submit.`;
    show($("#okr-recorded"));
    const player = $("#okr-playback");
    player.src = URL.createObjectURL(blob);
    show(player);
    return;
  }
  try {
    const stream = await openMicrophone();
    const started = Date.now();
    recording = { stream, take: record(stream) };
    recording.clock = setInterval(() => {
      $("#okr-rec-clock").textContent = formatSeconds((Date.now() - started) / 1000);
    }, 250);
    $("#okr-record").textContent = "Stop recording";
    show($("#okr-recording"));
  } catch (error) {
    showError($("#okr-answer-error"), error);
  }
});

$("#okr-answer-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#okr-answer-error"), null);
  const text = $("#okr-answer").value.trim();
  const options = { method: "POST" };
  if (recorded) {
    const form = new FormData();
    form.append("question_id", question.id);
    form.append("answer_text", text);
    form.append("audio_file", recorded.blob, `answer.${extensionFor(recorded.mimeType)}`);
    options.form = form;
  } else {
    options.json = { question_id: question.id, answer_text: text };
  }
  $("#okr-submit").disabled = true;
  answerStatus.start(recorded ? "Uploading the recording" : "Saving the answer");
  try {
    const { data } = await request(`/api/review/${session.id}/answer/`, options);
    answerStatus.done(`Answer ${data.answer.question.order} saved`);
    const said = data.answer.answer_text || (data.answer.audio_url ? "(recorded answer)" : "");
    $("#okr-answered").append(h("li", {}, h("strong", { text: `${data.answer.question.order}. ` }), said));
    askNext(data.next_question, data.completed);
  } catch (error) {
    answerStatus.fail("Not saved");
    showError($("#okr-answer-error"), error);
  } finally {
    $("#okr-submit").disabled = false;
  }
});

$("#okr-contact-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#okr-contact-error"), null);
  const form = new FormData(event.target);
  try {
    const { data } = await request("/api/review/session/contact/", {
      method: "POST",
      json: { review_session_id: session.id, email: form.get("email"), phone_number: form.get("phone_number") },
    });
    $("#okr-contact-saved").textContent = `Contact saved: ${data.email}, ${data.phone_number}`;
    show($("#okr-contact-saved"));
  } catch (error) {
    showError($("#okr-contact-error"), error);
  }
});

$("#okr-meeting").addEventListener("click", async () => {
  showError($("#okr-contact-error"), null);
  try {
    await request("/api/review/session/meeting/request/", { method: "POST", json: { review_session_id: session.id } });
    const { data } = await request(`/api/review/session/${session.id}/meeting/requests/`);
    replace(
      $("#okr-meetings"),
      data.map((m) => h("li", {}, h("span", { class: "tag", text: m.status }), `Meeting request #${m.id} for ${m.email}, ${m.phone_number}`)),
    );
  } catch (error) {
    showError($("#okr-contact-error"), error);
  }
});

$("#okr-analyze").addEventListener("click", () => {
  showError($("#okr-analysis-error"), null);
  replace($("#okr-steps"));
  analysisStatus.start("Connecting");
  $("#okr-analyze").disabled = true;
  if (socket) socket.close();
  socket = new WebSocket(socketUrl(`/ws/analysis/${session.id}/`));
  socket.addEventListener("open", () => ($("#okr-socket-state").textContent = "connected"));
  socket.addEventListener("close", (event) => {
    $("#okr-socket-state").textContent = closeReason(event);
    $("#okr-analyze").disabled = false;
  });
  let started = false;
  socket.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "status" && !started) {
      // The snapshot: start (or restart) the analysis of this review.
      started = true;
      socket.send(JSON.stringify({ review_session_id: session.id }));
      return;
    }
    onFrame(frame);
  });
});

function stepLabel(step) {
  const text = STEPS[step] || step.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function onFrame(frame) {
  if (frame.type === "accepted") {
    analysisStatus.update("Accepted: queued");
  } else if (frame.type === "status") {
    if (frame.status === "failed") {
      analysisStatus.fail("Analysis failed");
      showError($("#okr-analysis-error"), { message: frame.error || "The analysis failed." });
      socket.close();
    } else if (frame.status === "succeeded") {
      analysisStatus.done("Analysis complete");
    } else {
      analysisStatus.update(frame.status === "pending" ? "Waiting for a worker" : "Running");
    }
  } else if (frame.type === "progress" && frame.step) {
    const steps = $("#okr-steps");
    steps.querySelectorAll("li.current").forEach((li) => li.classList.replace("current", "complete"));
    if (!steps.querySelector(`li[data-step="${frame.step}"]`)) {
      steps.append(h("li", { class: "current", dataset: { step: frame.step }, text: stepLabel(frame.step) }));
    }
    analysisStatus.update(`Running: ${stepLabel(frame.step)}`);
  } else if (frame.type === "result") {
    $("#okr-steps").querySelectorAll("li.current").forEach((li) => li.classList.replace("current", "complete"));
    renderDashboard(frame.data);
    socket.close();
  } else if (frame.type === "error") {
    analysisStatus.fail("Refused");
    showError($("#okr-analysis-error"), { message: frame.message });
  }
}

function quote(evidence) {
  if (!evidence) return null;
  return h("div", { class: "quote" }, `“${evidence.quote}”`, h("span", { class: "small muted", text: ` (answer ${evidence.order})` }));
}

function renderDashboard(d) {
  show($("#okr-dashboard"));
  $("#okr-engine").textContent = `engine: ${d.engine}`;
  $("#okr-summary").textContent = d.summary;
  replace($("#okr-goal"), d.goal.statement, h("br"), h("span", { class: "small muted", text: `Clarity ${d.goal.clarity}/100` }));
  replace($("#okr-scores"), DIMENSIONS.map(([key, label]) => scoreRow(label, d.scores[key])));
  replace(
    $("#okr-draft"),
    d.okr_draft.map((objective) =>
      h(
        "div",
        {},
        h("h3", { text: `Objective: ${objective.objective}` }),
        h(
          "table",
          {},
          h("tr", {}, ["Key result", "Metric", "Baseline → target", "Due", "Quality"].map((t) => h("th", { text: t }))),
          objective.key_results.map((kr) =>
            h(
              "tr",
              {},
              h("td", {}, kr.statement, quote(kr.evidence)),
              h("td", { text: kr.metric }),
              h("td", { class: "kr-range", text: `${kr.baseline} → ${kr.target}` }),
              h("td", { text: kr.due }),
              h("td", { text: `${kr.quality.score}/100` }),
            ),
          ),
        ),
      ),
    ),
  );
  replace(
    $("#okr-flagged"),
    d.flagged_activities.length ? h("h3", { text: "Activities, not results" }) : null,
    h("ul", { class: "plain" }, d.flagged_activities.map((a) => h("li", {}, h("strong", { text: a.text }), h("p", { class: "small", text: a.reason }), quote(a.evidence)))),
  );
  replace(
    $("#okr-blockers"),
    d.blockers.map((b) => h("li", {}, h("span", { class: `tag ${b.severity}`, text: b.severity }), h("span", { class: "tag", text: b.category }), b.description, quote(b.evidence))),
  );
  replace($("#okr-strengths"), d.strengths.map((s) => h("li", {}, s.text, quote(s.evidence))));
  replace(
    $("#okr-recommendations"),
    d.recommendations.map((r) => h("li", {}, h("span", { class: `tag ${r.priority}`, text: r.priority }), h("strong", { text: r.title }), h("p", { class: "small", text: r.detail }))),
  );
  replace(
    $("#okr-reasons"),
    h("tr", {}, ["Score", "Points", "Reason"].map((t) => h("th", { text: t }))),
    (d.score_reasons || []).map((r) =>
      h("tr", {}, h("td", { text: r.dimension.replace("_", " ") }), h("td", { text: r.points > 0 ? `+${r.points}` : String(r.points) }), h("td", { text: r.reason })),
    ),
  );
}
