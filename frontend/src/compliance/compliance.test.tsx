import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { enterDate, mockSignedIn, problem, renderApp } from "../test/utils";
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
  regency: { code: "33.75", name: "Kota Pekalongan", level: "regency" }, district: { code: "33.75.04", name: "Pekalongan Selatan", level: "district" },
}));

function missingPage(offset: number, limit: number) {
  return {
    items: missing.slice(offset, offset + limit), total: 5, limit, offset, level: "village", as_of: null, year: 2025,
    groups: [{ regency: { code: "33.75", name: "Kota Pekalongan", level: "regency" }, not_reported: 5, overdue: true }],
  };
}

const sheet = {
  region: { code: "33.75.04.1003", name: "Buaran Kradenan", level: "village" },
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }, { code: "33.75", name: "Kota Pekalongan", level: "regency" }, { code: "33.75.04", name: "Pekalongan Selatan", level: "district" }],
  today: "2025-07-15", stage: "issued", late: true, legacy_structure: false,
  team: { id: 9, name: "TP Posyandu Buaran Kradenan", kind: "tp_posyandu", formed_on: null, member_count: 2 },
  decree: {
    id: 31, title: "SK TP Posyandu", number: "12/2025", decree_date: "2025-05-04", status: "issued", has_file: false,
    last_transition: { id: 1, decree_id: 31, action: "issue", from_status: "draft", to_status: "issued", reason: null, effective_date: "2025-05-04", actor: "user:3", actor_name: "Operator", occurred_at: "2025-05-04T03:00:00Z" },
  },
  deadline: "2025-06-30", overdue: true, days_late: 15,
  what_is_late: "SK TP Posyandu sudah diterbitkan tetapi belum dilaporkan",
  reminder: "Yth. Bapak/Ibu",
  contacts: [
    { kind: "account", id: 4, name: "Operator Buaran", role: "village_operator", institution: null, phone: "+6281122223333", email: "buaran@example.id",
      tel_url: "tel:+6281122223333", mailto_url: "mailto:buaran@example.id?body=x", whatsapp_url: "https://wa.me/6281122223333?text=Yth.%20Bapak%2FIbu" },
    { kind: "member", id: 8, name: "Siti", role: "Ketua", institution: "Kelurahan", phone: null, email: null, tel_url: null, mailto_url: null, whatsapp_url: null },
  ],
  allowed_actions: ["view_contacts"],
} satisfies Schemas["ChaseSheet"];

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
    missing_reports: [], missing_reports_total: 5,
  };
}

