// An API client's webhook subscriptions (create with the events to receive, the signing secret
// shown once, disable/enable, delete) and each subscription's delivery log (status, latency,
// attempts, redeliver).
import { Badge, Button, Checkbox, Drawer, Group, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClientRead } from "../api/client";
import { useRefetch } from "../api/mutations";
import { ConfirmButton } from "../components/Confirm";
import { FormModal, textOrNull } from "../components/FormModal";
import { OnceSecret } from "../components/OnceSecret";
import { ProblemAlert } from "../components/ProblemAlert";
import { QueryTable } from "../components/QueryTable";
import { ActiveBadge, ActiveToggle, useRowActions } from "../components/RowActions";
import { useFields } from "../lib/fields";
import { formatDateTime } from "../lib/format";
import { allows } from "../lib/scope";
import {
  deleteWebhook,
  deliveryListQuery,
  redeliver,
  setWebhookActive,
  useCreateWebhook,
  webhookEventsQuery,
  webhookListQuery,
  type DeliveryRead,
  type WebhookRead,
} from "./api";

const DELIVERIES = 20;
const STATUS_COLORS: Record<DeliveryRead["status"], string> = { pending: "yellow", succeeded: "teal", failed: "red" };

/** The drawer of one client's webhooks (open while `client` is set). */
export function WebhooksDrawer({ client, onClose }: { client: ApiClientRead | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer opened={client !== null} onClose={onClose} position="right" size="xl" title={t("webhooks.title", { name: client?.name ?? "" })}>
      {client && <Webhooks client={client} />}
    </Drawer>
  );
}

