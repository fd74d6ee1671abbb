// Workflows finished in the browser (issue 18), in real headless Chromium against the real backend
// with the demo data: the Klego village operator uploads the four registration documents and
// proposes Posyandu Seruni; the Kota Pekalongan coordinator bulk-verifies reported SKs, downloads
// the compliance recap (XLSX) and prints the board (no sidebar on paper).
// Run: `cd frontend && npx vite build && node --test e2e/workflows.e2e.mjs`.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { ARTIFACTS, DEMO_PASSWORD, startStack } from "./harness.mjs";

/** A one-page PDF: the API checks the content (%PDF- ... %%EOF), not the name. */
const TINY_PDF = Buffer.from(
  [
    "%PDF-1.4",
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj",
    "trailer << /Root 1 0 R >>",
    "%%EOF",
    "",
  ].join("\n"),
  "latin1",
);
const DOC_TYPES = ["berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader"];

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
      await page?.screenshot({ path: join(ARTIFACTS, "workflows-failure.png"), fullPage: true }).catch(() => {});
      throw e;
    }
  });
}

async function shot(name) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function login(username) {
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.getByTestId("current-user").waitFor();
}

async function logout() {
  await page.getByRole("button", { name: "Keluar" }).click();
  await page.waitForURL(/\/login$/);
}

