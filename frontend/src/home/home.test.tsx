import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Me, Schemas } from "../api/client";
import { PEKALONGAN_ME, VILLAGE_OPERATOR_ACTIONS, mockSignedIn, page, renderApp, type Handler } from "../test/utils";

const ADMIN_ME: Me = { ...PEKALONGAN_ME, name: "Admin Nasional", username: "admin", role: "national_admin", region: null };
const KALTENG_ME: Me = { ...PEKALONGAN_ME, name: "DPMD Kalimantan Tengah", username: "dpmd.kalteng", role: "province_coordinator", region: { code: "62", name: "Kalimantan Tengah", level: "province" } };
const KLEGO_ME: Me = { ...PEKALONGAN_ME, name: "Operator Klego", username: "kel.klego", role: "village_operator", region: { code: "33.75.02.1008", name: "Klego", level: "village" }, can_manage_accounts: false, allowed_actions: VILLAGE_OPERATOR_ACTIONS };

function counts(level: Schemas["RegionLevel"], expected: number, reported: number, issued = reported, verified = 0) {
  const pct = (n: number) => (expected ? Math.round((1000 * n) / expected) / 10 : null);
  return {
    level, expected, with_team: issued, issued, reported, verified, missing: expected - issued, not_reported: expected - reported,
    pct_with_team: pct(issued), pct_issued: pct(issued), pct_reported: pct(reported), pct_verified: pct(verified), legacy_structures: 0,
  };
}

function summary(region: { code: string; name: string; level: string } | null, villages: number, reported: number) {
  return {
    region: region && { ...region, type: "x", parent_code: null, postal_code: null, child_count: 0 },
    counts: { children: 0, regencies: 0, districts: 0, villages },
    compliance: [counts("village", villages, reported, reported + 1)],
    posyandu: {
      count: 40, active: 38,
      registration: { registered: 12, in_pipeline: 5, unregistered: 23, by_status: { unregistered: 20, proposed: 3, verified: 1, submitted: 1, registered: 12, returned: 3, rejected: 0 } },
      spm_coverage: { kesehatan: 40, pendidikan: 30, sosial: 10, trantibumlinmas: 5, perumahan_rakyat: 2, pekerjaan_umum: 1 },
      pilots: 2,
    },
    budgets: { fiscal_year: 2025, budgets: 1, budgeted: 250000000, planned: 200000000, realized: 50000000, percent: 25 },
    follow_ups: { open: 3, overdue: 1 },
    allowed_actions: [],
  };
}

function row(code: string, name: string, level: string, expected: number, reported: number) {
  const { level: _, ...c } = counts("village", expected, reported);
  return { ...c, region: { code, name, level }, deadline: null, overdue: false };
}

function trends(region: { code: string; name: string; level: string } | null, expected: number) {
  const months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"];
  return {
    region, level: "village", expected,
    points: months.map((m, i) => ({ month: m, as_of: `${m}-28`, with_team: i, issued: i, reported: Math.max(0, i - 1), verified: Math.max(0, i - 3), posyandu: 40, registered: i, in_pipeline: 2 })),
  };
}

const board = (region: { code: string; name: string; level: string }, rows: ReturnType<typeof row>[], total: ReturnType<typeof row>) => ({
  region, level: "village", as_of: null, year: 2026, source: "counters", rows, total, missing_reports: [], missing_reports_total: total.not_reported,
});

