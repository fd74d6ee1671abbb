import { Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";

type PagerProps = { total: number; limit: number; offset: number; onOffset?: (o: number) => void };

/** The total, and the pages when there are several (and the list can turn them). */
export function Pager({ total, limit, offset, onOffset }: PagerProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" data-testid="total">
        {t("common.total", { n: formatNumber(total) })}
      </Text>
      {pages > 1 && onOffset && (
        <Pagination
          size="sm"
          total={pages}
          value={Math.floor(offset / limit) + 1}
          onChange={(p) => onOffset((p - 1) * limit)}
          aria-label={t("common.pages")}
          getControlProps={(control) => ({ "aria-label": t(`common.pageControl.${control}`) })}
          getItemProps={(page) => ({ "aria-label": t("common.pageNumber", { n: page }) })}
        />
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
