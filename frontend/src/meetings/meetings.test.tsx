import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { VIEWER_ME, choose, enterDate, lastCall, mockSignedIn, openDialog, page, press, problem, renderApp, staleDiff, type Handler } from "../test/utils";
import type { Schemas } from "../api/client";

const followUp = (id: number, action: string, extra: Record<string, unknown> = {}) => ({
  id, meeting_id: 5, meeting_title: "Rapat Koordinasi Posyandu Dalam Rangka Perlunya Sinergitas Penguatan Posyandu di Kelurahan",
  meeting_held_on: "2025-06-25", region_code: "33.75", action, owner: "DPMPPA Kota Pekalongan", due_on: null, status: "open",
  done_on: null, notes: null, overdue: false, created_at: "2025-06-25T00:00:00Z", updated_at: "2025-06-25T00:00:00Z", version: 1,
  allowed_actions: ["update", "delete"], ...extra,
});
const overdue = followUp(8, "Kelurahan yang belum menerbitkan SK TP Posyandu Kelurahan segera melaporkannya kepada DPMPPA", {
  owner: "Lurah se-Kota Pekalongan", due_on: "2025-08-01", overdue: true,
});
const done = followUp(9, "Inventarisasi PKK di tingkat RT/RW", { status: "done", done_on: "2025-07-10", version: 3 });
const meeting = {
  id: 5, region_code: "33.75", region_name: "Kota Pekalongan", level: "regency",
  title: "Rapat Koordinasi Posyandu Dalam Rangka Perlunya Sinergitas Penguatan Posyandu di Kelurahan", held_on: "2025-06-25",
  venue: 'Rumah Makan "MEWAH" area Exit Tol Sokoduwet Pekalongan', organizer: "DPMPPA Kota Pekalongan", team_id: null, participant_count: 40,
  institutions: ["DPMPPA Kota Pekalongan", "Lurah se-Kota Pekalongan"], agenda: ["Progres SK TP Posyandu Kelurahan"],
  goals: ["Sinergitas penguatan Posyandu di kelurahan"],
  speakers: [{ name_or_office: "Kepala DPMPPA Kota Pekalongan", topic: "Penataan kelembagaan PKK" }],
  legal_basis: [{ id: 2, citation: "Perwal No. 63 Tahun 2021", title: "Lembaga Kemasyarakatan Kelurahan" }],
  funding_source: "apbd", funding_year: 2025, minutes: "Baru 22 kelurahan yang telah menerbitkan SK TP Posyandu Kelurahan.",
  held_on_precision: "day", attendance: [], attendance_participants: null,
  follow_ups: { open: 1, overdue: 1 }, attachment_count: 1, created_at: "2025-06-25T00:00:00Z", updated_at: "2025-06-25T00:00:00Z", version: 2,
  allowed_actions: ["update", "delete", "add_follow_up", "add_attachment"],
  provenance: null,
} satisfies Schemas["MeetingRead"];

function api(extra: Record<string, Handler> = {}) {
  return mockSignedIn({
    "GET /api/v1/meetings": () => ({ body: page([meeting]) }),
    "GET /api/v1/meetings/5": () => ({ body: { ...meeting, follow_up_items: [overdue, done] }, headers: { ETag: '"2"' } }),
    "GET /api/v1/meetings/5/attachments": () => ({
      body: [{ id: 3, meeting_id: 5, filename: "notulen-rakor.pdf", content_type: "application/pdf", size: 20480, sha256: "ab", uploaded_by: "dpmppa.pekalongan", uploaded_at: "2025-06-26T02:00:00Z" }],
    }),
    "PATCH /api/v1/meetings/5/follow-ups/8": (req) =>
      req.headers.get("If-Match") === '"1"'
        ? problem(412, "precondition-failed", "The record changed since you read it.", { current: { ...overdue, status: "in_progress", version: 2 }, current_etag: '"2"' })
        : problem(428, "precondition-required", "If-Match missing"),
    "POST /api/v1/meetings/5/follow-ups": () =>
      problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "action"], msg: "String should have at least 1 character", type: "string_too_short" }] }),
    "POST /api/v1/meetings": async (req) => {
      const body = (await req.json()) as { title: string; agenda: string[] };
      if (!body.title) return problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "title"], msg: "String should have at least 1 character", type: "string_too_short" }] });
      return { status: 201, body: { ...meeting, id: 5, title: body.title, agenda: body.agenda, follow_up_items: [] } };
    },
    "GET /api/v1/follow-ups": (_req, url) => ({ body: page(url.searchParams.get("overdue") === "true" ? [overdue] : [overdue, done]) }),
    ...extra,
  });
}

