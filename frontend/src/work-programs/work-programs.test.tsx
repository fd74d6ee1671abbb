import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { PEKALONGAN_ME, VIEWER_ME, choose, confirmYes, dialogClosed, lastCall, mockSignedIn, openDialog, page, press, problem, readOnly, renderApp, sent, staleDiff, type Handler } from "../test/utils";

const program = {
  id: 5, team_id: 2, team_name: "TP Posyandu Kota Pekalongan", region_code: "33.75", year: 2025, spm_field: "kesehatan",
  title: "Pembinaan posyandu 6 SPM", description: "Kunjungan ke 47 posyandu", start_date: "2025-02-01", end_date: "2025-11-30",
  person_in_charge: "Sekretariat TP Posyandu", status: "in_progress", allocation_ids: [11],
  allocations: [{ id: 11, budget_id: 7, activity: "Pembinaan Posyandu", amount: 700_000_000 }], planned_amount: 700_000_000,
  created_at: "2025-01-10T00:00:00Z", updated_at: "2025-01-10T00:00:00Z", version: 3, allowed_actions: ["update", "delete"], provenance: null,
} satisfies Schemas["WorkProgramRead"];

function api(extra: Record<string, Handler> = {}, me = PEKALONGAN_ME) {
  return mockSignedIn(
    {
      "GET /api/v1/work-programs": () => ({ body: page([program]) }),
      "GET /api/v1/work-programs/5": () => ({ body: program, headers: { ETag: '"3"' } }),
      "GET /api/v1/teams": () => ({ body: page([{ id: 2, name: "TP Posyandu Kota Pekalongan", region_code: "33.75" }]) }),
      "GET /api/v1/budgets": () => ({ body: page([{ id: 7 }]) }),
      "GET /api/v1/budgets/7": () => ({ body: { id: 7, source: "apbd", allocations: [{ id: 11, activity: "Pembinaan Posyandu", amount: 700_000_000 }, { id: 12, activity: "Pelatihan kader", amount: 50_000_000 }] } }),
      ...extra,
    },
    me,
  );
}

describe("work programs", () => {
  it("lists programs, filters them by status in the URL, and opens one", async () => {
    const { calls } = api();
    const { search } = renderApp("/work-programs");
    const table = await screen.findByTestId("work-program-table");
    expect(within(table).getByRole("link", { name: "Pembinaan posyandu 6 SPM" })).toHaveAttribute("href", "/work-programs/5");
    expect(within(table).getByText("Berjalan")).toBeInTheDocument();
    expect(within(table).getByText(/Rp\s700\.000\.000/)).toBeInTheDocument();
    await choose("Status", "Selesai");
    await waitFor(() => expect(lastCall(calls, "GET", "/api/v1/work-programs")!.url.searchParams.get("status")).toBe("done"));
    expect(search().get("status")).toBe("done");
  }, 60_000);

  it("shows a program with its linked allocations, each opening its budget", async () => {
    api();
    renderApp("/work-programs/5");
    expect(await screen.findByTestId("work-program-title")).toHaveTextContent("Pembinaan posyandu 6 SPM");
    expect(screen.getByText("Sekretariat TP Posyandu")).toBeInTheDocument();
    const linked = screen.getByTestId("linked-allocations");
    expect(within(linked).getByRole("link", { name: "Pembinaan Posyandu" })).toHaveAttribute("href", "/budgets/7");
  });

  it("creates a program for a team picked by name, linking one of its allocations", async () => {
    const { calls } = api({ "POST /api/v1/work-programs": () => ({ status: 201, body: { ...program, id: 9 } }), "GET /api/v1/work-programs/9": () => ({ body: { ...program, id: 9 } }) });
    const { location } = renderApp("/work-programs");
    await screen.findByTestId("work-program-table");
    const dialog = await openDialog("Program kerja baru");
    await choose("Tim", "TP Posyandu Kota Pekalongan (33.75)", dialog);
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Judul program" }), "Lomba posyandu");
    await userEvent.click(within(dialog).getByRole("textbox", { name: "Alokasi anggaran terkait" }));
    await userEvent.click(await screen.findByRole("option", { name: /Pelatihan kader/, hidden: true }));
    await press(dialog);
    await sent(calls, "POST", "/api/v1/work-programs");
    expect(lastCall(calls, "POST")!.body).toMatchObject({ team_id: 2, year: new Date().getFullYear(), title: "Lomba posyandu", status: "planned", allocation_ids: [12] });
    await dialogClosed();
    await waitFor(() => expect(location().pathname).toBe("/work-programs/9"));
  }, 60_000);

  it("edits with If-Match and shows what changed on a 412; deletes after asking", async () => {
    const { calls } = api({
      "PATCH /api/v1/work-programs/5": () => problem(412, "precondition-failed", "Changed", { current: { ...program, status: "done", version: 4 }, current_etag: '"4"' }),
      "DELETE /api/v1/work-programs/5": () => ({ status: 204 }),
    });
    const { location } = renderApp("/work-programs/5");
    await screen.findByTestId("work-program-title");
    const dialog = await openDialog("Ubah");
    await press(dialog);
    await staleDiff(dialog, "Status");
    expect(lastCall(calls, "PATCH")!.headers.get("If-Match")).toBe('"3"');
    await userEvent.click(within(dialog).getByRole("button", { name: "Batal" }));
    await dialogClosed();
    await userEvent.click(screen.getByRole("button", { name: "Hapus" }));
    await confirmYes('Hapus program kerja "Pembinaan posyandu 6 SPM"?');
    await sent(calls, "DELETE", "/api/v1/work-programs/5");
    await waitFor(() => expect(location().pathname).toBe("/work-programs"));
  }, 60_000);

  it("offers no create, edit or delete to a read-only account", async () => {
    api({ "GET /api/v1/work-programs/5": () => ({ body: readOnly(program) }) }, VIEWER_ME);
    renderApp("/work-programs");
    await screen.findByTestId("work-program-table");
    expect(screen.queryByRole("button", { name: "Program kerja baru" })).toBeNull();
    await userEvent.click(screen.getByRole("link", { name: "Pembinaan posyandu 6 SPM" }));
    await screen.findByTestId("work-program-title");
    expect(screen.queryByRole("button", { name: "Ubah" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Hapus" })).toBeNull();
  }, 60_000);
});
