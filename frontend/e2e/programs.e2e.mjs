// Work programs, legal references and competitions in real headless Chromium against the real
// backend with the demo data: a national admin adds a regulation to the library; the Kota
// Pekalongan coordinator plans a work program, sets up a competition, enters two posyandu,
// scores them, finalizes and sees the winner. Then axe-core on each of these screens, on a
// desktop and on a 390 px phone (no serious or critical violation, nothing wider than the phone).
// Run: `node --test e2e/programs.e2e.mjs` in frontend/ after `npx vite build`.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ADMIN_USERNAME, ARTIFACTS, DEMO_PASSWORD, axeViolations, navigate, settle, startStack, trackRequests } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let stack;
let context;
let page;
const consoleErrors = [];
let failed = false;
/** The records the story makes, for the axe pass. */
const made = {};

/** One step of the story: skipped once an earlier step failed (the browser state is shared). */
function step(name, fn) {
  test(name, async (t) => {
    if (failed) return t.skip("an earlier step failed");
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      await page?.screenshot({ path: join(ARTIFACTS, "programs-failure.png"), fullPage: true }).catch(() => {});
      throw e;
    }
  });
}

async function shot(name) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function login(username) {
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL((url) => !url.pathname.endsWith("/login"));
}

/** Pick `option` (the first one if a RegExp matches several) in the dialog's select `label`. */
async function pick(dialog, label, option) {
  await dialog.getByRole("textbox", { name: label, exact: true }).click();
  await page.getByRole("option", { name: option }).first().click();
}

/** The id at the end of the current URL. */
const idInUrl = () => Number(new URL(page.url()).pathname.split("/").pop());

