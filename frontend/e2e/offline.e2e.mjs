// Offline entry of a posyandu's monthly report (issue 22), in real headless Chromium against the
// real backend with the demo data, on a phone's screen: the Klego village operator opens the
// report form once online (the service worker precaches the dashboard), loses the connection,
// fills in and submits the month's report (kept on the device, "Menunggu koneksi"), reloads the
// page with no connection (the dashboard and the waiting report are still there), and when the
// connection returns the report is sent once: exactly one report, submitted, on the server. Then
// a draft already on the server is edited with no connection: the change waits on the device,
// survives a reload, and is saved once, over the version the operator loaded, when the connection
// returns.
// Run: `cd frontend && npm run build && node --test e2e/offline.e2e.mjs`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { ARTIFACTS, DEMO_PASSWORD, startStack } from "./harness.mjs";

let stack;
let context;
let page;
const pageErrors = [];

/** A posyandu of the signed-in village with no report for `period`. */
async function posyanduWithoutReport(period, skip = []) {
  const { items: posyandu } = await apiGet("/api/v1/posyandu?limit=50");
  for (const p of posyandu.filter((x) => x.is_active && !skip.includes(x.id))) {
    const { total } = await apiGet(`/api/v1/activity-reports?posyandu_id=${p.id}&period=${period}`);
    if (total === 0) return p;
  }
  return null;
}

/** GET through the API with the browser's session cookie (not subject to the page's offline mode). */
async function apiGet(path) {
  const res = await context.request.get(`${stack.baseUrl}${path}`, { headers: { Accept: "application/json" } });
  assert.equal(res.status(), 200, `${path}: ${await res.text()}`);
  return res.json();
}

