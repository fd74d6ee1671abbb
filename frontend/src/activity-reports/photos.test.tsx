import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { lastCall, mockSignedIn, PEKALONGAN_ME, problem, renderApp, sent, VILLAGE_OPERATOR_ACTIONS } from "../test/utils";

const questions = { kesehatan: { balita_ditimbang: "Balita ditimbang" } };
const fields = {
  fields: [{ field: "kesehatan", questions: questions.kesehatan }],
  target_groups: { balita: "Balita" },
  due_working_day: 10, acceptor: "district", current_period: "2026-11", current_due_date: "2026-12-14", photo_max_count: 2, photo_max_bytes: 5242880,
} satisfies Schemas["FieldDefinitions"];

const draft = {
  id: 7, region_code: "33.75.02.1008", region_name: "Klego", level: "village", posyandu_id: 1, posyandu_name: "Posyandu Seruni", period: "2026-11", status: "draft",
  days_open: 4, kader_present: 0, questions, counts: {}, target_groups: {}, active_fields: [], notes: null, due_date: "2026-12-14",
  first_submitted_at: null, submitted_at: null, on_time: null, accepted_at: null, decided_by: null, return_reason: null, returned_at: null,
  created_at: "2026-12-03T02:00:00Z", updated_at: "2026-12-03T02:00:00Z", version: 1, allowed_actions: ["submit", "update", "delete"],
} satisfies Schemas["ReportRead"];

const submitted = { ...draft, status: "submitted", version: 2, allowed_actions: ["update"] } satisfies Schemas["ReportRead"];

function photo(id: number, caption: string | null, filename = `foto-${id}.jpg`): Schemas["PhotoRead"] {
  return { id, report_id: 7, caption, filename, content_type: "image/jpeg", size: 2048, sha256: "a".repeat(64), uploaded_by: "user:2", uploaded_at: "2026-12-03T03:00:00Z" };
}

const VILLAGE_ME = {
  ...PEKALONGAN_ME, name: "Operator Klego", role: "village_operator", region: { code: "33.75.02.1008", name: "Klego", level: "village" }, can_manage_accounts: false,
  allowed_actions: [...VILLAGE_OPERATOR_ACTIONS, "create_activity_report"],
} satisfies Schemas["Me"];

describe("a report's photos", () => {
  it("shows thumbnails with their captions as alt text, adds a photo with a caption and removes one while the report is a draft", async () => {
    let photos = [photo(1, "Penimbangan balita")];
    const { calls } = mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: { ...fields, photo_max_count: 3 } }),
        "GET /api/v1/activity-reports/7": () => ({ body: draft, headers: { ETag: '"1"' } }),
        "GET /api/v1/activity-reports/7/photos": () => ({ body: photos }),
        "POST /api/v1/activity-reports/7/photos": () => ((photos = [...photos, photo(2, "Kelas ibu hamil")]), { status: 201, body: photos[1] }),
        "DELETE /api/v1/activity-reports/7/photos/1": () => ((photos = photos.filter((p) => p.id !== 1)), { status: 204 }),
      },
      VILLAGE_ME,
    );
    renderApp("/activity-reports/reports/7");
    const section = await screen.findByTestId("report-photos");
    const img = await within(section).findByRole("img", { name: "Penimbangan balita" });
    expect(img).toHaveAttribute("src", "/api/v1/activity-reports/7/photos/1");
    // photos are not kept for later: the form says a connection is needed
    expect(section).toHaveTextContent("memerlukan koneksi");

    const input = section.querySelector('input[type="file"]') as HTMLInputElement;
    expect(input).toHaveAttribute("accept", "image/jpeg,image/png");
    expect(input).toHaveAttribute("capture", "environment");
    const add = within(section).getByRole("button", { name: "Tambah foto" });
    expect(add).toBeDisabled();
    await userEvent.upload(input, new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "kelas.jpg", { type: "image/jpeg" }));
    await userEvent.type(within(section).getByLabelText(/Keterangan/), "Kelas ibu hamil");
    await userEvent.click(add);
    await sent(calls, "POST", "/api/v1/activity-reports/7/photos");
    const body = String(lastCall(calls, "POST", "/api/v1/activity-reports/7/photos")!.body);
    expect(body).toMatch(/name="file"; filename="[^"]+"\r?\nContent-Type: image\/jpeg/);
    expect(body).toContain('name="caption"');
    expect(body).toContain("Kelas ibu hamil");
    expect(await within(section).findByRole("img", { name: "Kelas ibu hamil" })).toBeInTheDocument();

    await userEvent.click(within(section).getByRole("button", { name: "Hapus foto Penimbangan balita" }));
    await sent(calls, "DELETE", "/api/v1/activity-reports/7/photos/1");
    await waitFor(() => expect(within(section).queryByRole("img", { name: "Penimbangan balita" })).toBeNull());
  });

  it("says why an upload was refused", async () => {
    const photos = [photo(1, null, "pertama.jpg")];
    mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
        "GET /api/v1/activity-reports/7": () => ({ body: draft, headers: { ETag: '"1"' } }),
        "GET /api/v1/activity-reports/7/photos": () => ({ body: photos }),
        "POST /api/v1/activity-reports/7/photos": () => problem(415, "unsupported-media-type", "Foto harus berupa gambar JPEG atau PNG (diperiksa dari isinya)."),
      },
      VILLAGE_ME,
    );
    renderApp("/activity-reports/reports/7");
    const section = await screen.findByTestId("report-photos");
    // no caption: the file name is the alt text
    expect(await within(section).findByRole("img", { name: "pertama.jpg" })).toBeInTheDocument();
    const input = section.querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, new File(["%PDF-1.4"], "foto.jpg", { type: "image/jpeg" }));
    await userEvent.click(within(section).getByRole("button", { name: "Tambah foto" }));
    expect(await within(section).findByText(/JPEG atau PNG \(diperiksa dari isinya\)/)).toBeInTheDocument();
  });

  it("offers no more photos once the report holds the most", async () => {
    mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
        "GET /api/v1/activity-reports/7": () => ({ body: draft, headers: { ETag: '"1"' } }),
        "GET /api/v1/activity-reports/7/photos": () => ({ body: [photo(1, null, "pertama.jpg"), photo(2, "Kedua")] }),
      },
      VILLAGE_ME,
    );
    renderApp("/activity-reports/reports/7");
    const section = await screen.findByTestId("report-photos");
    await waitFor(() => expect(section).toHaveTextContent("sudah memuat 2 foto"));
    expect(section.querySelector('input[type="file"]')).toBeNull();
    expect(within(section).getAllByRole("button", { name: /Hapus foto/ })).toHaveLength(2);
  });

  it("shows a submitted report's photos read-only", async () => {
    mockSignedIn(
      {
        "GET /api/v1/activity-reports/fields": () => ({ body: fields }),
        "GET /api/v1/activity-reports/7": () => ({ body: submitted, headers: { ETag: '"2"' } }),
        "GET /api/v1/activity-reports/7/photos": () => ({ body: [photo(1, "Penimbangan balita")] }),
      },
      VILLAGE_ME,
    );
    renderApp("/activity-reports/reports/7");
    const section = await screen.findByTestId("report-photos");
    expect(await within(section).findByRole("img", { name: "Penimbangan balita" })).toBeInTheDocument();
    expect(section.querySelector('input[type="file"]')).toBeNull();
    expect(within(section).queryByRole("button", { name: /Hapus foto/ })).toBeNull();
    expect(section).not.toHaveTextContent("memerlukan koneksi");
  });
});