describe("work programs, legal references and competitions", { concurrency: false }, () => {
  before(async () => {
    stack = await startStack();
    context = await stack.browser.newContext({ viewport: DESKTOP, locale: "id-ID", timezoneId: "Asia/Jakarta" });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" && !/401|403|404|409|412|422/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await stack?.stop();
  });

  step("a national admin adds a regulation to the legal library", async () => {
    await login(ADMIN_USERNAME);
    await page.getByRole("link", { name: "Dasar hukum", exact: true }).click();
    await page.getByTestId("legal-table").waitFor();
    await page.getByRole("button", { name: "Tambah peraturan" }).click();
    const dialog = page.getByRole("dialog");
    await pick(dialog, "Jenis", "Peraturan Wali Kota");
    await dialog.getByRole("textbox", { name: "Nomor" }).fill("7");
    await dialog.getByRole("textbox", { name: "Tahun" }).fill("2025");
    await dialog.getByRole("textbox", { name: "Judul" }).fill("Pembinaan Posyandu Kota Pekalongan");
    await dialog.getByRole("textbox", { name: "Penerbit" }).fill("Wali Kota Pekalongan");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/legal-references\/\d+$/);
    made.legal = idInUrl();
    await assert.doesNotReject(page.getByTestId("legal-citation").getByText("Perwal Wali Kota Pekalongan No. 7 Tahun 2025").waitFor());
    await shot("programs-01-legal-reference");
  });

  step("the city coordinator sees the library read-only and plans a work program", async () => {
    await page.getByRole("button", { name: "Keluar", exact: true }).click();
    await page.waitForURL(/\/login$/);
    await login("dpmppa.pekalongan");
    await page.goto(`${stack.baseUrl}/legal-references/${made.legal}`);
    await page.getByTestId("legal-citation").waitFor();
    assert.equal(await page.getByRole("button", { name: "Hapus" }).count(), 0);

    await page.getByRole("link", { name: "Program kerja", exact: true }).click();
    await page.getByTestId("work-program-table").waitFor();
    await page.getByRole("button", { name: "Program kerja baru" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Tim", exact: true }).fill("Pekalongan");
    await page.getByRole("option", { name: /Kota Pekalongan \(33\.75\)/ }).first().click();
    await dialog.getByRole("textbox", { name: "Judul program" }).fill("Pembinaan posyandu menuju 6 SPM");
    await dialog.getByRole("textbox", { name: "Penanggung jawab" }).fill("Sekretariat TP Posyandu");
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/work-programs\/\d+$/);
    made.program = idInUrl();
    await page.getByTestId("work-program-title").getByText("Pembinaan posyandu menuju 6 SPM").waitFor();
    await shot("programs-02-work-program");
  });

  step("sets up a competition with two weighted criteria", async () => {
    await page.getByRole("link", { name: "Lomba", exact: true }).click();
    await page.getByTestId("competition-table").waitFor();
    await page.getByRole("button", { name: "Lomba baru" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Nama lomba" }).fill("Lomba Posyandu Kota Pekalongan (e2e)");
    await dialog.getByRole("textbox", { name: "Kriteria 1", exact: true }).fill("Kelembagaan");
    await dialog.getByRole("textbox", { name: "Bobot kriteria 1", exact: true }).fill("60");
    await dialog.getByRole("button", { name: "Tambah kriteria" }).click();
    await dialog.getByRole("textbox", { name: "Kriteria 2", exact: true }).fill("Layanan 6 SPM");
    await dialog.getByRole("textbox", { name: "Bobot kriteria 2", exact: true }).fill("40");
    await dialog.getByTestId("weight-sum").getByText(/100%/).first().waitFor();
    await dialog.getByRole("button", { name: "Simpan" }).click();
    await page.waitForURL(/\/competitions\/\d+$/);
    made.competition = idInUrl();
    await page.getByTestId("competition-status").getByText("Draf").waitFor();
  });

  step("enters two posyandu and scores them", async () => {
    const names = [];
    for (let i = 0; i < 2; i++) {
      await page.getByRole("button", { name: "Tambah peserta" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox", { name: "Posyandu", exact: true }).click();
      const option = page.getByRole("option").first();
      names.push((await option.innerText()).replace(/\s*\([\d.]+\)\s*$/, ""));
      await option.click();
      await dialog.getByRole("button", { name: "Simpan" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.getByTestId("entrants").getByRole("link", { name: names[i] }).waitFor();
    }
    made.names = names;
    for (const [name, [a, b]] of [
      [names[0], [70, 60]],
      [names[1], [90, 80]],
    ]) {
      await page.getByRole("button", { name: `Nilai ${name}` }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox", { name: "Kelembagaan (60%)", exact: true }).fill(String(a));
      await dialog.getByRole("textbox", { name: "Layanan 6 SPM (40%)", exact: true }).fill(String(b));
      await dialog.getByRole("button", { name: "Simpan" }).click();
      await dialog.waitFor({ state: "detached" });
    }
    // 90 × 60% + 80 × 40% = 86 ranks first
    const first = page.getByTestId("ranking").getByRole("row").nth(1);
    await first.getByText(names[1]).waitFor();
    assert.match(await first.innerText(), /86/);
    await page.getByTestId("competition-status").getByText("Penilaian").waitFor();
    await shot("programs-03-competition-scored");
  });

  step("finalizes after the warning; the winner shows and the result is read-only", async () => {
    await page.getByRole("button", { name: "Finalkan" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Tidak dapat dibatalkan").waitFor();
    await dialog.getByRole("textbox", { name: "Hadiah peringkat 1", exact: true }).fill("Piala Wali Kota");
    await dialog.getByRole("button", { name: "Ya, finalkan" }).click();
    await dialog.waitFor({ state: "detached" });
    const winners = page.getByTestId("winners");
    await winners.getByText("Juara 1").waitFor();
    assert.match(await winners.innerText(), new RegExp(`${made.names[1]}[\\s\\S]*Piala Wali Kota`));
    await page.getByTestId("final-note").waitFor();
    for (const name of ["Finalkan", "Tambah peserta", `Nilai ${made.names[0]}`]) assert.equal(await page.getByRole("button", { name }).count(), 0, name);
    await shot("programs-04-competition-final");
  });

  step("no error in the browser console", async () => {
    assert.deepEqual(consoleErrors, []);
  });

  step("axe-core: no serious or critical violation on these screens, desktop and 390 px; nothing wider than the phone", async () => {
    const found = [];
    const routes = [
      "/work-programs",
      `/work-programs/${made.program}`,
      "/legal-references",
      `/legal-references/${made.legal}`,
      "/competitions",
      `/competitions/${made.competition}`,
    ];
    for (const viewport of [DESKTOP, PHONE]) {
      const ctx = await stack.browser.newContext({ viewport, locale: "id-ID", timezoneId: "Asia/Jakarta", isMobile: viewport !== DESKTOP, bypassCSP: true });
      ctx.setDefaultTimeout(60_000);
      const p = trackRequests(await ctx.newPage());
      await p.goto(`${stack.baseUrl}/login`);
      await p.getByLabel("Nama pengguna").fill("dpmppa.pekalongan");
      await p.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
      await p.getByRole("button", { name: "Masuk" }).click();
      await p.waitForURL((url) => !url.pathname.endsWith("/login"));
      for (const [i, route] of routes.entries()) {
        // the first screen from its address, the others as the app's links open them
        if (i === 0) await p.goto(`${stack.baseUrl}${route}`);
        else await navigate(p, route);
        await settle(p, 300);
        const where = `${viewport.width}px ${route}`;
        for (const v of await axeViolations(p)) found.push(`${where}: ${v}`);
        if (viewport === PHONE) {
          const wide = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (wide > 1) found.push(`${where}: ${wide}px wider than the screen`);
          await p.screenshot({ path: join(ARTIFACTS, `programs-390${route.replaceAll("/", "-")}.png`), fullPage: true });
        }
      }
      await ctx.close();
    }
    writeFileSync(join(ARTIFACTS, "a11y-programs.txt"), found.join("\n") + "\n");
    assert.deepEqual(found, [], `${found.length} finding(s):\n${found.join("\n")}`);
  });
});
