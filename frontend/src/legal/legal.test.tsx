import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { PEKALONGAN_ME, choose, confirmYes, dialogClosed, lastCall, mockSignedIn, openDialog, page, press, problem, renderApp, sent, type Handler } from "../test/utils";

const ADMIN_ME = { ...PEKALONGAN_ME, role: "national_admin", region: null, allowed_actions: [...PEKALONGAN_ME.allowed_actions, "maintain_legal"] } satisfies typeof PEKALONGAN_ME;
const ref = {
  id: 4, kind: "permendagri", number: "13", year: 2024, title: "Pos Pelayanan Terpadu", issuer: null, notes: null, citation: "Permendagri No. 13 Tahun 2024",
  created_at: "2025-01-10T00:00:00Z", updated_at: "2025-01-10T00:00:00Z", version: 1, provenance: null,
} satisfies Schemas["LegalReferenceRead"];

function api(me = PEKALONGAN_ME, extra: Record<string, Handler> = {}) {
  return mockSignedIn(
    {
      "GET /api/v1/legal-references": () => ({ body: page([ref]) }),
      "GET /api/v1/legal-references/4": () => ({ body: ref, headers: { ETag: '"1"' } }),
      "GET /api/v1/meetings": () => ({ body: page([{ id: 3, title: "Rakor TP Posyandu Kota Serang", held_on: "2025-04-21", region_code: "36.73", region_name: "Kota Serang" }]) }),
      ...extra,
    },
    me,
  );
}

describe("legal references", () => {
  it("lets everyone search the library and see who cites a regulation, without maintenance buttons", async () => {
    const { calls } = api();
    renderApp("/legal-references");
    const table = await screen.findByTestId("legal-table");
    expect(screen.queryByRole("button", { name: "Tambah peraturan" })).toBeNull();
    await choose("Jenis", "Permendagri");
    await waitFor(() => expect(lastCall(calls, "GET", "/api/v1/legal-references")!.url.searchParams.get("kind")).toBe("permendagri"));
    await userEvent.click(within(table).getByRole("link", { name: "Permendagri No. 13 Tahun 2024" }));
    expect(await screen.findByTestId("legal-citation")).toHaveTextContent("Permendagri No. 13 Tahun 2024");
    const cited = await screen.findByTestId("citing-meetings");
    expect(within(cited).getByRole("link", { name: "Rakor TP Posyandu Kota Serang" })).toHaveAttribute("href", "/meetings/3");
    expect(lastCall(calls, "GET", "/api/v1/meetings")!.url.searchParams.get("legal_reference_id")).toBe("4");
    expect(screen.queryByRole("button", { name: "Ubah" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Hapus" })).toBeNull();
  }, 60_000);

  it("lets a maintainer add a regulation (the API's 422 next to its field)", async () => {
    let tries = 0;
    const { calls } = api(ADMIN_ME, {
      "POST /api/v1/legal-references": () =>
        ++tries === 1
          ? problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "number"], msg: "String should match pattern", type: "string_pattern_mismatch" }] })
          : { status: 201, body: { ...ref, id: 8, kind: "perwal", number: "12", citation: "Perwal No. 12 Tahun 2024" } },
      "GET /api/v1/legal-references/8": () => ({ body: { ...ref, id: 8, citation: "Perwal No. 12 Tahun 2024" } }),
    });
    const { location } = renderApp("/legal-references");
    await screen.findByTestId("legal-table");
    const dialog = await openDialog("Tambah peraturan");
    // the filter bar has a "Jenis" too: pick from the dialog's own list
    const kind = within(dialog).getByRole("textbox", { name: "Jenis" });
    await userEvent.click(kind);
    await userEvent.click(within(document.getElementById(kind.getAttribute("aria-controls")!)!).getByRole("option", { name: "Peraturan Wali Kota", hidden: true }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Nomor" }), "12 a");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Tahun" }), "2024");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Judul" }), "Posyandu Kota Pekalongan");
    await press(dialog);
    expect(await within(dialog).findByText("String should match pattern")).toBeInTheDocument();
    await press(dialog);
    await dialogClosed();
    expect(lastCall(calls, "POST")!.body).toMatchObject({ kind: "perwal", year: 2024, title: "Posyandu Kota Pekalongan", issuer: null });
    await waitFor(() => expect(location().pathname).toBe("/legal-references/8"));
  }, 60_000);

  it("edits with If-Match and shows the API's refusal to delete a cited regulation", async () => {
    const { calls } = api(ADMIN_ME, {
      "PATCH /api/v1/legal-references/4": () => ({ body: { ...ref, notes: "Dasar rakor", version: 2 } }),
      "DELETE /api/v1/legal-references/4": () => problem(409, "conflict", "Meetings cite this regulation as their legal basis: remove it from them first."),
    });
    renderApp("/legal-references/4");
    await screen.findByTestId("legal-citation");
    const dialog = await openDialog("Ubah");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Catatan" }), "Dasar rakor");
    await press(dialog);
    await sent(calls, "PATCH", "/api/v1/legal-references/4");
    expect(lastCall(calls, "PATCH")!.headers.get("If-Match")).toBe('"1"');
    expect(lastCall(calls, "PATCH")!.body).toMatchObject({ notes: "Dasar rakor" });
    await dialogClosed();
    await userEvent.click(screen.getByRole("button", { name: "Hapus" }));
    await confirmYes("Hapus Permendagri No. 13 Tahun 2024 dari pustaka?");
    expect(await screen.findByText(/Meetings cite this regulation/)).toBeInTheDocument();
  }, 60_000);
});
