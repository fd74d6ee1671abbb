import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { PEKALONGAN_ME, VIEWER_ME, dialogClosed, lastCall, mockSignedIn, openDialog, page, press, problem, readOnly, renderApp, staleDiff } from "../test/utils";
import type { Schemas } from "../api/client";

const team = {
  id: 7, region_code: "33.75.02.1008", region_name: "Klego", level: "village", kind: "tp_posyandu", name: "TP Posyandu Klego", notes: null,
  formed_on: "2025-02-01", succeeds_team_id: null, is_active: true, created_at: "2025-02-01T00:00:00Z", updated_at: "2025-02-01T00:00:00Z", version: 1, members: [],
  allowed_actions: ["update", "delete", "add_member", "add_decree"],
  provenance: null,
} satisfies Schemas["TeamDetail"];
const draft = {
  id: 12, region_code: "33.75.02.1008", region_name: "Klego", level: "village", subject: "team_formation", title: "SK TP Posyandu Klego",
  number: null, decree_date: null, signer: null, team_id: 7, status: "draft", notes: null, file: null,
  created_at: "2025-06-01T00:00:00Z", updated_at: "2025-06-01T00:00:00Z", version: 1,
  allowed_actions: ["issue", "update", "upload_file", "delete"],
  provenance: null,
} satisfies Schemas["DecreeRead"];
const issued = {
  ...draft, id: 13, status: "issued", number: "274 Tahun 2025", decree_date: "2025-06-02", signer: "Lurah Klego", version: 5,
  allowed_actions: ["report", "revoke", "update", "upload_file"],
} satisfies Schemas["DecreeRead"];
const withFile = { ...draft, file: { name: "sk-klego.pdf", size: 20480, sha256: "ab", uploaded_at: "2025-06-03T02:00:00Z" }, version: 2 } satisfies Schemas["DecreeRead"];

function api(me = PEKALONGAN_ME) {
  let uploaded = false;
  // what the API lists for this caller: everything for the coordinator, nothing for a viewer
  const as = <T extends { allowed_actions: unknown[] }>(r: T) => (me.can_write ? r : readOnly(r));
  return mockSignedIn({
    "GET /api/v1/teams/7": () => ({ body: as(team) }),
    "GET /api/v1/decrees": () => ({ body: page([]) }),
    "POST /api/v1/decrees": async (req) => {
      const body = (await req.json()) as { title: string };
      if (!body.title) return problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "title"], msg: "String should have at least 1 character", type: "string_too_short" }] });
      return { status: 201, body: { ...draft, ...body } };
    },
    "GET /api/v1/decrees/12": () => ({ body: as(uploaded ? withFile : draft), headers: { ETag: '"1"' } }),
    "GET /api/v1/decrees/12/transitions": () => ({ body: [] }),
    "PUT /api/v1/decrees/12/file": async (req) => {
      const text = await req.text();
      if (!text.includes("%PDF-")) return problem(415, "unsupported-media-type", "The file is not a PDF (its content does not start with %PDF- and end with %%EOF).");
      uploaded = true;
      return { body: withFile };
    },
    "GET /api/v1/decrees/13": () => ({ body: issued, headers: { ETag: '"5"' } }),
    "GET /api/v1/decrees/13/transitions": () => ({
      body: [{ id: 1, decree_id: 13, action: "issue", from_status: "draft", to_status: "issued", reason: null, effective_date: "2025-06-02", actor: "user:1", actor_name: "DPMPPA Kota Pekalongan", occurred_at: "2025-06-02T03:00:00Z" }],
    }),
    "PATCH /api/v1/decrees/13": () =>
      problem(412, "precondition-failed", "The record changed since you read it.", { current: { ...issued, title: "SK TP Posyandu Kelurahan Klego", version: 6 }, current_etag: '"6"' }),
  }, me);
}

