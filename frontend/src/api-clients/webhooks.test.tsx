import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { lastCall, mockSignedIn, page, renderApp, sent } from "../test/utils";
import type { Schemas } from "../api/client";

const client = {
  id: 1, client_id: "pbn_abc", name: "Portal Data Kota Pekalongan", scope: "read", scopes: ["regions:read", "posyandu:read"], region_code: "33.75", is_active: true,
  created_by_user_id: 1, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", last_used_at: null, version: 1,
  allowed_actions: ["update", "rotate_secret", "delete"],
} satisfies Schemas["ApiClientRead"];

const hook = {
  id: 7, api_client_id: 1, region_code: "33.75", url: "https://portal.example.go.id/hooks", description: null,
  event_types: ["decree.reported"], is_active: true, disabled_at: null, disabled_reason: null,
  created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", version: 1,
  allowed_actions: ["update", "rotate_secret", "redeliver", "delete"],
} satisfies Schemas["WebhookRead"];

const delivery = {
  id: 31, subscription_id: 7, message_id: "msg_31", event_type: "decree.reported", entity_type: "decrees", entity_id: "12",
  region_code: "33.75.02.1008", occurred_at: "2026-01-02T00:00:00Z", status: "failed", attempts: 9, next_attempt_at: null,
  last_attempt_at: "2026-01-03T00:00:00Z", last_status_code: 500, last_latency_ms: 42, last_response: "oops", last_error: null,
  created_at: "2026-01-02T00:00:00Z",
} satisfies Schemas["DeliveryRead"];

describe("API clients' webhooks", () => {
  it("subscribes a client to chosen events, shows the signing secret once, lists deliveries and redelivers", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/api-clients": () => ({ body: page([client]) }),
      "GET /api/v1/api-clients/1/webhooks": () => ({ body: page([hook]) }),
      "GET /api/v1/webhook-events": () => ({
        body: [
          { type: "decree.reported", description: "SK dilaporkan ke dinas teknis" },
          { type: "posyandu.registered", description: "Posyandu mendapat nomor registrasi" },
        ],
      }),
      "POST /api/v1/api-clients/1/webhooks": () => ({ status: 201, body: { ...hook, id: 8, secret: "whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==" } }),
      "GET /api/v1/webhooks/7/deliveries": () => ({ body: page([delivery]) }),
      "POST /api/v1/webhooks/7/deliveries/31/redeliver": () => ({ body: { ...delivery, status: "pending" } }),
    });
    renderApp("/api-clients");
    await userEvent.click(await screen.findByRole("button", { name: "Webhook Portal Data Kota Pekalongan" }));
    const drawer = await screen.findByRole("dialog", { name: /Webhook — Portal Data Kota Pekalongan/ });
    expect(await within(drawer).findByText("https://portal.example.go.id/hooks")).toBeInTheDocument();

    await userEvent.click(within(drawer).getByRole("button", { name: "Langganan baru" }));
    const form = await screen.findByRole("dialog", { name: "Langganan baru" });
    await userEvent.type(within(form).getByLabelText(/URL penerima/), "https://portal.example.go.id/other");
    await userEvent.click(await within(form).findByRole("checkbox", { name: /posyandu.registered/ }));
    await userEvent.click(within(form).getByRole("button", { name: "Buat" }));
    expect(await screen.findByTestId("once-secret")).toHaveTextContent("whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==");
    expect(lastCall(calls, "POST", "/api/v1/api-clients/1/webhooks")?.body).toEqual({
      url: "https://portal.example.go.id/other",
      description: null,
      event_types: ["posyandu.registered"],
      is_active: true,
    });
    await userEvent.click(screen.getByRole("button", { name: "Tutup" }));

    await userEvent.click(within(drawer).getByRole("button", { name: "Pengiriman ke https://portal.example.go.id/hooks" }));
    const table = await within(drawer).findByTestId("deliveries-table");
    await waitFor(() => expect(table).toHaveTextContent("Gagal"));
    expect(table).toHaveTextContent("500");
    expect(table).toHaveTextContent("42 ms");
    await userEvent.click(within(table).getByRole("button", { name: "Kirim ulang decree.reported #12" }));
    await sent(calls, "POST", "/api/v1/webhooks/7/deliveries/31/redeliver");
  }, 60_000);

  it("asks before disabling a subscription", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/api-clients": () => ({ body: page([client]) }),
      "GET /api/v1/api-clients/1/webhooks": () => ({ body: page([hook]) }),
      "GET /api/v1/webhooks/7": () => ({ body: hook, headers: { ETag: '"1"' } }),
      "PATCH /api/v1/webhooks/7": () => ({ body: { ...hook, is_active: false, version: 2 } }),
    });
    renderApp("/api-clients");
    await userEvent.click(await screen.findByRole("button", { name: "Webhook Portal Data Kota Pekalongan" }));
    const drawer = await screen.findByRole("dialog", { name: /Webhook —/ });
    await userEvent.click(await within(drawer).findByRole("button", { name: "Nonaktifkan" }));
    const ask = await screen.findByRole("dialog", { name: "Nonaktifkan" });
    expect(ask).toHaveTextContent("Hentikan pengiriman ke https://portal.example.go.id/hooks?");
    await userEvent.click(within(ask).getByRole("button", { name: "Ya, lanjutkan" }));
    await sent(calls, "PATCH", "/api/v1/webhooks/7");
    expect(lastCall(calls, "PATCH", "/api/v1/webhooks/7")?.body).toEqual({ is_active: false });
    expect(lastCall(calls, "PATCH", "/api/v1/webhooks/7")?.headers.get("If-Match")).toBe('"1"');
  }, 60_000);
});
