import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { lastCall, mockSignedIn, renderApp, sent } from "../test/utils";

const reminder = (over: Partial<Schemas["NotificationRead"]>): Schemas["NotificationRead"] => ({
  id: 1,
  rule: "sk_deadline_passed",
  title: "SK TP Posyandu Klego belum dilaporkan: batas 30 Juni 2026 terlewati",
  body: "SK TP Posyandu Klego (33.75.02.1008) belum dilaporkan.",
  link: "/compliance/33.75.02",
  record_kind: "region",
  record_id: null,
  region_code: "33.75.02.1008",
  due_on: "2026-06-30",
  created_at: "2026-07-01T02:00:00Z",
  read: false,
  read_at: null,
  email_status: "sent",
  whatsapp_url: "https://wa.me/6281234567890?text=SK%20TP%20Posyandu%20Klego",
  ...over,
});

const items = [
  reminder({}),
  reminder({ id: 2, rule: "follow_up_overdue", title: "Tindak lanjut terlambat sejak 16 Oktober 2026: Kirim SK", link: "/meetings/12", read: true, whatsapp_url: null }),
];

describe("Notifications", () => {
  it("shows the unread count on the bell, lists the reminders with their links, and marks all read", async () => {
    let unread = 1;
    const { calls } = mockSignedIn({
      "GET /api/v1/notifications": (_req, url) => ({
        body: { items: url.searchParams.get("unread") === "true" ? items.filter((n) => !n.read).slice(0, 1) : items, total: 2, unread, limit: 20, offset: 0 },
      }),
      "POST /api/v1/notifications/read": () => {
        unread = 0;
        return { body: { marked: 1, unread: 0 } };
      },
    });
    renderApp("/notifications");
    await screen.findAllByTestId("notification");
    const bell = await screen.findByRole("link", { name: "Notifikasi, 1 belum dibaca" }, { timeout: 5000 });
    expect(bell).toHaveAttribute("href", "/notifications");
    const list = await screen.findAllByTestId("notification");
    expect(list).toHaveLength(2);
    expect(within(list[0]).getByRole("link", { name: /SK TP Posyandu Klego belum dilaporkan/ })).toHaveAttribute("href", "/compliance/33.75.02");
    expect(within(list[0]).getByRole("link", { name: "Kirim lewat WhatsApp" })).toHaveAttribute("href", expect.stringContaining("https://wa.me/6281234567890?text="));
    expect(within(list[1]).getByRole("link", { name: /Kirim SK/ })).toHaveAttribute("href", "/meetings/12");
    expect(within(list[1]).queryByRole("button", { name: /Tandai dibaca/ })).toBeNull();
    expect(screen.getByTestId("notifications-unread")).toHaveTextContent("1 belum dibaca");

    await userEvent.click(screen.getByRole("button", { name: "Tandai semua dibaca" }));
    await sent(calls, "POST", "/api/v1/notifications/read");
    expect(lastCall(calls, "POST", "/api/v1/notifications/read")!.body).toEqual({ all: true, ids: [] });
    expect(await screen.findByRole("link", { name: "Notifikasi, 0 belum dibaca" }, { timeout: 5000 })).toBeInTheDocument();
  });

  it("marks one read", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/notifications": () => ({ body: { items, total: 2, unread: 1, limit: 20, offset: 0 } }),
      "POST /api/v1/notifications/read": () => ({ body: { marked: 1, unread: 0 } }),
    });
    renderApp("/notifications");
    await userEvent.click(await screen.findByRole("button", { name: /^Tandai dibaca: SK TP Posyandu Klego/ }));
    await sent(calls, "POST", "/api/v1/notifications/read");
    expect(lastCall(calls, "POST", "/api/v1/notifications/read")!.body).toEqual({ ids: [1], all: false });
  });

  it("saves the preferences: channels per rule and the digest's day", async () => {
    const prefs: Schemas["Preferences"] = {
      rules: [
        { rule: "sk_deadline_early", label: "Batas pelaporan SK 14 hari lagi", audience: "", enabled: true, days: 14, working_days: false, in_app: true, email: true, whatsapp: true },
        { rule: "weekly_digest", label: "Ringkasan mingguan", audience: "", enabled: true, days: 0, working_days: false, in_app: true, email: true, whatsapp: true },
      ],
      digest_weekday: 0,
      email: "dpmppa@pekalongan.example",
      email_configured: true,
    };
    const { calls } = mockSignedIn({
      "GET /api/v1/notifications": () => ({ body: { items: [], total: 0, unread: 0, limit: 1, offset: 0 } }),
      "GET /api/v1/notifications/preferences": () => ({ body: prefs }),
      "PUT /api/v1/notifications/preferences": () => ({ body: prefs }),
    });
    renderApp("/notifications/preferences");
    await userEvent.click(await screen.findByRole("checkbox", { name: "E-mail: Batas pelaporan SK 14 hari lagi" }));
    expect(screen.getByText("E-mail dikirim ke dpmppa@pekalongan.example.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("textbox", { name: "Hari ringkasan mingguan" }));
    await userEvent.click(await screen.findByRole("option", { name: "Rabu", hidden: true }));
    await userEvent.click(screen.getByRole("button", { name: "Simpan" }));
    await sent(calls, "PUT", "/api/v1/notifications/preferences");
    await waitFor(() =>
      expect(lastCall(calls, "PUT", "/api/v1/notifications/preferences")!.body).toEqual({
        rules: [
          { rule: "sk_deadline_early", in_app: true, email: false, whatsapp: true },
          { rule: "weekly_digest", in_app: true, email: true, whatsapp: true },
        ],
        digest_weekday: 2,
      }),
    );
  });
});
