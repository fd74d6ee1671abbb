import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { confirmYes, dialogClosed, lastCall, mockSignedIn, page, renderApp, VILLAGE_OPERATOR_ACTIONS, PEKALONGAN_ME } from "../test/utils";

type Doc = Schemas["DocumentRead"];
type DocType = Schemas["DocumentType"];
const TYPES: DocType[] = ["berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader"];
const VILLAGE_ME = { ...PEKALONGAN_ME, role: "village_operator", region: { code: "33.75.02.1008", name: "Klego", level: "village" }, can_manage_accounts: false, allowed_actions: VILLAGE_OPERATOR_ACTIONS } satisfies Schemas["Me"];

const melati = {
  id: 4, region_code: "33.75.02.1008", village_name: "Klego", name: "Posyandu Melati", rw: null, rt: null, address: null, latitude: null, longitude: null,
  is_active: true, pengurus_count: 5, kader_count: 10, stratum: null, services: {}, spm_fields: [], notes: null,
  registration_status: "unregistered", registration_number: null, registered_at: null, status_reason: null, batch_id: null,
  created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z", version: 1,
  allowed_actions: ["propose", "update", "add_document", "delete_document"],
  provenance: null,
} satisfies Schemas["PosyanduRead"];

/** A posyandu whose documents live in `docs` (uploads add, deletes remove), its readiness computed from them. */
function api(initial: DocType[] = [], posyandu: Schemas["PosyanduRead"] = melati) {
  let next = 100;
  const docs: Doc[] = initial.map((t) => ({ id: next++, posyandu_id: 4, doc_type: t, filename: `${t}.pdf`, content_type: "application/pdf", size: 2048, sha256: "x", uploaded_by: "user:9", uploaded_at: "2025-07-01T02:00:00Z" }));
  const readiness = () => {
    const missing = TYPES.filter((t) => !docs.some((d) => d.doc_type === t));
    return {
      posyandu_id: 4, registration_status: posyandu.registration_status, ready: missing.length === 0,
      missing: missing.map((t) => ({ code: `missing_document:${t}`, message: `${t} is not uploaded.` })),
      documents: Object.fromEntries(TYPES.map((t) => [t, !missing.includes(t)])), pengurus_kader: 15, min_pengurus_kader: 15, sk_required: true, sk_reported: true,
    } satisfies Schemas["Readiness"];
  };
  const mock = mockSignedIn(
    {
      "GET /api/v1/posyandu/4": () => ({ body: posyandu, headers: { ETag: 'W/"1"' } }),
      "GET /api/v1/posyandu/service-catalog": () => ({ body: { fields: [], strata: [], document_types: TYPES, min_pengurus_kader: 15 } }),
      "GET /api/v1/posyandu/4/registration/readiness": () => ({ body: readiness() }),
      "GET /api/v1/posyandu/4/registration/events": () => ({ body: [] }),
      "GET /api/v1/posyandu/4/documents": () => ({ body: [...docs] }),
      "POST /api/v1/posyandu/4/documents": async (req) => {
        const form = await req.formData();
        const file = form.get("file") as File;
        const type = form.get("doc_type") as DocType;
        // jsdom names the part "blob" (a browser sends the file's name)
        const filename = file.name === "blob" ? `baru-${type}.pdf` : file.name;
        const doc: Doc = { id: next++, posyandu_id: 4, doc_type: type, filename, content_type: "application/pdf", size: file.size, sha256: "y", uploaded_by: "user:9", uploaded_at: "2025-07-02T02:00:00Z" };
        docs.push(doc);
        return { status: 201, body: doc };
      },
      "GET /api/v1/posyandu/4/documents/100": () => ({ raw: new Blob(["%PDF-1.4 bukti"], { type: "application/pdf" }), headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="ba.pdf"' } }),
      "POST /api/v1/posyandu/4/registration/transitions": () => ({ body: { ...posyandu, registration_status: "proposed", version: 2, allowed_actions: [] } }),
    },
    VILLAGE_ME,
  );
  // deletes: any document id
  const fetchMock = mock.fetchMock;
  const original = fetchMock.getMockImplementation()!;
  fetchMock.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(String(input), init);
    const m = /\/api\/v1\/posyandu\/4\/documents\/(\d+)$/.exec(new URL(req.url).pathname);
    if (req.method === "DELETE" && m) {
      const i = docs.findIndex((d) => d.id === Number(m[1]));
      if (i >= 0) docs.splice(i, 1);
      await original(req); // recorded in `calls`
      return new Response(null, { status: i >= 0 ? 204 : 404 });
    }
    return original(req);
  });
  return { ...mock, docs };
}