describe("home (Beranda)", () => {
  it("a city coordinator lands on its home: the headline, a card per domain with its screen and region filter, its kecamatan ranked, the trends", async () => {
    const kota = { code: "33.75", name: "Kota Pekalongan", level: "regency" };
    const { calls } = mockSignedIn({
      "GET /api/v1/regions/33.75/summary": () => ({ body: summary(kota, 27, 22) }),
      "GET /api/v1/regions/33.75/compliance": () => ({
        body: board(kota, [row("33.75.01", "Pekalongan Barat", "district", 7, 7), row("33.75.04", "Pekalongan Selatan", "district", 6, 1)], row("33.75", "Kota Pekalongan", "regency", 27, 22)),
      }),
      "GET /api/v1/regions/33.75/trends": () => ({ body: trends(kota, 27) }),
    });
    const app = renderApp("/");
    expect(await screen.findByTestId("home-headline")).toHaveTextContent("22 dari 27 kelurahan/desa telah menerbitkan dan melaporkan SK TP Posyandu");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Beranda — Kota Pekalongan");
    const sk = screen.getByTestId("kpi-compliance");
    expect(sk).toHaveTextContent("22 dari 27");
    expect(within(sk).getByRole("link", { name: /Papan kepatuhan SK/ })).toHaveAttribute("href", "/compliance/33.75");
    const reg = screen.getByTestId("kpi-registration");
    expect(reg).toHaveTextContent("12 dari 40");
    expect(within(reg).getByRole("link", { name: /Registri posyandu/ })).toHaveAttribute("href", "/posyandu?region=33.75");
    expect(within(reg).getByRole("link", { name: "12 terdaftar" })).toHaveAttribute("href", "/posyandu?status=registered&region=33.75");
    expect(screen.getByTestId("kpi-spm")).toHaveTextContent("Pendidikan30 (75%)");
    expect(screen.getByTestId("kpi-pilots")).toHaveTextContent("2");
    expect(within(screen.getByTestId("kpi-budgets")).getByRole("link")).toHaveAttribute("href", "/budgets?region=33.75&year=2025");
    expect(within(screen.getByTestId("kpi-follow-ups")).getByRole("link", { name: "1 lewat tenggat" })).toHaveAttribute("href", "/follow-ups?overdue=true&region=33.75");

    const ranked = await screen.findByTestId("home-ranked");
    expect(ranked).toHaveTextContent("Peringkat kecamatan");
    expect(within(ranked).getByTestId("row-33.75.04")).toHaveTextContent("Pekalongan Selatan");
    expect(await screen.findByTestId("trend-sk")).toHaveTextContent("(27 kelurahan/desa)");
    expect(screen.getByTestId("trend-registration")).toBeInTheDocument();
    expect(app.location().pathname).toBe("/");
    expect(calls.some((c) => c.path === "/api/v1/regions/33.75/trends")).toBe(true);
    // the nav names the home, and it is the active item
    expect(screen.getByRole("link", { name: "Beranda" })).toHaveAttribute("data-active", "true");
  });

  it("a national admin sees the nation and the 38 provinces ranked from the national board", async () => {
    const { calls } = mockSignedIn(
      {
        "GET /api/v1/regions/summary": () => ({ body: summary(null, 83763, 1200) }),
        "GET /api/v1/regions/compliance": () => ({
          body: { level: "village", as_of: null, year: 2026, source: "counters", rows: [row("33", "Jawa Tengah", "province", 8562, 900), row("62", "Kalimantan Tengah", "province", 1576, 300)], total: counts("village", 83763, 1200) },
        }),
        "GET /api/v1/regions/trends": () => ({ body: trends(null, 83763) }),
      },
      ADMIN_ME,
    );
    renderApp("/");
    expect(await screen.findByTestId("home-headline")).toHaveTextContent("1.200 dari 83.763 kelurahan/desa");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Beranda — Indonesia");
    expect(within(screen.getByTestId("kpi-compliance")).getByRole("link")).toHaveAttribute("href", "/compliance");
    expect(within(screen.getByTestId("kpi-registration")).getByRole("link", { name: /Registri posyandu/ })).toHaveAttribute("href", "/posyandu");
    const ranked = await screen.findByTestId("home-ranked");
    expect(ranked).toHaveTextContent("Peringkat provinsi");
    expect(within(ranked).getByTestId("row-62")).toHaveTextContent("Kalimantan Tengah");
    expect(within(ranked).getByTestId("row-total")).toHaveTextContent("Jumlah83.763");
    await screen.findByTestId("trend-sk");
    expect(calls.some((c) => c.path.startsWith("/api/v1/regions/") && c.path.endsWith("/summary") && c.path !== "/api/v1/regions/summary")).toBe(false);
  });

  it("a province coordinator sees its kab/kota ranked, sortable by any column", async () => {
    const kalteng = { code: "62", name: "Kalimantan Tengah", level: "province" };
    mockSignedIn(
      {
        "GET /api/v1/regions/62/summary": () => ({ body: summary(kalteng, 1576, 300) }),
        "GET /api/v1/regions/62/compliance": () => ({
          body: board(kalteng, [row("62.01", "Kotawaringin Barat", "regency", 100, 10), row("62.71", "Kota Palangka Raya", "regency", 30, 25)], row("62", "Kalimantan Tengah", "province", 1576, 300)),
        }),
        "GET /api/v1/regions/62/trends": () => ({ body: trends(kalteng, 1576) }),
      },
      KALTENG_ME,
    );
    renderApp("/");
    const ranked = await screen.findByTestId("home-ranked");
    expect(ranked).toHaveTextContent("Peringkat kabupaten/kota");
    const names = () => within(within(ranked).getByTestId("compliance-table")).getAllByRole("link").map((a) => a.textContent);
    expect(names()).toEqual(["Kotawaringin Barat", "Kota Palangka Raya"]);
    within(ranked).getByTestId("sort-reported").click();
    await waitFor(() => expect(names()).toEqual(["Kota Palangka Raya", "Kotawaringin Barat"]));
    expect(screen.getByTestId("ranking")).toBeInTheDocument();
  });

  it("a village operator sees its own card: its team, its SK and deadline, its posyandu and their readiness; no compliance board is asked", async () => {
    const klego = { code: "33.75.02.1008", name: "Klego", level: "village" };
    const handlers: Record<string, Handler> = {
      "GET /api/v1/regions/33.75.02.1008/summary": () => ({ body: { ...summary(klego, 1, 0), compliance: [counts("village", 1, 0, 1)] } }),
      "GET /api/v1/regions/33.75.02.1008/trends": () => ({ body: trends(klego, 1) }),
      "GET /api/v1/regions/33.75.02.1008/chase": () => ({
        body: {
          region: klego, ancestors: [], today: "2026-12-07", stage: "issued", late: true, legacy_structure: false,
          team: { id: 9, name: "TP Posyandu Klego", kind: "tp_posyandu", formed_on: "2025-02-01", member_count: 5 },
          decree: { id: 31, title: "SK TP Posyandu Klego", number: "12/2025", decree_date: "2025-05-04", status: "issued", has_file: false, last_transition: null },
          deadline: "2026-06-30", overdue: true, days_late: 160, what_is_late: "SK TP Posyandu sudah diterbitkan tetapi belum dilaporkan", reminder: "", contacts: null, allowed_actions: [],
        },
      }),
      "GET /api/v1/posyandu": () => ({
        body: page([
          { id: 1, name: "Posyandu Melati", region_code: "33.75.02.1008", registration_status: "unregistered" },
          { id: 2, name: "Posyandu Mawar", region_code: "33.75.02.1008", registration_status: "registered" },
        ]),
      }),
      "GET /api/v1/posyandu/1/registration/readiness": () => ({
        body: { posyandu_id: 1, registration_status: "unregistered", ready: false, missing: [{ code: "missing_document:sk_pengurus", message: "SK pengurus belum diunggah." }], documents: {}, pengurus_kader: 20, min_pengurus_kader: 15, sk_required: true },
      }),
    };
    const { calls } = mockSignedIn(handlers, KLEGO_ME);
    renderApp("/");
    expect(await screen.findByTestId("home-headline")).toHaveTextContent("Klego telah menerbitkan SK TP Posyandu, tetapi belum melaporkannya");
    const card = await screen.findByTestId("village-card");
    expect(await within(card).findByTestId("village-team")).toHaveAttribute("href", "/teams/9");
    expect(within(card).getByTestId("village-stage")).toHaveTextContent("SK terbit, belum dilaporkan");
    expect(within(card).getByTestId("village-decree")).toHaveTextContent("SK TP Posyandu Klego (12/2025)");
    expect(within(card).getByTestId("village-deadline")).toHaveTextContent("Terlambat 160 hari");
    const table = await within(card).findByTestId("village-posyandu");
    expect(await within(table).findByText("SK pengurus belum diunggah.")).toBeInTheDocument();
    expect(within(table).getByText("1 kekurangan")).toBeInTheDocument();
    expect(screen.queryByTestId("kpi-compliance")).toBeNull();
    expect(screen.queryByTestId("home-ranked")).toBeNull();
    expect(await screen.findByTestId("trend-registration")).toBeInTheDocument();
    // only the posyandu still to be proposed are checked; no board for a village (it would be a 422)
    expect(calls.some((c) => c.path === "/api/v1/posyandu/2/registration/readiness")).toBe(false);
    expect(calls.some((c) => c.path.includes("/compliance"))).toBe(false);
  });

  it("the village operator's compliance board shows its card instead of a refused request", async () => {
    const klego = {
      code: "33.75.02.1008", name: "Klego", level: "village", type: "kelurahan", parent_code: "33.75.02", postal_code: "51124", child_count: 0,
      ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }, { code: "33.75", name: "Kota Pekalongan", level: "regency" }, { code: "33.75.02", name: "Pekalongan Timur", level: "district" }],
    };
    const { calls } = mockSignedIn(
      {
        "GET /api/v1/regions/33.75.02.1008": () => ({ body: klego }),
        "GET /api/v1/regions/33.75.02.1008/chase": () => ({
          body: { region: klego, ancestors: [], today: "2026-12-07", stage: "no_team", late: true, legacy_structure: false, team: null, decree: null, deadline: null, overdue: false, days_late: null, what_is_late: "Belum ada TP Posyandu", reminder: "", contacts: null, allowed_actions: [] },
        }),
        "GET /api/v1/posyandu": () => ({ body: page([]) }),
      },
      KLEGO_ME,
    );
    const app = renderApp("/compliance");
    const card = await screen.findByTestId("village-card");
    expect(await within(card).findByRole("link", { name: "Belum ada TP Posyandu — bentuk tim" })).toHaveAttribute("href", "/teams?region=33.75.02.1008");
    expect(card).toHaveTextContent("Belum ada posyandu tercatat");
    expect(app.location().pathname).toBe("/compliance/33.75.02.1008");
    expect(screen.queryByText(/tidak memiliki wilayah di bawahnya/)).toBeNull();
    expect(calls.some((c) => c.path.endsWith("/compliance"))).toBe(false);
  });

  it("the national admin's compliance board is the nation's: the 38 provinces, not the region list", async () => {
    mockSignedIn(
      {
        "GET /api/v1/regions/compliance": (_req, url) => ({
          body: { level: url.searchParams.get("level"), as_of: null, year: 2026, source: "counters", rows: [row("33", "Jawa Tengah", "province", 8562, 900), row("62", "Kalimantan Tengah", "province", 1576, 300)], total: counts("village", 83763, 1200) },
        }),
      },
      ADMIN_ME,
    );
    const app = renderApp("/compliance");
    expect(await screen.findByTestId("board-title")).toHaveTextContent("Kepatuhan SK TP Posyandu — Indonesia");
    expect(await screen.findByTestId("headline")).toHaveTextContent("1.200 dari 83.763 kelurahan/desa");
    expect(within(screen.getByTestId("row-62")).getByRole("link", { name: "Kalimantan Tengah" })).toHaveAttribute("href", "/compliance/62?level=village");
    expect(app.location().pathname).toBe("/compliance");
  });
});
