// Drives the page (dist/index.html, served by the caller) in headless Chromium as a person would:
// waits for the assistants, picks one, types a message, clicks Run, waits until the page says the
// run is done or failed, and prints what the page shows as one JSON line on stdout.
// tests/test_envoy_web.py runs it and checks the result; it waits only for things on the page,
// never for a guessed time.
//
//   node test/drive.mjs '{"url": "http://127.0.0.1:8000/?endpoint=http://127.0.0.1:8080",
//                         "graph": "agent", "message": "hi", "streamMode": "updates"}'
//   -> {"assistants": ["agent", ...], "runId": "...", "state": "done", "status": "done: 3 events",
//       "events": [["metadata", {...}], ...], "console": [...]}
//
// With "whileRunning": TEXT it first prints a line {"state": "running", "events": [...]} as soon
// as an event whose data contains TEXT is on the page while the run still streams (the caller then
// lets the run finish: a gated run), and the line above when it has. With "screenshot": PATH it
// saves what the page shows at the end, for a person to look at.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM), in a new empty profile, with no network
// of its own beyond the page and the gateway (no background services, sync or updates).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const { url, graph, message, streamMode, whileRunning, screenshot, timeoutMs = 60_000 } = JSON.parse(
  process.argv[2],
);
const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(timeoutMs);
  const console_ = [];
  page.on("console", (line) => console_.push(`${line.type()}: ${line.text()}`));
  page.on("pageerror", (error) => console_.push(`pageerror: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector("#status:is([data-state=ready], [data-state=error])");
  const assistants = await page.$$eval("#assistant option", (options) => options.map((o) => o.dataset.graphId));
  if ((await page.getAttribute("#status", "data-state")) === "ready") {
    const value = await page.$eval(`#assistant option[data-graph-id="${graph}"]`, (option) => option.value);
    await page.selectOption("#assistant", value);
    await page.fill("#message", message);
    await page.fill("#stream-mode", streamMode);
    await page.click("#send");
    if (whileRunning) {
      await page.locator("#events li code", { hasText: whileRunning }).waitFor();
      process.stdout.write(JSON.stringify(await shown(page)) + "\n");
    }
    await page.waitForSelector("#status:is([data-state=done], [data-state=error])");
  }
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  process.stdout.write(JSON.stringify({ assistants, ...(await shown(page)), console: console_ }) + "\n");
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}

/** What the page shows now: the run's id, its state and status line, and the events listed. */
function shown(page) {
  return page.evaluate(() => ({
    runId: document.getElementById("run-id").textContent,
    state: document.getElementById("status").dataset.state,
    status: document.getElementById("status").textContent,
    events: [...document.querySelectorAll("#events li")].map((item) => {
      const data = item.querySelector("code").textContent;
      return [item.dataset.event, data === "" ? null : JSON.parse(data)];
    }),
  }));
}