function Webhooks({ client }: { client: ApiClientRead }) {
  const { t } = useTranslation();
  const list = useQuery(webhookListQuery(client.id));
  const { error, run: act } = useRowActions(useRefetch("webhooks"));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState<WebhookRead | null>(null);
  const manage = allows(client, "update");

  const setActive = (w: WebhookRead, active: boolean) =>
    act(async () => {
      await setWebhookActive(w, active);
      notifications.show({ message: t("common.saved"), color: "teal" });
    });
  const remove = (w: WebhookRead) =>
    act(async () => {
      await deleteWebhook(w);
      if (shown?.id === w.id) setShown(null);
      notifications.show({ message: t("common.deleted"), color: "teal" });
    });

  return (
    <Stack>
      <Text size="sm">{t("webhooks.intro")}</Text>
      {manage && (
        <Group>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t("webhooks.new")}
          </Button>
        </Group>
      )}
      <ProblemAlert error={error} />
      <QueryTable
        query={list}
        testId="webhooks-table"
        empty="row"
        emptyText={t("webhooks.none")}
        rowKey={(w) => w.id}
        columns={[
          { header: t("webhooks.url"), td: { ff: "monospace", style: { wordBreak: "break-all" } }, cell: (w) => w.url },
          { header: t("webhooks.events"), cell: (w) => w.event_types.join(", ") },
          {
            header: t("common.status"),
            cell: (w) => (
              <Stack gap={2}>
                <ActiveBadge active={w.is_active} miw={72} />
                {w.disabled_at && (
                  <Text size="xs" c="red">
                    {t("webhooks.autoDisabled", { when: formatDateTime(w.disabled_at) })}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            cell: (w) => (
              <Group gap={4} justify="flex-end">
                <Button size="xs" variant="light" onClick={() => setShown(w)} aria-label={t("webhooks.deliveriesOf", { url: w.url })}>
                  {t("webhooks.deliveries")}
                </Button>
                {allows(w, "update") && <ActiveToggle active={w.is_active} question={t("webhooks.confirmDisable", { url: w.url })} onChange={(a) => setActive(w, a)} />}
                {allows(w, "delete") && <ConfirmButton label={t("common.delete")} question={t("webhooks.confirmDelete", { url: w.url })} onConfirm={() => remove(w)} />}
              </Group>
            ),
          },
        ]}
      />
      {shown && <Deliveries webhook={shown} />}
      {creating && (
        <CreateWebhook
          clientPk={client.id}
          onCancel={() => setCreating(false)}
          onCreated={(w) => {
            setCreating(false);
            setSecret(w.secret);
          }}
        />
      )}
      <OnceSecret
        opened={secret !== null}
        title={t("webhooks.created")}
        label={t("webhooks.secret")}
        value={secret ?? ""}
        warning={t("webhooks.secretOnce")}
        onClose={() => setSecret(null)}
      />
    </Stack>
  );
}

function Deliveries({ webhook }: { webhook: WebhookRead }) {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const list = useQuery(deliveryListQuery(webhook.id, offset, DELIVERIES));
  const { error, run: act } = useRowActions(useRefetch("webhooks"));
  const again = (d: DeliveryRead) =>
    act(async () => {
      await redeliver(d);
      notifications.show({ message: t("webhooks.redelivering"), color: "teal" });
    });
  return (
    <Stack gap="xs">
      <Title order={3}>{t("webhooks.deliveriesTitle", { url: webhook.url })}</Title>
      <ProblemAlert error={error} />
      <QueryTable
        query={list}
        testId="deliveries-table"
        empty="row"
        emptyText={t("webhooks.noDeliveries")}
        rowKey={(d) => d.id}
        page={{ limit: DELIVERIES, offset, onOffset: setOffset }}
        columns={[
          { header: t("webhooks.event"), td: { ff: "monospace" }, cell: (d) => `${d.event_type} #${d.entity_id}` },
          {
            header: t("common.status"),
            cell: (d) => (
              <Badge color={STATUS_COLORS[d.status]} variant="light">
                {t(`webhooks.status.${d.status}`)}
              </Badge>
            ),
          },
          { header: t("webhooks.code"), cell: (d) => d.last_status_code ?? (d.last_error ? t("webhooks.noAnswer") : "—") },
          { header: t("webhooks.latency"), cell: (d) => (d.last_latency_ms === null ? "—" : `${d.last_latency_ms} ms`) },
          { header: t("webhooks.attempts"), cell: (d) => d.attempts },
          { header: t("webhooks.lastAttempt"), cell: (d) => formatDateTime(d.last_attempt_at) },
          {
            cell: (d) =>
              allows(webhook, "redeliver") && d.status !== "pending" ? (
                <Button size="xs" variant="light" onClick={() => again(d)} aria-label={t("webhooks.redeliverOne", { event: d.event_type, id: d.entity_id })}>
                  {t("webhooks.redeliver")}
                </Button>
              ) : null,
          },
        ]}
      />
    </Stack>
  );
}

function CreateWebhook({ clientPk, onCancel, onCreated }: { clientPk: number; onCancel: () => void; onCreated: Parameters<typeof useCreateWebhook>[1] }) {
  const { t } = useTranslation();
  const events = useQuery(webhookEventsQuery());
  const create = useCreateWebhook(clientPk, onCreated);
  const f = useFields({ url: "", description: "" }, create.error);
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <FormModal
      title={t("webhooks.new")}
      size="lg"
      onClose={onCancel}
      onSubmit={() =>
        create.mutate({ url: f.values.url, description: textOrNull(f.values.description), event_types: chosen as WebhookRead["event_types"], is_active: true })
      }
      mutation={create}
      fields={["url", "description", "event_types"]}
      submitLabel={t("common.create")}
    >
      <TextInput label={t("webhooks.url")} name="url" description={t("webhooks.urlHelp")} {...f.text("url")} required />
      <TextInput label={t("webhooks.description")} name="description" {...f.text("description")} />
      <Checkbox.Group label={t("webhooks.events")} value={chosen} onChange={setChosen} withAsterisk error={f.errors.event_types}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing={6}>
          {(events.data ?? []).map((e) => (
            <Checkbox key={e.type} value={e.type} label={e.type} description={e.description} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </FormModal>
  );
}