const row = (type: DocType) => screen.getByTestId(`doc-${type}`);
const pdf = (name: string) => new File(["%PDF-1.4\n%%EOF\n"], name, { type: "application/pdf" });

// jsdom has no blob URLs
beforeEach(() => {
  URL.createObjectURL = vi.fn(() => "blob:preview");
  URL.revokeObjectURL = vi.fn();
});

describe("registration documents of a posyandu", () => {
  it("a village operator uploads the four documents; Usulkan is enabled only when ready, saying what is missing", async () => {
    const { calls, docs } = api();
    renderApp("/posyandu/4");
    const card = await screen.findByTestId("documents");
    await waitFor(() => expect(within(card).getAllByText("Belum diunggah")).toHaveLength(4));
    const propose = within(screen.getByTestId("reg-actions")).getByRole("button", { name: "Usulkan" });
    await waitFor(() => expect(propose).toBeDisabled());
    expect(screen.getByTestId("propose-blocked")).toHaveTextContent("4 kekurangan");
    // the gaps in the dashboard's language, by the documents' names
    expect(screen.getByTestId("readiness")).toHaveTextContent("SK pengurus posyandu belum diunggah.");

    for (const type of TYPES) {
      const input = row(type).querySelector('input[type="file"]') as HTMLInputElement;
      await userEvent.upload(input, pdf(`${type}.pdf`));
      await waitFor(() => expect(row(type)).toHaveTextContent(`baru-${type}.pdf`));
    }
    expect(docs.map((d) => d.doc_type)).toEqual(TYPES);
    const upload = lastCall(calls, "POST", "/api/v1/posyandu/4/documents")!;
    // multipart: the type and the file
    expect(String(upload.body)).toMatch(/name="doc_type"[\s\S]*data_kader/);
    expect(String(upload.body)).toMatch(/name="file"[\s\S]*%PDF-1\.4/);

    await waitFor(() => expect(propose).toBeEnabled());
    expect(screen.queryByTestId("propose-blocked")).toBeNull();
    await userEvent.click(propose);
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: "Ya, lanjutkan" }));
    await waitFor(() => expect(lastCall(calls, "POST", "/api/v1/posyandu/4/registration/transitions")?.body).toMatchObject({ action: "propose" }));
  }, 60_000);

  it("views a document in place, replaces it (the new one first) and deletes it after asking", async () => {
    const { calls, docs } = api(["berita_acara_musyawarah", "sk_pembentukan"]);
    renderApp("/posyandu/4");
    await screen.findByTestId("documents");
    const ba = await waitFor(() => {
      expect(row("berita_acara_musyawarah")).toHaveTextContent("berita_acara_musyawarah.pdf");
      return row("berita_acara_musyawarah");
    });
    await userEvent.click(within(ba).getByRole("button", { name: "Lihat berita_acara_musyawarah.pdf" }));
    const view = await screen.findByRole("dialog");
    const frame = await within(view).findByTitle("Lihat berita_acara_musyawarah.pdf");
    expect(frame.tagName).toBe("IFRAME");
    expect(frame).toHaveAttribute("src", "blob:preview");
    await userEvent.click(within(view).getByRole("button", { name: "Tutup" }));
    await dialogClosed();

    expect(within(ba).getByRole("button", { name: "Ganti Berita acara musyawarah pembentukan" })).toBeInTheDocument();
    await userEvent.upload(ba.querySelector('input[type="file"]') as HTMLInputElement, pdf("ba-baru.pdf"));
    await waitFor(() => expect(row("berita_acara_musyawarah")).toHaveTextContent("baru-berita_acara_musyawarah.pdf"));
    await waitFor(() => expect(within(row("berita_acara_musyawarah")).getAllByRole("button", { name: /^Unduh / })).toHaveLength(1));
    const order = calls.filter((c) => c.path.startsWith("/api/v1/posyandu/4/documents") && c.method !== "GET").map((c) => `${c.method} ${c.path}`);
    expect(order).toEqual(["POST /api/v1/posyandu/4/documents", "DELETE /api/v1/posyandu/4/documents/100"]);

    await userEvent.click(within(row("sk_pembentukan")).getByRole("button", { name: "Hapus sk_pembentukan.pdf" }));
    await confirmYes("Hapus sk_pembentukan.pdf (SK pembentukan posyandu)?");
    await waitFor(() => expect(within(row("sk_pembentukan")).getByText("Belum diunggah")).toBeInTheDocument());
    expect(docs.map((d) => d.filename)).toEqual(["baru-berita_acara_musyawarah.pdf"]);
  }, 60_000);

  it("a proposed posyandu's documents can be seen and downloaded, not changed", async () => {
    api(TYPES, { ...melati, registration_status: "proposed", allowed_actions: [] });
    renderApp("/posyandu/4");
    const card = await screen.findByTestId("documents");
    await waitFor(() => expect(within(card).getByText("data_kader.pdf")).toBeInTheDocument());
    expect(card).toHaveTextContent("Dokumen hanya dapat diubah sebelum posyandu diusulkan");
    expect(within(card).queryByRole("button", { name: /^Ganti|^Unggah|^Hapus/ })).toBeNull();
    expect(within(card).getAllByRole("button", { name: /^Unduh / })).toHaveLength(4);
  }, 60_000);
});

