import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { mockSignedIn, renderApp } from "../test/utils";

const klego = { code: "33.75.02.1008", name: "Klego", level: "village" } as const;
const tasks = {
  today: "2026-07-15",
  total: 29,
  groups: [
    { kind: "decree_to_verify", count: 1, items: [{ kind: "decree_to_verify", id: 31, title: "SK TP Posyandu Klego", region: klego, status: "reported", since: "2026-06-01", days_late: null }] },
    { kind: "posyandu_to_verify", count: 0, items: [] },
    {
      kind: "overdue_follow_up",
      count: 1,
      items: [{ kind: "overdue_follow_up", id: 5, title: "Kirim SK", region: { code: "33.75", name: "Kota Pekalongan", level: "regency" }, status: "open", since: "2026-07-01", days_late: 14, meeting_id: 12 }],
    },
    {
      kind: "late_report",
      count: 27,
      items: [{ kind: "late_report", id: null, title: "SK TP Posyandu Poncol", region: { code: "33.75.02.1009", name: "Poncol", level: "village" }, status: null, since: "2026-06-30", days_late: 15 }],
    },
  ],
} satisfies Schemas["Tasks"];

describe("Perlu tindakan", () => {
  it("lists what waits, each item linking to its record, and is in the navigation", async () => {
    mockSignedIn({ "GET /api/v1/auth/me/tasks": () => ({ body: tasks }) });
    renderApp("/tasks");
    expect(await screen.findByTestId("tasks-total")).toHaveTextContent("29 hal menunggu tindakan Anda");
    const decrees = screen.getByTestId("tasks-decree_to_verify");
    expect(within(decrees).getByRole("link", { name: "SK TP Posyandu Klego" })).toHaveAttribute("href", "/decrees/31");
    expect(within(screen.getByTestId("tasks-posyandu_to_verify")).getByTestId("task-count")).toHaveTextContent("0");
    const followUps = screen.getByTestId("tasks-overdue_follow_up");
    expect(within(followUps).getByRole("link", { name: "Kirim SK" })).toHaveAttribute("href", "/meetings/12");
    expect(followUps).toHaveTextContent("terlambat 14 hari");
    const late = screen.getByTestId("tasks-late_report");
    expect(within(late).getByRole("link", { name: "SK TP Posyandu Poncol" })).toHaveAttribute("href", "/compliance/33.75?chase=33.75.02.1009");
    expect(late).toHaveTextContent("dan 26 lainnya");
    expect(screen.getByRole("link", { name: "Perlu tindakan" })).toHaveAttribute("href", "/tasks");
  });
});
