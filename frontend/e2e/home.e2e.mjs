// The home (Beranda) of each persona in real headless Chromium against the real backend with the demo
// data: a national admin (the nation, the provinces ranked, the national compliance board), a province
// coordinator (its kab/kota ranked, sortable), a city coordinator (the headline, the KPI cards linking to
// their screens, the trends) and a village operator (its own card; its compliance board asks nothing that
// must fail). A screenshot of each home; axe-core finds no serious or critical violation on the home, on
// a desktop and on a phone, and nothing is wider than the phone.
// Run: `cd frontend && npx vite build && node --test e2e/home.e2e.mjs`.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ARTIFACTS, DEMO_PASSWORD, NATIONAL_ADMIN, axeViolations, settle, startStack, trackRequests } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/** A signed-in page of `username` (Indonesian, Asia/Jakarta); `refused` collects the API's 4xx/5xx answers. */
async function signIn(username, viewport = DESKTOP) {
  const context = await stack.browser.newContext({ viewport, locale: "id-ID", timezoneId: "Asia/Jakarta", isMobile: viewport !== DESKTOP, bypassCSP: true });
  context.setDefaultTimeout(30_000);
  const page = trackRequests(await context.newPage());
  const refused = [];
  const errors = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/v1/") && r.status() >= 400 && !r.url().endsWith("/auth/me")) refused.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  // everyone lands on the home
  await page.waitForURL((url) => url.pathname === "/");
  return { context, page, refused, errors };
}


async function shot(page, name) {
  await settle(page, 400);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The home's common parts: the title, the headline sentence, the cards, the trends. */
async function commonHome(page, name) {
  await page.getByRole("heading", { level: 1, name: `Beranda — ${name}` }).waitFor();
  const headline = page.getByTestId("home-headline");
  await headline.waitFor();
  for (const kpi of ["kpi-registration", "kpi-spm", "kpi-pilots", "kpi-budgets", "kpi-follow-ups"]) await page.getByTestId(kpi).waitFor();
  await page.getByTestId("trend-registration").locator(".recharts-line").first().waitFor({ state: "attached" });
  // the Beranda nav item is the active one
  assert.equal(await page.getByRole("link", { name: "Beranda", exact: true }).getAttribute("data-active"), "true");
  return headline.innerText();
}

/** axe-core's serious and critical violations, and (on a phone) what is wider than the screen. */
async function findings(page) {
  const found = await axeViolations(page);
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return document.documentElement.scrollWidth > width + 1 ? [`the page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`] : [];
  });
  return [...found, ...wide];
}

