// Every screen of the dashboard, on a desktop and on two phones, in real headless Chromium:
// axe-core finds no serious or critical accessibility violation, nothing is wider than the
// screen, and the Indonesian screens carry no English validator phrases.
// Run: `make test-e2e` (or `node --test e2e/a11y.e2e.mjs` in frontend/ after `make frontend-build`).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ARTIFACTS, DEMO_PASSWORD, axeViolations, navigate, settle, startStack, trackRequests } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONES = [
  { width: 390, height: 844 },
  { width: 360, height: 740 },
];
const NARROWEST = PHONES.reduce((a, b) => (b.width < a.width ? b : a));
/** What Pydantic or a server says in English; an Indonesian screen never shows it. */
const ENGLISH = /String should|Input should|Field required|Value error|should have at least|does not exist|is outside your region|Unsupported media type/;

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

async function signIn(context, username) {
  const page = trackRequests(await context.newPage());
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL((url) => !url.pathname.endsWith("/login"));
  return page;
}

/** The first record of a list (through the API, with the page's session cookie). */
async function firstId(page, path) {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { headers: { Accept: "application/json" } });
    const body = await res.json();
    return body.items?.[0]?.id ?? null;
  }, path);
}

/** The routes a persona can open, with real ids from the demo data. */
async function routesOf(page, persona) {
  const ids = {
    team: await firstId(page, "/api/v1/teams?limit=1"),
    decree: await firstId(page, "/api/v1/decrees?limit=1"),
    posyandu: await firstId(page, "/api/v1/posyandu?limit=1"),
    batch: await firstId(page, "/api/v1/registration-batches?limit=1"),
    pilot: await firstId(page, "/api/v1/pilot-sites?limit=1"),
    budget: await firstId(page, "/api/v1/budgets?limit=1"),
    meeting: await firstId(page, "/api/v1/meetings?limit=1"),
    report: await firstId(page, "/api/v1/activity-reports?limit=1"),
  };
  const routes = [
    "/",
    "/regions",
    `/regions/${persona.region}`,
    "/compliance",
    `/compliance/${persona.region}`,
    "/teams",
    "/decrees",
    "/reporting-deadlines",
    "/posyandu",
    "/registration-batches",
    "/pilot-sites",
    "/budgets",
    "/meetings",
    "/follow-ups",
    "/audit",
    "/activity-reports",
    `/activity-reports/${persona.region}`,
    ...(persona.writes ? ["/posyandu/new", "/meetings/new"] : []),
    ...(persona.writes && ids.posyandu !== null ? [`/activity-reports/new?posyandu=${ids.posyandu}`] : []),
    ...(persona.admin ? ["/users", "/api-clients"] : []),
  ];
  for (const [key, path] of Object.entries({
    team: "/teams",
    decree: "/decrees",
    posyandu: "/posyandu",
    batch: "/registration-batches",
    pilot: "/pilot-sites",
    budget: "/budgets",
    meeting: "/meetings",
    report: "/activity-reports/reports",
  })) {
    if (ids[key] !== null) routes.push(`${path}/${ids[key]}`);
  }
  return routes;
}

/** Elements wider than the screen (a page that scrolls sideways). */
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    const wide = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && getComputedStyle(el).position !== "fixed") {
        // report the outermost offender only
        if (!wide.some((w) => w.el.contains(el))) wide.push({ el, what: `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 2).join(".")} right=${Math.round(r.right)}` });
      }
    }
    return wide.slice(0, 5).map((w) => w.what);
  });
}

const PERSONAS = [
  { name: "city coordinator", username: "dpmppa.pekalongan", region: "33.75", writes: true, admin: true },
  { name: "village operator", username: "kel.klego", region: "33.75.02.1008", writes: true, admin: false },
];

for (const persona of PERSONAS) {
  describe(`every screen of the ${persona.name}`, { concurrency: false }, () => {
    const found = [];

    test("desktop and phones: no serious or critical axe violation, nothing wider than the screen", async () => {
      for (const viewport of [DESKTOP, ...PHONES]) {
        // bypassCSP: the test injects axe-core as a script; the page itself keeps its CSP
        const context = await stack.browser.newContext({ viewport, locale: "en-US", timezoneId: "Asia/Jakarta", isMobile: viewport !== DESKTOP, bypassCSP: true });
        context.setDefaultTimeout(60_000);
        const page = await signIn(context, persona.username);
        let first = true;
        for (const route of await routesOf(page, persona)) {
          // the first screen is loaded from its address, the others as the app's links open them
          if (first) await page.goto(`${stack.baseUrl}${route}`);
          else await navigate(page, route);
          first = false;
          await settle(page);
          const where = `${viewport.width}×${viewport.height} ${route}`;
          // axe-core on the desktop and the narrowest phone (the wider phone's markup is the same)
          if (viewport === DESKTOP || viewport === NARROWEST) for (const v of await axeViolations(page)) found.push(`${where}: ${v}`);
          if (viewport !== DESKTOP) for (const w of await overflow(page)) found.push(`${where}: wider than the screen: ${w}`);
          const text = await page.evaluate(() => document.body.innerText);
          const english = text.match(ENGLISH);
          if (english) found.push(`${where}: English in the Indonesian screen: "${english[0]}"`);
        }
        await context.close();
      }
      writeFileSync(join(ARTIFACTS, `a11y-${persona.username}.txt`), found.join("\n") + "\n");
      assert.deepEqual(found, [], `${found.length} finding(s):\n${found.join("\n")}`);
    });
  });
}