describe("workflows (village operator, city coordinator)", { concurrency: false }, () => {
  before(async () => {
    stack = await startStack();
    context = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "id-ID", timezoneId: "Asia/Jakarta", acceptDownloads: true });
    context.setDefaultTimeout(20_000);
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

  step("the Klego operator opens Posyandu Seruni: four documents missing, Usulkan disabled and saying why", async () => {
    await login("kel.klego");
    await page.goto(`${stack.baseUrl}/posyandu`);
    await page.getByTestId("posyandu-table").getByRole("link", { name: "Posyandu Seruni" }).click();
    await page.getByTestId("posyandu-name").filter({ hasText: "Posyandu Seruni" }).waitFor();
    const card = page.getByTestId("documents");
    await card.getByText("Belum diunggah").first().waitFor();
    assert.equal(await card.getByText("Belum diunggah").count(), 4);
    const propose = page.getByTestId("reg-actions").getByRole("button", { name: "Usulkan" });
    await page.getByTestId("propose-blocked").waitFor();
    assert.equal(await propose.isDisabled(), true);
    await shot("w01-posyandu-documents-missing");
  });

  step("records 5 pengurus and 10 kader (the readiness asks for 15)", async () => {
    await page.getByRole("link", { name: "Ubah" }).click();
    await page.getByRole("textbox", { name: "Pengurus" }).fill("5");
    await page.getByRole("textbox", { name: "Kader" }).fill("10");
    await page.getByRole("button", { name: "Simpan" }).click();
    await page.getByTestId("posyandu-name").filter({ hasText: "Posyandu Seruni" }).waitFor();
  });

  step("uploads the four documents, views one in place, and Usulkan becomes possible", async () => {
    for (const type of DOC_TYPES) {
      const row = page.getByTestId(`doc-${type}`);
      await row.locator('input[type="file"]').setInputFiles({ name: `${type}.pdf`, mimeType: "application/pdf", buffer: TINY_PDF });
      await row.getByText(`${type}.pdf`).waitFor();
    }
    await page.getByTestId("readiness").filter({ hasText: "Siap diusulkan" }).waitFor();
    await page.getByTestId("doc-sk_pengurus").getByRole("button", { name: "Lihat sk_pengurus.pdf" }).click();
    const viewer = page.getByRole("dialog");
    await viewer.locator("iframe").waitFor();
    assert.match(await viewer.locator("iframe").getAttribute("src"), /^blob:/);
    await shot("w02-posyandu-document-view");
    await viewer.getByRole("button", { name: "Tutup" }).click();
    await viewer.waitFor({ state: "detached" });
    const propose = page.getByTestId("reg-actions").getByRole("button", { name: "Usulkan" });
    await page.waitForFunction(() => !document.querySelector('[data-testid="propose-blocked"]'));
    assert.equal(await propose.isEnabled(), true);
    await shot("w03-posyandu-ready");
  });

  step("proposes (Usulkan): the posyandu is Diusulkan and its documents are locked", async () => {
    await page.getByTestId("reg-actions").getByRole("button", { name: "Usulkan" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Ya, lanjutkan" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByTestId("reg-status").filter({ hasText: "Diusulkan" }).first().waitFor();
    await page.getByTestId("documents").filter({ hasText: "Dokumen hanya dapat diubah sebelum posyandu diusulkan" }).waitFor();
    assert.equal(await page.getByTestId("documents").getByRole("button", { name: /^Ganti / }).count(), 0);
    await shot("w04-posyandu-proposed");
    await logout();
  });

  step("the city coordinator sees registration progress: chips per status and a table per kecamatan", async () => {
    await login("dpmppa.pekalongan");
    await page.goto(`${stack.baseUrl}/posyandu`);
    const chips = page.getByTestId("status-chips");
    await chips.getByText("Diusulkan: 1").waitFor();
    const table = page.getByTestId("progress-by-region");
    await table.getByText("Registrasi per Kecamatan").waitFor();
    await table.getByRole("button", { name: "Tampilkan posyandu Pekalongan Timur" }).waitFor();
    await chips.getByText("Diusulkan: 1").click();
    await page.waitForURL(/status=proposed/);
    await page.getByTestId("posyandu-table").getByRole("link", { name: "Posyandu Seruni" }).waitFor();
    await shot("w05-registry-progress");
  });

  step("opens a reported SK's verify dialog: the warning that it has no number, date or file", async () => {
    await page.goto(`${stack.baseUrl}/decrees?status=reported`);
    const table = page.getByTestId("decree-table");
    await table.getByTestId("decree-row").first().waitFor();
    await table.getByTestId("decree-row").first().getByRole("button", { name: "Verifikasi" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("evidence-warning").filter({ hasText: "nomor SK, tanggal SK, berkas PDF" }).waitFor();
    await shot("w06-verify-evidence-warning");
    await dialog.getByRole("button", { name: "Batal" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  step("bulk-verifies two reported SKs: one confirmation, then the outcome of each", async () => {
    const table = page.getByTestId("decree-table");
    const before = await page.getByTestId("total").innerText();
    const boxes = table.getByRole("checkbox");
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Verifikasi terpilih (2)" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("bulk-warning").waitFor();
    await dialog.getByRole("button", { name: "Ya, verifikasi 2 SK" }).click();
    await dialog.getByTestId("bulk-results").filter({ hasText: "2 dari 2 SK terverifikasi." }).waitFor();
    await shot("w07-bulk-verify-results");
    await dialog.getByRole("button", { name: "Tutup" }).first().click();
    await dialog.waitFor({ state: "detached" });
    // the reported list is two shorter
    await page.waitForFunction((b) => document.querySelector('[data-testid="total"]')?.textContent !== b, before);
    const n = (s) => Number(s.replace(/\D/g, ""));
    assert.equal(n(await page.getByTestId("total").innerText()), n(before) - 2);
  });

  step("downloads the compliance recap (XLSX) of the board as shown: the file arrives, non-empty", async () => {
    await page.goto(`${stack.baseUrl}/compliance/33.75`);
    await page.getByTestId("board-title").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Unduh rekapitulasi kepatuhan SK Kota Pekalongan (XLSX)" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const path = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(path);
    assert.ok(statSync(path).size > 1000, "a real workbook");
    assert.equal(readFileSync(path).subarray(0, 2).toString("latin1"), "PK"); // an XLSX is a zip
  });

  step("the board on paper: no sidebar, header or buttons; the tables whole", async () => {
    await page.emulateMedia({ media: "print" });
    await page.getByTestId("board-title").waitFor();
    assert.equal(await page.locator(".mantine-AppShell-navbar").isVisible(), false, "no sidebar in print");
    assert.equal(await page.locator(".mantine-AppShell-header").isVisible(), false, "no header in print");
    assert.equal(await page.getByRole("button", { name: "Cetak" }).isVisible(), false, "no buttons in print");
    const clipped = await page.evaluate(() =>
      [...document.querySelectorAll(".mantine-Table-scrollContainer")].filter((el) => getComputedStyle(el).overflowX !== "visible").length,
    );
    assert.equal(clipped, 0, "no table in a scroll box");
    await shot("w08-compliance-print");
    await page.pdf({ path: join(ARTIFACTS, "w08-compliance-print.pdf"), format: "A4", printBackground: true }).catch(() => {});
    await page.emulateMedia({ media: "screen" });
    assert.equal(await page.locator(".mantine-AppShell-navbar").isVisible(), true);
    assert.equal(await page.getByRole("button", { name: "Cetak" }).isVisible(), true);
  });

  test("no unexpected errors in the browser console", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
