// Issue 18's screens in real headless Chromium against the real backend with the demo data: the
// Kota Pekalongan coordinator creates a budget and sets its pagu, picks a region by typing its
// name, edits a rakor and attaches a file, and reads the audit trail by people's names.
// Run: `make test-e2e` (or `node --test e2e/` in frontend/ after `make frontend-build`).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { ARTIFACTS, DEMO_PASSWORD, startStack } from "./harness.mjs";

/** A one-page PDF small enough to read: the API checks the content (%PDF- ... %%EOF), not the name. */
const TINY_PDF = [
  "%PDF-1.4",
  "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
  "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
  "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj",
  "trailer << /Root 1 0 R >>",
  "%%EOF",
  "",
].join("\n");

let stack;
let context;
let page;
const consoleErrors = [];
let failed = false;

/** One step of the story: skipped once an earlier step failed (the browser state is shared). */
function step(name, fn) {
  test(name, async (t) => {
    if (failed) return t.skip("an earlier step failed");
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      await page?.screenshot({ path: join(ARTIFACTS, "screens-failure.png"), fullPage: true }).catch(() => {});
      throw e;
    }
  });
}

async function shot(name) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.mouse.move(0, 0); // no chart tooltip under a resting pointer
  await page.evaluate(() => window.scrollTo(0, 0)); // the fixed header stays at the top of a full-page shot
  await page.waitForTimeout(500); // let modal and indicator transitions finish
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Wait for the "saved" notifications to close by themselves, so that they hide nothing in a shot. */
async function toastsGone() {
  await page.waitForFunction(() => !document.querySelector(".mantine-Notification-root"), null, { timeout: 10_000 }).catch(() => {});
}

async function login(username, password = DEMO_PASSWORD) {
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
}

