import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { VIEWER_ME, confirmYes, dialogClosed, lastCall, mockSignedIn, openDialog, page, press, problem, readOnly, renderApp, sent, type Handler } from "../test/utils";

type Entrant = Schemas["EntrantRead"];
const criteria = [{ name: "Kelembagaan", weight: 60 }, { name: "Layanan", weight: 40 }];
const entrant = (id: number, name: string, scores: Record<string, number>, final_rank: number | null = null): Entrant => {
  const total = criteria.reduce((s, c) => s + (scores[c.name] ?? 0) * c.weight, 0) / 100;
  return { id, posyandu_id: id + 100, team_id: null, name, region_code: "33.75.02.1008", scores, total, complete: Object.keys(scores).length === 2, final_rank };
};
const anggrek = entrant(1, "Posyandu Anggrek", { Kelembagaan: 80, Layanan: 90 });
const cempaka = entrant(2, "Posyandu Cempaka", { Kelembagaan: 70 });
const competition = {
  id: 6, region_code: "33.75", region_name: "Kota Pekalongan", level: "regency", title: "Lomba Posyandu Kota Pekalongan 2025", year: 2025, category: "posyandu",
  status: "scoring", criteria, prizes: [], notes: null, entrant_count: 2, finalized_at: null,
  created_at: "2025-01-10T00:00:00Z", updated_at: "2025-01-10T00:00:00Z", version: 4, provenance: null,
  allowed_actions: ["update", "delete", "add_entrant", "score", "finalize"], entrants: [anggrek, cempaka],
} satisfies Schemas["CompetitionDetail"];
const ranking = (c: Schemas["CompetitionDetail"]) => ({
  competition_id: 6, status: c.status, final: c.status === "final",
  rows: [...c.entrants].sort((a, b) => b.total - a.total).map((e, i) => ({ rank: i + 1, entrant: e, prize: c.prizes.find((p) => p.rank === i + 1)?.prize ?? null })),
});

function api(c: Schemas["CompetitionDetail"] = competition, extra: Record<string, Handler> = {}, me = undefined as Parameters<typeof mockSignedIn>[1]) {
  return mockSignedIn(
    {
      "GET /api/v1/competitions": () => ({ body: page([c]) }),
      "GET /api/v1/competitions/6": () => ({ body: c, headers: { ETag: `"${c.version}"` } }),
      "GET /api/v1/competitions/6/ranking": () => ({ body: ranking(c) }),
      "GET /api/v1/posyandu": () => ({ body: page([{ id: 103, name: "Posyandu Dahlia", region_code: "33.75.02.1009" }]) }),
      ...extra,
    },
    me,
  );
}

