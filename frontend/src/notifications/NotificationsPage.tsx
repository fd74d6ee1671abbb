// /notifications: my reminders, newest first; each links to its record (opening it marks it read),
// carries a WhatsApp click-to-chat link with its text, and can be marked read; or all at once.
import { Anchor, Badge, Button, Card, Group, Loader, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { IconBrandWhatsapp, IconChecks, IconSettings } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Pager } from "../components/Pager";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime, formatNumber } from "../lib/format";
import { PAGE, notificationsQuery, useMarkRead, type NotificationRead } from "./api";

export function NotificationsPage() {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const [filter, setFilter] = useState<"all" | "unread">("all");
  const list = useQuery(notificationsQuery(offset, filter === "unread"));
  const mark = useMarkRead();
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          {t("notifications.title")}
        </Title>
        <Group gap="xs">
          <Button
            variant="light"
            leftSection={<IconChecks size={16} aria-hidden />}
            disabled={!list.data?.unread}
            loading={mark.isPending}
            onClick={() => mark.mutate({ all: true, ids: [] })}
          >
            {t("notifications.markAll")}
          </Button>
          <Button component={Link} to="/notifications/preferences" variant="subtle" leftSection={<IconSettings size={16} aria-hidden />}>
            {t("notifications.preferences")}
          </Button>
        </Group>
      </Group>
      <SegmentedControl
        aria-label={t("notifications.show")}
        value={filter}
        onChange={(v) => {
          setFilter(v as "all" | "unread");
          setOffset(0);
        }}
        data={[
          { value: "all", label: t("notifications.all") },
          { value: "unread", label: t("notifications.unreadOnly") },
        ]}
        style={{ alignSelf: "flex-start" }}
      />
      {list.isPending ? (
        <Loader />
      ) : list.error ? (
        <ProblemAlert error={list.error} />
      ) : (
        <>
          <Text data-testid="notifications-unread">{t("notifications.unreadCount", { n: formatNumber(list.data.unread) })}</Text>
          {list.data.items.length === 0 ? (
            <Text c="dimmed">{t("notifications.none")}</Text>
          ) : (
            <Stack gap="sm" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {list.data.items.map((n) => (
                <Item key={n.id} n={n} onRead={() => mark.mutate({ ids: [n.id], all: false })} />
              ))}
            </Stack>
          )}
          <Pager total={list.data.total} limit={PAGE} offset={offset} onOffset={setOffset} />
        </>
      )}
    </Stack>
  );
}

function Item({ n, onRead }: { n: NotificationRead; onRead: () => void }) {
  const { t } = useTranslation();
  return (
    <Card component="li" withBorder padding="sm" data-testid="notification" bg={n.read ? undefined : "teal.0"}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Anchor component={Link} to={n.link} fw={n.read ? 400 : 700} onClick={() => !n.read && onRead()} style={{ overflowWrap: "anywhere" }}>
            {n.title}
          </Anchor>
          <Text size="sm" style={{ overflowWrap: "anywhere" }}>
            {n.body}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(n.created_at)}
            {n.read ? "" : ` · ${t("notifications.unread")}`}
          </Text>
        </Stack>
        {!n.read && (
          <Badge color="red" variant="dot" style={{ flexShrink: 0 }}>
            {t("notifications.new")}
          </Badge>
        )}
      </Group>
      <Group gap="xs" mt="xs">
        {n.whatsapp_url && (
          <Button component="a" href={n.whatsapp_url} target="_blank" rel="noreferrer" size="xs" variant="light" color="green" leftSection={<IconBrandWhatsapp size={14} aria-hidden />}>
            {t("notifications.whatsapp")}
          </Button>
        )}
        {!n.read && (
          <Button size="xs" variant="subtle" onClick={onRead} aria-label={t("notifications.markReadOf", { title: n.title })}>
            {t("notifications.markRead")}
          </Button>
        )}
      </Group>
    </Card>
  );
}
