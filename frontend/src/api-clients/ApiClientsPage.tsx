// API clients administration: create (the secret shown once), rotate, deactivate, delete.
import { Badge, Button, Group, Modal, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClientRead, type Schemas } from "../api/client";
import { ApiError, fieldErrors } from "../api/problems";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { OnceSecret } from "../components/OnceSecret";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime } from "../lib/format";
import { allows } from "../lib/scope";
import { apiClientListQuery, deleteApiClient, rotateSecret, setApiClientActive, useCreateApiClient, useRefreshApiClients } from "./api";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

const PAGE = 25;
type Scope = Schemas["ClientScope"];

export function ApiClientsPage() {
  const { offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; clientId: string; secret: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const list = useQuery(apiClientListQuery(offset, PAGE));
  const refresh = useRefreshApiClients();

  async function act(fn: () => Promise<void>) {
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(e);
    }
    await refresh();
  }

  const rotate = (c: ApiClientRead) =>
    act(async () => {
      const res = await rotateSecret(c);
      setSecret({ title: t("clients.rotated"), clientId: res.client_id, secret: res.client_secret });
    });
  const setActive = (c: ApiClientRead, is_active: boolean) =>
    act(async () => {
      await setApiClientActive(c, is_active);
      notifications.show({ message: t("common.saved"), color: "teal" });
    });
  const remove = (c: ApiClientRead) =>
    act(async () => {
      await deleteApiClient(c);
      notifications.show({ message: `${t("common.deleted")}: ${c.name}`, color: "teal" });
    });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("clients.title")}</Title>
        {allows(me, "create_api_client") && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t("clients.new")}
          </Button>
        )}
      </Group>
      <ProblemAlert error={actionError} />
      <QueryTable
        query={list}
        testId="clients-table"
        tableProps={{ highlightOnHover: true }}
        empty="row"
        rowKey={(c) => c.id}
        page={{ limit: PAGE, offset, onOffset: setOffset }}
        columns={[
          { header: t("clients.name"), cell: (c) => c.name },
          { header: t("clients.clientId"), td: { ff: "monospace" }, cell: (c) => c.client_id },
          { header: t("clients.scope"), cell: (c) => t(`clients.scopes.${c.scope}`) },
          { header: t("common.region"), td: { ff: "monospace" }, cell: (c) => c.region_code ?? t("app.national") },
          {
            header: t("common.status"),
            cell: (c) => (
              <Badge color={c.is_active ? "teal" : "gray"} variant="light" miw={72}>
                {c.is_active ? t("common.active") : t("common.inactive")}
              </Badge>
            ),
          },
          { header: t("clients.lastUsed"), cell: (c) => formatDateTime(c.last_used_at) },
          {
            cell: (c) => (
              <Group gap={4} wrap="nowrap" justify="flex-end">
                {allows(c, "rotate_secret") && (
                  <ConfirmButton label={t("clients.rotate")} color="blue" question={t("clients.confirmRotate", { name: c.name })} onConfirm={() => rotate(c)} />
                )}
                {allows(c, "update") &&
                  (c.is_active ? (
                    <ConfirmButton
                      label={t("common.deactivate")}
                      color="orange"
                      question={t("clients.confirmDeactivate", { name: c.name })}
                      onConfirm={() => setActive(c, false)}
                    />
                  ) : (
                    <Button size="xs" variant="light" color="teal" onClick={() => void setActive(c, true)}>
                      {t("common.activate")}
                    </Button>
                  ))}
                {allows(c, "delete") && <ConfirmButton label={t("common.delete")} question={t("clients.confirmDelete", { name: c.name })} onConfirm={() => remove(c)} />}
              </Group>
            ),
          },
        ]}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title={t("clients.new")} size="lg">
        {creating && (
          <CreateClient
            onCancel={() => setCreating(false)}
            onCreated={(c) => {
              setCreating(false);
              void refresh();
              setSecret({ title: t("clients.created"), clientId: c.client_id, secret: c.client_secret });
            }}
          />
        )}
      </Modal>
      <OnceSecret
        opened={secret !== null}
        title={secret?.title ?? ""}
        label={t("clients.secret")}
        value={secret?.secret ?? ""}
        warning={t("clients.secretOnce")}
        extra={
          <Text size="sm">
            {t("clients.clientId")}: <code>{secret?.clientId}</code>
          </Text>
        }
        onClose={() => setSecret(null)}
      />
    </Stack>
  );
}

function CreateClient({ onCancel, onCreated }: { onCancel: () => void; onCreated: (c: Schemas["ApiClientWithSecret"]) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [name, setName] = useState("");
  const [region, setRegion] = useState(me.region?.code ?? "");
  const [scope, setScope] = useState<Scope>("read");
  const create = useCreateApiClient(onCreated);
  const errs = fieldErrors(create.error);
  const general = create.error && (!(create.error instanceof ApiError) || create.error.status !== 422 || errs[""] || Object.keys(errs).length === 0);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, region_code: region.trim() || null, scope });
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {general && <ProblemAlert error={create.error} />}
        <TextInput label={t("clients.name")} name="name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errs.name} required />
        <TextInput
          label={t("common.regionCode")}
          name="region_code"
          description={t("clients.regionHelp")}
          value={region}
          onChange={(e) => setRegion(e.currentTarget.value)}
          error={errs.region_code}
        />
        <Select
          label={t("clients.scope")}
          name="scope"
          data={[
            { value: "read", label: t("clients.scopes.read") },
            { value: "read_write", label: t("clients.scopes.read_write") },
          ]}
          value={scope}
          onChange={(v) => v && setScope(v as Scope)}
          allowDeselect={false}
          error={errs.scope}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("common.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