describe("screens (Kota Pekalongan coordinator)", { concurrency: false }, () => {
  before(async () => {
    stack = await startStack();
    context = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "id-ID", timezoneId: "Asia/Jakarta" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && !/401|403|404|412|422/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await stack?.stop();
  });

  step("the coordinator creates a budget, picking the team's region by typing its name, and sets its pagu", async () => {
    await login("dpmppa.pekalongan");
    await page.getByTestId("current-user").filter({ hasText: "Kota Pekalongan" }).waitFor();
    await page.goto(`${stack.baseUrl}/budgets`);
    await page.getByTestId("budget-table").waitFor();
    await page.getByRole("button", { name: "Anggaran baru" }).click();
    const dialog = page.getByRole("dialog");
    const region = dialog.getByRole("textbox", { name: "Wilayah tim" });
    await region.fill("");
    await region.pressSequentially("Kota Pekal", { delay: 30 });
    await page.getByRole("option", { name: /Kota Pekalongan/ }).click();
    assert.equal(await region.inputValue(), "33.75");
    await dialog.getByTestId("region-picker-name").filter({ hasText: "Kota Pekalongan" }).waitFor();
    await dialog.getByRole("textbox", { name: "Tim", exact: true }).click();
    await page.getByRole("option", { name: /TP Posyandu/ }).first().click();
    await dialog.getByRole("textbox", { name: "Tahun anggaran" }).fill("2026");
    await dialog.getByRole("textbox", { name: "Sumber dana" }).click();
    await page.getByRole("option", { name: "APBD", exact: true }).click();
    await dialog.getByLabel("Pagu (Rp)").fill("250000000");
    await shot("s01-budget-create");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/budgets\/\d+$/);
    const summary = page.getByTestId("budget-summary");
    await summary.filter({ hasText: /Rp\s250\.000\.000/ }).waitFor();
    // change it: the edit carries the version loaded
    await page.getByRole("button", { name: "Ubah pagu" }).click();
    const edit = page.getByRole("dialog");
    await edit.getByLabel("Pagu (Rp)").fill("300000000");
    await edit.getByRole("button", { name: "Simpan" }).click();
    await edit.waitFor({ state: "detached" });
    await summary.filter({ hasText: /Rp\s300\.000\.000/ }).waitFor();
    await toastsGone();
    await shot("s02-budget-pagu");
  });

  step("the 2025 APBD Perubahan budget without a pagu gets one from the list", async () => {
    await page.goto(`${stack.baseUrl}/budgets?year=2025&source=apbd_perubahan`);
    const table = page.getByTestId("budget-table");
    await table.getByRole("button", { name: /Tetapkan pagu/ }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Pagu (Rp)").fill("150000000");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog.waitFor({ state: "detached" });
    await table.filter({ hasText: /Rp\s150\.000\.000/ }).waitFor();
    await page.getByTestId("total-budgeted").filter({ hasText: /Rp\s150\.000\.000/ }).waitFor();
  });

  step("a region filter is picked by typing a village's name", async () => {
    await page.goto(`${stack.baseUrl}/teams`);
    const filter = page.getByRole("textbox", { name: "Kode wilayah" });
    await filter.fill("");
    await filter.pressSequentially("Klego", { delay: 30 });
    await page.getByRole("option", { name: /Klego/ }).first().click();
    await page.waitForURL(/region=33\.75\.02\.1008/);
    await page.getByTestId("region-picker-name").filter({ hasText: "Klego" }).waitFor();
    await shot("s03-region-picker");
  });

  step("the coordinator edits a recorded rakor: a speaker and the legal basis, then attaches its minutes", async () => {
    await page.goto(`${stack.baseUrl}/meetings`);
    await page.getByRole("link", { name: "Rakor Persiapan Pokjanal Posyandu Tingkat Kota Pekalongan" }).click();
    await page.waitForURL(/\/meetings\/\d+$/);
    await page.getByRole("button", { name: "Ubah rapat" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Tambah narasumber" }).click();
    const speakers = dialog.getByTestId("speakers");
    const n = await speakers.getByRole("textbox", { name: /nama atau jabatan/ }).count();
    await speakers.getByRole("textbox", { name: `Narasumber ${n}: nama atau jabatan` }).fill("Dinas Kesehatan Kota Pekalongan");
    await speakers.getByRole("textbox", { name: `Narasumber ${n}: materi` }).fill("Integrasi layanan primer");
    await shot("s04-meeting-edit");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Dinas Kesehatan Kota Pekalongan: Integrasi layanan primer").waitFor();

    await page.getByRole("button", { name: "Unggah lampiran" }).click();
    const upload = page.getByRole("dialog");
    await upload.locator('input[type="file"]').setInputFiles({ name: "notulen-rakor.pdf", mimeType: "application/pdf", buffer: Buffer.from(TINY_PDF) });
    await upload.getByRole("button", { name: "Simpan" }).click();
    await upload.waitFor({ state: "detached" });
    const link = page.getByTestId("attachments").getByRole("link", { name: "notulen-rakor.pdf" });
    await link.waitFor();
    const res = await page.request.get(new URL((await link.getAttribute("href")) ?? "", stack.baseUrl).toString());
    assert.equal(res.status(), 200);
    assert.equal(res.headers()["content-type"], "application/pdf");
    await toastsGone();
    await shot("s05-meeting-attachment");
  });

  step("the audit trail names the person and the records, not user:N and table names", async () => {
    await page.goto(`${stack.baseUrl}/audit`);
    const table = page.getByTestId("audit-table");
    await table.getByText("DPMPPA Kota Pekalongan (dpmppa.pekalongan)").first().waitFor();
    await table.getByText("Lampiran rapat").first().waitFor();
    await table.getByText("notulen-rakor.pdf").first().waitFor();
    await table.getByText("Rakor Persiapan Pokjanal Posyandu Tingkat Kota Pekalongan").first().waitFor();
    assert.equal(await table.getByText(/^user:\d+$/).count(), 0);
    await shot("s06-audit");
  });

  step("no console errors along the way", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
