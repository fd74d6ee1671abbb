import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { mockSignedIn, problem, renderApp } from "../test/utils";
import type { Schemas } from "../api/client";

const kota = {
  code: "33.75", name: "Kota Pekalongan", level: "regency", type: "kota", parent_code: "33", postal_code: null, child_count: 4,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }],
} satisfies Schemas["RegionDetail"];
const utara = {
  code: "33.75.04", name: "Pekalongan Selatan", level: "district", type: "kecamatan", parent_code: "33.75", postal_code: null, child_count: 6,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }, { code: "33.75", name: "Kota Pekalongan", level: "regency" }],
};

function row(code: string, name: string, level: string, expected: number, reported: number, extra: Record<string, unknown> = {}) {
  const pct = (n: number) => (expected ? Math.round((1000 * n) / expected) / 10 : null);
  return {
    region: { code, name, level }, expected, with_team: expected, issued: reported, reported, verified: 0,
    missing: expected - reported, not_reported: expected - reported,
    pct_with_team: pct(expected), pct_issued: pct(reported), pct_reported: pct(reported), pct_verified: pct(0),
    deadline: null, overdue: false, legacy_structures: 0, ...extra,
  };
}

const missing = ["Buaran Kradenan", "Jenggot", "Kradenan", "Banyurip", "Kuripan Kidul"].map((name, i) => ({
  code: `33.75.04.100${i + 3}`, name, parent_code: "33.75.04", has_team: i !== 1, issued: false, legacy_structure: i === 1, deadline: "2025-06-30", overdue: true,
}));

function board(asOf: string | null) {
  return {
    region: { code: "33.75", name: "Kota Pekalongan", level: "regency" }, level: "village", as_of: asOf, year: 2025, source: asOf ? "replay" : "counters",
    rows: [
      row("33.75.01", "Pekalongan Barat", "district", 7, 7),
      row("33.75.02", "Pekalongan Timur", "district", 7, 7),
      row("33.75.03", "Pekalongan Utara", "district", 7, 7),
      row("33.75.04", "Pekalongan Selatan", "district", 6, 1, { deadline: "2025-06-30", overdue: true, with_team: 5, legacy_structures: 1 }),
    ],
    total: row("33.75", "Kota Pekalongan", "regency", 27, 22),
    missing_reports: missing, missing_reports_total: 5,
  };
}

function api() {
  return mockSignedIn({
    "GET /api/v1/regions/33.75": () => ({ body: kota }),
    "GET /api/v1/regions/33.75.04": () => ({ body: utara }),
    "GET /api/v1/regions/33.75/compliance": (_req, url) => ({ body: board(url.searchParams.get("as_of")) }),
    "GET /api/v1/regions/33.75.04/compliance": () => ({
      body: { ...board(null), region: { code: "33.75.04", name: "Pekalongan Selatan", level: "district" }, rows: [row("33.75.04.1001", "Kuripan Lor", "village", 1, 1)], total: row("33.75.04", "Pekalongan Selatan", "district", 6, 1) },
    }),
    "GET /api/v1/regions/36.73": () => problem(403, "out-of-scope", "Region 36.73 is outside your region (33.75)."),
  });
}

describe("SK compliance board", () => {
  it("answers the headline question: 22 of 27 kelurahan, and which 5 have not reported", async () => {
    api();
    renderApp("/compliance");
    expect(await screen.findByTestId("headline")).toHaveTextContent("22 dari 27 kelurahan/desa telah menerbitkan dan melaporkan SK TP Posyandu");
    expect(screen.getByTestId("headline-reported")).toHaveTextContent("22 dari 27");
    expect(screen.getByTestId("headline-reported")).toHaveTextContent("81,5%");
    const selatan = screen.getByTestId("row-33.75.04");
    expect(within(selatan).getByRole("link", { name: "Pekalongan Selatan" })).toHaveAttribute("href", "/compliance/33.75.04?level=village");
    expect(within(selatan).getByText("Terlambat")).toBeInTheDocument();
    expect(within(selatan).getAllByText("16,7%")).toHaveLength(2); // issued and reported
    const rows = within(screen.getByTestId("missing")).getAllByTestId("missing-row");
    expect(rows).toHaveLength(5);
    expect(rows[0]).toHaveTextContent("Buaran Kradenan");
    // a kelurahan still on its old Pokja: no TP Posyandu, shown as a legacy structure
    expect(rows[1]).toHaveTextContent("Belum ada tim");
    expect(within(rows[1]).getByTestId("legacy-badge")).toHaveTextContent("struktur lama");
    expect(within(rows[0]).queryByTestId("legacy-badge")).toBeNull();
    expect(within(screen.getByTestId("compliance-table")).getByText("Struktur lama")).toBeInTheDocument();
    expect(within(rows[0]).getByRole("link", { name: "Buaran Kradenan" })).toHaveAttribute("href", "/regions/33.75.04.1003");
  });

  it("replays the board as of a date and drills down into a district", async () => {
    const { calls } = api();
    renderApp("/compliance/33.75");
    await screen.findByTestId("headline");
    const input = screen.getByLabelText("Per tanggal");
    await userEvent.type(input, "2025-06-25");
    expect(await screen.findByText(/Keadaan per/)).toBeInTheDocument();
    expect(calls.some((c) => c.path === "/api/v1/regions/33.75/compliance" && c.url.searchParams.get("as_of") === "2025-06-25")).toBe(true);
    await userEvent.click(screen.getByRole("link", { name: "Pekalongan Selatan" }));
    expect(await screen.findByTestId("board-title")).toHaveTextContent("Pekalongan Selatan");
    expect(within(screen.getByTestId("breadcrumbs")).getByRole("link", { name: "Kota Pekalongan" })).toHaveAttribute("href", "/compliance/33.75?level=village");
  });

  it("refuses a region outside the user's scope with a clear message", async () => {
    api();
    renderApp("/compliance/36.73");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Wilayah ini di luar wilayah akun Anda");
    expect(screen.queryByTestId("headline")).toBeNull();
    expect(screen.getByRole("link", { name: /Kembali ke Kota Pekalongan/ })).toHaveAttribute("href", "/compliance/33.75");
  });
});