describe("offline report entry (village operator on a phone)", { concurrency: false }, () => {
  before(async () => {
    stack = await startStack();
    context = await stack.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "id-ID", timezoneId: "Asia/Jakarta" });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(String(e)));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await stack?.stop();
  });

  test("a report filled in with no connection is sent once when the connection returns", { timeout: 60_000 }, async () => {
    try {
      await page.goto(`${stack.baseUrl}/login`);
      await page.getByLabel("Nama pengguna").fill("kel.klego");
      await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.waitForURL((url) => !url.pathname.endsWith("/login"));

      // a posyandu of the village with no report for the month being reported now
      const { current_period: period } = await apiGet("/api/v1/activity-reports/fields");
      const target = await posyanduWithoutReport(period);
      assert.ok(target, "the demo village has a posyandu without this month's report");
      const formUrl = `${stack.baseUrl}/activity-reports/new?posyandu=${target.id}&period=${period}`;

      // the first visit online installs the service worker; once it controls the page, one more
      // load lets it keep the reads the form needs
      await page.goto(formUrl);
      await page.getByTestId("report-title").waitFor();
      await page.waitForFunction(async () => (await navigator.serviceWorker.ready) && navigator.serviceWorker.controller !== null);
      await page.reload();
      await page.getByTestId("report-title").waitFor();

      await context.setOffline(true);
      assert.equal(await page.evaluate(() => navigator.onLine), false);
      await page.getByRole("textbox", { name: "Hari buka" }).fill("4");
      await page.getByRole("textbox", { name: "Kader bertugas" }).fill("6");
      await page.getByTestId("save-and-submit").click();
      const queued = page.getByTestId("queued");
      await queued.filter({ hasText: "Menunggu koneksi — akan dikirim otomatis" }).waitFor();
      const count = page.getByTestId("offline-queue");
      assert.equal(await count.getAttribute("aria-live"), "polite");
      await page.getByRole("button", { name: "Laporan menunggu koneksi: 1" }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, "offline-01-queued.png") });
      assert.equal((await apiGet(`/api/v1/activity-reports?posyandu_id=${target.id}&period=${period}`)).total, 0);

      // with no connection at all, the dashboard and the waiting report come back on a reload
      await page.reload();
      await page.getByTestId("report-title").waitFor();
      await queued.waitFor();
      assert.equal(await page.getByRole("textbox", { name: "Hari buka" }).inputValue(), "4");
      assert.equal(await page.evaluate(() => navigator.onLine), false);

      // the connection returns: sent at once, the report opens submitted
      await context.setOffline(false);
      await page.getByTestId("report-status").filter({ hasText: "Dikirim" }).waitFor();
      await count.getByTestId("offline-count").waitFor({ state: "detached" });
      await page.screenshot({ path: join(ARTIFACTS, "offline-02-sent.png") });

      const reports = await apiGet(`/api/v1/activity-reports?posyandu_id=${target.id}&period=${period}`);
      assert.equal(reports.total, 1);
      assert.equal(reports.items[0].status, "submitted");
      assert.equal(reports.items[0].days_open, 4);
      assert.equal(reports.items[0].kader_present, 6);
      // nothing left waiting on the device
      assert.equal(await page.evaluate(() => document.querySelector('[data-testid="offline-count"]')), null);
      assert.deepEqual(pageErrors, []);
    } catch (e) {
      await page?.screenshot({ path: join(ARTIFACTS, "offline-failure.png"), fullPage: true }).catch(() => {});
      throw e;
    }
  });

  test("a draft edited with no connection is saved once, over the version loaded, when the connection returns", { timeout: 60_000 }, async () => {
    try {
      // a posyandu and a month with no report yet: this month or one of the year before it
      const { current_period: current } = await apiGet("/api/v1/activity-reports/fields");
      let period = current;
      let target = null;
      for (let back = 0; back < 12 && !target; back++) {
        const [y, m] = current.split("-").map(Number);
        const d = new Date(Date.UTC(y, m - 1 - back, 1));
        period = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
        target = await posyanduWithoutReport(period);
      }
      assert.ok(target, "the demo village has a posyandu and a month without a report");
      // a draft made online (as the operator would have started it yesterday)
      const made = await context.request.post(`${stack.baseUrl}/api/v1/activity-reports`, {
        headers: { Origin: stack.baseUrl, "Content-Type": "application/json" },
        data: { posyandu_id: target.id, period, days_open: 1, kader_present: 2 },
      });
      assert.equal(made.status(), 201, await made.text());
      const draft = await made.json();

      // opened once online: the service worker keeps the report and its posyandu
      await page.goto(`${stack.baseUrl}/activity-reports/reports/${draft.id}`);
      await page.getByTestId("report-title").waitFor();
      assert.equal(await page.getByRole("textbox", { name: "Hari buka" }).inputValue(), "1");

      await context.setOffline(true);
      await page.getByRole("textbox", { name: "Hari buka" }).fill("5");
      await page.getByRole("button", { name: "Simpan draf" }).click();
      const queued = page.getByTestId("queued");
      await queued.filter({ hasText: "Menunggu koneksi — akan dikirim otomatis" }).waitFor();
      await page.getByRole("button", { name: "Laporan menunggu koneksi: 1" }).waitFor();
      assert.equal((await apiGet(`/api/v1/activity-reports/${draft.id}`)).days_open, 1);

      // a reload with no connection: the report and the waiting change are still there
      await page.reload();
      await page.getByTestId("report-title").waitFor();
      await queued.waitFor();
      assert.equal(await page.getByRole("textbox", { name: "Hari buka" }).inputValue(), "5");
      await page.screenshot({ path: join(ARTIFACTS, "offline-03-draft-queued.png") });

      // the connection returns: saved once, still a draft, one version on
      await context.setOffline(false);
      await page.getByTestId("offline-queue").getByTestId("offline-count").waitFor({ state: "detached" });
      await queued.waitFor({ state: "detached" });
      const saved = await apiGet(`/api/v1/activity-reports/${draft.id}`);
      assert.equal(saved.status, "draft");
      assert.equal(saved.days_open, 5);
      assert.equal(saved.kader_present, 2);
      assert.equal(saved.version, draft.version + 1);
      assert.equal((await apiGet(`/api/v1/activity-reports?posyandu_id=${target.id}&period=${period}`)).total, 1);
      await page.getByRole("textbox", { name: "Hari buka" }).waitFor();
      assert.equal(await page.getByRole("textbox", { name: "Hari buka" }).inputValue(), "5");
      assert.deepEqual(pageErrors, []);
    } catch (e) {
      await page?.screenshot({ path: join(ARTIFACTS, "offline-failure-draft.png"), fullPage: true }).catch(() => {});
      throw e;
    }
  });
});
