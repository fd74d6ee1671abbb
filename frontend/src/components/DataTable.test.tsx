import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { DataTable, FactsTable } from "./DataTable";
import { QueryTable } from "./QueryTable";

type Row = { code: string; name: string; n: number };
const rows: Row[] = [
  { code: "33.75.01", name: "Pekalongan Barat", n: 7 },
  { code: "33.75.02", name: "Pekalongan Timur", n: 7 },
];
const columns = [
  { header: "Kode", cell: (r: Row) => r.code },
  { header: "Nama", cell: (r: Row) => r.name },
  { header: "Jumlah", numeric: true, cell: (r: Row) => r.n },
  { cell: () => <button type="button">Ubah</button> },
];

describe("tables", () => {
  it("heads its columns (scope=col, a named actions column), with its caption and a footer row", () => {
    render(
      <MantineProvider>
        <DataTable caption="Kecamatan" rows={rows} rowKey={(r) => r.code} footer={[{ code: "33.75", name: "Total", n: 14 }]} columns={columns} testId="t" />
      </MantineProvider>,
    );
    const table = screen.getByRole("table", { name: "Kecamatan" });
    const heads = within(table).getAllByRole("columnheader");
    expect(heads.map((h) => h.getAttribute("scope"))).toEqual(["col", "col", "col", "col"]);
    expect(heads.map((h) => h.textContent)).toEqual(["Kode", "Nama", "Jumlah", "Tindakan"]);
    expect(within(table).getAllByRole("row")).toHaveLength(4);
    expect(table.querySelector("tfoot")).toHaveTextContent("Total");
  });

  it("marks a table busy while newer rows are on their way, and says when a page is empty", () => {
    const fetching = { isPending: false, isFetching: true, error: null, data: { items: rows, total: 2 } };
    const { rerender } = render(
      <MantineProvider>
        <QueryTable query={fetching} rowKey={(r) => r.code} columns={columns} testId="t" page={{ limit: 25, offset: 0, onOffset: () => {} }} />
      </MantineProvider>,
    );
    expect(screen.getByTestId("t")).toHaveAttribute("aria-busy", "true");
    expect(screen.getByTestId("total")).toHaveTextContent("2 baris");
    rerender(
      <MantineProvider>
        <QueryTable query={{ ...fetching, isFetching: false, data: { items: [], total: 0 } }} rowKey={(r) => r.code} columns={columns} testId="t" empty="row" />
      </MantineProvider>,
    );
    expect(screen.getByTestId("t")).not.toHaveAttribute("aria-busy");
    expect(within(screen.getByTestId("t")).getByText("Tidak ada data.")).toBeInTheDocument();
  });

  it("names each fact by its row head (scope=row)", () => {
    render(
      <MantineProvider>
        <FactsTable facts={[{ label: "Kode", value: "33.75" }, false, { label: "Nama", value: "Kota Pekalongan" }]} />
      </MantineProvider>,
    );
    const heads = screen.getAllByRole("rowheader");
    expect(heads.map((h) => [h.textContent, h.getAttribute("scope")])).toEqual([
      ["Kode", "row"],
      ["Nama", "row"],
    ]);
  });
});
