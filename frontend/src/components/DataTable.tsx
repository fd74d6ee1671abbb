// A table from rows and columns: the column heads (scope="col"), one row per item, an optional
// caption and footer rows. Every list of the dashboard draws its table here (QueryTable adds the
// loader, the problem, "no data" and the pager for a query), so the heads, the alignment of
// amounts and the accessibility attributes are the same everywhere.
import { Anchor, Table, Text, VisuallyHidden, type TableProps, type TableTdProps, type TableThProps, type TableTrProps } from "@mantine/core";
import type { Key, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

type Props<P> = Omit<P, "children">;

export type Column<T> = {
  /** The column head (an actions column without one gets a head screen readers still hear). */
  header?: ReactNode;
  cell: (row: T) => ReactNode;
  /** The cell links to this page (the record the row shows). */
  link?: (row: T) => string;
  /** Props of each cell (width, `miw`, …), or of one row's cell (a colour by value). */
  td?: Props<TableTdProps> | ((row: T) => Props<TableTdProps>);
  /** Props of the head (its width). */
  th?: Props<TableThProps>;
  /** Right-align the head and the cells (amounts, counts). */
  numeric?: boolean;
};

/** Columns may be left out by condition (`canWrite && {…}`). */
export type Columns<T> = (Column<T> | false | null | undefined)[];

export type DataTableProps<T> = {
  rows: T[];
  columns: Columns<T>;
  rowKey: (row: T, index: number) => Key;
  /** Props of one row (a highlight, a test id). */
  rowProps?: (row: T) => Props<TableTrProps>;
  /** Rows after the body (a total), drawn with the same columns. */
  footer?: T[];
  caption?: ReactNode;
  testId?: string;
  rowTestId?: string;
  /** Scroll sideways under this width instead of squeezing the columns. */
  minWidth?: number;
  /** "No data" as a row of the table when there are no rows. */
  emptyRow?: boolean;
  /** True while newer rows are on their way (the rows shown are the previous ones). */
  busy?: boolean;
  tableProps?: Props<TableProps>;
};

export function DataTable<T>({ rows, columns, rowKey, rowProps, footer, caption, testId, rowTestId, minWidth, emptyRow, busy, tableProps }: DataTableProps<T>) {
  const { t } = useTranslation();
  const cols = columns.filter((c): c is Column<T> => !!c);
  const line = (row: T, i: number) => (
    <Table.Tr key={rowKey(row, i)} data-testid={rowTestId} {...rowProps?.(row)}>
      {cols.map((c, j) => (
        <Table.Td key={j} ta={c.numeric ? "right" : undefined} {...(typeof c.td === "function" ? c.td(row) : c.td)}>
          {c.link ? (
            <Anchor component={Link} to={c.link(row)}>
              {c.cell(row)}
            </Anchor>
          ) : (
            c.cell(row)
          )}
        </Table.Td>
      ))}
    </Table.Tr>
  );
  const table = (
    <Table {...tableProps} data-testid={testId} aria-busy={busy || undefined}>
      {caption && <Table.Caption>{caption}</Table.Caption>}
      <Table.Thead>
        <Table.Tr>
          {cols.map((c, j) => (
            <Table.Th key={j} scope="col" ta={c.numeric ? "right" : undefined} {...c.th}>
              {c.header ?? <VisuallyHidden>{t("common.actions")}</VisuallyHidden>}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {emptyRow && rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={cols.length}>
              <Text c="dimmed">{t("common.empty")}</Text>
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map(line)}
      </Table.Tbody>
      {footer && footer.length > 0 && <Table.Tfoot>{footer.map((row, i) => line(row, rows.length + i))}</Table.Tfoot>}
    </Table>
  );
  // Every table scrolls inside its own box, never the page (a phone is 360-390 px wide); the box
  // takes the keyboard focus so that it can be scrolled without a mouse.
  return (
    <Table.ScrollContainer minWidth={minWidth ?? 0} type="native" tabIndex={0}>
      {table}
    </Table.ScrollContainer>
  );
}

/** A record's facts as a two-column table: each row's head (scope="row") names the value beside it. */
export function FactsTable({ facts, headWidth = 180, testId, tableProps = { variant: "vertical", withTableBorder: true } }: {
  facts: ({ label: string; value: ReactNode; td?: Props<TableTdProps> } | false | null | undefined | "")[];
  headWidth?: number;
  testId?: string;
  tableProps?: Props<TableProps>;
}) {
  return (
    <Table {...tableProps} data-testid={testId}>
      <Table.Tbody>
        {facts.map(
          (f, i) =>
            f && (
              <Table.Tr key={i}>
                <Table.Th scope="row" w={i === 0 ? headWidth : undefined}>
                  {f.label}
                </Table.Th>
                <Table.Td {...f.td}>{f.value}</Table.Td>
              </Table.Tr>
            ),
        )}
      </Table.Tbody>
    </Table>
  );
}