describe("competitions", () => {
  it("lists competitions and shows one with its criteria, entrants' scores and the provisional ranking", async () => {
    api();
    renderApp("/competitions");
    const table = await screen.findByTestId("competition-table");
    expect(within(table).getByText("Penilaian")).toBeInTheDocument();
    await userEvent.click(within(table).getByRole("link", { name: "Lomba Posyandu Kota Pekalongan 2025" }));
    expect(await screen.findByTestId("competition-title")).toHaveTextContent("Lomba Posyandu Kota Pekalongan 2025");
    expect(within(screen.getByTestId("criteria")).getByText("60%")).toBeInTheDocument();
    const entrants = screen.getByTestId("entrants");
    expect(within(entrants).getByRole("link", { name: "Posyandu Anggrek" })).toHaveAttribute("href", "/posyandu/101");
    expect(within(entrants).getByText("84")).toBeInTheDocument(); // 80 × 60% + 90 × 40%
    expect(within(entrants).getByText("Belum lengkap")).toBeInTheDocument();
    const rows = within(await screen.findByTestId("ranking")).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("Posyandu Anggrek");
    expect(screen.getByText(/Peringkat sementara/)).toBeInTheDocument();
  }, 60_000);

  it("adds an entrant, scores one on every criterion, and withdraws one after asking", async () => {
    const { calls } = api(competition, {
      "POST /api/v1/competitions/6/entrants": () => ({ status: 201, body: entrant(3, "Posyandu Dahlia", {}) }),
      "PUT /api/v1/competitions/6/scores": () => ({ body: ranking(competition) }),
      "DELETE /api/v1/competitions/6/entrants/2": () => ({ status: 204 }),
    });
    renderApp("/competitions/6");
    await screen.findByTestId("competition-title");
    let dialog = await openDialog("Tambah peserta");
    await userEvent.click(within(dialog).getByRole("textbox", { name: "Posyandu" }));
    await userEvent.click(await screen.findByRole("option", { name: "Posyandu Dahlia (33.75.02.1009)", hidden: true }));
    await press(dialog);
    await sent(calls, "POST", "/api/v1/competitions/6/entrants");
    expect(lastCall(calls, "POST")!.body).toEqual({ posyandu_id: 103 });
    expect(lastCall(calls, "GET", "/api/v1/posyandu")!.url.searchParams.get("region")).toBe("33.75");
    await dialogClosed();

    dialog = await openDialog("Nilai Posyandu Cempaka");
    const layanan = within(dialog).getByRole("textbox", { name: "Layanan (40%)" });
    await userEvent.type(layanan, "75");
    await press(dialog);
    await sent(calls, "PUT", "/api/v1/competitions/6/scores");
    expect(lastCall(calls, "PUT")!.body).toEqual({
      scores: [
        { entrant_id: 2, criterion: "Kelembagaan", score: 70 },
        { entrant_id: 2, criterion: "Layanan", score: 75 },
      ],
    });
    await dialogClosed();

    await userEvent.click(screen.getByRole("button", { name: "Keluarkan Posyandu Cempaka" }));
    await confirmYes("Keluarkan Posyandu Cempaka dari lomba?");
    await sent(calls, "DELETE", "/api/v1/competitions/6/entrants/2");
  }, 60_000);

  it("finalizes after a warning, with prizes and If-Match; then shows the winners read-only", async () => {
    let current: Schemas["CompetitionDetail"] = { ...competition, entrants: [anggrek, entrant(2, "Posyandu Cempaka", { Kelembagaan: 70, Layanan: 60 })] };
    const { calls } = api(undefined, {
      "GET /api/v1/competitions/6": () => ({ body: current, headers: { ETag: `"${current.version}"` } }),
      "GET /api/v1/competitions/6/ranking": () => ({ body: ranking(current) }),
      "POST /api/v1/competitions/6/finalize": async (req) => {
        const body = (await req.json()) as Schemas["FinalizeRequest"];
        current = {
          ...current, status: "final", version: 5, prizes: body.prizes ?? [], finalized_at: "2025-08-17T03:00:00Z", allowed_actions: ["update", "delete"],
          entrants: current.entrants.map((e) => ({ ...e, final_rank: e.id === 1 ? 1 : 2 })),
        };
        return { body: current };
      },
    });
    renderApp("/competitions/6");
    await screen.findByTestId("competition-title");
    const dialog = await openDialog("Finalkan");
    expect(dialog).toHaveTextContent("Tidak dapat dibatalkan");
    const first = within(dialog).getByRole("textbox", { name: "Hadiah peringkat 1" });
    await userEvent.clear(first);
    await userEvent.type(first, "Piala Wali Kota");
    await press(dialog, "Ya, finalkan");
    await sent(calls, "POST", "/api/v1/competitions/6/finalize");
    const post = lastCall(calls, "POST")!;
    expect(post.headers.get("If-Match")).toBe('"4"');
    expect(post.body).toEqual({ prizes: [{ rank: 1, prize: "Piala Wali Kota" }, { rank: 2, prize: "Juara 2" }] });
    await dialogClosed();
    const winners = await screen.findByTestId("winners");
    expect(within(winners).getByText("Juara 1").closest("div.mantine-Card-root")).toHaveTextContent("Posyandu Anggrek");
    expect(winners).toHaveTextContent("Piala Wali Kota");
    expect(screen.getByTestId("final-note")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("button", { name: "Finalkan" })).toBeNull());
    expect(screen.queryByRole("button", { name: "Tambah peserta" })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Nilai / })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Keluarkan / })).toBeNull();
  }, 60_000);

  it("shows the API's refusal to finalize", async () => {
    api(competition, { "POST /api/v1/competitions/6/finalize": () => problem(409, "conflict", "Not every entrant is scored on every criterion: Posyandu Cempaka.") });
    renderApp("/competitions/6");
    await screen.findByTestId("competition-title");
    const dialog = await openDialog("Finalkan");
    expect(within(dialog).getByTestId("unscored")).toHaveTextContent("Posyandu Cempaka");
    await press(dialog, "Ya, finalkan");
    expect(await within(dialog).findByText(/Not every entrant is scored/)).toBeInTheDocument();
  }, 60_000);

  it("offers a read-only account nothing to change", async () => {
    api(readOnly(competition), {}, VIEWER_ME);
    renderApp("/competitions/6");
    await screen.findByTestId("competition-title");
    await screen.findByTestId("ranking");
    for (const name of ["Ubah", "Hapus", "Tambah peserta", "Finalkan"]) expect(screen.queryByRole("button", { name })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Nilai / })).toBeNull();
  });
});
