// The dashboard on a slow mobile connection: figures, not a pass/fail test (`make bench`, or
// `python -m benchmarks.run --only frontend`, or `node benchmarks/frontend.mjs` after a build).
//
// 1. Sizes of the build in frontend/dist: the JS that index.html loads before anything shows
//    (its script and modulepreloads), and all JS; raw, gzip and brotli (the .gz/.br files the build
//    writes beside each asset, which the backend sends).
// 2. The real backend (`pembina serve` on a temporary SQLite database with the demo data, started by
//    frontend/e2e/harness.mjs) in Debian's headless Chromium, throttled by the DevTools protocol
//    (Network.emulateNetworkConditions) to slow 4G: 1.6 Mbps down, 750 Kbps up, 150 ms round trip.
//    Each run opens a fresh browser context (empty cache), then, in it:
//      cold   - the address typed in: time to a visible login form; sign in at once: time to the
//               first screen (the coordinator's home with its headline);
//      warm   - a repeat visit while signed in: time to the first screen; then signed out (cookie
//               gone, cache kept): time to a visible login form, and to the first screen after
//               signing in.
//    Times are measured in the page (performance.now(), from the navigation's start or from the
//    click on "Masuk"), to the first animation frame in which the element is there and visible.
import { brotliCompressSync, gzipSync } from "node:zlib";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEMO_PASSWORD, ROOT, startStack } from "../frontend/e2e/harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USER = "dpmppa.pekalongan";
const KBIT = 1000 / 8; // bytes per second in one kbit/s
export const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1600 * KBIT, uploadThroughput: 750 * KBIT, connectionType: "cellular4g" };

const DIST = join(ROOT, "frontend", "dist");
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Bytes the server sends for `file` in a coding: its precompressed variant, else (none was written,
 * as for a file that does not shrink) the smaller of the file and its compression here. */
function compressed(file, suffix, compress) {
  if (existsSync(file + suffix)) return statSync(file + suffix).size;
  const raw = readFileSync(file);
  return Math.min(raw.length, compress(raw).length);
}

/** The build's JS: what index.html loads up front, and all of it (raw, gzip, brotli bytes). */
export function buildSizes() {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const initial = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]));
  const css = new Set([...html.matchAll(/href="\/assets\/([^"]+\.css)"/g)].map((m) => m[1]));
  const sum = () => ({ files: 0, raw: 0, gzip: 0, br: 0 });
  const out = { initial: sum(), all: sum(), css: sum() };
  for (const name of readdirSync(join(DIST, "assets"))) {
    const file = join(DIST, "assets", name);
    const isJs = name.endsWith(".js");
    if (!isJs && !css.has(name)) continue;
    const size = {
      raw: statSync(file).size,
      gzip: compressed(file, ".gz", (b) => gzipSync(b, { level: 9 })),
      br: compressed(file, ".br", (b) => brotliCompressSync(b)),
    };
    const buckets = isJs ? [out.all, ...(initial.has(name) ? [out.initial] : [])] : [out.css];
    for (const b of buckets) {
      b.files += 1;
      b.raw += size.raw;
      b.gzip += size.gzip;
      b.br += size.br;
    }
  }
  return out;
}

async function throttledPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  return { page, bytes: () => bytes };
}

/** performance.now() in the first frame where `check` holds (polled on animation frames). */
async function when(page, check) {
  const handle = await page.waitForFunction(check, null, { polling: "raf", timeout: 60_000 });
  return handle.jsonValue();
}

const loginFormShown = () => {
  const visible = (el) => el && el.getBoundingClientRect().height > 0;
  const form = document.querySelector("form");
  return visible(form?.querySelector("input[type=password]")) && visible(form?.querySelector("button[type=submit]")) && performance.now();
};
// the first screen after login is the coordinator's home: its headline ("22 dari 27 kelurahan …")
const firstScreenShown = () => {
  const count = document.querySelector("[data-testid=home-headline]");
  return count && /\d/.test(count.textContent ?? "") && count.getBoundingClientRect().height > 0 && performance.now();
};

async function openLoginForm(context, url) {
  const { page, bytes } = await throttledPage(context);
  await page.goto(url, { waitUntil: "commit" });
  const ms = await when(page, loginFormShown);
  return { page, ms, bytes };
}

async function signIn(page) {
  await page.getByLabel("Nama pengguna").fill(USER);
  await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
  const start = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: "Masuk" }).click();
  return (await when(page, firstScreenShown)) - start;
}

async function oneRun(browser, baseUrl) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "id-ID", timezoneId: "Asia/Jakarta" });
  try {
    const r = {};
    const cold = await openLoginForm(context, `${baseUrl}/`);
    r.coldLogin = cold.ms;
    r.coldLoginBytes = cold.bytes();
    r.coldFirstScreen = await signIn(cold.page);
    r.coldBytes = cold.bytes();
    await cold.page.close();

    const again = await throttledPage(context);
    await again.page.goto(`${baseUrl}/`, { waitUntil: "commit" });
    r.warmSignedIn = await when(again.page, firstScreenShown);
    r.warmSignedInBytes = again.bytes();
    await again.page.close();

    await context.clearCookies(); // signed out; the cache stays
    const warm = await openLoginForm(context, `${baseUrl}/`);
    r.warmLogin = warm.ms;
    r.warmLoginBytes = warm.bytes();
    r.warmFirstScreen = await signIn(warm.page);
    await warm.page.close();
    return r;
  } finally {
    await context.close();
  }
}

async function main() {
  const s = buildSizes();
  const line = (label, b) => `  ${label.padEnd(34)} ${String(b.files).padStart(3)} files  ${kb(b.raw).padStart(10)} raw  ${kb(b.gzip).padStart(9)} gzip  ${kb(b.br).padStart(9)} brotli`;
  console.log("Dashboard build (frontend/dist)");
  console.log(line("initial JS (index.html loads)", s.initial));
  console.log(line("all JS", s.all));
  console.log(line("initial CSS", s.css));
  console.log("  goal: initial JS <= 250 KB gzip");

  const stack = await startStack();
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await oneRun(stack.browser, stack.baseUrl));
    const row = (label, key, goal = "") => {
      const values = runs.map((r) => r[key]);
      console.log(`  ${label.padEnd(50)} ${secs(median(values)).padStart(8)}   (runs: ${values.map(secs).join(", ")})${goal ? `   goal ${goal}` : ""}`);
    };
    const bytes = (label, key) => console.log(`  ${label.padEnd(50)} ${kb(median(runs.map((r) => r[key]))).padStart(8)}`);
    console.log();
    console.log(`Slow 4G (1.6 Mbps down, 750 Kbps up, 150 ms RTT), headless Chromium at 390x844, median of ${RUNS} runs`);
    row("cold: login form visible", "coldLogin", "< 2.5 s");
    row("cold: first screen after signing in", "coldFirstScreen");
    row("warm: repeat visit signed in, first screen", "warmSignedIn");
    row("warm: repeat visit, login form visible", "warmLogin", "< 1 s");
    row("warm: first screen after signing in", "warmFirstScreen");
    bytes("bytes over the wire: cold, to the login form", "coldLoginBytes");
    bytes("bytes over the wire: cold, to the first screen", "coldBytes");
    bytes("bytes over the wire: warm visit signed in", "warmSignedInBytes");
    bytes("bytes over the wire: warm, to the login form", "warmLoginBytes");
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
