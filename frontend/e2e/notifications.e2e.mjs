// The bell and the webhooks admin in real headless Chromium against the real backend (demo data; the
// reminder worker embedded in `pembina serve` makes the reminders at its first round): the Kalimantan
// Tengah coordinator sees the bell's unread count (its digest and its meeting's overdue follow-up),
// opens the list, marks all read, and follows a reminder to its meeting; the national admin adds a
// webhook subscription to an API client and sees its signing secret once.
// Run: `cd frontend && npx vite build && node --test e2e/notifications.e2e.mjs`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_PASSWORD, NATIONAL_ADMIN, startStack } from "./harness.mjs";

let stack;

before(async () => {
  // a receiver on this machine (nothing listens on port 9: deliveries fail quietly)
  stack = await startStack({ PEMBINA_WEBHOOK_ALLOW_PRIVATE_URLS: "true" });
});

after(async () => {
  await stack?.stop();
});

async function signIn(username) {
  const context = await stack.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "id-ID", timezoneId: "Asia/Jakarta" });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/login`);
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  return { context, page };
}

describe("notifications and webhooks", () => {
  test("a coordinator's bell: the unread count, the list, mark all read, a link to the record", async () => {
    const { context, page } = await signIn("dpmd.kalteng");
    try {
      // the worker's first round runs as the server starts; the bell refreshes every minute, so reload until it counts
      const bell = page.getByTestId("bell");
      let label = "";
      for (let i = 0; i < 30; i++) {
        label = (await bell.getAttribute("aria-label")) ?? "";
        if (!/^Notifikasi, 0 /.test(label)) break;
        await page.waitForTimeout(1000);
        await page.reload();
      }
      const unread = Number(/^Notifikasi, (\d+) belum dibaca$/.exec(label)?.[1]);
      assert.ok(unread >= 2, label); // the weekly digest and the overdue follow-up at least

      await bell.click();
      await page.waitForURL(/\/notifications$/);
      await page.getByTestId("notifications-unread").getByText(`${unread} belum dibaca`).waitFor();
      const followUp = page.getByTestId("notification").filter({ hasText: "Tindak lanjut terlambat sejak 31 Desember 2025" });
      await followUp.waitFor();

      await page.getByRole("button", { name: "Tandai semua dibaca" }).click();
      await page.getByTestId("notifications-unread").getByText("0 belum dibaca").waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="bell"]')?.getAttribute("aria-label") === "Notifikasi, 0 belum dibaca");

      const link = followUp.getByRole("link").first();
      const href = await link.getAttribute("href");
      assert.match(href ?? "", /^\/meetings\/\d+$/);
      await link.click();
      await page.waitForURL((url) => url.pathname === href);
      await page.getByText("percepatan pemberian nomor registrasi Posyandu").first().waitFor();
    } finally {
      await context.close();
    }
  });

  test("an admin adds a webhook subscription and sees its secret once", async () => {
    const { context, page } = await signIn(NATIONAL_ADMIN);
    try {
      await page.goto(`${stack.baseUrl}/api-clients`);
      await page.getByRole("button", { name: "Klien API baru" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Nama sistem").fill("Dasbor Data Kalteng");
      await dialog.getByRole("button", { name: "Buat" }).click();
      await page.getByTestId("once-secret").waitFor();
      await page.getByRole("dialog").getByRole("button", { name: "Tutup" }).last().click();
      await page.getByTestId("once-secret").waitFor({ state: "detached" });

      await page.getByRole("button", { name: "Webhook Dasbor Data Kalteng" }).click();
      await page.getByText("Webhook — Dasbor Data Kalteng").waitFor();
      await page.getByRole("button", { name: "Langganan baru" }).click();
      const form = page.getByRole("dialog").filter({ has: page.getByLabel("URL penerima") });
      const url = "http://127.0.0.1:9/pembina-hook";
      await form.getByLabel("URL penerima").fill(url);
      await form.getByRole("checkbox", { name: "decree.reported" }).check();
      await form.getByRole("button", { name: "Buat" }).click();

      const secret = page.getByTestId("once-secret");
      await secret.waitFor();
      const shown = (await secret.innerText()).trim();
      assert.match(shown, /^whsec_[A-Za-z0-9+/=]{20,}$/);
      await page.getByRole("dialog").getByRole("button", { name: "Tutup" }).last().click();
      await secret.waitFor({ state: "detached" });
      // listed, and the secret is nowhere on the page any more
      await page.getByRole("cell", { name: url, exact: true }).waitFor();
      assert.equal(await page.getByText(shown).count(), 0);
    } finally {
      await context.close();
    }
  });
});
