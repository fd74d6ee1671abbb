import "fake-indexeddb/auto";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { discardQueued, listQueued, putQueued } from "../offline/queue";
import { lastCall, mockSignedIn, page, PEKALONGAN_ME, problem, renderApp, sent, VILLAGE_OPERATOR_ACTIONS } from "../test/utils";

const questions: Record<string, Record<string, string>> = {
  kesehatan: { balita_ditimbang: "Balita ditimbang", ibu_hamil_dilayani: "Ibu hamil dilayani" },
  pendidikan: { paud: "Kegiatan PAUD" },
};
const fields = {
  fields: [
    { field: "kesehatan", questions: questions.kesehatan },
    { field: "pendidikan", questions: questions.pendidikan },
  ],
  target_groups: { ibu_hamil: "Ibu hamil", balita: "Balita", lansia: "Lansia", keluarga_miskin: "Keluarga miskin" },
  due_working_day: 10, acceptor: "district", current_period: "2026-11", current_due_date: "2026-12-14", photo_max_count: 6, photo_max_bytes: 5242880,
} satisfies Schemas["FieldDefinitions"];

function counts(period: string, expected: number, received: number, onTime: number, accepted = 0) {
  const pct = (n: number) => (expected ? Math.round((1000 * n) / expected) / 10 : null);
  return { period, expected, received, on_time: onTime, accepted, returned: 0, missing: expected - received, pct_received: pct(received), pct_on_time: pct(onTime) };
}

const kota = {
  code: "33.75", name: "Kota Pekalongan", level: "regency", type: "kota", parent_code: "33", postal_code: null, child_count: 4,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }],
} satisfies Schemas["RegionDetail"];
const selatan = {
  code: "33.75.04", name: "Pekalongan Selatan", level: "district", type: "kecamatan", parent_code: "33.75", postal_code: null, child_count: 6,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }, { code: "33.75", name: "Kota Pekalongan", level: "regency" }],
} satisfies Schemas["RegionDetail"];

const posyandu = {
  id: 1, region_code: "33.75.02.1008", village_name: "Klego", name: "Posyandu Seruni", rw: "03", rt: null, address: null, latitude: null, longitude: null,
  is_active: true, pengurus_count: 5, kader_count: 10, stratum: null, services: {}, spm_fields: [], notes: null,
  registration_status: "registered", registration_number: null, registered_at: null, status_reason: null, batch_id: null,
  created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z", version: 2, allowed_actions: [], provenance: null,
} satisfies Schemas["PosyanduRead"];

const draft = {
  id: 7, region_code: "33.75.02.1008", region_name: "Klego", level: "village", posyandu_id: 1, posyandu_name: "Posyandu Seruni", period: "2026-11", status: "draft",
  days_open: 4, kader_present: 0, questions,
  counts: { kesehatan: { balita_ditimbang: 25 } }, target_groups: {}, active_fields: ["kesehatan"], notes: null, due_date: "2026-12-14",
  first_submitted_at: null, submitted_at: null, on_time: null, accepted_at: null, decided_by: null, return_reason: null, returned_at: null,
  created_at: "2026-12-03T02:00:00Z", updated_at: "2026-12-03T02:00:00Z", version: 1, allowed_actions: ["submit", "update", "delete"],
} satisfies Schemas["ReportRead"];

const submitted = {
  ...draft, status: "submitted", version: 2, first_submitted_at: "2026-12-03T03:00:00Z", submitted_at: "2026-12-03T03:00:00Z", on_time: true,
  allowed_actions: ["accept", "return"],
} satisfies Schemas["ReportRead"];

const VILLAGE_ME = {
  ...PEKALONGAN_ME, name: "Operator Klego", role: "village_operator", region: { code: "33.75.02.1008", name: "Klego", level: "village" }, can_manage_accounts: false,
  allowed_actions: [...VILLAGE_OPERATOR_ACTIONS, "create_activity_report"],
} satisfies Schemas["Me"];

