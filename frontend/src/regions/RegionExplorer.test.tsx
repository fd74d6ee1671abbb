import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { PEKALONGAN_ME, VILLAGE_OPERATOR_ACTIONS, mockApi, mockSignedIn, page, problem, renderApp, type Handler } from "../test/utils";
import type { Schemas } from "../api/client";

const kota = {
  code: "33.75", name: "Kota Pekalongan", level: "regency", type: "kota", parent_code: "33", postal_code: null, child_count: 4,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }],
} satisfies Schemas["RegionDetail"];
const timur = { code: "33.75.02", name: "Pekalongan Timur", level: "district", type: "kecamatan", parent_code: "33.75", postal_code: null, child_count: 7 } satisfies Schemas["RegionRead"];
const klego = {
  code: "33.75.02.1008", name: "Klego", level: "village", type: "kelurahan", parent_code: "33.75.02", postal_code: "51124", child_count: 0,
  ancestors: [
    { code: "33", name: "Jawa Tengah", level: "province" },
    { code: "33.75", name: "Kota Pekalongan", level: "regency" },
    { code: "33.75.02", name: "Pekalongan Timur", level: "district" },
  ],
} satisfies Schemas["RegionDetail"];

function api(extra: Record<string, Handler> = {}) {
  return mockSignedIn({
    "GET /api/v1/regions/33.75": () => ({ body: kota }),
    "GET /api/v1/regions/33.75/summary": () => ({ body: {
        region: kota, counts: { children: 4, regencies: 0, districts: 4, villages: 27 },
        budgets: { fiscal_year: 2025, budgets: 1, budgeted: 250000000, planned: 200000000, realized: 50000000, percent: 25 },
        follow_ups: { open: 3, overdue: 1 },
      } }),
    "GET /api/v1/regions/33.75/children": () => ({ body: page([timur], 4) }),
    "GET /api/v1/regions/33.75.02.1008": () => ({ body: klego }),
    "GET /api/v1/regions/36.73": () => problem(403, "out-of-scope", "Region 36.73 is outside your region (33.75)."),
    "GET /api/v1/regions": (_req, url) => ({
      body: page(url.searchParams.get("q") === "klego" ? [{ ...klego, ancestors: undefined }] : []),
    }),
    ...extra,
  });
}