describe("decree forms", () => {
  it("creates a team's decree (the title is required) and opens it", async () => {
    const { calls } = api();
    renderApp("/teams/7");
    await screen.findByTestId("team-name");
    const dialog = await openDialog("SK baru");
    const title = within(dialog).getByLabelText(/Judul/);
    expect(title).toHaveValue("SK TP Posyandu Klego");
    await userEvent.clear(title);
    await press(dialog);
    expect(await within(dialog).findByText("String should have at least 1 character")).toBeInTheDocument();

    await userEvent.type(title, "SK TP Posyandu Klego");
    await userEvent.type(within(dialog).getByLabelText(/Nomor/), "274 Tahun 2025");
    await userEvent.type(within(dialog).getByLabelText(/Penanda tangan/), "Lurah Klego");
    await press(dialog);
    expect(await screen.findByTestId("decree-title")).toHaveTextContent("SK TP Posyandu Klego");
    expect(lastCall(calls, "POST")?.body).toEqual({
      region_code: "33.75.02.1008", subject: "team_formation", title: "SK TP Posyandu Klego", number: "274 Tahun 2025", decree_date: null, signer: "Lurah Klego", notes: null, team_id: 7,
    });
  });

  it("uploads the PDF as multipart: a non-PDF is refused with the API's message, then the file is shown for download", async () => {
    const { calls } = api();
    renderApp("/decrees/12");
    await screen.findByTestId("decree-title");
    expect(screen.getByTestId("decree-file-card")).toHaveTextContent("Belum ada berkas PDF.");
    const dialog = await openDialog("Unggah PDF");
    await press(dialog);
    expect(await within(dialog).findByText("Pilih berkas PDF terlebih dahulu.")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "PUT")).toBe(false);

    const input = dialog.querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, new File(["not a pdf"], "sk.pdf", { type: "application/pdf" }));
    await press(dialog);
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The file is not a PDF");

    await userEvent.upload(input, new File(["%PDF-1.4\n1 0 obj\n%%EOF\n"], "sk-klego.pdf", { type: "application/pdf" }));
    await press(dialog);
    await dialogClosed();
    const put = lastCall(calls, "PUT");
    // the multipart field "file" carries the PDF itself (jsdom names the part "blob"; a browser sends the file name)
    expect(String(put?.body)).toMatch(/name="file"[\s\S]*%PDF-1\.4/);
    const link = await screen.findByRole("link", { name: /sk-klego\.pdf/ });
    expect(link).toHaveAttribute("href", "/api/v1/decrees/12/file");
    expect(screen.getByRole("button", { name: "Ganti PDF" })).toBeInTheDocument();
  });

  it("an issued decree: only title and notes can change, sent with its version; a 412 shows what changed", async () => {
    const { calls } = api();
    renderApp("/decrees/13");
    await screen.findByTestId("decree-title");
    expect(await screen.findByTestId("decree-history")).toHaveTextContent("Draf → Terbit");
    const dialog = await openDialog("Ubah");
    expect(within(dialog).getByTestId("frozen-help")).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Nomor/)).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Catatan/), "Salinan dikirim ke kecamatan");
    await press(dialog);
    await staleDiff(dialog, "Data ini telah diubah orang lain", "SK TP Posyandu Kelurahan Klego");
    const patch = lastCall(calls, "PATCH");
    expect(patch?.headers.get("If-Match")).toBe('"5"');
    expect(patch?.body).toEqual({ title: "SK TP Posyandu Klego", notes: "Salinan dikirim ke kecamatan" });
  });

  it("a read-only account can download but sees no edit, upload or new-decree actions", async () => {
    api(VIEWER_ME);
    const view = renderApp("/decrees/12");
    await screen.findByTestId("decree-title");
    expect(screen.queryByRole("button", { name: "Ubah" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Unggah PDF" })).toBeNull();
    view.unmount();
    renderApp("/decrees");
    await screen.findByTestId("decree-table");
    expect(screen.queryByRole("button", { name: "SK baru" })).toBeNull();
  });
});
