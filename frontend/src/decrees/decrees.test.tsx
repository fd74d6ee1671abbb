import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { lastCall, mockSignedIn, openDialog, page, press, problem, renderApp } from "../test/utils";

// what the API lists for the city coordinator on a village's decree, by status
const ACTIONS: Record<string, string[]> = {
  draft: ["issue", "update", "upload_file", "delete"],
  reported: ["verify", "return", "revoke", "update", "upload_file"],
};

function decree(id: number, name: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    id, region_code: `33.75.01.100${id}`, region_name: name, level: "village", subject: "team_formation", title: `SK TP Posyandu Kelurahan ${name}`,
    number: null, decree_date: null, signer: `Lurah ${name}`, team_id: 7, status, notes: null, file: null,
    created_at: "2025-06-01T00:00:00Z", updated_at: "2025-06-01T00:00:00Z", version: 2, allowed_actions: ACTIONS[status], ...extra,
  };
}
const medono = decree(2, "Medono", "reported", { file: { name: "sk.pdf", size: 1000, sha256: "x", uploaded_at: "2025-06-01T00:00:00Z" } });
const draft = decree(3, "Podosugih", "draft");

function api() {
  return mockSignedIn({
    "GET /api/v1/decrees": () => ({ body: page([medono, draft]) }),
    "GET /api/v1/decrees/2": () => ({ body: medono, headers: { ETag: 'W/"2"' } }),
    "POST /api/v1/decrees/2/transitions": async (req) => {
      const body = (await req.json()) as { action: string; reason: string | null };
      if (!body.reason) return problem(422, "validation", "reason", { errors: [{ loc: ["body", "reason"], msg: "A reason is required to return a decree.", type: "value_error" }] });
      return { status: 201, body: {} };
    },
    "GET /api/v1/teams/7": () => ({
      body: {
        id: 7, region_code: "33.75.01.1002", region_name: "Medono", level: "village", kind: "tp_posyandu", name: "TP Posyandu Kelurahan Medono", notes: null,
        formed_on: "2025-06-01", succeeds_team_id: null, is_active: true, created_at: "2025-06-01T00:00:00Z", updated_at: "2025-06-01T00:00:00Z", version: 1,
        allowed_actions: ["update", "delete", "add_member", "add_decree"],
        members: [
          { id: 2, team_id: 7, region_code: "33.75.01.1002", position: "ketua_bidang", spm_field: "kesehatan", name: "Bidang Kesehatan", institution: null, term_start: null, term_end: null, created_at: "", updated_at: "", version: 1, allowed_actions: ["update", "delete"] },
          { id: 1, team_id: 7, region_code: "33.75.01.1002", position: "ketua", spm_field: null, name: "Lurah Medono", institution: "Kelurahan Medono", term_start: null, term_end: null, created_at: "", updated_at: "", version: 1, allowed_actions: ["update", "delete"] },
        ],
      },
    }),
  });
}

describe("decrees and teams", () => {
  it("lists decrees with status badges, the PDF, and exactly the transitions the API allows", async () => {
    api();
    renderApp("/decrees");
    const table = await screen.findByTestId("decree-table");
    const [reported, drafted] = within(table).getAllByTestId("decree-row");
    expect(within(reported).getByTestId("decree-status")).toHaveTextContent("Dilaporkan");
    expect(within(reported).getByRole("link", { name: /PDF/ })).toHaveAttribute("href", "/api/v1/decrees/2/file");
    // a city coordinator verifies, sends back or revokes a village's reported SK
    expect(within(reported).getAllByRole("button").map((b) => b.textContent)).toEqual(["Verifikasi", "Kembalikan", "Cabut"]);
    expect(within(drafted).getAllByRole("button").map((b) => b.textContent)).toEqual(["Terbitkan"]);
  });

  it("sends a decree back only with a reason, shown next to the field, with the decree's version", async () => {
    const { calls } = api();
    renderApp("/decrees");
    const table = await screen.findByTestId("decree-table");
    const dialog = await openDialog("Kembalikan", within(table).getAllByTestId("decree-row")[0]);
    await press(dialog, "Ya, lanjutkan");
    expect(await within(dialog).findByText("A reason is required to return a decree.")).toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText(/Alasan/), "Nomor SK belum diisi");
    await press(dialog, "Ya, lanjutkan");
    await screen.findByText("Tersimpan");
    const post = lastCall(calls, "POST");
    expect(post?.body).toMatchObject({ action: "return", reason: "Nomor SK belum diisi" });
    expect(post?.headers.get("If-Match")).toBe('W/"2"');
  });

  it("shows a team with its members ordered by position", async () => {
    api();
    renderApp("/teams/7");
    expect(await screen.findByTestId("team-name")).toHaveTextContent("TP Posyandu Kelurahan Medono");
    const rows = within(screen.getByTestId("members")).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("Ketua");
    expect(rows[0]).toHaveTextContent("Lurah Medono");
    expect(rows[1]).toHaveTextContent("Ketua bidang — Kesehatan");
    expect(await screen.findByText("SK TP Posyandu Kelurahan Medono")).toBeInTheDocument();
  });
});
