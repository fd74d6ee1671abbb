import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { lastCall, mockSignedIn, openDialog, page, press, problem, renderApp } from "../test/utils";
import type { Schemas } from "../api/client";

const services = { kesehatan: ["penimbangan"], pendidikan: ["paud"], sosial: [], trantibumlinmas: [], perumahan_rakyat: [], pekerjaan_umum: [] };
const seruni = {
  id: 1, region_code: "33.75.02.1008", village_name: "Klego", name: "Posyandu Seruni", rw: "03", rt: null, address: null, latitude: null, longitude: null,
  is_active: true, pengurus_count: 5, kader_count: 10, stratum: null, services, spm_fields: ["kesehatan", "pendidikan"], notes: null,
  registration_status: "proposed", registration_number: null, registered_at: null, status_reason: null, batch_id: null,
  created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z", version: 2,
  allowed_actions: ["verify", "return", "reject", "update"],
  provenance: null,
} satisfies Schemas["PosyanduRead"];
const catalog = {
  fields: [
    { field: "kesehatan", label: "Kesehatan", services: [{ code: "penimbangan", label: "Penimbangan balita" }] },
    { field: "pendidikan", label: "Pendidikan", services: [{ code: "paud", label: "PAUD" }] },
  ],
  strata: ["pratama", "madya", "purnama", "mandiri"], document_types: [], min_pengurus_kader: 5,
} satisfies Schemas["ServiceCatalog"];

const ministryBatch = {
  id: 6, region_code: "33.75", title: "Angkatan II 2025", notes: null, status: "submitted", created_by: "dpmppa.pekalongan",
  created_at: "2025-07-01T00:00:00Z", updated_at: "2025-07-01T00:00:00Z", submitted_at: "2025-07-02T00:00:00Z",
  member_count: 1, registered_count: 0, version: 4, allowed_actions: ["issue_numbers"],
  members: [{ id: 1, name: "Posyandu Seruni", region_code: "33.75.02.1008", village_name: "Klego", registration_status: "submitted", registration_number: null }],
} satisfies Schemas["BatchDetail"];

function api() {
  return mockSignedIn({
    "GET /api/v1/posyandu": () => ({ body: page([seruni], 41) }),
    "GET /api/v1/posyandu/service-catalog": () => ({ body: catalog }),
    "GET /api/v1/posyandu/registration-progress": () => ({
      body: {
        region_code: "33.75", awaiting_proposal: 30, blocked_by_sk: 12, sk_required: true,
        registration: { registered: 3, in_pipeline: 8, unregistered: 30, by_status: { unregistered: 28, proposed: 5, verified: 2, submitted: 1, registered: 3, returned: 2, rejected: 0 } },
      } satisfies Schemas["RegistrationProgress"],
    }),
    "GET /api/v1/posyandu/1": () => ({ body: seruni, headers: { ETag: 'W/"2"' } }),
    "GET /api/v1/posyandu/1/registration/readiness": () => ({
      body: { posyandu_id: 1, registration_status: "proposed", ready: false, missing: [{ code: "sk_pembentukan", message: "SK pembentukan posyandu belum diunggah" }], documents: {}, pengurus_kader: 15, min_pengurus_kader: 5 },
    }),
    "GET /api/v1/posyandu/1/registration/events": () => ({ body: [] }),
    "POST /api/v1/posyandu/1/registration/transitions": async (req) => {
      const body = (await req.json()) as { action: string; reason: string | null };
      if (body.action === "return" && !body.reason) return problem(422, "validation", "Say why", { errors: [{ loc: ["body", "reason"], msg: "Say why: return needs a reason.", type: "value_error" }] });
      return { body: { ...seruni, registration_status: "verified", version: 3, allowed_actions: ["return", "reject", "update"] } };
    },
    "POST /api/v1/posyandu": () =>
      problem(422, "validation", "Invalid input", {
        errors: [
          { loc: ["body", "region_code"], msg: "A posyandu belongs to a village (kelurahan/desa).", type: "value_error" },
          { loc: ["body", "rw"], msg: "String should match pattern '^\\d{1,3}$'", type: "string_pattern_mismatch" },
        ],
      }),
    "GET /api/v1/registration-batches/5": () => ({
      body: {
        id: 5, region_code: "33.75", title: "Angkatan I 2025", notes: null, status: "submitted", created_by: "dpmppa.pekalongan",
        created_at: "2025-07-01T00:00:00Z", updated_at: "2025-07-01T00:00:00Z", submitted_at: "2025-07-02T00:00:00Z",
        member_count: 1, registered_count: 0, version: 2, allowed_actions: ["update", "import_numbers"],
        members: [{ id: 1, name: "Posyandu Seruni", region_code: "33.75.02.1008", village_name: "Klego", registration_status: "submitted", registration_number: null }],
      },
      headers: { ETag: 'W/"2"' },
    }),
    "GET /api/v1/registration-batches/6": () => ({ body: ministryBatch, headers: { ETag: 'W/"4"' } }),
    "POST /api/v1/registration-batches/6/issue": () => ({
      body: { ...ministryBatch, status: "completed", registered_count: 1, version: 5, allowed_actions: [], members: [{ ...ministryBatch.members[0], registration_status: "registered", registration_number: "NRP-0001" }] },
    }),
    "POST /api/v1/registration-batches/5/numbers": () => ({
      body: {
        dry_run: true, applied: false, rows: 2, registered: 0, unchanged: 0, items: [],
        errors: [{ row: 3, posyandu_id: "99", registration_number: "3375-0001", msg: "Posyandu 99 is not in this batch." }],
      },
    }),
  });
}

