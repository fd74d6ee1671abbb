import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockSignedIn, openDialog, page, press, renderApp } from "../test/utils";
import type { Schemas } from "../api/client";

const client = {
  id: 1, client_id: "pbn_abc", name: "Portal Data Kota Pekalongan", scope: "read", scopes: ["regions:read", "posyandu:read"], region_code: "33.75", is_active: true,
  created_by_user_id: 1, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", last_used_at: null, version: 1,
  allowed_actions: ["update", "rotate_secret", "delete"],
} satisfies Schemas["ApiClientRead"];

describe("API clients", () => {
  it("creates a client and shows its secret once; rotating shows a new one", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/api-clients": () => ({ body: page([client]) }),
      "POST /api/v1/api-clients": () => ({ status: 201, body: { ...client, id: 2, client_secret: "first-secret-value" } }),
      "POST /api/v1/api-clients/1/rotate-secret": () => ({ body: { ...client, client_secret: "rotated-secret-value" } }),
    });
    renderApp("/api-clients");
    expect(await screen.findByText("Portal Data Kota Pekalongan")).toBeInTheDocument();
    const dialog = await openDialog("Klien API baru");
    await userEvent.type(within(dialog).getByLabelText(/Nama sistem/), "Aplikasi Kesehatan");
    // the domain reads are ticked; a sensitive grant is explicit, and warned about
    expect(within(dialog).getByLabelText("Posyandu: baca")).toBeChecked();
    expect(within(dialog).getByLabelText("Data pribadi")).not.toBeChecked();
    await userEvent.click(within(dialog).getByLabelText("Data pribadi"));
    expect(within(dialog).getByText(/akan dapat membaca data pribadi/)).toBeInTheDocument();
    await press(dialog, "Buat");
    expect(await screen.findByTestId("once-secret")).toHaveTextContent("first-secret-value");
    const sent = calls.find((c) => c.method === "POST")?.body as { scopes: string[] };
    expect(sent.scopes).toContain("personal-data:read");
    expect(sent.scopes).toContain("posyandu:read");
    expect(sent.scopes).not.toContain("audit:read");
    await userEvent.click(screen.getByRole("button", { name: "Tutup" }));
    await userEvent.click(screen.getByRole("button", { name: "Ganti rahasia" }));
    await userEvent.click(await screen.findByRole("button", { name: "Ya, lanjutkan" }));
    expect(await screen.findByText("rotated-secret-value")).toBeInTheDocument();
  }, 60_000);
});
