import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import i18n from "../i18n";
import { mockSignedIn, page, renderApp } from "../test/utils";
import { ProvenanceBadge, ProvenanceSource } from "./Provenance";

const RAKOR = "Rapat Koordinasi Posyandu Dalam Rangka Perlunya Sinergitas Penguatan Posyandu di Kelurahan";
const illustrative = {
  kind: "illustrative",
  title: RAKOR,
  published_on: "2025-06-25",
  note: "Demo memilih lima kelurahan terakhir menurut kode sebagai yang belum melapor.",
} satisfies Schemas["ProvenanceRead"];
const seed = { kind: "seed", title: "Di Rakornas Nasional, Inggit Soraya Dorong Posyandu", published_on: null, note: null } satisfies Schemas["ProvenanceRead"];

function show(node: React.ReactNode) {
  return render(<MantineProvider>{node}</MantineProvider>);
}

describe("provenance", () => {
  it("badges an illustrative record, in both languages, with a title saying it is not from a source", async () => {
    show(<ProvenanceBadge provenance={illustrative} />);
    const badge = screen.getByTestId("illustrative");
    expect(badge).toHaveTextContent("Ilustrasi");
    expect(badge).toHaveAttribute("title", expect.stringContaining("bukan dari sumber"));
    expect(badge.getAttribute("title")).toContain("lima kelurahan terakhir");
    expect(badge).toHaveAccessibleName("Data demo ilustrasi: bukan dari sumber");
    await i18n.changeLanguage("en");
    await screen.findByText("Illustrative");
    expect(screen.getByTestId("illustrative")).toHaveAttribute("title", expect.stringContaining("not from a source"));
  });

  it("shows no badge for a record from a source, or with no provenance", () => {
    show(
      <div data-testid="nothing">
        <ProvenanceBadge provenance={seed} />
        <ProvenanceBadge provenance={null} />
        <ProvenanceSource provenance={null} />
      </div>,
    );
    expect(screen.getByTestId("nothing")).toBeEmptyDOMElement();
  });

  it("names the source on a detail screen: the article, or what an illustration is based on", () => {
    show(
      <>
        <ProvenanceSource provenance={seed} />
        <ProvenanceSource provenance={illustrative} />
      </>,
    );
    const [fromSeed, fromIllustration] = screen.getAllByTestId("provenance");
    expect(fromSeed).toHaveTextContent("Sumber: Di Rakornas Nasional, Inggit Soraya Dorong Posyandu");
    expect(within(fromSeed).queryByTestId("illustrative")).toBeNull();
    expect(within(fromIllustration).getByTestId("illustrative")).toBeInTheDocument();
    expect(fromIllustration).toHaveTextContent(`Berdasarkan: ${RAKOR} (25/06/2025)`);
    expect(fromIllustration).toHaveTextContent("lima kelurahan terakhir");
  });

  it("marks the illustrative teams in the teams list, and only those", async () => {
    const team = {
      id: 7, region_code: "33.75.04.1010", region_name: "Sokoduwet", level: "village", kind: "tp_posyandu", name: "TP Posyandu Kelurahan Sokoduwet",
      notes: null, formed_on: null, succeeds_team_id: null, is_active: true, created_at: "", updated_at: "", version: 1, allowed_actions: [],
      provenance: illustrative,
    } satisfies Schemas["TeamRead"];
    const city = { ...team, id: 1, region_code: "33.75", region_name: "Kota Pekalongan", level: "regency", name: "TP Posyandu Kota Pekalongan", provenance: seed } satisfies Schemas["TeamRead"];
    mockSignedIn({ "GET /api/v1/teams": () => ({ body: page([city, team]) }) });
    renderApp("/teams");
    const table = await screen.findByTestId("team-table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(within(rows[0]).queryByTestId("illustrative")).toBeNull();
    expect(within(rows[1]).getByTestId("illustrative")).toHaveTextContent("Ilustrasi");
  });
});
