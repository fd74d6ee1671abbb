import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { VIEWER_ME, choose, dialogClosed, mockSignedIn, openDialog, page, press, problem, renderApp, staleDiff, type Handler } from "../test/utils";
import type { Schemas } from "../api/client";

const budget = {
  id: 7, team_id: 2, team_name: "TP Posyandu Kota Pekalongan", region_code: "33.75", fiscal_year: 2025, source: "apbd",
  total_amount: 1_000_000_000, allocated_amount: 700_000_000, realized_amount: 250_000_000, unallocated_amount: 300_000_000,
  notes: null, created_at: "2025-01-10T00:00:00Z", updated_at: "2025-01-10T00:00:00Z", version: 2,
  allowed_actions: ["update", "delete", "add_allocation"],
  provenance: null,
} satisfies Schemas["BudgetRead"];
const allocation = {
  id: 11, budget_id: 7, region_code: "33.75", activity: "Pembinaan Posyandu", spm_field: "kesehatan", category: "pembinaan",
  amount: 700_000_000, realized_amount: 250_000_000, remaining_amount: 450_000_000, percent_realized: 35.7, notes: null,
  created_at: "2025-01-10T00:00:00Z", updated_at: "2025-01-10T00:00:00Z", version: 4,
  allowed_actions: ["update", "delete", "add_realization"],
  provenance: null,
} satisfies Schemas["AllocationRead"];
const rollup = (group: string) => ({
  region_code: "33.75", year: null, source: null, group_by: group,
  rows:
    group === "spm_field"
      ? [{ key: "kesehatan", budgeted: null, planned: 700_000_000, realized: 250_000_000, percent: 35.7 }]
      : [{ key: "apbd", budgeted: 1_000_000_000, planned: 700_000_000, realized: 250_000_000, percent: 35.7 }],
  totals: { budgets: 1, budgeted: 1_000_000_000, planned: 700_000_000, realized: 250_000_000, percent: 35.7 },
});

function api(extra: Record<string, Handler> = {}) {
  return mockSignedIn({
    "GET /api/v1/budgets/rollup": (_req, url) => ({ body: rollup(url.searchParams.get("group_by") ?? "source") }),
    "GET /api/v1/budgets": () => ({ body: page([budget]) }),
    "GET /api/v1/budgets/7": () => ({ body: { ...budget, allocations: [allocation] }, headers: { ETag: '"2"' } }),
    "GET /api/v1/budgets/7/allocations/11/realizations": () => ({
      body: page([{ id: 3, allocation_id: 11, budget_id: 7, region_code: "33.75", realized_on: "2025-04-21", amount: 250_000_000, description: "Rakor TP Posyandu", overrun: false, created_at: "2025-04-22T00:00:00Z" }]),
    }),
    "POST /api/v1/budgets/7/allocations/11/realizations": async (req) => {
      const body = (await req.json()) as { allow_overrun: boolean; amount: number };
      if (!body.allow_overrun) return problem(409, "conflict", "This realization takes Pembinaan Posyandu past its allocation (Rp 450.000.000 left). Send allow_overrun: true to record it anyway.");
      return { status: 201, body: { id: 4, allocation_id: 11, budget_id: 7, region_code: "33.75", realized_on: "2025-06-01", amount: body.amount, description: null, overrun: true, created_at: "2025-06-01T00:00:00Z" } };
    },
    "POST /api/v1/budgets/7/allocations": () =>
      problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "amount"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal" }] }),
    "PATCH /api/v1/budgets/7/allocations/11": (req) =>
      req.headers.get("If-Match") === '"4"'
        ? problem(412, "precondition-failed", "The record changed since you read it.", { current: { ...allocation, amount: 650_000_000, version: 5 }, current_etag: '"5"' })
        : problem(428, "precondition-required", "If-Match missing"),
    ...extra,
  });
}

/** The query of the last list request. */
const lastList = (calls: ReturnType<typeof api>["calls"]) => calls.filter((c) => c.path === "/api/v1/budgets").at(-1)!.url.searchParams;

