import { Button, Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";

/** Where the list is: a page by offset, or (lists the API pages by cursor) a page by cursor. */
export type PagerProps = {
  total: number;
  /** A search that matched more rows than the API counts (`total_capped`): `total` is a floor. */
  totalCapped?: boolean;
  limit: number;
  /** The first row shown (by offset); on a page asked for by cursor, the offset it would have. */
  offset: number;
  onOffset?: (o: number) => void;
  /** Lists paged by cursor: the page's own cursors (null at the ends) and how to follow one. */
  cursors?: { next?: string | null; prev?: string | null };
  /** Follow a cursor (null: back to the first page) to the page numbered `page`. */
  onCursor?: (cursor: string | null, page: number) => void;
};

/**
 * The total, and the pages when there are several (and the list can turn them): next/previous by
 * cursor with "page N of M" where the API pages the list by cursor (as fast deep in the list as at
 * its start), else the page numbers.
 */
export function Pager({ total, totalCapped = false, limit, offset, onOffset, cursors, onCursor }: PagerProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / limit));
  const current = Math.floor(offset / limit) + 1;
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" data-testid="total">
        {totalCapped ? t("common.totalAtLeast", { n: formatNumber(total) }) : t("common.total", { n: formatNumber(total) })}
      </Text>
      {(pages > 1 || totalCapped) && onCursor && cursors ? (
        <Group gap="xs" role="navigation" aria-label={t("common.pages")}>
          <Button
            size="xs"
            variant="default"
            disabled={current <= 1 || !cursors.prev}
            aria-label={t("common.pageControl.previous")}
            onClick={() => onCursor(current - 1 <= 1 ? null : (cursors.prev ?? null), current - 1)}
          >
            {t("common.previous")}
          </Button>
          <Text size="sm" data-testid="page-of" aria-live="polite">
            {totalCapped
              ? t("common.pageN", { n: formatNumber(current) })
              : t("common.pageOf", { n: formatNumber(Math.min(current, pages)), pages: formatNumber(pages) })}
          </Text>
          <Button
            size="xs"
            variant="default"
            disabled={!cursors.next}
            aria-label={t("common.pageControl.next")}
            onClick={() => cursors.next && onCursor(cursors.next, current + 1)}
          >
            {t("common.next")}
          </Button>
        </Group>
      ) : (
        pages > 1 &&
        onOffset && (
          <Pagination
            size="sm"
            total={pages}
            value={current}
            onChange={(p) => onOffset((p - 1) * limit)}
            aria-label={t("common.pages")}
            getControlProps={(control) => ({ "aria-label": t(`common.pageControl.${control}`) })}
            getItemProps={(page) => ({ "aria-label": t("common.pageNumber", { n: page }) })}
          />
        )
      )}
    </Group>
  );
}

/** Under a paged table: "no data" when the page shows no rows, then the total and the pages. */
export function PagedFooter({ rows, ...pager }: PagerProps & { rows: number }) {
  const { t } = useTranslation();
  return (
    <>
      {rows === 0 && (
        <Text c="dimmed" mt="sm">
          {t("common.empty")}
        </Text>
      )}
      <Pager {...pager} />
    </>
  );
}
