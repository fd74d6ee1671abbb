// End-to-end harness: the real backend (`.venv/bin/pembina`) on a temporary SQLite database
// and a free port, serving the built dashboard; Debian's headless Chromium driven by
// playwright-core (no browser download).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** Start backend + browser; returns { baseUrl, browser, stop }. `extraEnv`: further settings of the backend. */
export async function startStack(extraEnv = {}) {
  if (!existsSync(PEMBINA)) throw new Error(`${PEMBINA} missing: run 'make install' first`);
  if (!existsSync(join(ROOT, "frontend", "dist", "index.html"))) throw new Error("frontend/dist missing: run 'make frontend-build' first");
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run 'make chromium' (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "pembina-e2e-"));
  const env = {
    ...process.env,
    DATABASE_URL: `sqlite:///${join(dir, "e2e.sqlite3")}`,
    PEMBINA_DEMO_PASSWORD: DEMO_PASSWORD,
    PEMBINA_JWT_SECRET: "e2e-only-secret-" + Math.random().toString(36).slice(2) + "-padding-padding",
    PEMBINA_LOGIN_RATE_LIMIT: "100/minute",
    ...extraEnv,
  };
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
