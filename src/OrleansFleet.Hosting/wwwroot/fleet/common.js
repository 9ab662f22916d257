// What both pages share: reading the API, escaping, links to device pages, acknowledging alarms.
export async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

export function text(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function deviceLink(deviceId) {
  return `<a class="device-link" href="/fleet/devices/${encodeURIComponent(deviceId)}">${text(deviceId)}</a>`;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString([], { hour12: false }) : "";
}

export function alarmRow(alarm, { withDevice }) {
  const ack = alarm.state === "active"
    ? `<button class="ack" data-device="${text(alarm.deviceId)}" data-alarm="${text(alarm.id)}">Acknowledge</button>` : "";
  return `<tr class="alarm" data-alarm="${text(alarm.id)}" data-device="${text(alarm.deviceId)}" data-state="${text(alarm.state)}">
    ${withDevice ? `<td>${deviceLink(alarm.deviceId)}</td>` : ""}
    <td>${text(alarm.ruleId)}</td><td class="sev ${text(alarm.severity)}">${text(alarm.severity)}</td>
    <td class="state ${text(alarm.state)}">${text(alarm.state)}</td>
    <td class="num">${alarm.value ?? ""}</td><td>${when(alarm.raisedAt)}</td><td>${ack}</td></tr>`;
}

// Acknowledge buttons anywhere under `root`: POST, then let the page redraw.
export function handleAcknowledge(root, redraw) {
  root.addEventListener("click", async event => {
    const button = event.target.closest("button.ack");
    if (!button) return;
    button.disabled = true;
    const path = `/api/devices/${encodeURIComponent(button.dataset.device)}/alarms/${encodeURIComponent(button.dataset.alarm)}/ack`;
    const response = await fetch(path, { method: "POST" });
    if (!response.ok) {
      // The problem's detail says why, e.g. a 403 naming the operate scope the key lacks.
      const problem = await response.json().catch(() => ({}));
      button.replaceWith(Object.assign(document.createElement("span"), { className: "error", textContent: `failed (${response.status}): ${problem.detail ?? problem.title ?? ""}` }));
    }
    await redraw();
  });
}

export function refreshEvery(milliseconds, redraw) {
  const every = Number(new URLSearchParams(location.search).get("refresh")) || milliseconds;
  const tick = async () => {
    try {
      await redraw();
      document.querySelector(".updated").textContent = `updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
    } catch (error) {
      document.querySelector(".updated").textContent = `refresh failed: ${error.message}`;
    }
    setTimeout(tick, every);
  };
  tick();
}
