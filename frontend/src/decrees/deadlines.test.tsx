import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { confirmYes, dialogClosed, enterDate, lastCall, mockSignedIn, openDialog, page, PEKALONGAN_ME, press, problem, readOnly, renderApp, sent, staleDiff, VILLAGE_OPERATOR_ACTIONS } from "../test/utils";
import type { Schemas } from "../api/client";

const city = { id: 4, region_code: "33.75", year: 2025, due_date: "2025-09-30", notes: "SK TP Posyandu kelurahan", created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z", version: 2, allowed_actions: ["update", "delete"] } satisfies Schemas["DeadlineRead"];
const district = { ...city, id: 5, region_code: "33.75.02", due_date: "2025-08-31", notes: null, version: 1 } satisfies Schemas["DeadlineRead"];
const KLEGO_OPERATOR = {
  ...PEKALONGAN_ME, role: "village_operator" as const, can_manage_accounts: false, region: { code: "33.75.02.1008", name: "Klego", level: "village" as const },
  allowed_actions: VILLAGE_OPERATOR_ACTIONS,
};

function api(me = PEKALONGAN_ME) {
  return mockSignedIn({
    "GET /api/v1/reporting-deadlines": () => ({ body: page(me === PEKALONGAN_ME ? [city, district] : [readOnly(city), readOnly(district)]) }),
    "POST /api/v1/reporting-deadlines": async (req) => {
      const body = (await req.json()) as { due_date: string };
      if (!body.due_date) return problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "due_date"], msg: "Input should be a valid date", type: "date_from_datetime_parsing" }] });
      return { status: 201, body: { ...city, id: 6, ...body } };
    },
    "PATCH /api/v1/reporting-deadlines/4": () =>
      problem(412, "precondition-failed", "The record changed since you read it.", { current: { ...city, due_date: "2025-10-15", version: 3 }, current_etag: '"3"' }),
    "DELETE /api/v1/reporting-deadlines/5": () => ({ status: 204 }),
  }, me);
}

describe("reporting deadlines", () => {
  it("lists the deadlines in scope and sets a new one; a missing date is shown next to the field", async () => {
    const { calls } = api();
    renderApp("/reporting-deadlines");
    const table = await screen.findByTestId("deadline-table");
    const rows = within(table).getAllByTestId("deadline-row");
    expect(rows[0]).toHaveTextContent("33.75");
    expect(rows[0]).toHaveTextContent("30/09/2025");
    expect(rows[0]).toHaveTextContent("SK TP Posyandu kelurahan");

    const dialog = await openDialog("Tenggat baru");
    const region = within(dialog).getByLabelText(/Kode wilayah/);
    expect(region).toHaveValue("33.75");
    await userEvent.clear(region);
    await userEvent.type(region, "33.75.01");
    const year = within(dialog).getByLabelText(/Tahun/);
    await userEvent.clear(year);
    await userEvent.type(year, "2026");
    await press(dialog);
    expect(await within(dialog).findByText("Input should be a valid date")).toBeInTheDocument();
    await enterDate(within(dialog).getByLabelText(/Batas waktu/), "30/06/2026");
    await press(dialog);
    await dialogClosed();
    expect(lastCall(calls, "POST")?.body).toEqual({ region_code: "33.75.01", year: 2026, due_date: "2026-06-30", notes: null });
  });

  it("a stale edit (412) shows the date someone else set; delete asks first", async () => {
    const { calls } = api();
    renderApp("/reporting-deadlines");
    const table = await screen.findByTestId("deadline-table");
    const [cityRow, districtRow] = within(table).getAllByTestId("deadline-row");
    const dialog = await openDialog("Ubah", cityRow);
    expect(within(dialog).getByLabelText(/Kode wilayah/)).toBeDisabled();
    const due = within(dialog).getByLabelText(/Batas waktu/);
    await enterDate(due, "31/10/2025");
    await press(dialog);
    await staleDiff(dialog, "Batas waktu", "15/10/2025");
    const patch = lastCall(calls, "PATCH");
    expect(patch?.headers.get("If-Match")).toBe('"2"');
    expect(patch?.body).toEqual({ due_date: "2025-10-31", notes: "SK TP Posyandu kelurahan" });
    await press(dialog, "Batal");

    await userEvent.click(within(districtRow).getByRole("button", { name: "Hapus" }));
    await confirmYes("Hapus tenggat tahun 2025 untuk wilayah 33.75.02?");
    await sent(calls, "DELETE", "/api/v1/reporting-deadlines/5");
  });

  it("a village operator sees the deadlines but cannot set, change or delete them", async () => {
    api(KLEGO_OPERATOR);
    renderApp("/reporting-deadlines");
    const table = await screen.findByTestId("deadline-table");
    expect(within(table).getAllByTestId("deadline-row")).toHaveLength(2);
    expect(screen.queryByRole("button", { name: "Tenggat baru" })).toBeNull();
    expect(within(table).queryAllByRole("button")).toHaveLength(0);
  });
});