describe("meetings", () => {
  it("lists meetings with their open and overdue follow-ups, and filters by date", async () => {
    const { calls } = api();
    renderApp("/meetings");
    const table = await screen.findByTestId("meeting-table");
    const row = within(table).getByRole("link", { name: meeting.title }).closest("tr")!;
    expect(within(row).getByRole("link")).toHaveAttribute("href", "/meetings/5");
    expect(row).toHaveTextContent("1 terbuka");
    expect(row).toHaveTextContent("1 lewat tenggat");
    await enterDate(screen.getByLabelText("Dari tanggal"), "01/06/2025");
    await waitFor(() => expect(calls.some((c) => c.path === "/api/v1/meetings" && c.url.searchParams.get("held_from") === "2025-06-01")).toBe(true));
  });

  it("shows a meeting's record with legal basis, attachments and follow-ups", async () => {
    api();
    renderApp("/meetings/5");
    expect(await screen.findByTestId("meeting-title")).toHaveTextContent(meeting.title);
    const facts = screen.getByTestId("meeting-facts");
    expect(facts).toHaveTextContent("Sokoduwet");
    expect(facts).toHaveTextContent("40 orang");
    expect(facts).toHaveTextContent("APBD 2025");
    expect(screen.getByText("Perwal No. 63 Tahun 2021 — Lembaga Kemasyarakatan Kelurahan")).toBeInTheDocument();
    expect(screen.getByText("Kepala DPMPPA Kota Pekalongan: Penataan kelembagaan PKK")).toBeInTheDocument();
    expect(screen.getByTestId("minutes")).toHaveTextContent("22 kelurahan");
    const link = await within(screen.getByTestId("attachments")).findByRole("link", { name: /notulen-rakor\.pdf/ });
    expect(link).toHaveAttribute("href", "/api/v1/meetings/5/attachments/3");
    const fu = screen.getByTestId("follow-up-table");
    const late = within(fu).getByText(overdue.action).closest("tr")!;
    expect(within(late).getByTestId("overdue")).toHaveTextContent("Lewat tenggat");
    expect(late).toHaveTextContent("Terbuka");
    expect(within(fu).getByText(done.action).closest("tr")).toHaveTextContent("Selesai");
  });

  it("shows a national meeting known only to its month as month and year, with the regions that attended", async () => {
    const rakornas = {
      ...meeting,
      id: 6,
      region_code: null,
      region_name: null,
      level: "nation" as const,
      title: "Rakornas Tim Pembina Posyandu",
      held_on: "2025-09-01",
      held_on_precision: "month" as const,
      attendance: [{ region_code: "33.75", region_name: "Kota Pekalongan", level: "regency" as const, participant_count: 2 }],
      attendance_participants: 2,
      allowed_actions: [],
    } satisfies Schemas["MeetingRead"];
    api({
      "GET /api/v1/meetings": () => ({ body: page([rakornas]) }),
      "GET /api/v1/meetings/6": () => ({ body: { ...rakornas, follow_up_items: [] }, headers: { ETag: '"2"' } }),
      "GET /api/v1/meetings/6/attachments": () => ({ body: [] }),
    });
    renderApp("/meetings");
    const row = within(await screen.findByTestId("meeting-table")).getByRole("link", { name: rakornas.title }).closest("tr")!;
    expect(row).toHaveTextContent("September 2025");
    expect(row).not.toHaveTextContent("1 Sep");
    expect(row).toHaveTextContent("Nasional");
    renderApp("/meetings/6");
    const facts = await screen.findByTestId("meeting-facts");
    expect(facts).toHaveTextContent("September 2025");
    expect(facts).toHaveTextContent("Nasional");
    expect(facts).toHaveTextContent("Kota Pekalongan (2 orang)");
  });

  it("a stale follow-up status change shows what someone else changed; a blank new follow-up shows the 422 by the field", async () => {
    const { calls } = api();
    renderApp("/meetings/5");
    const fu = await screen.findByTestId("follow-up-table");
    const late = within(fu).getByText(overdue.action).closest("tr")!;
    let dialog = await openDialog("Ubah status", late);
    await press(dialog);
    await staleDiff(dialog, "in_progress");
    expect(lastCall(calls, "PATCH")?.headers.get("If-Match")).toBe('"1"');
    await press(dialog, "Batal");

    dialog = await openDialog("Tambah tindak lanjut");
    await press(dialog);
    expect(await within(dialog).findByText("String should have at least 1 character")).toBeInTheDocument();
  });

  it("lists follow-ups across meetings, filtered from the link's query", async () => {
    const { calls } = api();
    renderApp("/follow-ups?region=33.75&overdue=true");
    const fu = await screen.findByTestId("follow-up-table");
    expect(within(fu).getByText(overdue.action)).toBeInTheDocument();
    expect(within(fu).queryByText(done.action)).toBeNull();
    expect(within(fu).getAllByRole("link", { name: meeting.title })[0]).toHaveAttribute("href", "/meetings/5");
    const call = calls.find((c) => c.path === "/api/v1/follow-ups")!;
    expect(call.url.searchParams.get("region")).toBe("33.75");
    expect(call.url.searchParams.get("overdue")).toBe("true");
  });

  it("records a new meeting: 422 by the title, then the agenda one item per line", async () => {
    const { calls } = api();
    renderApp("/meetings");
    await userEvent.click(await screen.findByRole("link", { name: "Catat rapat" }));
    await userEvent.click(await screen.findByRole("button", { name: "Simpan" }));
    expect(await screen.findByText("String should have at least 1 character")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Judul rapat/), "Rapat Koordinasi Posyandu");
    await userEvent.type(screen.getByLabelText(/^Agenda/), "Progres SK{Enter}{Enter}Penataan PKK");
    await press(document.body);
    expect(await screen.findByTestId("meeting-title")).toHaveTextContent("Rapat Koordinasi Posyandu");
    const post = lastCall(calls, "POST")!;
    expect((post.body as { agenda: string[]; region_code: string }).agenda).toEqual(["Progres SK", "Penataan PKK"]);
    expect((post.body as { region_code: string }).region_code).toBe("33.75");
  });

  it("records a meeting known only to its month as the month's first day", async () => {
    const { calls } = api();
    renderApp("/meetings/new");
    await userEvent.type(await screen.findByLabelText(/Judul rapat/), "Rakor");
    await enterDate(screen.getByLabelText(/^Tanggal/), "15/07/2025");
    await userEvent.click(screen.getByLabelText("Hanya bulannya yang diketahui"));
    await press(document.body);
    await screen.findByTestId("meeting-title");
    const body = lastCall(calls, "POST")!.body as { held_on: string; held_on_precision: string };
    expect([body.held_on, body.held_on_precision]).toEqual(["2025-07-01", "month"]);
  });

  it("keeps the follow-ups' status filter and page in the URL, and opens a link's filters and page", async () => {
    const { calls } = api({ "GET /api/v1/follow-ups": () => ({ body: page([overdue, done], 40) }) });
    const lastCall = () => calls.filter((c) => c.path === "/api/v1/follow-ups").at(-1)!.url.searchParams;
    const view = renderApp("/follow-ups");
    await screen.findByTestId("follow-up-table");
    await choose("Status", "Selesai");
    await waitFor(() => expect(view.search().get("status")).toBe("done"));
    await waitFor(() => expect(lastCall().get("status")).toBe("done"));
    await userEvent.click(screen.getByRole("button", { name: "Halaman 2" }));
    await waitFor(() => expect(view.search().get("offset")).toBe("25"));
    await waitFor(() => expect(lastCall().get("offset")).toBe("25"));
    view.unmount();

    // the same URL, reloaded or shared, shows the same page of the same list
    const again = renderApp("/follow-ups?status=done&offset=25");
    await screen.findByTestId("follow-up-table");
    expect(Object.fromEntries(lastCall())).toMatchObject({ status: "done", offset: "25" });
    expect(screen.getByRole("textbox", { name: "Status" })).toHaveValue("Selesai");
    expect(again.search().get("offset")).toBe("25");
  });
  it("edits a meeting with its version: a speaker added, the legal basis kept, lists replaced whole", async () => {
    const { calls } = api({
      "GET /api/v1/legal-references": () => ({ body: page([{ id: 4, kind: "permendagri", number: "13", year: 2024, title: "Posyandu", issuer: null, notes: null, citation: "Permendagri No. 13 Tahun 2024", provenance: null, created_at: "", updated_at: "", version: 1, allowed_actions: [] }]) }),
      "PATCH /api/v1/meetings/5": async (req) =>
        req.headers.get("If-Match") === '"2"' ? { body: { ...meeting, ...((await req.json()) as object), version: 3, follow_up_items: [] } } : problem(428, "precondition-required", "If-Match missing"),
    });
    renderApp("/meetings/5");
    await screen.findByTestId("meeting-title");
    const dialog = await openDialog("Ubah rapat");
    expect(within(dialog).getByLabelText(/Judul rapat/)).toHaveValue(meeting.title);
    await userEvent.click(within(dialog).getByRole("button", { name: "Tambah narasumber" }));
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Narasumber 2: nama atau jabatan" }), "Dinas Kesehatan");
    await userEvent.type(within(dialog).getByRole("textbox", { name: "Narasumber 2: materi" }), "Layanan primer");
    await press(dialog);
    await waitFor(() => expect(lastCall(calls, "PATCH")).toBeDefined());
    const patch = lastCall(calls, "PATCH")!;
    expect(patch.headers.get("If-Match")).toBe('"2"');
    expect(patch.body).toMatchObject({
      title: meeting.title,
      speakers: [{ name_or_office: "Kepala DPMPPA Kota Pekalongan", topic: "Penataan kelembagaan PKK" }, { name_or_office: "Dinas Kesehatan", topic: "Layanan primer" }],
      legal_reference_ids: [2],
      agenda: meeting.agenda,
    });
  }, 60_000); // types into a combobox: slow on a loaded machine

  it("uploads an attachment as multipart, shows the API's refusal, and deletes one", async () => {
    let uploads = 0;
    const { calls } = api({
      "POST /api/v1/meetings/5/attachments": () =>
        ++uploads === 1
          ? problem(415, "unsupported-media-type", "The file is not a PDF, PNG or JPEG.")
          : { status: 201, body: { id: 4, meeting_id: 5, filename: "daftar-hadir.pdf", content_type: "application/pdf", size: 10, sha256: "cd", uploaded_by: null, uploaded_at: "2025-06-27T00:00:00Z" } },
      "DELETE /api/v1/meetings/5/attachments/3": () => ({ status: 204 }),
    });
    renderApp("/meetings/5");
    const section = await screen.findByTestId("attachments");
    expect(await within(section).findByRole("link", { name: /notulen-rakor\.pdf/ })).toHaveAttribute("href", "/api/v1/meetings/5/attachments/3");
    const dialog = await openDialog("Unggah lampiran", section);
    await press(dialog);
    expect(await within(dialog).findByText("Pilih berkas")).toBeInTheDocument();
    const file = new File(["%PDF-1.4\n%%EOF\n"], "daftar-hadir.pdf", { type: "application/pdf" });
    await userEvent.upload(dialog.querySelector('input[type="file"]') as HTMLInputElement, file);
    await press(dialog);
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("not a PDF, PNG or JPEG");
    await press(dialog);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const post = lastCall(calls, "POST", "/api/v1/meetings/5/attachments")!;
    expect(post.headers.get("Content-Type")).toMatch(/^multipart\/form-data/);
    await userEvent.click(within(section).getByRole("button", { name: "Hapus lampiran notulen-rakor.pdf" }));
    await waitFor(() => expect(lastCall(calls, "DELETE")?.path).toBe("/api/v1/meetings/5/attachments/3"));
  }, 60_000); // types into a combobox: slow on a loaded machine

  it("deletes a meeting after asking, and offers nothing to a read-only account", async () => {
    const { calls } = api({ "DELETE /api/v1/meetings/5": () => ({ status: 204 }) });
    const view = renderApp("/meetings/5");
    await screen.findByTestId("meeting-title");
    await userEvent.click(screen.getByRole("button", { name: "Hapus rapat" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Ya, lanjutkan" }));
    await waitFor(() => expect(lastCall(calls, "DELETE")?.path).toBe("/api/v1/meetings/5"));
    await waitFor(() => expect(view.location().pathname).toBe("/meetings"));
    view.unmount();

    mockSignedIn({ "GET /api/v1/meetings/5": () => ({ body: { ...meeting, allowed_actions: [], follow_up_items: [] } }), "GET /api/v1/meetings/5/attachments": () => ({ body: [] }) }, VIEWER_ME);
    renderApp("/meetings/5");
    await screen.findByTestId("meeting-title");
    for (const name of ["Ubah rapat", "Hapus rapat", "Unggah lampiran"]) expect(screen.queryByRole("button", { name })).toBeNull();
  }, 60_000); // types into a combobox: slow on a loaded machine
});
