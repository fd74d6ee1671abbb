// A list from one query: the loader while the first page loads, the API's problem, the table
// (DataTable: column heads and cells from `columns`), "no data" for an empty page, then the total
// and the pager. The filters above it and the actions around it stay with the screen.
import { Card, Loader, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { DataTable, type DataTableProps } from "./DataTable";
import { PagedFooter, Pager } from "./Pager";
import { ProblemAlert } from "./ProblemAlert";

export type { Column, Columns } from "./DataTable";

/** A page of a list (`{items, total}`), or a whole list (an array). */
export type ListQuery<T> = {
  isPending: boolean;
  isFetching?: boolean;
  error: unknown;
  data?: { items: T[]; total: number; total_capped?: boolean; next_cursor?: string | null; prev_cursor?: string | null } | T[];
};

/** Rows already at hand (a record's own list), shown like a query's. */
export function loaded<T>(rows: T[]): ListQuery<T> {
  return { isPending: false, error: null, data: rows };
}

/**
 * The first row shown and the page size; without `onOffset`, only the total is shown. With
 * `onCursor`, a list the API pages by cursor turns its pages by the page's next/previous cursor.
 */
export type Page = {
  limit: number;
  offset: number;
  onOffset?: (offset: number) => void;
  onCursor?: (cursor: string | null, page: number) => void;
};

export function QueryTable<T>({
  query,
  page,
  showProblem = true,
  loading,
  empty = "below",
  emptyText,
  tableProps = { withTableBorder: true },
  ...table
}: Omit<DataTableProps<T>, "rows" | "emptyRow" | "busy"> & {
  query: ListQuery<T>;
  /** The pager under the table (none for a whole list). */
  page?: Page;
  /** False when the screen shows the problem itself (e.g. next to the filter it names). */
  showProblem?: boolean;
  /** Whether to show the loader (default: while the query has no data yet). */
  loading?: boolean;
  /**
   * Where "no data" shows for an empty page: under the table, as a row of it, or instead of the
   * table and the pager ("instead": inside the screen's own card, which holds its title).
   */
  empty?: "below" | "row" | "instead";
  /** What "no data" says (default: the common "no data"). */
  emptyText?: ReactNode;
}) {
  const { t } = useTranslation();
  const data = query.data;
  const list = Array.isArray(data) ? { items: data, total: data.length, total_capped: false } : data;
  // the page's cursors, when the API pages this list by cursor (`next_cursor` in the page)
  const cursors = list && "next_cursor" in list ? { next: list.next_cursor, prev: list.prev_cursor } : undefined;
  const pending = loading ?? query.isPending;
  const drawn = list && (
    <DataTable
      {...table}
      rows={list.items}
      emptyRow={empty === "row"}
      busy={query.isFetching && !pending}
      tableProps={{ striped: true, ...tableProps }}
    />
  );
  const pager = list && page && <Pager total={list.total} totalCapped={list.total_capped} cursors={cursors} {...page} />;
  if (empty === "instead") {
    if (pending) return <Loader size="sm" />;
    if (query.error) return showProblem ? <ProblemAlert error={query.error} /> : null;
    if (!list) return null;
    if (list.items.length === 0) return <Text c="dimmed">{emptyText ?? t("common.empty")}</Text>;
    return (
      <>
        {drawn}
        {pager}
      </>
    );
  }
  return (
    <>
      {showProblem && query.error ? <ProblemAlert error={query.error} /> : null}
      {pending ? (
        <Loader />
      ) : list ? (
        <Card withBorder>
          {drawn}
          {empty === "row" || !page ? pager : <PagedFooter rows={list.items.length} total={list.total} totalCapped={list.total_capped} cursors={cursors} {...page} />}
        </Card>
      ) : null}
    </>
  );
}
