// The header's bell: the unread count (refreshed every minute), linking to the notification list.
// Its query sits under the "notifications" root, so marking read on the list refreshes it.
import { ActionIcon, Indicator } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../api/client";
import { apiQuery } from "../api/query";
import { formatNumber } from "../lib/format";

/** One row is enough: the count is over all of them. */
const unreadQuery = () => apiQuery(["notifications", "unread"] as const, () => api.GET("/api/v1/notifications", { params: { query: { limit: 1, unread: true } } }));

export function Bell() {
  const { t } = useTranslation();
  const unread = useQuery({ ...unreadQuery(), refetchInterval: 60_000, retry: false });
  const n = unread.data?.unread ?? 0;
  return (
    <Indicator label={n > 99 ? "99+" : formatNumber(n)} size={16} disabled={n === 0} offset={4} color="red">
      <ActionIcon component={Link} to="/notifications" variant="subtle" size="lg" aria-label={t("notifications.bell", { count: n })} data-testid="bell">
        <IconBell size={20} aria-hidden />
      </ActionIcon>
    </Indicator>
  );
}
