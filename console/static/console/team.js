// The supervisor's team view (conversation-intelligence.md §7-8): coach and analytics routes.
import { request } from "./lib/api.js";
import { barChart, lineChart } from "./lib/charts.js";
import { $, formatSeconds, h, metric, number, percent, replace, show, showError, Status } from "./lib/dom.js";

const status = new Status($("#tm-status"));
const money = (value) => Number(value || 0).toLocaleString(undefined, { maximumFractionDigits: 0 });
const get = (path) => request(path, { auth: true }).then((r) => r.data);

async function load() {
  status.start("Loading the team");
  try {
    const [overview, technicians, recent] = await Promise.all([
      get("/analytics/team/overview"),
      get("/coach/technicians"),
      get("/coach/calls/recent?limit=10"),
    ]);
    showOverview(overview.team_stats);
    showTechnicians(technicians.technicians);
    showRecent(recent.calls);
    await showLeaderboard("weekly");
    show($("#tm-content"));
    status.done(`${technicians.technicians.length} technicians`);
  } catch (error) {
    status.fail("Not available");
    showError($("#tm-error"), error);
  }
}

function showOverview(t) {
  $("#tm-period").textContent = `${t.period_start} – ${t.period_end} (${t.time_zone})`;
  replace(
    $("#tm-overview"),
    metric("Calls", String(t.total_calls_this_week)),
    metric("Satisfaction", `${number(t.avg_satisfaction, 2)} / 5`),
    metric("Upsell revenue", money(t.total_upsell_revenue)),
    metric("Upsell conversion", percent(t.upsell_conversion)),
    metric("Coaching moments", String(t.coaching_moments_count)),
    metric("Average call", formatSeconds(t.avg_call_duration || 0)),
  );
  const top = t.top_performer;
  replace($("#tm-top"), top ? [h("strong", { text: "Top performer: " }), `${top.full_name} (score ${number(top.stats.score)}, ${top.stats.calls} calls, ${money(top.stats.revenue)} revenue)`] : []);
  replace(
    $("#tm-needs"),
    (t.needs_coaching || []).length ? [h("strong", { text: "Needs coaching: " }), t.needs_coaching.map((n) => `${n.full_name} on ${n.category.replaceAll("_", " ")} (${n.count}×)`).join(" · ")] : [],
  );
}

function showTechnicians(technicians) {
  barChart($("#tm-calls-chart"), technicians.map((t) => ({ label: t.full_name.split(" ")[0], value: t.stats.calls_this_week })), { title: "Calls this week", yLabel: "calls" });
  barChart(
    $("#tm-conversion-chart"),
    technicians.map((t) => ({ label: t.full_name.split(" ")[0], value: (t.stats.upsell_conversion || 0) * 100 })),
    { title: "Upsell conversion (%)", yLabel: "%", yMax: 100, format: (v) => `${v.toFixed(0)}%` },
  );
  const select = $("#tm-technician");
  replace(select, technicians.map((t) => h("option", { value: t.user_id, text: t.full_name })));
  select.onchange = () => showDaily(select.value);
  if (technicians.length) showDaily(technicians[0].user_id);
}

async function showDaily(technicianId) {
  try {
    const { metrics } = await get(`/analytics/technician/${technicianId}/daily`);
    const days = metrics.map((m, i) => ({ ...m, x: i }));
    const label = (x) => (days[Math.round(x)] ? days[Math.round(x)].date.slice(5) : "");
    lineChart($("#tm-daily-calls"), [{ name: "calls", points: days.map((d) => [d.x, d.total_calls]) }, { name: "upsells closed", points: days.map((d) => [d.x, d.upsells_closed]) }], { title: "Calls and closed upsells per day", xFormat: label, yMin: 0 });
    lineChart($("#tm-daily-satisfaction"), [{ name: "satisfaction (1–5)", points: days.map((d) => [d.x, d.total_calls ? d.avg_customer_satisfaction : null]), color: "#1f8a4c" }], { title: "Customer satisfaction per day", xFormat: label, yMin: 0, yMax: 5 });
  } catch (error) {
    showError($("#tm-error"), error);
  }
}

async function showLeaderboard(period) {
  const board = await get(`/analytics/leaderboard/${period}`);
  replace(
    $("#tm-leaderboard"),
    h("tr", {}, ["Rank", "Technician", "Score", "Calls", "Satisfaction", "Conversion", "Revenue"].map((t) => h("th", { text: t }))),
    board.rankings.map((r) =>
      h("tr", {}, h("td", { text: `#${r.rank}` }), h("td", { text: r.full_name }), h("td", { text: number(r.score) }), h("td", { text: r.metrics.calls }), h("td", { text: number(r.metrics.satisfaction, 2) }), h("td", { text: percent(r.metrics.upsell_conversion) }), h("td", { text: money(r.metrics.revenue) })),
    ),
  );
}

$("#tm-period-select").addEventListener("change", (event) => showLeaderboard(event.target.value).catch((error) => showError($("#tm-error"), error)));

function showRecent(calls) {
  replace(
    $("#tm-recent"),
    h("tr", {}, ["Call", "Technician", "Customer", "Length", "Satisfaction", "Upsells", "Coaching", "Started"].map((t) => h("th", { text: t }))),
    calls.map((c) =>
      h("tr", {}, h("td", { text: c.conversation_id }), h("td", { text: c.technician.full_name }), h("td", { text: c.customer_name }), h("td", { text: formatSeconds(c.duration_seconds || 0) }), h("td", { text: c.satisfaction_score ?? "–" }), h("td", { text: c.upsells_count }), h("td", { text: c.coaching_moments_count }), h("td", { text: new Date(c.started_at).toLocaleString() })),
    ),
  );
}

load();