describe("registration progress on the registry", () => {
  function registry() {
    return mockSignedIn({
      "GET /api/v1/posyandu": () => ({ body: page([], 0) }),
      "GET /api/v1/posyandu/registration-progress": () => ({
        body: {
          region_code: "33.75", awaiting_proposal: 30, blocked_by_sk: 0, sk_required: true,
          registration: { registered: 3, in_pipeline: 8, unregistered: 30, by_status: { unregistered: 28, proposed: 5, verified: 2, submitted: 1, registered: 3, returned: 2, rejected: 0 } },
        } satisfies Schemas["RegistrationProgress"],
      }),
      "GET /api/v1/posyandu/registration-progress/by-region": () => ({
        body: {
          region_code: "33.75", child_level: 3,
          total: { registered: 3, in_pipeline: 8, unregistered: 30, by_status: { unregistered: 28, proposed: 5, verified: 2, submitted: 1, registered: 3, returned: 2, rejected: 0 } },
          rows: [
            { code: "33.75.01", name: "Pekalongan Barat", level: 3, total: 25, registration: { registered: 3, in_pipeline: 2, unregistered: 20, by_status: { unregistered: 20, proposed: 2, verified: 0, submitted: 0, registered: 3, returned: 0, rejected: 0 } } },
            { code: "33.75.02", name: "Pekalongan Timur", level: 3, total: 16, registration: { registered: 0, in_pipeline: 6, unregistered: 10, by_status: { unregistered: 8, proposed: 3, verified: 2, submitted: 1, registered: 0, returned: 2, rejected: 0 } } },
          ],
        } satisfies Schemas["ProgressByRegion"],
      }),
    });
  }

  it("counts per status as chips that filter the list, and a table per kecamatan that narrows to one", async () => {
    const { calls } = registry();
    const view = renderApp("/posyandu");
    const chips = await screen.findByTestId("status-chips");
    expect(within(chips).getByText("Belum terdaftar: 28")).toBeInTheDocument();
    expect(within(chips).getByText("Diusulkan: 5")).toBeInTheDocument();
    await userEvent.click(within(chips).getByText("Diusulkan: 5"));
    await waitFor(() => expect(lastCall(calls, "GET", "/api/v1/posyandu")!.url.searchParams.get("status")).toBe("proposed"));
    expect(view.search().get("status")).toBe("proposed");
    await userEvent.click(within(chips).getByText("Diusulkan: 5"));
    await waitFor(() => expect(view.search().get("status")).toBeNull());

    const table = await screen.findByTestId("progress-by-region");
    expect(table).toHaveTextContent("Registrasi per Kecamatan");
    const rows = within(table).getAllByRole("row");
    // head, two kecamatan, the total
    expect(rows).toHaveLength(4);
    expect(rows[2]).toHaveTextContent(/Pekalongan Timur\s*16\s*8\s*3\s*2\s*1\s*0\s*2\s*0/);
    expect(rows[3]).toHaveTextContent(/Jumlah\s*41\s*28\s*5/);
    await userEvent.click(within(table).getByRole("button", { name: "Tampilkan posyandu Pekalongan Timur" }));
    await waitFor(() => expect(lastCall(calls, "GET", "/api/v1/posyandu")!.url.searchParams.get("region")).toBe("33.75.02"));
  }, 60_000);
});
