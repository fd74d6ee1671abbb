// End-to-end harness: the real backend (`.venv/bin/pembina`) on a temporary SQLite database
// and a free port, serving the built dashboard; Debian's headless Chromium driven by
// playwright-core (no browser download).
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, "..", "..");
export const ARTIFACTS = join(ROOT, "test-artifacts");
export const DEMO_PASSWORD = "demo-e2e-password-1";
/** A national admin beside the demo accounts (which are all bound to a region), same password: the
 * legal references library is theirs, and the national home and board. */
export const NATIONAL_ADMIN = "admin.nasional";
export const ADMIN_USERNAME = NATIONAL_ADMIN;
const PEMBINA = join(ROOT, ".venv", "bin", "pembina");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitHealthy(url, proc, timeoutMs = 60_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (proc.exitCode !== null) throw new Error(`backend exited with ${proc.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`backend not healthy at ${url} after ${timeoutMs} ms`);
}

const DB_FILE = "e2e.sqlite3";

/** The demo database: regions, the demo's records and accounts, and a national admin. Some 25-50 s
 * of four CLI runs, so `make test-e2e` seeds it once per run: it sets E2E_TEMPLATE_DIR, the first
 * stack keeps a copy there and the others start from that copy (the files run one at a time). */
function seed(env, dir) {
  // `pembina demo` appends the accounts' password to var/demo-accounts.txt: keep the
  // developer's own file as it was (this run's password is a throwaway).
  const accountsFile = join(ROOT, "var", "demo-accounts.txt");
  const savedAccounts = existsSync(accountsFile) ? readFileSync(accountsFile) : null;
  try {
    for (const cmd of [["migrate"], ["load-regions"], ["demo"], ["create-admin", "--username", NATIONAL_ADMIN, "--password", DEMO_PASSWORD]]) {
      execFileSync(PEMBINA, cmd, { env, cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    }
  } finally {
    if (savedAccounts) writeFileSync(accountsFile, savedAccounts, { mode: 0o600 });
    else rmSync(accountsFile, { force: true });
  }
}

/** The SQLite database with its WAL and shared-memory files (no process has it open). */
function copyDatabase(from, to) {
  for (const f of readdirSync(from)) if (f.startsWith(DB_FILE)) copyFileSync(join(from, f), join(to, f));
}

/** Start backend + browser; returns { baseUrl, browser, stop }. `extraEnv`: further settings of the backend. */
export async function startStack(extraEnv = {}) {
  if (!existsSync(PEMBINA)) throw new Error(`${PEMBINA} missing: run 'make install' first`);
  if (!existsSync(join(ROOT, "frontend", "dist", "index.html"))) throw new Error("frontend/dist missing: run 'make frontend-build' first");
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run 'make chromium' (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "pembina-e2e-"));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:///${join(dir, DB_FILE)}`,
    PEMBINA_DEMO_PASSWORD: DEMO_PASSWORD,
    PEMBINA_JWT_SECRET: "e2e-only-secret-" + Math.random().toString(36).slice(2) + "-padding-padding",
    PEMBINA_LOGIN_RATE_LIMIT: "100/minute",
    ...extraEnv,
  };
  const template = process.env.E2E_TEMPLATE_DIR;
  if (template && existsSync(join(template, DB_FILE))) copyDatabase(template, dir);
  else {
    seed(env, dir);
    if (template) copyDatabase(dir, template);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(PEMBINA, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    env,
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let serverLog = "";
  server.stderr.on("data", (d) => {
    serverLog = (serverLog + d.toString()).slice(-20_000);
  });
  try {
    await waitHealthy(`${baseUrl}/healthz`, server);
  } catch (e) {
    server.kill("SIGTERM");
    throw new Error(`${e.message}\n${serverLog}`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  async function stop() {
    await browser.close().catch(() => {});
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
  return { baseUrl, browser, stop, serverLog: () => serverLog };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now: "impact id (help) at nodes". */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(" | ")}`);
}

const inFlight = new WeakMap();

/** Counts `page`'s requests in flight from now on, for `settle`. Call it right after creating the page. */
export function trackRequests(page) {
  const state = { inflight: 0, last: Date.now() };
  const done = () => {
    state.inflight = Math.max(0, state.inflight - 1);
    state.last = Date.now();
  };
  page.on("request", () => {
    state.inflight += 1;
    state.last = Date.now();
  });
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  inFlight.set(page, state);
  return page;
}

/** Wait until the screen has loaded: no request in flight for 150 ms (tracked pages; Playwright's
 * "networkidle", 500 ms after the last request, for others) and no loader shown; then `pause` ms. */
export async function settle(page, pause = 100) {
  const requests = inFlight.get(page);
  if (!requests) await page.waitForLoadState("networkidle").catch(() => {});
  const start = Date.now();
  for (;;) {
    const quiet = !requests || (requests.inflight === 0 && Date.now() - requests.last >= 150);
    const loading = await page.evaluate(() => Boolean(document.querySelector(".mantine-Loader-root")));
    if ((quiet && !loading) || Date.now() - start > 15_000) break;
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(pause);
}

/** Open `route` in the running app as one of its links would (react-router follows history's
 * popstate): no reload of the bundle per screen. */
export async function navigate(page, route) {
  await page.evaluate((r) => {
    window.history.pushState(null, "", r);
    window.dispatchEvent(new PopStateEvent("popstate", { state: null }));
  }, route);
  await page.waitForURL((url) => `${url.pathname}${url.search}` === route);
}
