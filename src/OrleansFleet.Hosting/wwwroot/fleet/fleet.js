import { lineChart } from "./chart.js";
import { alarmRow, deviceLink, getJson, handleAcknowledge, refreshEvery, text } from "./common.js";

async function drawSummary() {
  const summary = await getJson("/api/fleet/summary");
  const cards = [["devices", summary.devices], ...Object.entries(summary.devicesByStatus), ["offline", summary.offline],
    ["active alarms", summary.activeAlarms], ...Object.entries(summary.activeAlarmsBySeverity).map(([k, v]) => [`${k} alarms`, v])];
  document.querySelector("#summary").innerHTML = cards
    .map(([key, value]) => `<div class="card" data-key="${text(key)}"><div class="n">${value}</div><div class="k">${text(key)}</div></div>`).join("");
}

async function drawAlarms() {
  const page = await getJson("/api/alarms?state=active&limit=200");
  const body = document.querySelector("#alarms tbody");
  body.innerHTML = page.items.length
    ? page.items.map(alarm => alarmRow(alarm, { withDevice: true })).join("")
    : `<tr><td colspan="7" class="empty">No active alarms.</td></tr>`;
}

async function drawHot() {
  const hot = await getJson("/api/fleet/hot?top=10");
  document.querySelector("#hot-window").textContent = `last ${Math.round(hot.windowSeconds)} s · ${hot.silosAnswered}/${hot.silos} silos`;
  document.querySelector("#hot tbody").innerHTML = hot.devices.length
    ? hot.devices.map(d => `<tr class="hot-device"><td>${deviceLink(d.deviceId)}</td><td class="num">${d.eventsPerSecond.toFixed(2)}</td>
        <td><span class="bar" style="width:${Math.max(2, d.share * 120)}px"></span>${(d.share * 100).toFixed(1)}%</td>
        <td>${text(d.silo)}</td></tr>`).join("")
    : `<tr><td colspan="4" class="empty">No traffic in the window.</td></tr>`;

  const banner = document.querySelector("#hot-alarm");
  banner.hidden = !hot.alarm.active;
  if (hot.alarm.active) {
    banner.innerHTML = `Hot device: ${deviceLink(hot.alarm.deviceId)} sends ${(hot.alarm.share * 100).toFixed(0)}% of all traffic (alarm above ${(hot.alarm.threshold * 100).toFixed(0)}%).`;
  }

  const points = hot.ingestRate.map(r => ({ t: new Date(r.start), v: r.eventsPerSecond }));
  document.querySelector("#rate-now").textContent = `${hot.totalEventsPerSecond.toFixed(1)} events/s over the last minute`;
  document.querySelector("#rate-chart").replaceChildren(lineChart({ points, area: true, height: 200 }));
}

const redraw = () => Promise.all([drawSummary(), drawAlarms(), drawHot()]);
handleAcknowledge(document.querySelector("#alarms"), redraw);
refreshEvery(2000, redraw);