describe("the home of each persona", { concurrency: false }, () => {
  test("a national admin sees the nation, its provinces ranked, and a national compliance board of the 38 provinces", async () => {
    const { context, page, refused, errors } = await signIn(NATIONAL_ADMIN);
    const headline = await commonHome(page, "Indonesia");
    assert.match(headline, /\d+ dari [\d.]+ kelurahan\/desa telah menerbitkan dan melaporkan SK TP Posyandu/);
    const ranked = page.getByTestId("home-ranked");
    await ranked.getByText("Peringkat provinsi").waitFor();
    await ranked.getByTestId("row-62").waitFor();
    assert.equal(await ranked.locator('[data-testid^="row-"]:not([data-testid="row-total"])').count(), 38);
    await page.getByTestId("trend-sk").locator(".recharts-line").first().waitFor({ state: "attached" });
    await shot(page, "home-national-admin");
    // "Kepatuhan SK" is the nation's board, not the list of provinces
    await page.getByRole("link", { name: "Kepatuhan SK", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/compliance");
    await page.getByTestId("board-title").filter({ hasText: "Indonesia" }).waitFor();
    assert.equal(await page.getByTestId("compliance-table").locator('[data-testid^="row-"]:not([data-testid="row-total"])').count(), 38);
    await page.getByTestId("row-33").getByRole("link", { name: "Jawa Tengah" }).click();
    await page.waitForURL(/\/compliance\/33\?level=village$/);
    await page.getByTestId("board-title").filter({ hasText: "Jawa Tengah" }).waitFor();
    assert.deepEqual(refused, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a province coordinator sees its kab/kota ranked, sorts them by any column", async () => {
    const { context, page, refused, errors } = await signIn("dpmd.kalteng");
    await commonHome(page, "Kalimantan Tengah");
    const ranked = page.getByTestId("home-ranked");
    await ranked.getByText("Peringkat kabupaten/kota").waitFor();
    const table = ranked.getByTestId("compliance-table");
    assert.equal(await table.locator('[data-testid^="row-"]:not([data-testid="row-total"])').count(), 14);
    await table.getByTestId("sort-name").click();
    const first = await table.locator("tbody tr").first().innerText();
    await table.getByTestId("sort-name").click();
    assert.notEqual(await table.locator("tbody tr").first().innerText(), first);
    assert.equal(await table.locator("th[aria-sort=descending]").count(), 1);
    await page.getByTestId("ranking").locator(".recharts-surface").first().waitFor();
    await shot(page, "home-province-coordinator");
    assert.deepEqual(refused, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a city coordinator sees where Kota Pekalongan stands: the headline, the cards linking to their screens, the trends", async () => {
    const { context, page, refused, errors } = await signIn("dpmppa.pekalongan");
    const headline = await commonHome(page, "Kota Pekalongan");
    assert.match(headline, /\d+ dari 27 kelurahan\/desa telah menerbitkan dan melaporkan SK TP Posyandu/);
    await page.getByTestId("home-ranked").getByTestId("row-33.75.04").waitFor();
    await page.getByTestId("trend-sk").locator(".recharts-line").first().waitFor({ state: "attached" });
    await shot(page, "home-city-coordinator");
    await page.getByTestId("kpi-registration").getByRole("link", { name: /Registri posyandu/ }).click();
    await page.waitForURL(/\/posyandu\?region=33\.75$/);
    await page.getByRole("link", { name: "Beranda", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.getByTestId("kpi-compliance").getByRole("link", { name: /Papan kepatuhan SK/ }).click();
    await page.waitForURL(/\/compliance\/33\.75$/);
    await page.getByTestId("headline").waitFor();
    assert.deepEqual(refused, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a village operator sees its own card; its compliance board is the same card, with no refused request", async () => {
    const { context, page, refused, errors } = await signIn("kel.klego");
    await commonHome(page, "Klego");
    const card = page.getByTestId("village-card");
    await card.getByTestId("village-stage").waitFor();
    await card.getByTestId("village-deadline").waitFor();
    await card.getByText("Tim dan SK TP Posyandu").waitFor();
    assert.equal(await page.getByTestId("home-ranked").count(), 0);
    await shot(page, "home-village-operator");
    await page.getByRole("link", { name: "Kepatuhan SK", exact: true }).click();
    await page.waitForURL(/\/compliance\/33\.75\.02\.1008$/);
    await page.getByTestId("village-card").getByTestId("village-stage").waitFor();
    await settle(page);
    assert.equal(await page.getByText("tidak memiliki wilayah di bawahnya").count(), 0);
    assert.deepEqual(refused, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("the home passes axe-core (serious, critical) on a desktop and a phone, and fits the phone", async () => {
    const found = [];
    for (const username of [NATIONAL_ADMIN, "dpmd.kalteng", "dpmppa.pekalongan", "kel.klego"]) {
      for (const viewport of [DESKTOP, PHONE]) {
        const { context, page } = await signIn(username, viewport);
        await page.getByTestId("home-headline").waitFor();
        await settle(page);
        for (const f of await findings(page)) found.push(`${username} ${viewport.width}px: ${f}`);
        await context.close();
      }
    }
    assert.deepEqual(found, [], found.join("\n"));
  });
});