describe("monthly activity reports", () => {
  it("shows the month's completeness per kecamatan, its trend, services and missing posyandu, and drills down", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
      "GET /api/v1/regions/33.75": () => ({ body: kota }),
      "GET /api/v1/regions/33.75.04": () => ({ body: selatan }),
      "GET /api/v1/activity-reports/board": (_req, url) => {
        const region = url.searchParams.get("region");
        const ref = region === "33.75" ? { code: "33.75", name: "Kota Pekalongan", level: "regency" } : { code: "33.75.04", name: "Pekalongan Selatan", level: "district" };
        const rows =
          region === "33.75"
            ? [
                { ...counts("2026-11", 40, 30, 25, 20), region: { code: "33.75.01", name: "Pekalongan Barat", level: "district" } },
                { ...counts("2026-11", 20, 5, 2), region: { code: "33.75.04", name: "Pekalongan Selatan", level: "district" } },
              ]
            : [{ ...counts("2026-11", 20, 5, 2), region: { code: "33.75.04.1001", name: "Kuripan Lor", level: "village" } }];
        return { body: { region: ref, period: "2026-11", due_date: "2026-12-14", rows, total: region === "33.75" ? counts("2026-11", 60, 35, 27, 20) : counts("2026-11", 20, 5, 2) } };
      },
      "GET /api/v1/activity-reports/trend": () => ({ body: { region: null, months: [counts("2026-10", 60, 50, 45), counts("2026-11", 60, 35, 27, 20)] } }),
      "GET /api/v1/activity-reports/services": () => ({
        body: {
          region: null, period: "2026-11", received: 35, days_open: 70, kader_present: 210, target_groups: { balita: 900 },
          fields: [{ field: "kesehatan", reports_with_activity: 33, reports_without_activity: 2, services: [{ code: "balita_ditimbang", label: "Balita ditimbang", total: 875 }] }],
        },
      }),
      "GET /api/v1/activity-reports/missing": () => ({
        body: page([{ id: 3, name: "Posyandu Mawar", region_code: "33.75.04.1001", rw: "02", report_id: null, report_status: null }], 25),
      }),
    });
    renderApp("/activity-reports");
    expect(await screen.findByTestId("headline")).toHaveTextContent("35 dari 60 posyandu aktif telah melaporkan kegiatan November 2026");
    expect(screen.getByTestId("headline-on_time")).toHaveTextContent("45%");
    const row = screen.getByTestId("row-33.75.04");
    expect(row).toHaveTextContent("25%"); // received 5 of 20
    expect(screen.getByTestId("row-total")).toHaveTextContent("25"); // missing
    expect(await within(screen.getByTestId("services")).findByText("875")).toBeInTheDocument();
    expect(screen.getByTestId("services-summary")).toHaveTextContent("Dari 35 laporan diterima");
    expect(await within(screen.getByTestId("trend")).findByText("Kelengkapan 12 bulan terakhir")).toBeInTheDocument();
    const missing = await within(screen.getByTestId("missing")).findAllByTestId("missing-row");
    expect(missing[0]).toHaveTextContent("Posyandu Mawar");
    // a city coordinator creates no report here: no "fill in" button, the export buttons are there
    expect(within(missing[0]).queryByRole("link", { name: "Isi laporan" })).toBeNull();
    expect(within(screen.getByTestId("missing")).getByTestId("export-xlsx")).toBeInTheDocument();

    await userEvent.click(within(row).getByRole("link", { name: "Pekalongan Selatan" }));
    expect(await screen.findByTestId("board-title")).toHaveTextContent("Pekalongan Selatan");
    expect(within(screen.getByTestId("breadcrumbs")).getByRole("link", { name: "Kota Pekalongan" })).toHaveAttribute("href", "/activity-reports/33.75?period=2026-11");
    await waitFor(() => expect(lastCall(calls, "GET", "/api/v1/activity-reports/board")!.url.searchParams.get("region")).toBe("33.75.04"));
    expect(lastCall(calls, "GET", "/api/v1/activity-reports/board")!.url.searchParams.get("period")).toBe("2026-11");
  });

  it("a village operator starts the month's report from the posyandu, fills it in and submits it", async () => {
    let report: Schemas["ReportRead"] | null = null;
    const { calls } = mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
        "GET /api/v1/posyandu/1": () => ({ body: posyandu, headers: { ETag: '"2"' } }),
        "GET /api/v1/posyandu/service-catalog": () => ({ body: { fields: [], strata: [], document_types: [], min_pengurus_kader: 5 } }),
        "GET /api/v1/posyandu/1/registration/readiness": () => ({ body: { posyandu_id: 1, registration_status: "registered", ready: true, missing: [], documents: {}, pengurus_kader: 15, min_pengurus_kader: 5 } }),
        "GET /api/v1/posyandu/1/registration/events": () => ({ body: [] }),
        "GET /api/v1/posyandu/1/documents": () => ({ body: [] }),
        "GET /api/v1/activity-reports": () => ({ body: page(report ? [report] : []) }),
        "POST /api/v1/activity-reports": () => ((report = draft), { status: 201, body: draft }),
        "GET /api/v1/activity-reports/7": () => ({ body: report, headers: { ETag: `"${report!.version}"` } }),
        "POST /api/v1/activity-reports/7/transitions": () => ((report = { ...submitted, allowed_actions: [] }), { body: report }),
      },
      VILLAGE_ME,
    );
    renderApp("/posyandu/1");
    const card = await screen.findByTestId("activity-reports");
    expect(await within(card).findByText("Belum ada laporan bulanan.")).toBeInTheDocument();
    await userEvent.click(await within(card).findByRole("link", { name: "Laporan baru November 2026" }));

    expect(await screen.findByTestId("report-title")).toHaveTextContent("Laporan Posyandu Seruni — November 2026");
    const days = screen.getByLabelText("Hari buka");
    await userEvent.clear(days);
    await userEvent.type(days, "4");
    const weighed = within(screen.getByTestId("field-kesehatan")).getByLabelText("Balita ditimbang");
    await userEvent.clear(weighed);
    await userEvent.type(weighed, "25");
    await userEvent.click(screen.getByRole("button", { name: "Simpan draf" }));
    await sent(calls, "POST", "/api/v1/activity-reports");
    const create = lastCall(calls, "POST", "/api/v1/activity-reports")!;
    expect(create.body).toMatchObject({ posyandu_id: 1, period: "2026-11", days_open: 4, counts: { kesehatan: { balita_ditimbang: 25 } } });
    expect(create.headers.get("Idempotency-Key")).toBeTruthy();

    // the draft opens with what this account may do to it
    expect(await screen.findByTestId("report-status")).toHaveTextContent("Draf");
    await userEvent.click(screen.getByRole("button", { name: "Kirim laporan" }));
    await sent(calls, "POST", "/api/v1/activity-reports/7/transitions");
    expect(lastCall(calls, "POST", "/api/v1/activity-reports/7/transitions")!.body).toEqual({ action: "submit", reason: null });
    await waitFor(() => expect(screen.getByTestId("report-status")).toHaveTextContent("Dikirim"));
    expect(within(screen.getByTestId("report-actions")).queryAllByRole("button")).toHaveLength(0);
  });

  it("a coordinator returns a submitted report with a reason", async () => {
    let report: Schemas["ReportRead"] = submitted;
    const { calls } = mockSignedIn({
      "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
      "GET /api/v1/activity-reports/7": () => ({ body: report, headers: { ETag: `"${report.version}"` } }),
      "POST /api/v1/activity-reports/7/transitions": () => (
        (report = { ...submitted, status: "returned", version: 3, return_reason: "Jumlah balita tidak sesuai", decided_by: "DPMPPA Kota Pekalongan", allowed_actions: [] }), { body: report }
      ),
    });
    renderApp("/activity-reports/reports/7");
    expect(await screen.findByTestId("report-status")).toHaveTextContent("Dikirim");
    // a submitted report is not edited by the coordinator here: its answers are read-only
    expect(screen.getByLabelText("Balita ditimbang")).toHaveAttribute("readonly");
    expect(screen.queryByRole("button", { name: "Kirim laporan" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Kembalikan" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText(/Alasan/), "Jumlah balita tidak sesuai");
    await userEvent.click(within(dialog).getByRole("button", { name: "Kembalikan" }));
    await sent(calls, "POST", "/api/v1/activity-reports/7/transitions");
    const call = lastCall(calls, "POST", "/api/v1/activity-reports/7/transitions")!;
    expect(call.body).toEqual({ action: "return", reason: "Jumlah balita tidak sesuai" });
    expect(call.headers.get("If-Match")).toBe('"2"');
    expect(await screen.findByTestId("return-reason")).toHaveTextContent("Jumlah balita tidak sesuai");
  });

  it("without a connection, the report waits on the device (said on screen and in the header) and is sent once when it returns", async () => {
    for (const i of await listQueued(VILLAGE_ME.id)) await discardQueued(i.key);
    let online = false;
    let report: Schemas["ReportRead"] | null = null;
    const network = () => {
      if (!online) throw new TypeError("Failed to fetch");
    };
    const { calls } = mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
        "GET /api/v1/posyandu/1": () => ({ body: posyandu, headers: { ETag: '"2"' } }),
        "POST /api/v1/activity-reports": () => (network(), (report = { ...draft, days_open: 4 }), { status: 201, body: report }),
        "POST /api/v1/activity-reports/7/transitions": () => (network(), (report = { ...submitted, days_open: 4, allowed_actions: [] }), { body: report }),
        "GET /api/v1/activity-reports/7": () => ({ body: report, headers: { ETag: `"${report!.version}"` } }),
        "GET /api/v1/activity-reports": () => ({ body: page(report ? [report] : []) }),
      },
      VILLAGE_ME,
    );
    renderApp("/activity-reports/new?posyandu=1");
    const days = await screen.findByLabelText("Hari buka");
    await userEvent.clear(days);
    await userEvent.type(days, "4");
    await userEvent.click(screen.getByRole("button", { name: "Simpan & kirim" }));

    expect(await screen.findByTestId("queued")).toHaveTextContent("Menunggu koneksi — akan dikirim otomatis");
    const header = screen.getByTestId("offline-queue");
    expect(header).toHaveAttribute("aria-live", "polite");
    await waitFor(() => expect(header).toHaveTextContent("Laporan menunggu koneksi: 1"));
    // what was typed stays on screen, not editable while it waits
    expect(screen.getByLabelText("Hari buka")).toHaveValue("4");
    expect(screen.getByLabelText("Hari buka")).toHaveAttribute("readonly");
    expect(screen.queryByRole("button", { name: "Simpan & kirim" })).toBeNull();
    const [waiting] = await listQueued(VILLAGE_ME.id);
    expect(waiting).toMatchObject({ submit: true, posyandu: { id: 1, name: "Posyandu Seruni" }, period: "2026-11", body: { days_open: 4 } });

    online = true;
    window.dispatchEvent(new Event("online"));
    expect(await screen.findByTestId("report-status")).toHaveTextContent("Dikirim");
    const creates = calls.filter((c) => c.method === "POST" && c.path === "/api/v1/activity-reports");
    expect(creates).toHaveLength(2); // the failed attempt and the replay, with the same key
    expect(new Set(creates.map((c) => c.headers.get("Idempotency-Key")))).toEqual(new Set([waiting.key]));
    expect(calls.filter((c) => c.path === "/api/v1/activity-reports/7/transitions")).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("offline-queue")).toBeEmptyDOMElement());
    expect(await listQueued(VILLAGE_ME.id)).toEqual([]);
  });

  it("a waiting report the server refuses shows the server's message, and Fix puts it back in the form to send again", async () => {
    for (const i of await listQueued(VILLAGE_ME.id)) await discardQueued(i.key);
    const oldKey = "left-from-an-earlier-visit";
    await putQueued({
      key: oldKey, user: VILLAGE_ME.id, posyandu: { id: 1, name: "Posyandu Seruni" }, period: "2026-11", submit: false, queuedAt: "2026-12-01T01:00:00Z",
      body: { posyandu_id: 1, period: "2026-11", days_open: 40, kader_present: 3, counts: {}, target_groups: {}, notes: null },
    });
    const { calls } = mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
        "GET /api/v1/posyandu/1": () => ({ body: posyandu, headers: { ETag: '"2"' } }),
        "POST /api/v1/activity-reports": (req) =>
          req.headers.get("Idempotency-Key") === oldKey
            ? problem(422, "validation-error", "Periksa isian laporan.", { errors: [{ loc: ["body", "days_open"], msg: "paling banyak 31", type: "less_than_equal" }] })
            : { status: 201, body: draft },
        "GET /api/v1/activity-reports/7": () => ({ body: draft, headers: { ETag: '"1"' } }),
      },
      VILLAGE_ME,
    );
    // the app's start sends what was left waiting
    renderApp("/activity-reports/new?posyandu=1");
    const refused = await screen.findByTestId("queued-refused");
    expect(refused).toHaveTextContent("Laporan ini tidak diterima server");
    expect(refused).toHaveTextContent("Periksa isian laporan.");
    expect(screen.getByTestId("offline-queue")).toHaveTextContent("Laporan menunggu koneksi: 1");
    // kept: not sent again by itself
    window.dispatchEvent(new Event("online"));
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);

    await userEvent.click(within(refused).getByRole("button", { name: "Perbaiki" }));
    await waitFor(() => expect(screen.queryByTestId("queued-refused")).toBeNull());
    const days = screen.getByLabelText("Hari buka");
    expect(days).not.toHaveAttribute("readonly");
    expect(days).toHaveValue("40");
    expect(screen.getByLabelText("Kader bertugas")).toHaveValue("3");
    await userEvent.type(days, "4", { initialSelectionStart: 0, initialSelectionEnd: 2 });
    expect(days).toHaveValue("4");
    await userEvent.click(screen.getByRole("button", { name: "Simpan draf" }));
    expect(await screen.findByTestId("report-status")).toHaveTextContent("Draf");
    const last = lastCall(calls, "POST", "/api/v1/activity-reports")!;
    expect(last.headers.get("Idempotency-Key")).not.toBe(oldKey);
    expect(last.body).toMatchObject({ days_open: 4 });
    expect(await listQueued(VILLAGE_ME.id)).toEqual([]);
  });
});
