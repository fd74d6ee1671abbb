import { Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";

export function Pager({ total, limit, offset, onOffset }: { total: number; limit: number; offset: number; onOffset: (o: number) => void }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" data-testid="total">
        {t("common.total", { n: formatNumber(total) })}
      </Text>
      {pages > 1 && <Pagination size="sm" total={pages} value={Math.floor(offset / limit) + 1} onChange={(p) => onOffset((p - 1) * limit)} />}
    </Group>
  );
}

/** Under a paged table: "no data" when the page shows no rows, then the total and the pages. */
export function PagedFooter({ rows, ...pager }: { rows: number; total: number; limit: number; offset: number; onOffset: (o: number) => void }) {
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
