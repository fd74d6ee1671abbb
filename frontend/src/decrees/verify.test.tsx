import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { mockSignedIn, openDialog, page, problem, renderApp } from "../test/utils";

const VERIFY = ["verify", "return", "revoke", "update", "upload_file"];

function decree(id: number, name: string, extra: Record<string, unknown> = {}) {
  return {
    id, region_code: `33.75.01.100${id}`, region_name: name, level: "village", subject: "team_formation", title: `SK TP Posyandu Kelurahan ${name}`,
    number: `${id}/2025`, decree_date: "2025-05-02", signer: `Lurah ${name}`, team_id: 7, status: "reported", notes: null,
    file: { name: "sk.pdf", size: 1000, sha256: "x", uploaded_at: "2025-06-01T00:00:00Z" },
    created_at: "2025-06-01T00:00:00Z", updated_at: "2025-06-01T00:00:00Z", version: id + 1, allowed_actions: VERIFY, ...extra,
  };
}
const medono = decree(2, "Medono");
// reported with no number, date or file (as 22 of the demo's SK are)
const bare = decree(3, "Podosugih", { number: null, decree_date: null, file: null });
const landungsari = decree(4, "Landungsari");
const verifiedOne = decree(5, "Kauman", { status: "verified", allowed_actions: ["revoke"] });

function api() {
  return mockSignedIn({
    "GET /api/v1/decrees": () => ({ body: page([medono, bare, landungsari, verifiedOne]) }),
    "GET /api/v1/decrees/2": () => ({ body: medono, headers: { ETag: '"3"' } }),
    "GET /api/v1/decrees/3": () => ({ body: bare, headers: { ETag: '"4"' } }),
    "GET /api/v1/decrees/2/file": () => ({ raw: new Blob(["%PDF-1.4 SK"], { type: "application/pdf" }), headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="sk.pdf"' } }),
    "POST /api/v1/decrees/2/transitions": () => ({ status: 201, body: {} }),
    "POST /api/v1/decrees/3/transitions": () => ({ status: 201, body: {} }),
    // changed by someone else since the list was read
    "POST /api/v1/decrees/4/transitions": () => problem(412, "precondition-failed", "The decree was changed: version 6, not 5."),
  });
}

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => "blob:sk");
  URL.revokeObjectURL = vi.fn();
});

describe("verifying SK on their evidence", () => {
  it("the verify dialog shows the decree's PDF; a decree without number, date or file carries a warning", async () => {
    api();
    renderApp("/decrees");
    const table = await screen.findByTestId("decree-table");
    const [withPdf, withNothing] = within(table).getAllByTestId("decree-row");
    let dialog = await openDialog("Verifikasi", withPdf);
    const frame = await within(dialog).findByTitle("Berkas PDF SK TP Posyandu Kelurahan Medono");
    expect(frame.tagName).toBe("IFRAME");
    expect(frame).toHaveAttribute("src", "blob:sk");
    expect(within(dialog).queryByTestId("evidence-warning")).toBeNull();
    await userEvent.click(within(dialog).getByRole("button", { name: "Batal" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    dialog = await openDialog("Verifikasi", withNothing);
    expect(within(dialog).getByTestId("evidence-warning")).toHaveTextContent("Belum ada: nomor SK, tanggal SK, berkas PDF");
    expect(within(dialog).queryByTitle(/Berkas PDF/)).toBeNull();
  }, 60_000);

  it("bulk-verifies the picked decrees after one confirmation, each with its own version, and says which failed", async () => {
    const { calls } = api();
    renderApp("/decrees");
    const table = await screen.findByTestId("decree-table");
    // only the decrees the API lets this user verify can be picked
    expect(within(table).getAllByRole("checkbox")).toHaveLength(3);
    expect(screen.getByRole("button", { name: "Verifikasi terpilih (0)" })).toBeDisabled();
    await userEvent.click(screen.getByRole("checkbox", { name: /Pilih semua/ }));
    await userEvent.click(within(table).getByRole("checkbox", { name: "Pilih SK TP Posyandu Kelurahan Medono (Medono)" }));
    await userEvent.click(screen.getByRole("button", { name: "Verifikasi terpilih (2)" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Verifikasi 2 SK berikut?");
    expect(within(dialog).getByTestId("bulk-warning")).toHaveTextContent("1 SK belum lengkap buktinya");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    await userEvent.click(within(dialog).getByRole("button", { name: "Ya, verifikasi 2 SK" }));

    const results = await within(dialog).findByTestId("bulk-results");
    expect(results).toHaveTextContent("1 dari 2 SK terverifikasi.");
    const [ok, failed] = within(results).getAllByTestId("bulk-result");
    expect(ok).toHaveTextContent("Podosugih");
    expect(within(ok).getByLabelText("Terverifikasi")).toBeInTheDocument();
    expect(failed).toHaveTextContent("Landungsari");
    expect(failed).toHaveTextContent("The decree was changed: version 6, not 5.");
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => [c.path, c.headers.get("If-Match"), (c.body as { action: string }).action])).toEqual([
      ["/api/v1/decrees/3/transitions", '"4"', "verify"],
      ["/api/v1/decrees/4/transitions", '"5"', "verify"],
    ]);
  }, 60_000);
});