describe("region explorer", () => {
  it("opens the user's own region with its summary and children", async () => {
    api();
    renderApp("/regions");
    expect(await screen.findByTestId("region-name")).toHaveTextContent("Kota Pekalongan");
    expect(await screen.findByTestId("count-villages")).toHaveTextContent("27");
    expect(screen.getByTestId("count-districts")).toHaveTextContent("4");
    const budgets = await screen.findByTestId("summary-budgets");
    expect(budgets).toHaveTextContent("Anggaran 2025");
    expect(budgets).toHaveTextContent(/Rp\s250\.000\.000/);
    expect(budgets).toHaveTextContent("25%");
    expect(within(budgets).getByRole("link")).toHaveAttribute("href", "/budgets?region=33.75&year=2025");
    expect(screen.getByTestId("overdue-link")).toHaveAttribute("href", "/follow-ups?region=33.75&overdue=true");
    expect(screen.getByTestId("summary-follow-ups")).toHaveTextContent("3 terbuka");
    const table = screen.getByTestId("region-table");
    expect(within(table).getByRole("link", { name: "Pekalongan Timur" })).toHaveAttribute("href", "/regions/33.75.02");
    // the province above the user's scope is shown, not linked
    const crumbs = screen.getByTestId("breadcrumbs");
    expect(within(crumbs).getByText("Jawa Tengah").closest("a")).toBeNull();
  });

  it("shows a village with breadcrumbs back up to the user's region", async () => {
    api();
    renderApp("/regions/33.75.02.1008");
    expect(await screen.findByTestId("region-name")).toHaveTextContent("Klego");
    const crumbs = screen.getByTestId("breadcrumbs");
    expect(within(crumbs).getByRole("link", { name: "Kota Pekalongan" })).toHaveAttribute("href", "/regions/33.75");
    expect(within(crumbs).getByRole("link", { name: "Pekalongan Timur" })).toHaveAttribute("href", "/regions/33.75.02");
    expect(screen.getByTestId("village-detail")).toHaveTextContent("51124");
  });

  it("refuses a region outside the user's scope with a clear message", async () => {
    api();
    renderApp("/regions/36.73");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Wilayah ini di luar wilayah akun Anda");
    expect(alert).toHaveTextContent("Region 36.73 is outside your region (33.75).");
    expect(screen.queryByTestId("region-name")).toBeNull();
  });

  it("searches by name", async () => {
    const { calls } = api();
    renderApp("/regions/33.75");
    await screen.findByTestId("region-name");
    await userEvent.type(screen.getByPlaceholderText(/Cari nama atau kode wilayah/), "klego");
    expect(await screen.findByRole("link", { name: "Klego" })).toHaveAttribute("href", "/regions/33.75.02.1008");
    expect(calls.some((c) => c.path === "/api/v1/regions" && c.url.searchParams.get("q") === "klego")).toBe(true);
  });

  it("keeps the search in the URL; a link with a search opens its results, and a result opens its region", async () => {
    api();
    const view = renderApp("/regions/33.75");
    await screen.findByTestId("region-name");
    await userEvent.type(screen.getByPlaceholderText(/Cari nama atau kode wilayah/), "klego");
    await waitFor(() => expect(view.search().get("q")).toBe("klego"));
    view.unmount();

    const shared = renderApp("/regions/33.75?q=klego");
    expect(await screen.findByText("Hasil pencarian")).toBeInTheDocument();
    expect(screen.getByPlaceholderText(/Cari nama atau kode wilayah/)).toHaveValue("klego");
    await userEvent.click(await screen.findByRole("link", { name: "Klego" }));
    expect(await screen.findByTestId("region-name")).toHaveTextContent("Klego");
    expect(shared.location().pathname).toBe("/regions/33.75.02.1008");
    expect(shared.location().search).toBe("");
  });

  it("keeps the page of a region's children in the URL", async () => {
    const { calls } = api({ "GET /api/v1/regions/33.75/children": () => ({ body: page([timur], 120) }) });
    const offsets = () => calls.filter((c) => c.path === "/api/v1/regions/33.75/children").map((c) => c.url.searchParams.get("offset"));
    const view = renderApp("/regions/33.75");
    await screen.findByTestId("region-table");
    await userEvent.click(screen.getByRole("button", { name: "Halaman 2" }));
    await waitFor(() => expect(view.search().get("offset")).toBe("50"));
    await waitFor(() => expect(offsets()).toContain("50"));
    view.unmount();

    renderApp("/regions/33.75?offset=100");
    await screen.findByTestId("region-table");
    expect(offsets().at(-1)).toBe("100");
  });
});

describe("region explorer for a national account", () => {
  it("starts at the provinces of Indonesia", async () => {
    mockApi({
      "GET /api/v1/auth/me": () => ({
        body: { ...PEKALONGAN_ME, name: "Admin", role: "national_admin", region: null },
      }),
      "GET /api/v1/regions": (_req, url) => ({
        body: page(
          url.searchParams.get("level") === "province"
            ? [
                { code: "33", name: "Jawa Tengah", level: "province", type: "provinsi", parent_code: null, postal_code: null, child_count: 35 },
                { code: "62", name: "Kalimantan Tengah", level: "province", type: "provinsi", parent_code: null, postal_code: null, child_count: 14 },
              ]
            : [],
          38,
        ),
      }),
    });
    renderApp("/regions");
    expect(await screen.findByText("Provinsi di Indonesia")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Kalimantan Tengah" })).toHaveAttribute("href", "/regions/62");
    expect(screen.getByText("Nasional", { exact: false })).toBeInTheDocument();
  });

  it("hides users and API clients from an account that cannot manage accounts", async () => {
    mockApi({
      "GET /api/v1/auth/me": () => ({
        body: { ...PEKALONGAN_ME, role: "village_operator", can_manage_accounts: false, region: { code: "33.75.02.1008", name: "Klego", level: "village" }, allowed_actions: VILLAGE_OPERATOR_ACTIONS },
      }),
      "GET /api/v1/regions/33.75.02.1008": () => ({ body: klego }),
    });
    renderApp("/users");
    expect(await screen.findByTestId("region-name")).toHaveTextContent("Klego");
    expect(screen.queryByRole("link", { name: "Pengguna" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Klien API" })).toBeNull();
    expect(screen.getByRole("link", { name: "Jejak audit" })).toBeInTheDocument();
  });
});