describe("posyandu registry", () => {
  it("filters by SPM field and status from the URL, sorts, and shows the total", async () => {
    const { calls } = api();
    renderApp("/posyandu?spm_field=kesehatan&status=proposed&pilot=true");
    const table = await screen.findByTestId("posyandu-table");
    expect(within(table).getByRole("link", { name: "Posyandu Seruni" })).toHaveAttribute("href", "/posyandu/1");
    expect(within(table).getByText("Diusulkan")).toBeInTheDocument();
    expect(screen.getByTestId("total")).toHaveTextContent("41 baris");
    const last = () => lastCall(calls, "GET", "/api/v1/posyandu")!.url.searchParams;
    expect(last().get("spm_field")).toBe("kesehatan");
    expect(last().get("status")).toBe("proposed");
    expect(last().get("pilot")).toBe("true");
    await userEvent.click(screen.getByRole("button", { name: "Urutkan menurut Kader" }));
    await waitFor(() => expect(last().get("sort")).toBe("kader_count"));
    await userEvent.click(screen.getByRole("button", { name: "Urutkan menurut Kader" }));
    await waitFor(() => expect(last().get("sort")).toBe("-kader_count"));
  });

  it("shows the registration progress with the posyandu blocked by their village's SK", async () => {
    const { calls } = api();
    renderApp("/posyandu?region=33.75");
    expect(await screen.findByTestId("blocked-by-sk")).toHaveTextContent("12 terhambat SK");
    expect(screen.getByTestId("registration-progress")).toHaveTextContent("30 menunggu diusulkan");
    expect(lastCall(calls, "GET", "/api/v1/posyandu/registration-progress")!.url.searchParams.get("region")).toBe("33.75");
  });

  it("lets the ministry issue numbers when the batch allows it, with the batch's version", async () => {
    const { calls } = api();
    renderApp("/registration-batches/6");
    const form = await screen.findByTestId("issue-numbers");
    expect(screen.queryByTestId("import-numbers")).not.toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText("Posyandu Seruni — Klego (33.75.02.1008)"), "NRP-0001");
    await userEvent.click(within(form).getByRole("button", { name: "Terbitkan nomor" }));
    await waitFor(() => expect(lastCall(calls, "POST", "/api/v1/registration-batches/6/issue")).toBeDefined());
    const post = lastCall(calls, "POST", "/api/v1/registration-batches/6/issue")!;
    expect(post.headers.get("If-Match")).toBe('W/"4"');
    expect(post.body).toEqual({ numbers: [{ posyandu_id: 1, registration_number: "NRP-0001" }] });
  });

  it("shows a posyandu's services per SPM field, readiness, and exactly the transitions the API allows", async () => {
    const { calls } = api();
    renderApp("/posyandu/1");
    expect(await screen.findByTestId("posyandu-name")).toHaveTextContent("Posyandu Seruni");
    expect(await screen.findByText("Penimbangan balita")).toBeInTheDocument();
    expect(await screen.findByTestId("readiness")).toHaveTextContent("SK pembentukan posyandu belum diunggah");
    const actions = screen.getByTestId("reg-actions");
    expect(within(actions).getAllByRole("button").map((b) => b.textContent)).toEqual(["Verifikasi", "Kembalikan", "Tolak"]);
    // sending back without a reason: the API's error appears next to the reason field
    const dialog = await openDialog("Kembalikan", actions);
    await press(dialog, "Ya, lanjutkan");
    expect(await within(dialog).findByText("Say why: return needs a reason.")).toBeInTheDocument();
    const post = calls.find((c) => c.method === "POST");
    expect(post?.headers.get("If-Match")).toBe('W/"2"');
  });

  it("shows the API's validation errors next to the fields of a new posyandu", async () => {
    api();
    renderApp("/posyandu/new");
    await userEvent.type(await screen.findByLabelText(/Nama posyandu/), "Posyandu Mawar");
    await userEvent.type(screen.getByLabelText("RW"), "1x");
    await userEvent.click(screen.getByRole("button", { name: "Buat" }));
    expect(await screen.findByText("A posyandu belongs to a village (kelurahan/desa).")).toBeInTheDocument();
    expect(screen.getByText("String should match pattern '^\\d{1,3}$'")).toBeInTheDocument();
  });

  it("checks a returned numbers file and lists the rows in error", async () => {
    const { calls } = api();
    renderApp("/registration-batches/5");
    expect(await screen.findByTestId("batch-title")).toHaveTextContent("Angkatan I 2025");
    expect(screen.getByRole("link", { name: "CSV" })).toHaveAttribute("href", "/api/v1/registration-batches/5/export?format=csv");
    expect(screen.queryByTestId("issue-numbers")).not.toBeInTheDocument(); // the coordinator's batch: no issue_numbers listed
    const file = new File(["posyandu_id,nomor_registrasi\n99,3375-0001\n"], "nomor.csv", { type: "text/csv" });
    const importer = screen.getByTestId("import-numbers");
    await userEvent.upload(importer.querySelector('input[type="file"]') as HTMLInputElement, file);
    await userEvent.click(within(importer).getByRole("button", { name: "Periksa" }));
    const report = await screen.findByTestId("import-report");
    expect(report).toHaveTextContent("1 baris bermasalah; tidak ada yang disimpan");
    expect(within(report).getByTestId("row-error")).toHaveTextContent("Posyandu 99 is not in this batch.");
    const upload = calls.find((c) => c.path.endsWith("/numbers"));
    expect(upload?.url.searchParams.get("dry_run")).toBe("true");
    // the file goes as the multipart field "file" (the API reads its content, XLSX or CSV)
    expect(String(upload?.body)).toContain('name="file"');
    expect(String(upload?.body)).toContain("99,3375-0001");
  });
});
