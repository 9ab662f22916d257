// Drives /fleet and /fleet/devices/{id} in headless Chromium against a running host; exits non-zero on any failure.
// Usage: node fleet-pages.mjs <baseUrl> <deviceId> <alarmId> <screenshotDir>
// playwright-core is found through FLEET_PLAYWRIGHT_MODULES (set by scripts/services.sh ensure_playwright).
import { createRequire } from "node:module";
import path from "node:path";

const [baseUrl, deviceId, alarmId, screenshots] = process.argv.slice(2);
const modules = process.env.FLEET_PLAYWRIGHT_MODULES;
if (!modules) throw new Error("FLEET_PLAYWRIGHT_MODULES is not set: run scripts/test.sh, or source scripts/services.sh and call ensure_playwright");
const { chromium } = createRequire(path.join(modules, "noop.js"))("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.FLEET_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const step = message => console.log(`ok: ${message}`);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", error => errors.push(error.message));
  page.setDefaultTimeout(20_000);

  await page.goto(`${baseUrl}/fleet?refresh=500`);
  const row = page.locator(`tr.alarm[data-alarm="${alarmId}"][data-device="${deviceId}"]`);
  await row.and(page.locator('[data-state="active"]')).waitFor();
  step("fleet page shows the active alarm raised by the ingested events");
  await page.locator("tr.hot-device", { hasText: deviceId }).waitFor();
  step("fleet page lists the device among the hot devices");
  await page.waitForFunction(() => Number(document.querySelector("#rate-chart polyline.series")?.dataset.points) > 0);
  const running = await page.locator('.card[data-key="running"] .n').textContent();
  if (Number(running) < 1) throw new Error(`devices by status shows ${running} running devices`);
  step("fleet page draws the ingest-rate chart and the status counts");
  await page.screenshot({ path: path.join(screenshots, "fleet.png"), fullPage: true });

  await row.locator("button.ack").click();
  await row.and(page.locator('[data-state="acknowledged"]')).waitFor();
  const alarms = await (await fetch(`${baseUrl}/api/devices/${deviceId}/alarms`)).json();
  if (alarms.find(a => a.id === alarmId)?.state !== "acknowledged") throw new Error(`the API still says ${JSON.stringify(alarms)}`);
  step("fleet page: alarm acknowledged by the button click");

  await row.locator("a.device-link").click();
  await page.waitForURL(`**/fleet/devices/${deviceId}`);
  const chart = page.locator('figure.metric-chart[data-metric="temperature"]');
  await page.waitForFunction(() => Number(document.querySelector('figure[data-metric="temperature"] polyline.series')?.dataset.points) >= 3);
  const thresholds = await chart.locator("line.threshold").evaluateAll(lines => lines.map(l => Number(l.dataset.value)).sort((a, b) => a - b));
  for (const expected of [2, 4, 85, 90]) {
    if (!thresholds.includes(expected)) throw new Error(`threshold ${expected} not drawn; drawn: ${thresholds}`);
  }
  step("device page draws the temperature history with the rule thresholds");
  await page.locator(`#alarms tr.alarm[data-alarm="${alarmId}"][data-state="acknowledged"]`).waitFor();
  await page.locator("#rules tbody tr", { hasText: "temperature-high" }).waitFor();
  await page.locator('#state dd[data-fact="Last seq"]', { hasText: "3" }).waitFor();
  step("device page shows the state, the alarm and the rules");
  await page.screenshot({ path: path.join(screenshots, "device.png"), fullPage: true });

  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log("all page checks passed");
} catch (error) {
  console.error(`FAILED: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
