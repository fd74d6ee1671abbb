// The dashboard in real headless Chromium against the real backend with the demo data.
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
      await page?.screenshot({ path: join(ARTIFACTS, "failure.png"), fullPage: true }).catch(() => {});
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

/** Type a day as dd/mm/yyyy, key by key, in a date field (whatever the browser's locale), then leave it. */
async function typeDate(field, ddmmyyyy) {
  await field.click();
  await field.press("ControlOrMeta+a");
  await field.pressSequentially(ddmmyyyy);
  await field.press("Tab"); // closes the calendar and shows the day as dd/mm/yyyy
  assert.equal(await field.inputValue(), ddmmyyyy);
}

async function login(username, password = DEMO_PASSWORD) {
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(password);
  await page.getByRole("button", { name: "Masuk" }).click();
}

describe("dashboard (Kota Pekalongan coordinator)", { concurrency: false }, () => {
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

  step("an unknown visitor lands on the login screen, in Bahasa Indonesia", async () => {
    await page.goto(`${stack.baseUrl}/regions/33.75`);
    await page.waitForURL(/\/login$/);
    await page.getByRole("heading", { name: "Masuk ke Pembina" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "id");
    await shot("01-login");
  });

  step("a wrong password is refused with a clear message", async () => {
    await login("dpmppa.pekalongan", "not-the-password");
    await page.getByRole("alert").filter({ hasText: "Nama pengguna atau kata sandi salah." }).waitFor();
    assert.match(page.url(), /\/login$/);
  });

  step("the coordinator logs in and sees Kota Pekalongan's summary: 27 kelurahan", async () => {
    await login("dpmppa.pekalongan");
    await page.waitForURL(/\/regions\/33\.75$/);
    await page.getByTestId("region-name").filter({ hasText: "Kota Pekalongan" }).waitFor();
    await page.getByTestId("count-villages").filter({ hasText: "27" }).waitFor();
    assert.match(await page.getByTestId("count-districts").innerText(), /4/);
    assert.match(await page.getByTestId("current-user").innerText(), /DPMPPA Kota Pekalongan/);
    // the session is an HttpOnly cookie: invisible to scripts
    assert.equal(await page.evaluate(() => document.cookie), "");
    const cookies = await context.cookies();
    assert.ok(cookies.some((c) => c.httpOnly && c.sameSite === "Strict"), "HttpOnly SameSite=Strict session cookie");
    await shot("02-region-kota-pekalongan");
  });

  step("drills down from the city to the kecamatan to Klego, with breadcrumbs", async () => {
    const table = page.getByTestId("region-table");
    await table.getByRole("link", { name: "Pekalongan Timur" }).click();
    await page.waitForURL(/\/regions\/33\.75\.02$/);
    await page.getByTestId("region-name").filter({ hasText: "Pekalongan Timur" }).waitFor();
    await page.getByTestId("region-table").getByRole("link", { name: "Klego" }).click();
    await page.waitForURL(/\/regions\/33\.75\.02\.1008$/);
    await page.getByTestId("region-name").filter({ hasText: "Klego" }).waitFor();
    const crumbs = await page.getByTestId("breadcrumbs").innerText();
    assert.match(crumbs, /Kota Pekalongan[\s\S]*Pekalongan Timur[\s\S]*Klego/);
    // the province above the coordinator's scope is shown but not a link
    assert.equal(await page.getByTestId("breadcrumbs").getByRole("link", { name: "Jawa Tengah" }).count(), 0);
    await shot("03-region-klego");
    await page.getByTestId("breadcrumbs").getByRole("link", { name: "Kota Pekalongan" }).click();
    await page.waitForURL(/\/regions\/33\.75$/);
  });

  step("finds a region by name and by code", async () => {
    const search = page.getByPlaceholder(/Cari nama atau kode wilayah/);
    await search.fill("klego");
    await page.getByRole("link", { name: "Klego" }).waitFor();
    await search.fill("33.75.01");
    await page.getByRole("link", { name: "Pekalongan Barat" }).waitFor();
    await shot("04-region-search");
    await page.getByRole("link", { name: "Pekalongan Barat" }).click();
    await page.waitForURL(/\/regions\/33\.75\.01$/);
  });

  step("Kota Serang (36.73) is refused with a clear message", async () => {
    await page.goto(`${stack.baseUrl}/regions/36.73`);
    const alert = page.getByRole("alert").filter({ hasText: "Wilayah ini di luar wilayah akun Anda" });
    await alert.waitFor();
    assert.equal(await alert.getAttribute("data-status"), "403");
    assert.equal(await page.getByTestId("region-name").count(), 0);
    await shot("05-region-serang-refused");
  });

  step("the SK compliance board answers the headline question: 22 of 27 kelurahan, and which 5 have not", async () => {
    await page.getByRole("link", { name: "Kepatuhan SK" }).click();
    await page.waitForURL(/\/compliance\/33\.75$/);
    const headline = page.getByTestId("headline");
    await headline.filter({ hasText: "22 dari 27 kelurahan/desa" }).waitFor();
    assert.match(await page.getByTestId("headline-reported").innerText(), /22 dari 27[\s\S]*81,5%/);
    const missing = page.getByTestId("missing").getByTestId("missing-row");
    await missing.first().waitFor(); // the list is read after the board, a page at a time
    assert.equal(await missing.count(), 5);
    const names = await missing.allInnerTexts();
    for (const name of ["Buaran Kradenan", "Jenggot", "Kuripan Kertoharjo", "Kuripan Yosorejo", "Sokoduwet"]) {
      assert.ok(names.some((n) => n.includes(name)), `${name} is listed as missing`);
    }
    await shot("14-compliance-kota-pekalongan");
    // drill down into the kecamatan with the gaps
    await page.getByTestId("compliance-table").getByRole("link", { name: "Pekalongan Selatan" }).click();
    await page.waitForURL(/\/compliance\/33\.75\.04/);
    await page.getByTestId("headline").filter({ hasText: "1 dari 6" }).waitFor();
    await shot("15-compliance-pekalongan-selatan");
  });

  step("the compliance board of Kota Serang (36.73) is refused with a clear message", async () => {
    await page.goto(`${stack.baseUrl}/compliance/36.73`);
    const alert = page.getByRole("alert").filter({ hasText: "Wilayah ini di luar wilayah akun Anda" });
    await alert.waitFor();
    assert.equal(await alert.getAttribute("data-status"), "403");
    assert.equal(await page.getByTestId("headline").count(), 0);
    await shot("16-compliance-serang-refused");
  });

  step("the posyandu registry filters the pilots, and a posyandu shows its registration readiness", async () => {
    await page.getByRole("link", { name: "Posyandu", exact: true }).click();
    await page.waitForURL(/\/posyandu$/);
    await page.getByTestId("posyandu-table").waitFor();
    await page.getByTestId("filters").getByLabel("Percontohan").click();
    await page.getByRole("option", { name: "Ya" }).click();
    await page.waitForURL(/pilot=true/);
    await page.getByTestId("total").filter({ hasText: "3 baris" }).waitFor();
    await page.getByTestId("filters").getByLabel("Cari").fill("Seruni");
    await page.getByTestId("total").filter({ hasText: "1 baris" }).waitFor();
    await shot("17-posyandu-registry-filtered");
    await page.getByTestId("posyandu-table").getByRole("link", { name: "Posyandu Seruni" }).click();
    await page.getByTestId("posyandu-name").filter({ hasText: "Posyandu Seruni" }).waitFor();
    await page.getByTestId("readiness").waitFor();
    await shot("18-posyandu-detail");
  });

  step("a pilot's scorecard: record scores, then see baseline vs current in the chart", async () => {
    await page.getByRole("link", { name: "Percontohan" }).click();
    await page.waitForURL(/\/pilot-sites$/);
    await page.getByTestId("pilot-table").getByRole("link", { name: "Posyandu Seruni" }).click();
    await page.getByTestId("pilot-name").filter({ hasText: "Posyandu Seruni" }).waitFor();
    await page.getByTestId("scorecard-chart").locator(".recharts-surface").first().waitFor();
    await page.getByRole("button", { name: "Catat skor" }).click();
    const dialog = page.getByRole("dialog");
    // e2e test values in a throwaway database, not an assessment
    const scores = { Kesehatan: [55, 80], Pendidikan: [40, 65], Sosial: [35, 50] };
    for (const [field, [baseline, current]] of Object.entries(scores)) {
      await dialog.getByLabel(`${field} Awal`).fill(String(baseline));
      await dialog.getByLabel(`${field} Kini`).fill(String(current));
    }
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByTestId("scorecard").getByRole("row").filter({ hasText: "Kesehatan" });
    await row.filter({ hasText: "+25" }).waitFor();
    await page.getByTestId("scorecard-chart").locator(".recharts-bar-rectangle").first().waitFor();
    assert.ok((await page.getByTestId("scorecard-chart").locator(".recharts-bar-rectangle").count()) >= 6);
    await shot("19-pilot-scorecard");
    await page.getByRole("link", { name: "← Posyandu percontohan" }).click();
    await page.getByTestId("comparison").locator(".recharts-bar-rectangle").first().waitFor();
    await shot("20-pilot-comparison");
  });

  step("teams and decrees: the city's decrees with their status and the actions a coordinator may take", async () => {
    await page.getByRole("link", { name: "Tim & SK" }).click();
    await page.waitForURL(/\/teams$/);
    await page.getByTestId("team-table").waitFor();
    await shot("21-teams");
    await page.getByRole("link", { name: "Surat Keputusan (SK) →" }).click();
    await page.waitForURL(/\/decrees$/);
    const table = page.getByTestId("decree-table");
    await table.getByTestId("decree-status").first().waitFor();
    assert.ok((await table.getByRole("button", { name: "Verifikasi" }).count()) > 0);
    await shot("22-decrees");
  });

  step("forms a team, adds its chair, drafts its SK, attaches the PDF and sees it listed", async () => {
    await page.getByRole("link", { name: "Tim & SK" }).click();
    await page.waitForURL(/\/teams$/);
    await page.getByRole("button", { name: "Tim baru" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Kode wilayah" }).fill("33.75.02.1008");
    // Klego already has its TP Posyandu: this is its Pokja Posyandu (the name is left to the API's default)
    await dialog.getByRole("textbox", { name: "Bentuk", exact: true }).click();
    await page.getByRole("option", { name: "Pokja Posyandu", exact: true }).click();
    await typeDate(dialog.getByRole("textbox", { name: "Dibentuk" }), "01/07/2025");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/teams\/\d+$/);
    await page.getByTestId("team-name").filter({ hasText: "Pokja Posyandu Klego" }).waitFor();

    await page.getByRole("button", { name: "Tambah anggota" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Jabatan", exact: true }).click();
    await page.getByRole("option", { name: "Ketua", exact: true }).click();
    await dialog.getByRole("textbox", { name: "Nama", exact: true }).fill("Siti Aminah");
    await dialog.getByRole("textbox", { name: "Instansi" }).fill("Kelurahan Klego");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.getByTestId("members").getByText("Siti Aminah").waitFor();

    await page.getByRole("button", { name: "SK baru" }).click();
    dialog = page.getByRole("dialog");
    assert.equal(await dialog.getByRole("textbox", { name: "Judul", exact: true }).inputValue(), "SK Pokja Posyandu Klego");
    await dialog.getByRole("textbox", { name: "Nomor", exact: true }).fill("12 Tahun 2025");
    await dialog.getByRole("textbox", { name: "Penanda tangan" }).fill("Lurah Klego");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/decrees\/\d+$/);
    await page.getByTestId("decree-title").filter({ hasText: "SK Pokja Posyandu Klego" }).waitFor();

    await page.getByRole("button", { name: "Unggah PDF" }).click();
    dialog = page.getByRole("dialog");
    await dialog.locator('input[type="file"]').setInputFiles({ name: "sk-pokja-klego.pdf", mimeType: "application/pdf", buffer: Buffer.from(TINY_PDF) });
    await dialog.getByRole("button", { name: "Simpan" }).click();
    const link = page.getByTestId("decree-file-card").getByRole("link", { name: "sk-pokja-klego.pdf" });
    await link.waitFor();
    // the link downloads the very file, with the session cookie
    const download = await page.request.get(new URL(await link.getAttribute("href"), stack.baseUrl).href);
    assert.equal(download.status(), 200);
    assert.equal(download.headers()["content-type"], "application/pdf");
    assert.equal((await download.body()).toString("latin1"), TINY_PDF);
    await toastsGone();
    await shot("22b-decree-with-pdf");

    await page.getByRole("link", { name: "Kembali ke tim" }).click();
    await page.waitForURL(/\/teams\/\d+$/);
    const listed = page.getByTestId("team-decrees").getByRole("row").filter({ hasText: "SK Pokja Posyandu Klego" });
    await listed.getByRole("link", { name: "PDF" }).waitFor();
    assert.equal(await listed.getByTestId("decree-status").textContent(), "Draf");
    await toastsGone();
    await shot("22c-team-with-member-and-decree");
  });

  step("the SK reporting deadlines of the city", async () => {
    await page.getByRole("link", { name: "Tenggat laporan SK" }).click();
    await page.waitForURL(/\/reporting-deadlines$/);
    await page.getByTestId("deadline-table").waitFor();
    await page.getByRole("button", { name: "Tenggat baru" }).click();
    const dialog = page.getByRole("dialog");
    assert.equal(await dialog.getByRole("textbox", { name: "Kode wilayah" }).inputValue(), "33.75");
    await dialog.getByRole("textbox", { name: "Tahun" }).fill("2026");
    await typeDate(dialog.getByRole("textbox", { name: "Batas waktu" }), "30/06/2026");
    await dialog.getByRole("textbox", { name: "Catatan" }).fill("SK TP Posyandu kelurahan dilaporkan ke DPMPPA");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    const row = page.getByTestId("deadline-row").filter({ hasText: "2026" });
    await row.getByText("30/06/2026").waitFor();
    await row.getByRole("button", { name: "Ubah" }).waitFor();
    await toastsGone();
    await shot("22d-reporting-deadlines");
  });

  step("chases a late kelurahan: its team and SK, days late, and the chair's WhatsApp with a prefilled reminder", async () => {
    await page.getByRole("link", { name: "Kepatuhan SK" }).click();
    await page.waitForURL(/\/compliance\/33\.75$/);
    const missing = page.getByTestId("missing");
    // the list is read a page at a time and grouped by kab/kota
    await missing.getByTestId("missing-group-title").filter({ hasText: "Kota Pekalongan — 5 belum melaporkan" }).waitFor();
    await missing.getByRole("button", { name: "Sokoduwet" }).click();
    let sheet = page.getByTestId("chase-sheet");
    await sheet.getByTestId("chase-region").filter({ hasText: "Sokoduwet" }).waitFor();
    // the city's 2026 deadline (30 June, set above) has passed: days late, counted in Asia/Jakarta
    assert.match(await sheet.getByTestId("days-late").innerText(), /Terlambat \d+ hari dari batas 30\/06\/2026/);
    assert.equal(await sheet.getByTestId("whatsapp-link").count(), 0); // nobody with a phone yet
    // record the team chair with a phone (an illustrative number), from the team the sheet links to
    await sheet.getByRole("link", { name: /TP Posyandu Kelurahan Sokoduwet/ }).click();
    await page.waitForURL(/\/teams\/\d+$/);
    await page.getByRole("button", { name: "Tambah anggota" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Jabatan", exact: true }).click();
    await page.getByRole("option", { name: "Ketua", exact: true }).click();
    await dialog.getByRole("textbox", { name: "Nama", exact: true }).fill("Ketua TP Posyandu Sokoduwet");
    await dialog.getByRole("textbox", { name: "Telepon" }).fill("12345");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog.getByText(/bukan nomor telepon/).waitFor(); // the API's 422, next to the field, in Indonesian
    await dialog.getByRole("textbox", { name: "Telepon" }).fill("0812-2900-1234");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.getByTestId("members").getByRole("link", { name: "+6281229001234" }).waitFor();
    await page.goBack();
    await page.waitForURL(/\/compliance\/33\.75\?chase=33\.75\.04\.1010$/);
    sheet = page.getByTestId("chase-sheet");
    const wa = sheet.getByTestId("whatsapp-link");
    await wa.waitFor();
    const href = new URL(await wa.getAttribute("href"));
    assert.equal(href.origin + href.pathname, "https://wa.me/6281229001234");
    assert.match(href.searchParams.get("text"), /Kelurahan Sokoduwet, Kota Pekalongan[\s\S]*30 Juni 2026 \(terlambat \d+ hari\)/);
    assert.equal(await sheet.getByRole("link", { name: "+6281229001234" }).getAttribute("href"), "tel:+6281229001234");
    await toastsGone();
    await shot("22e-chase-sokoduwet");
    await page.keyboard.press("Escape");
  });

  step("'Perlu tindakan' lists the SKs waiting for the city's verification and the five late kelurahan", async () => {
    await page.getByRole("link", { name: "Perlu tindakan" }).click();
    await page.waitForURL(/\/tasks$/);
    const late = page.getByTestId("tasks-late_report");
    await late.getByTestId("task-count").filter({ hasText: /^5$/ }).waitFor();
    assert.equal(await page.getByTestId("tasks-decree_to_verify").getByTestId("task-count").innerText(), "22");
    await shot("22f-tasks");
    await late.getByRole("link", { name: "SK TP Posyandu Sokoduwet" }).click();
    await page.waitForURL(/\/compliance\/33\.75\?chase=33\.75\.04\.1010$/);
    await page.getByTestId("chase-sheet").getByTestId("whatsapp-link").waitFor();
    await page.keyboard.press("Escape");
  });

  step("users: list within scope, create with a generated password shown once", async () => {
    await page.getByRole("link", { name: "Pengguna" }).click();
    await page.waitForURL(/\/users$/);
    const table = page.getByTestId("users-table");
    await table.getByText("kel.klego").waitFor();
    assert.equal(await table.getByText("tppos.serang").count(), 0, "Serang's account is not listed");
    await page.getByRole("button", { name: "Pengguna baru" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Nama pengguna").fill("Bad Name!");
    await dialog.getByLabel("Nama lengkap").fill("Operator Kelurahan Bendan Kergon");
    await dialog.getByLabel("Kode wilayah").fill("33.75.01.1006");
    await dialog.getByRole("button", { name: "Buat" }).click();
    // the API's validation error appears next to the username field
    await dialog.locator(".mantine-TextInput-error").first().waitFor();
    await shot("06-users-validation");
    await dialog.getByLabel("Nama pengguna").fill("kel.bendankergon");
    await dialog.getByRole("button", { name: "Buat" }).click();
    const secret = page.getByTestId("once-secret");
    await secret.waitFor();
    assert.ok((await secret.innerText()).trim().length >= 10);
    await shot("07-users-created-password");
    await page.getByRole("dialog").getByRole("button", { name: "Tutup" }).last().click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await table.getByText("kel.bendankergon").waitFor();
    await shot("08-users-list");
  });

  step("users: a stale edit (412) shows what someone else changed", async () => {
    const row = page.getByTestId("users-table").getByRole("row").filter({ hasText: "kel.bendankergon" });
    await row.getByRole("button", { name: "Ubah" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Nama lengkap").waitFor();
    // meanwhile someone else renames the account (same session, through the API, as the
    // dashboard in another tab: a cookie-authenticated write must carry the service's Origin)
    const users = await (await page.request.get(`${stack.baseUrl}/api/v1/users?q=kel.bendankergon`)).json();
    const id = users.items[0].id;
    const got = await page.request.get(`${stack.baseUrl}/api/v1/users/${id}`);
    const res = await page.request.patch(`${stack.baseUrl}/api/v1/users/${id}`, {
      headers: { "If-Match": got.headers()["etag"], Origin: stack.baseUrl },
      data: { full_name: "Kelurahan Bendan Kergon (operator)" },
    });
    assert.equal(res.status(), 200);
    await dialog.getByLabel("Surel").fill("operator@bendankergon.example");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    const diff = page.getByTestId("stale-diff");
    await diff.waitFor();
    assert.match(await diff.innerText(), /Kelurahan Bendan Kergon \(operator\)/);
    await shot("09-users-stale-412");
    await diff.getByRole("button", { name: "Muat versi terbaru" }).click();
    await dialog.getByLabel("Surel").fill("operator@bendankergon.example");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
  });

  step("users: deactivate, then delete", async () => {
    const row = () => page.getByTestId("users-table").getByRole("row").filter({ hasText: "kel.bendankergon" });
    await row().getByRole("button", { name: "Nonaktifkan" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Ya, lanjutkan" }).click();
    await row().getByText("Nonaktif").waitFor();
    // the confirmation closes before the next one opens: never click into the closing dialog
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await row().getByRole("button", { name: "Hapus" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Ya, lanjutkan" }).click();
    await row().waitFor({ state: "detached" });
  });

  step("API clients: create shows the secret once, rotate, deactivate", async () => {
    await page.getByRole("link", { name: "Klien API" }).click();
    await page.waitForURL(/\/api-clients$/);
    await page.getByRole("button", { name: "Klien API baru" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Nama sistem").fill("Portal Data Kota Pekalongan");
    await dialog.getByRole("button", { name: "Buat" }).click();
    const secret = page.getByTestId("once-secret");
    await secret.waitFor();
    const first = (await secret.innerText()).trim();
    assert.ok(first.length >= 20);
    await shot("10-api-client-secret");
    await page.getByRole("dialog").getByRole("button", { name: "Tutup" }).last().click();
    const row = () => page.getByTestId("clients-table").getByRole("row").filter({ hasText: "Portal Data Kota Pekalongan" });
    await row().waitFor();
    await row().getByRole("button", { name: "Ganti rahasia" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Ya, lanjutkan" }).click();
    await page.getByTestId("once-secret").waitFor();
    assert.notEqual((await page.getByTestId("once-secret").innerText()).trim(), first);
    await page.getByRole("dialog").getByRole("button", { name: "Tutup" }).last().click();
    await row().getByRole("button", { name: "Nonaktifkan" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Ya, lanjutkan" }).click();
    await row().getByText("Nonaktif").waitFor();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await shot("11-api-clients");
  });

  step("the audit trail lists those writes and filters them", async () => {
    await page.getByRole("link", { name: "Jejak audit" }).click();
    await page.waitForURL(/\/audit$/);
    const table = page.getByTestId("audit-table");
    await table.getByText("Klien API", { exact: true }).first().waitFor();
    await page.getByRole("textbox", { name: "Jenis data" }).click();
    await page.getByRole("option", { name: "Akun", exact: true }).click();
    await table.getByText("Klien API", { exact: true }).first().waitFor({ state: "detached" });
    await table.getByText("Akun", { exact: true }).first().waitFor();
    await shot("12-audit");
  });

  step("the header links to the API docs", async () => {
    const href = await page.getByRole("link", { name: "Dokumentasi API" }).getAttribute("href");
    assert.equal(href, "/docs");
    const res = await page.request.get(`${stack.baseUrl}/docs`);
    assert.equal(res.status(), 200);
  });

  step("switches to English and back", async () => {
    await page.getByRole("link", { name: "Wilayah" }).click();
    await page.getByText("English").click();
    await page.getByRole("heading", { name: "Region explorer" }).waitFor();
    await page.getByRole("link", { name: "Users" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    await shot("13-english");
    await page.getByText("Bahasa Indonesia").click();
    await page.getByRole("heading", { name: "Penjelajah wilayah" }).waitFor();
  });

  step("a 401 anywhere (expired session) sends the user to the login screen", async () => {
    await context.clearCookies();
    await page.getByRole("link", { name: "Jejak audit" }).click();
    await page.waitForURL(/\/login$/);
    await page.getByText("Sesi Anda berakhir").waitFor();
  });

  step("logging in again returns to the screen the user was on; then logs out", async () => {
    await login("dpmppa.pekalongan");
    await page.waitForURL(/\/audit$/);
    await page.getByTestId("audit-table").waitFor();
    await page.getByRole("button", { name: "Keluar" }).click();
    await page.waitForURL(/\/login$/);
    const me = await page.request.get(`${stack.baseUrl}/api/v1/auth/me`);
    assert.equal(me.status(), 401);
    await page.goto(`${stack.baseUrl}/users`);
    await page.waitForURL(/\/login$/);
  });

  step("Kalimantan Tengah's coordinator sees the 2025 budget: totals, plan vs realization chart, allocations", async () => {
    await login("dpmd.kalteng");
    await page.getByTestId("current-user").filter({ hasText: "Kalimantan Tengah" }).waitFor();
    await page.goto(`${stack.baseUrl}/regions`);
    await page.waitForURL(/\/regions\/62$/);
    const card = page.getByTestId("summary-budgets");
    await card.filter({ hasText: /Rp\s1\.000\.000\.000/ }).waitFor();
    await shot("23-kalteng-summary");
    await card.getByRole("link").click();
    await page.waitForURL(/\/budgets\?region=62&year=2025$/);
    await page.getByTestId("total-budgeted").filter({ hasText: /Rp\s1\.000\.000\.000/ }).waitFor();
    await page.getByTestId("total-planned").filter({ hasText: /Rp\s700\.000\.000/ }).waitFor();
    // the chart drew its bars
    await page.getByTestId("rollup").locator(".recharts-bar-rectangle").first().waitFor();
    await shot("24-budgets");
    await page.getByTestId("rollup").getByText("Bidang SPM").click();
    await page.getByTestId("rollup-table").getByText(/Kesehatan|Umum/).first().waitFor();
    await page.getByTestId("budget-table").getByRole("link").first().click();
    await page.waitForURL(/\/budgets\/\d+$/);
    const row = page.getByTestId("allocations").getByRole("row").filter({ hasText: "Pembinaan Posyandu" });
    await row.filter({ hasText: /Rp\s700\.000\.000/ }).waitFor();
    await row.getByRole("button", { name: "Pembinaan Posyandu" }).click();
    await page.getByTestId("realizations").waitFor();
    await shot("25-budget-detail");
    await page.getByRole("button", { name: "Keluar" }).click();
    await page.waitForURL(/\/login$/);
  });

  step("Kota Serang's secretariat opens the rakor of 21 April 2025 and follows up on it", async () => {
    await login("tppos.serang");
    await page.getByTestId("current-user").filter({ hasText: "Kota Serang" }).waitFor();
    await page.getByRole("link", { name: "Rapat", exact: true }).click();
    await page.waitForURL(/\/meetings$/);
    await page.getByRole("link", { name: "Rapat Koordinasi Tim Pembina Posyandu Tingkat Kota Serang" }).click();
    await page.waitForURL(/\/meetings\/\d+$/);
    const facts = page.getByTestId("meeting-facts");
    await facts.filter({ hasText: "Hotel Flamengo" }).waitFor();
    assert.match(await facts.innerText(), /83 orang/);
    await page.getByText("Permendagri No. 13 Tahun 2024", { exact: false }).first().waitFor();
    const action = "Menyusun rencana kerja tahunan Tim Pembina Posyandu Kota Serang";
    await page.getByRole("button", { name: "Tambah tindak lanjut" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Tindak lanjut").fill(action);
    await dialog.getByLabel("Penanggung jawab").fill("TP Posyandu Kota Serang");
    await typeDate(dialog.getByRole("textbox", { name: "Tenggat" }), "31/05/2025");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByTestId("follow-up-table").getByRole("row").filter({ hasText: action });
    await row.getByText("Terbuka").waitFor();
    await row.getByTestId("overdue").waitFor(); // due 31 May 2025, still open
    await shot("26-meeting");
    await row.getByRole("button", { name: "Ubah status" }).click();
    await page.getByRole("dialog").getByRole("textbox", { name: "Status" }).click();
    await page.getByRole("option", { name: "Selesai" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Simpan" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await row.getByText("Selesai").waitFor();
    await page.getByRole("link", { name: "Tindak lanjut", exact: true }).click();
    await page.waitForURL(/\/follow-ups$/);
    await page.getByTestId("follow-up-table").getByText(action).waitFor();
    await shot("27-follow-ups");
  });

  step("in an English (US) browser with the English UI, dates are still typed and shown as dd/mm/yyyy", async () => {
    const en = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-US", timezoneId: "America/New_York" });
    en.setDefaultTimeout(15_000);
    try {
      const p = await en.newPage();
      await p.addInitScript(() => localStorage.setItem("pembina.lang", "en"));
      await p.goto(`${stack.baseUrl}/login`);
      await p.getByLabel("Username").fill("dpmppa.pekalongan");
      await p.getByLabel("Password").fill(DEMO_PASSWORD);
      await p.getByRole("button", { name: "Log in" }).click();
      await p.waitForURL((url) => url.pathname === "/"); // the home, where everyone lands
      // the deadline set above (30 June 2026) is shown as 30/06/2026, not 6/30/2026
      await p.goto(`${stack.baseUrl}/reporting-deadlines`);
      await p.getByTestId("deadline-row").filter({ hasText: "2026" }).getByText("30/06/2026").waitFor();
      // 03/06/2026 typed here is the 3rd of June, not March 6th
      await p.goto(`${stack.baseUrl}/compliance/33.75`);
      const asOf = p.getByRole("textbox", { name: "As of" });
      assert.equal(await asOf.getAttribute("placeholder"), "dd/mm/yyyy");
      await asOf.click();
      await asOf.pressSequentially("03/06/2026");
      await asOf.press("Tab");
      await p.waitForURL(/as_of=2026-06-03/);
      await p.getByText("State as of 03/06/2026").waitFor();
    } finally {
      await en.close();
    }
  });

  test("no unexpected errors in the browser console", () => {
    assert.deepEqual(consoleErrors, []);
  });
});