function api(chase: Schemas["ChaseSheet"] = sheet) {
  return mockSignedIn({
    "GET /api/v1/regions/33.75": () => ({ body: kota }),
    "GET /api/v1/regions/33.75.04": () => ({ body: utara }),
    "GET /api/v1/regions/33.75/compliance": (_req, url) => ({ body: board(url.searchParams.get("as_of")) }),
    "GET /api/v1/regions/33.75/compliance/missing": (_req, url) => ({ body: missingPage(Number(url.searchParams.get("offset")), Number(url.searchParams.get("limit"))) }),
    "GET /api/v1/regions/33.75.04.1003/chase": () => ({ body: chase }),
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
    const rows = await within(screen.getByTestId("missing")).findAllByTestId("missing-row");
    expect(rows).toHaveLength(5);
    expect(rows[0]).toHaveTextContent("Buaran Kradenan");
    // a kelurahan still on its old Pokja: no TP Posyandu, shown as a legacy structure
    expect(rows[1]).toHaveTextContent("Belum ada tim");
    expect(within(rows[1]).getByTestId("legacy-badge")).toHaveTextContent("struktur lama");
    expect(within(rows[0]).queryByTestId("legacy-badge")).toBeNull();
    expect(within(screen.getByTestId("compliance-table")).getByText("Struktur lama")).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent("Pekalongan Selatan"); // its kecamatan
    expect(screen.getByTestId("missing-group-title")).toHaveTextContent("Kota Pekalongan — 5 belum melaporkan");
  });

  it("reads the missing list a page at a time, never the whole list with the board", async () => {
    const { calls } = api();
    renderApp("/compliance/33.75");
    await within(await screen.findByTestId("missing")).findAllByTestId("missing-row");
    expect(calls.find((c) => c.path === "/api/v1/regions/33.75/compliance")!.url.searchParams.get("missing_limit")).toBe("0");
    const page = calls.find((c) => c.path === "/api/v1/regions/33.75/compliance/missing")!;
    expect([page.url.searchParams.get("offset"), page.url.searchParams.get("limit")]).toEqual(["0", "50"]);
  });

  it("sorts the per-region table by any column and ranks the regions", async () => {
    api();
    renderApp("/compliance/33.75");
    const table = await screen.findByTestId("compliance-table");
    const names = () => within(table).getAllByRole("row").slice(1, 5).map((r) => r.querySelector("td")!.textContent);
    await userEvent.click(within(table).getByTestId("sort-reported"));
    expect(names()[0]).toBe("Pekalongan Barat");
    expect(names()[3]).toBe("Pekalongan Selatan");
    await userEvent.click(within(table).getByTestId("sort-reported"));
    expect(names()[0]).toBe("Pekalongan Selatan");
    expect(within(table).getByTestId("sort-reported").closest("th")).toHaveAttribute("aria-sort", "ascending");
    await userEvent.click(within(table).getByTestId("sort-name"));
    expect(names()).toEqual(["Pekalongan Barat", "Pekalongan Selatan", "Pekalongan Timur", "Pekalongan Utara"]);
    expect(screen.getByText("Peringkat: SK dilaporkan (%)")).toBeInTheDocument();
  });

  it("opens a late village: its team, SK, days late and the WhatsApp, phone and e-mail links", async () => {
    api();
    renderApp("/compliance/33.75");
    const rows = await within(await screen.findByTestId("missing")).findAllByTestId("missing-row");
    await userEvent.click(within(rows[0]).getByRole("button", { name: "Buaran Kradenan" }));
    const drawer = await screen.findByTestId("chase-sheet");
    expect(within(drawer).getByTestId("days-late")).toHaveTextContent("Terlambat 15 hari dari batas 30/06/2025");
    expect(within(drawer).getByText("SK terbit, belum dilaporkan")).toBeInTheDocument();
    expect(within(drawer).getByRole("link", { name: /TP Posyandu Buaran Kradenan/ })).toHaveAttribute("href", "/teams/9");
    expect(within(drawer).getByRole("link", { name: "12/2025" })).toHaveAttribute("href", "/decrees/31");
    expect(within(drawer).getByTestId("whatsapp-link")).toHaveAttribute("href", "https://wa.me/6281122223333?text=Yth.%20Bapak%2FIbu");
    expect(within(drawer).getByRole("link", { name: "+6281122223333" })).toHaveAttribute("href", "tel:+6281122223333");
    expect(within(drawer).getByTestId("mailto-link")).toHaveAttribute("href", "mailto:buaran@example.id?body=x");
    expect(within(drawer).getAllByTestId("contact-row")[1]).toHaveTextContent("Tanpa telepon atau surel");
  });

  it("says so when the account may not see contacts", async () => {
    api({ ...sheet, contacts: null, allowed_actions: [] });
    renderApp("/compliance/33.75?chase=33.75.04.1003");
    expect(await screen.findByTestId("contacts-hidden")).toHaveTextContent("Kontak hanya dapat dilihat");
    expect(screen.queryByTestId("whatsapp-link")).toBeNull();
  });

  it("replays the board as of a date and drills down into a district", async () => {
    const { calls } = api();
    renderApp("/compliance/33.75");
    await screen.findByTestId("headline");
    const input = screen.getByLabelText("Per tanggal");
    await enterDate(input, "25/06/2025");
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