describe("budgets", () => {
  it("shows the roll-up totals in rupiah, the plan vs realization chart by group, and the list", async () => {
    const { calls } = api();
    renderApp("/budgets");
    const budgeted = await screen.findByTestId("total-budgeted");
    await waitFor(() => expect(budgeted).toHaveTextContent(/Rp\s1\.000\.000\.000/));
    expect(screen.getByTestId("total-planned")).toHaveTextContent(/Rp\s700\.000\.000/);
    expect(screen.getByTestId("total-realized")).toHaveTextContent(/Rp\s250\.000\.000/);
    expect(screen.getByTestId("total-percent")).toHaveTextContent("35,7%");
    const card = screen.getByTestId("rollup");
    await waitFor(() => expect(card.querySelector(".recharts-responsive-container")).not.toBeNull());
    expect(within(screen.getByTestId("rollup-table")).getByText("APBD")).toBeInTheDocument();
    // the user's own region is the default filter
    expect(calls.find((c) => c.path === "/api/v1/budgets/rollup")?.url.searchParams.get("region")).toBe("33.75");
    await userEvent.click(within(card).getByText("Bidang SPM"));
    expect(await within(card).findByText("Kesehatan")).toBeInTheDocument();
    expect(calls.some((c) => c.path === "/api/v1/budgets/rollup" && c.url.searchParams.get("group_by") === "spm_field")).toBe(true);
    const table = await screen.findByTestId("budget-table");
    expect(within(table).getByRole("link", { name: "TP Posyandu Kota Pekalongan" })).toHaveAttribute("href", "/budgets/7");
  });

  it("picks the region filter by typing its name; a half-typed code is never sent", async () => {
    const { calls } = api({
      "GET /api/v1/regions": (_req, url) => ({
        body: page(url.searchParams.get("q") === "Medo" ? [{ code: "33.75.01.1002", name: "Medono", level: "village", type: "kelurahan", parent_code: "33.75.01", postal_code: null, child_count: 0, village_count: 0 }] : []),
      }),
      "GET /api/v1/regions/33.75.01.1002": () => ({ body: { code: "33.75.01.1002", name: "Medono", level: "village", type: "kelurahan", parent_code: "33.75.01", ancestors: [] } }),
    });
    const { search } = renderApp("/budgets");
    await screen.findByTestId("total-budgeted");
    const input = screen.getByRole("textbox", { name: "Wilayah" });
    await userEvent.clear(input);
    await userEvent.type(input, "33.7");
    expect(calls.some((c) => c.url.searchParams.get("region") === "33.7")).toBe(false);
    await userEvent.clear(input);
    await userEvent.type(input, "Medo");
    await userEvent.click(await screen.findByRole("option", { name: /Medono/, hidden: true }));
    await waitFor(() => expect(search().get("region")).toBe("33.75.01.1002"));
    expect(input).toHaveValue("33.75.01.1002");
    expect(await screen.findByTestId("region-picker-name")).toHaveTextContent("Medono");
    await waitFor(() => expect(lastList(calls).get("region")).toBe("33.75.01.1002"));
  }, 60_000); // types into a combobox: slow on a loaded machine

  it("creates a budget for a team of a region with its pagu, and opens it", async () => {
    const { calls } = api({
      "GET /api/v1/teams": () => ({ body: page([{ id: 2, name: "TP Posyandu Kota Pekalongan", kind: "tp_posyandu", region_code: "33.75" }]) }),
      "POST /api/v1/budgets": async (req) => {
        const body = (await req.json()) as { source: string };
        if (!body.source) return problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "source"], msg: "Input should be 'apbd', 'apbd_perubahan'", type: "enum" }] });
        return { status: 201, body: { ...budget, id: 7, allocations: [] } };
      },
    });
    renderApp("/budgets");
    await screen.findByTestId("budget-table");
    const dialog = await openDialog("Anggaran baru");
    expect(within(dialog).getByRole("textbox", { name: "Wilayah tim" })).toHaveValue("33.75");
    await choose("Tim", "TP Posyandu Kota Pekalongan (TP Posyandu)", dialog);
    await userEvent.type(within(dialog).getByLabelText(/Pagu \(Rp\)/), "250000000");
    await press(dialog);
    // the source was left empty: the API's 422 shows by the field, in the caller's language
    expect(await within(dialog).findByText(/Input should be/)).toBeInTheDocument();
    // the page's own source filter has the same choices: take the dialog's (the last list opened)
    await userEvent.click(within(dialog).getByRole("textbox", { name: "Sumber dana" }));
    await userEvent.click((await screen.findAllByRole("option", { name: "APBD", hidden: true })).at(-1)!);
    await press(dialog);
    expect(await screen.findByTestId("budget-title")).toHaveTextContent("TP Posyandu Kota Pekalongan");
    const post = calls.filter((c) => c.method === "POST" && c.path === "/api/v1/budgets").at(-1)!;
    expect(post.body).toEqual({ team_id: 2, fiscal_year: new Date().getFullYear(), source: "apbd", total_amount: 250_000_000, notes: null });
  }, 60_000); // types into a combobox: slow on a loaded machine

  it("sets a missing pagu from the list and changes it on the budget's page with its version", async () => {
    const noTotal = { ...budget, total_amount: null, unallocated_amount: null };
    const { calls } = api({
      "GET /api/v1/budgets": () => ({ body: page([noTotal]) }),
      "PATCH /api/v1/budgets/7": async (req) =>
        req.headers.get("If-Match") === '"2"' ? { body: { ...budget, total_amount: ((await req.json()) as { total_amount: number }).total_amount, version: 3 } } : problem(428, "precondition-required", "If-Match missing"),
    });
    renderApp("/budgets");
    const table = await screen.findByTestId("budget-table");
    await userEvent.click(within(table).getByRole("button", { name: "Tetapkan pagu TP Posyandu Kota Pekalongan 2025" }));
    const dialog = await screen.findByRole("dialog");
    // the team, year and source identify a budget: only the pagu and notes are offered
    expect(within(dialog).queryByRole("textbox", { name: "Tim" })).toBeNull();
    await userEvent.type(within(dialog).getByLabelText(/Pagu \(Rp\)/), "150000000");
    await press(dialog);
    await dialogClosed();
    const patch = calls.filter((c) => c.method === "PATCH").at(-1)!;
    expect(patch.headers.get("If-Match")).toBe('"2"');
    expect(patch.body).toEqual({ total_amount: 150_000_000, notes: null });
  }, 60_000); // types into a combobox: slow on a loaded machine

  it("a read-only account sees no new budget nor pagu buttons", async () => {
    mockSignedIn(
      {
        "GET /api/v1/budgets/rollup": (_req, url) => ({ body: rollup(url.searchParams.get("group_by") ?? "source") }),
        "GET /api/v1/budgets": () => ({ body: page([{ ...budget, total_amount: null, allowed_actions: [] }]) }),
      },
      VIEWER_ME,
    );
    renderApp("/budgets");
    const table = await screen.findByTestId("budget-table");
    expect(within(table).queryByRole("button", { name: /Tetapkan pagu/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Anggaran baru" })).toBeNull();
  });

  it("shows a budget's allocations with progress and realizations; an overrun needs the checkbox", async () => {
    const { calls } = api();
    renderApp("/budgets/7");
    expect(await screen.findByTestId("budget-title")).toHaveTextContent("TP Posyandu Kota Pekalongan");
    const row = within(screen.getByTestId("allocations")).getByText("Pembinaan Posyandu").closest("tr")!;
    expect(row).toHaveTextContent(/Rp\s450\.000\.000/);
    expect(row).toHaveTextContent("35,7%");
    await userEvent.click(within(row).getByRole("button", { name: "Pembinaan Posyandu" }));
    expect(await screen.findByTestId("realizations")).toHaveTextContent("Rakor TP Posyandu");

    const dialog = await openDialog("Catat realisasi", row);
    await userEvent.type(within(dialog).getByLabelText(/Jumlah/), "500000000");
    await press(dialog);
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("past its allocation");
    await userEvent.click(within(dialog).getByLabelText("Izinkan melebihi alokasi"));
    await press(dialog);
    await dialogClosed();
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((p) => (p.body as { allow_overrun: boolean; amount: number }).allow_overrun)).toEqual([false, true]);
    expect((posts[1].body as { amount: number }).amount).toBe(500_000_000);
  });

  it("shows the API's 422 next to the field, and a stale amount edit shows what changed", async () => {
    api();
    renderApp("/budgets/7");
    await screen.findByTestId("allocations");
    let dialog = await openDialog("Tambah alokasi");
    await userEvent.type(within(dialog).getByLabelText(/Kegiatan/), "Pelatihan kader");
    await press(dialog);
    expect(await within(dialog).findByText("Input should be greater than or equal to 1")).toBeInTheDocument();
    await press(dialog, "Batal");

    dialog = await openDialog("Ubah");
    await press(dialog);
    await staleDiff(dialog, "650000000");
  });

  it("keeps the filters and the page in the URL: a chosen source and page land there, a cleared region stays cleared", async () => {
    const { calls } = api({ "GET /api/v1/budgets": () => ({ body: page([budget], 60) }) });
    const { search } = renderApp("/budgets");
    await screen.findByTestId("budget-table");
    // the user's own region is the default: it is not written into the URL
    expect(search().has("region")).toBe(false);
    await choose("Sumber dana", "Dana Desa");
    await waitFor(() => expect(search().get("source")).toBe("dana_desa"));
    await waitFor(() => expect(lastList(calls).get("source")).toBe("dana_desa"));
    await userEvent.click(screen.getByRole("button", { name: "Halaman 2" }));
    await waitFor(() => expect(search().get("offset")).toBe("25"));
    await waitFor(() => expect(lastList(calls).get("offset")).toBe("25"));
    // a new filter starts again from the first page
    await userEvent.clear(screen.getByRole("textbox", { name: "Wilayah" }));
    await waitFor(() => expect(search().get("region")).toBe(""));
    expect(search().has("offset")).toBe(false);
    await waitFor(() => expect(lastList(calls).has("region")).toBe(false));
  });

  it("a link with filters opens the list filtered (region, year, source and page)", async () => {
    const { calls } = api();
    renderApp("/budgets?region=33.75.02&year=2024&source=apbd&offset=25");
    await screen.findByTestId("budget-table");
    const list = lastList(calls);
    expect(Object.fromEntries(list)).toMatchObject({ region: "33.75.02", year: "2024", source: "apbd", offset: "25" });
    expect(calls.find((c) => c.path === "/api/v1/budgets/rollup")?.url.searchParams.get("region")).toBe("33.75.02");
    expect(screen.getByRole("textbox", { name: "Wilayah" })).toHaveValue("33.75.02");
    expect(screen.getByRole("textbox", { name: "Tahun anggaran" })).toHaveValue("2024");
    expect(screen.getByRole("textbox", { name: "Sumber dana" })).toHaveValue("APBD");
  });
});
