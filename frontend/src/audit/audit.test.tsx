import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { choose, mockSignedIn, page, renderApp } from "../test/utils";
import type { AuditEventRead } from "../api/client";

const event = (id: number, extra: Partial<AuditEventRead>): AuditEventRead => ({
  id, occurred_at: "2025-06-25T03:00:00Z", actor: "user:2", actor_name: "DPMPPA Kota Pekalongan", actor_label: "DPMPPA Kota Pekalongan (dpmppa.pekalongan)",
  action: "create", entity_type: "decrees", entity_id: String(id), entity_label: "SK 12/2025", region_code: "33.75.02.1008", region_name: "Klego",
  before: null, after: { number: "12/2025" }, request_id: null, ...extra,
});

describe("audit trail", () => {
  it("names the people, the records, their kind and region, never user:N nor table names", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/audit-events": () => ({
        body: page([
          event(1, {}),
          event(2, { entity_type: "posyandu", entity_label: "Posyandu Melati", action: "update", actor: "client:3", actor_label: "Klien API Sistem SIPD" }),
          event(3, { entity_type: "a_new_table", entity_label: null, entity_id: "9", region_code: null, region_name: null, actor: "system", actor_label: "Sistem" }),
        ]),
      }),
    });
    renderApp("/audit");
    const table = await screen.findByTestId("audit-table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("DPMPPA Kota Pekalongan (dpmppa.pekalongan)");
    expect(rows[0]).toHaveTextContent("SK 12/2025");
    expect(rows[0]).toHaveTextContent("SK");
    expect(rows[0]).toHaveTextContent("Klego");
    expect(rows[1]).toHaveTextContent("Posyandu Melati");
    expect(rows[1]).toHaveTextContent("Klien API Sistem SIPD");
    // a kind the dashboard does not know yet still shows, by its name; a national record says so
    expect(rows[2]).toHaveTextContent("a_new_table");
    expect(rows[2]).toHaveTextContent("#9");
    expect(rows[2]).toHaveTextContent("Nasional");
    expect(table).not.toHaveTextContent("user:2");

    // clicking a person filters by them; the kind filter offers kinds by name
    await userEvent.click(within(rows[0]).getByRole("button", { name: "DPMPPA Kota Pekalongan (dpmppa.pekalongan)" }));
    await waitFor(() => expect(calls.filter((c) => c.path === "/api/v1/audit-events").at(-1)!.url.searchParams.get("actor")).toBe("user:2"));
    await choose("Jenis data", "Posyandu");
    await waitFor(() => expect(calls.filter((c) => c.path === "/api/v1/audit-events").at(-1)!.url.searchParams.get("entity_type")).toBe("posyandu"));
  }, 60_000); // types into a combobox: slow on a loaded machine
});
