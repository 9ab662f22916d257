import { lineChart } from "./chart.js";
import { alarmRow, getJson, handleAcknowledge, refreshEvery, text, when } from "./common.js";

const deviceId = decodeURIComponent(location.pathname.split("/").pop());
const api = `/api/devices/${encodeURIComponent(deviceId)}`;
document.querySelector("#title").textContent = deviceId;
document.title = `OrleansFleet · ${deviceId}`;

async function drawState() {
  const response = await fetch(api);
  const state = document.querySelector("#state");
  if (response.status === 404) { state.innerHTML = `<dt>State</dt><dd class="empty">This device has never reported.</dd>`; return; }
  const device = await response.json();
  const facts = [["Status", device.status + (device.offline ? " (offline)" : "")], ["Last seq", device.lastSeq], ["Last seen", when(device.lastSeen)],
    ...Object.entries(device.metrics).map(([name, value]) => [name, value]),
    ["Applied", device.counters.applied], ["Duplicates", device.counters.duplicates], ["Gaps", device.counters.gaps], ["Held back", device.pending]];
  state.innerHTML = facts.map(([k, v]) => `<dt>${text(k)}</dt><dd data-fact="${text(k)}">${text(v)}</dd>`).join("");
}

async function drawAlarms() {
  const alarms = await getJson(`${api}/alarms?state=all`);
  // Open alarms first, then the cleared history, newest first within each.
  alarms.sort((a, b) => (a.state === "cleared") - (b.state === "cleared") || new Date(b.raisedAt) - new Date(a.raisedAt));
  document.querySelector("#alarms tbody").innerHTML = alarms.length
    ? alarms.map(alarm => alarmRow(alarm, { withDevice: false })).join("")
    : `<tr><td colspan="6" class="empty">No alarms.</td></tr>`;
}

async function drawRulesAndCharts() {
  const [rules, history] = await Promise.all([getJson(`${api}/rules`), getJson(`${api}/telemetry?limit=500`)]);
  document.querySelector("#rules tbody").innerHTML = rules.effective
    .map(r => `<tr><td>${text(r.id)}</td><td>${text(r.metric)}</td><td>${r.comparison === "below" ? "&lt;" : "&gt;"} ${r.threshold}</td>
      <td>${r.clearThreshold ?? r.threshold}</td><td class="sev ${text(r.severity)}">${text(r.severity)}</td><td>${text(r.holdTime ?? "")}</td></tr>`).join("");

  // The history is newest first; a chart runs oldest to newest, one per metric.
  const series = new Map();
  for (const event of [...history.items].reverse()) {
    for (const [metric, value] of Object.entries(event.metrics ?? {})) {
      if (!series.has(metric)) series.set(metric, []);
      series.get(metric).push({ t: new Date(event.timestamp), v: value });
    }
  }

  const section = document.querySelector("#charts");
  section.querySelectorAll(".metric-chart, .empty").forEach(node => node.remove());
  if (series.size === 0) section.insertAdjacentHTML("beforeend", `<p class="empty">No readings stored yet.</p>`);
  for (const [metric, points] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
    const thresholds = rules.effective.filter(r => r.metric === metric && r.enabled !== false).flatMap(r => [
      { value: r.threshold, label: r.comparison === "below" ? "<" : ">", title: `${r.id}: raise`, kind: "raise" },
      ...(r.clearThreshold != null && r.clearThreshold !== r.threshold ? [{ value: r.clearThreshold, label: "clear", title: `${r.id}: clear`, kind: "clear" }] : [])]);
    const figure = document.createElement("figure");
    figure.className = "metric-chart";
    figure.dataset.metric = metric;
    figure.innerHTML = `<h3>${text(metric)} <small class="empty">${points.length} readings</small></h3>`;
    figure.append(lineChart({ points, thresholds, width: 960, height: 260 }));
    section.append(figure);
  }
}

const redraw = () => Promise.all([drawState(), drawAlarms(), drawRulesAndCharts()]);
handleAcknowledge(document.querySelector("#alarms"), redraw);
refreshEvery(5000, redraw);
