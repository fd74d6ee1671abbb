// A paged list from one query: the loader while the first page loads, the API's problem, the
// table (column heads and cells from `columns`), "no data" under an empty page, then the total
// and the pager. The filters above it and the actions around it stay with the screen.
import { Card, Loader, Table, Text, type TableProps, type TableTdProps } from "@mantine/core";
import type { Key, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { PagedFooter, Pager } from "./Pager";
import { ProblemAlert } from "./ProblemAlert";

export type Column<T> = {
  /** The column head (empty for an actions column). */
  header?: ReactNode;
  cell: (row: T) => ReactNode;
  /** Props of each cell (width, `miw`, …). */
  td?: Omit<TableTdProps, "children">;
  /** Right-align the head and the cells (amounts, counts). */
  numeric?: boolean;
};

type PageQuery<T> = { isPending: boolean; error: unknown; data?: { items: T[]; total: number } };

export function QueryTable<T>({
  query,
  columns,
  rowKey,
  page,
  testId,
  rowTestId,
  minWidth,
  showProblem = true,
  loading,
  empty = "below",
  tableProps = { withTableBorder: true },
}: {
  query: PageQuery<T>;
  columns: Column<T>[];
  rowKey: (row: T) => Key;
  page: { limit: number; offset: number; onOffset: (offset: number) => void };
  testId?: string;
  rowTestId?: string;
  /** Scroll sideways under this width instead of squeezing the columns. */
  minWidth?: number;
  /** False when the screen shows the problem itself (e.g. next to the filter it names). */
  showProblem?: boolean;
  /** Whether to show the loader (default: while the query has no data yet). */
  loading?: boolean;
  /**
   * Where "no data" shows for an empty page: under the table, as a row of it, or instead of the
   * table and the pager ("instead": inside the screen's own card, which holds its title).
   */
  empty?: "below" | "row" | "instead";
  tableProps?: Omit<TableProps, "children" | "data">;
}) {
  const { t } = useTranslation();
  const table = query.data && (
    <Table striped {...tableProps} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c, i) => (
            <Table.Th key={i} ta={c.numeric ? "right" : undefined}>
              {c.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {empty === "row" && query.data.items.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={columns.length}>
              <Text c="dimmed">{t("common.empty")}</Text>
            </Table.Td>
          </Table.Tr>
        )}
        {query.data.items.map((row) => (
          <Table.Tr key={rowKey(row)} data-testid={rowTestId}>
            {columns.map((c, i) => (
              <Table.Td key={i} ta={c.numeric ? "right" : undefined} {...c.td}>
                {c.cell(row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  if (empty === "instead") {
    if (loading ?? query.isPending) return <Loader size="sm" />;
    if (query.error) return showProblem ? <ProblemAlert error={query.error} /> : null;
    if (!query.data) return null;
    if (query.data.items.length === 0) return <Text c="dimmed">{t("common.empty")}</Text>;
    return (
      <>
        {minWidth ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table}
        <Pager total={query.data.total} {...page} />
      </>
    );
  }
  return (
    <>
      {showProblem && query.error ? <ProblemAlert error={query.error} /> : null}
      {(loading ?? query.isPending) ? (
        <Loader />
      ) : query.data ? (
        <Card withBorder>
          {minWidth ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table}
          {empty === "row" ? <Pager total={query.data.total} {...page} /> : <PagedFooter rows={query.data.items.length} total={query.data.total} {...page} />}
        </Card>
      ) : null}
    </>
  );
}
