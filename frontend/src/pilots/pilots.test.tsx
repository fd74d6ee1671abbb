import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { lastCall, mockSignedIn, openDialog, page, press, problem, renderApp, staleDiff } from "../test/utils";

const FIELDS = ["kesehatan", "pendidikan", "sosial", "trantibumlinmas", "perumahan_rakyat", "pekerjaan_umum"];
type Score = { baseline_score: number | null; current_score: number | null; change: number | null; evidence: string | null };
const unscored: Record<string, Score> = Object.fromEntries(FIELDS.map((f) => [f, { baseline_score: null, current_score: null, change: null, evidence: null }]));

function pilot(id: number, name: string, village: string, scores: Record<string, [number, number]> = {}) {
  const scorecard = { ...unscored };
  for (const [f, [b, c]] of Object.entries(scores)) scorecard[f] = { baseline_score: b, current_score: c, change: c - b, evidence: `bukti ${f}` };
  return {
    id, posyandu_id: id, posyandu_name: name, region_code: "33.75.02.1008", village_name: village, start_date: "2025-01-01", end_date: "2025-12-31",
    scorecard, good_practices: "Pengurus tiga posyandu piloting dikumpulkan untuk berbagi praktik baik.", notes: null,
    created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z", version: 3, allowed_actions: ["update", "delete"],
  };
}
const seruni = pilot(1, "Posyandu Seruni", "Klego", { kesehatan: [40, 75], pendidikan: [50, 45] });
const cempaka = pilot(3, "Posyandu Cempaka", "Bendan Kergon");

function api() {
  return mockSignedIn({
    "GET /api/v1/pilot-sites": () => ({ body: page([cempaka, seruni]) }),
    "GET /api/v1/pilot-sites/comparison": () => ({
      body: {
        region_code: null, fields: FIELDS,
        pilots: [cempaka, seruni].map((p) => ({ pilot_site_id: p.id, posyandu_id: p.posyandu_id, posyandu_name: p.posyandu_name, region_code: p.region_code, village_name: p.village_name, start_date: p.start_date, end_date: p.end_date, scores: p.scorecard })),
        by_field: Object.fromEntries(FIELDS.map((f) => [f, f === "kesehatan" ? { pilots_scored: 1, baseline_average: 40, current_average: 75, best_pilot_id: 1 } : { pilots_scored: 0, baseline_average: null, current_average: null, best_pilot_id: null }])),
      },
    }),
    "GET /api/v1/pilot-sites/1": () => ({ body: seruni, headers: { ETag: 'W/"3"' } }),
    "GET /api/v1/pilot-sites/3": () => ({ body: cempaka, headers: { ETag: 'W/"3"' } }),
    "PATCH /api/v1/pilot-sites/3": (req) =>
      req.headers.get("If-Match") === 'W/"3"'
        ? problem(412, "precondition-failed", "The record changed since you read it.", {
            current: { ...cempaka, good_practices: "Diubah oleh orang lain", version: 4 },
            current_etag: 'W/"4"',
          })
        : problem(428, "precondition-required", "If-Match missing"),
  });
}

describe("pilot sites", () => {
  it("lists the pilots and compares them per SPM field", async () => {
    api();
    renderApp("/pilot-sites");
    const table = await screen.findByTestId("pilot-table");
    expect(within(table).getByRole("link", { name: "Posyandu Seruni" })).toHaveAttribute("href", "/pilot-sites/1");
    // mean of the scored current scores: (75 + 45) / 2
    expect(within(table).getByText("60")).toBeInTheDocument();
    const comparison = await screen.findByTestId("comparison");
    await waitFor(() => expect(comparison.querySelector(".recharts-responsive-container")).not.toBeNull());
    expect(within(comparison).getByText("Kesehatan")).toBeInTheDocument();
    expect(within(comparison).getAllByText("Posyandu Seruni").length).toBeGreaterThan(0);
  });

  it("shows a pilot's scorecard: baseline vs current with the change, evidence and good practice", async () => {
    api();
    renderApp("/pilot-sites/1");
    expect(await screen.findByTestId("pilot-name")).toHaveTextContent("Posyandu Seruni");
    const card = screen.getByTestId("scorecard");
    const kesehatan = within(card).getByText("Kesehatan").closest("tr")!;
    expect(kesehatan).toHaveTextContent("40");
    expect(kesehatan).toHaveTextContent("75");
    expect(kesehatan).toHaveTextContent("+35");
    expect(within(card).getByText("Pendidikan").closest("tr")).toHaveTextContent("-5");
    expect(screen.getByTestId("scorecard-chart").querySelector(".recharts-responsive-container")).not.toBeNull();
    expect(screen.getByText("bukti kesehatan")).toBeInTheDocument();
    expect(screen.getByTestId("good-practices")).toHaveTextContent("berbagi praktik baik");
  });

  it("says when no field is scored, and a stale score edit shows what changed", async () => {
    const { calls } = api();
    renderApp("/pilot-sites/3");
    expect(await screen.findByTestId("unscored")).toBeInTheDocument();
    const dialog = await openDialog("Catat skor");
    await userEvent.type(within(dialog).getByLabelText("Kesehatan Kini"), "70");
    await press(dialog);
    await staleDiff(dialog, "Diubah oleh orang lain");
    const patch = lastCall(calls, "PATCH");
    expect((patch?.body as { scorecard: Record<string, { current_score: number }> }).scorecard.kesehatan.current_score).toBe(70);
  });
});
