import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { lastCall, mockSignedIn, page, problem, renderApp, type Handler } from "../test/utils";
import { attachmentName } from "./Download";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
let saved: { name: string; href: string }[] = [];

beforeEach(() => {
  saved = [];
  URL.createObjectURL = vi.fn(() => "blob:file");
  URL.revokeObjectURL = vi.fn();
  // the hidden link a download is clicked through: record what it saves
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, href: this.href });
  });
});

const file = (name: string, type = XLSX): ReturnType<Handler> => ({ raw: new Blob(["PK\u0003\u0004 workbook"], { type }), headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}` } });

const kota = {
  code: "33.75", name: "Kota Pekalongan", level: "regency", type: "kota", parent_code: "33", postal_code: null, child_count: 4,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }],
};

describe("downloads and print", () => {
  it("a list's XLSX and CSV carry the screen's filters and save under the server's file name", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/posyandu": () => ({ body: page([], 0) }),
      "GET /api/v1/posyandu/registration-progress": () => problem(404, "not-found", "none"),
      "GET /api/v1/posyandu/registration-progress/by-region": () => problem(404, "not-found", "none"),
      "GET /api/v1/exports/posyandu": (_req, url) => (url.searchParams.get("format") === "csv" ? file("posyandu-33.75-2026-12-07.csv", "text/csv") : file("posyandu-33.75-2026-12-07.xlsx")),
    });
    renderApp("/posyandu?status=proposed&region=33.75.02&spm_field=kesehatan&offset=25");
    const xlsx = await screen.findByRole("button", { name: /Unduh Registri posyandu \(XLSX\)/ });
    await userEvent.click(xlsx);
    await waitFor(() => expect(saved).toEqual([{ name: "posyandu-33.75-2026-12-07.xlsx", href: "blob:file" }]));
    const q = lastCall(calls, "GET", "/api/v1/exports/posyandu")!.url.searchParams;
    expect(Object.fromEntries(q)).toEqual({ status: "proposed", region: "33.75.02", spm_field: "kesehatan", format: "xlsx" });
    await userEvent.click(screen.getByRole("button", { name: /Unduh Registri posyandu \(CSV\)/ }));
    await waitFor(() => expect(saved.at(-1)?.name).toBe("posyandu-33.75-2026-12-07.csv"));
  }, 60_000);

  it("a refused export shows the API's problem, and the button works again", async () => {
    let answer: () => ReturnType<Handler> = () => problem(422, "validation", "More than 50,000 rows: narrow the filters.");
    mockSignedIn({
      "GET /api/v1/decrees": () => ({ body: page([], 0) }),
      "GET /api/v1/exports/decrees": () => answer(),
    });
    renderApp("/decrees");
    const button = await screen.findByRole("button", { name: /Unduh Surat Keputusan \(SK\) \(XLSX\)/ });
    await userEvent.click(button);
    expect(await screen.findByText(/More than 50,000 rows: narrow the filters\./)).toBeInTheDocument();
    expect(screen.getByText("Unduhan gagal")).toBeInTheDocument();
    expect(saved).toEqual([]);
    answer = () => file("decrees.xlsx");
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual(["decrees.xlsx"]));
  }, 60_000);

  it("the compliance board downloads its recap for the level and date shown, the summary PDF, and prints", async () => {
    const print = vi.fn();
    vi.stubGlobal("print", print);
    let release: () => void = () => {};
    const { calls } = mockSignedIn({
      "GET /api/v1/regions/33.75": () => ({ body: kota }),
      "GET /api/v1/regions/33.75/compliance": () => problem(503, "service-unavailable", "later"),
      "GET /api/v1/exports/reports/compliance": () => new Promise((resolve) => (release = () => resolve(file("rekap-kepatuhan-33.75-2025-06-30.xlsx")))),
      "GET /api/v1/exports/regions/33.75/summary.pdf": () => file("ringkasan-33.75.pdf", "application/pdf"),
    });
    renderApp("/compliance/33.75?level=district&as_of=2025-06-30");
    const recap = await screen.findByRole("button", { name: /Unduh rekapitulasi kepatuhan SK Kota Pekalongan \(XLSX\)/ });
    await userEvent.click(recap);
    // working: the button shows it until the file is there
    await waitFor(() => expect(recap).toHaveAttribute("data-loading", "true"));
    release();
    await waitFor(() => expect(saved.map((s) => s.name)).toEqual(["rekap-kepatuhan-33.75-2025-06-30.xlsx"]));
    expect(Object.fromEntries(lastCall(calls, "GET", "/api/v1/exports/reports/compliance")!.url.searchParams)).toEqual({ region: "33.75", level: "district", as_of: "2025-06-30" });

    await userEvent.click(screen.getByRole("button", { name: /Unduh ringkasan Kota Pekalongan \(PDF\)/ }));
    await waitFor(() => expect(saved.at(-1)?.name).toBe("ringkasan-33.75.pdf"));
    await userEvent.click(screen.getByRole("button", { name: "Cetak" }));
    expect(print).toHaveBeenCalledOnce();
    vi.unstubAllGlobals();
  }, 60_000);

  it("reads the file name of a Content-Disposition header", () => {
    expect(attachmentName(`attachment; filename="a.xlsx"; filename*=UTF-8''rekap%20SK.xlsx`, "x")).toBe("rekap SK.xlsx");
    expect(attachmentName(`attachment; filename="a.xlsx"`, "x")).toBe("a.xlsx");
    expect(attachmentName(null, "fallback.pdf")).toBe("fallback.pdf");
  });
});
