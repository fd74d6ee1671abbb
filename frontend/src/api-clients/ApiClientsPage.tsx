// API clients administration: create (the secret shown once), rotate, deactivate, delete; each
// client's webhook subscriptions and deliveries in a drawer.
import { Alert, Badge, Checkbox, Group, SimpleGrid, Stack, Text, TextInput, Button } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { type ApiClientRead, type Schemas } from "../api/client";
import { useRefetch } from "../api/mutations";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { OnceSecret } from "../components/OnceSecret";
import { FormModal, textOrNull } from "../components/FormModal";
import { PageHeader } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { ActiveBadge, ActiveToggle, useRowActions } from "../components/RowActions";
import { useFields } from "../lib/fields";
import { formatDateTime } from "../lib/format";
import { allows } from "../lib/scope";
import { apiClientListQuery, deleteApiClient, rotateSecret, setApiClientActive, useCreateApiClient } from "./api";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";
import { RegionPicker } from "../components/RegionPicker";
import { WebhooksDrawer } from "./Webhooks";

const PAGE = 25;
type Scope = Schemas["Scope"];

// The contract's scope vocabulary (its `Scope` enum), grouped as the form shows it. Which scope an
// operation needs is the server's business; this is only the list of words to choose from.
const FAMILIES = ["regions", "teams", "decrees", "posyandu", "pilots", "budgets", "work-programs", "legal", "meetings", "competitions", "imports", "changes"] as const;
const WRITABLE = new Set(["teams", "decrees", "posyandu", "pilots", "budgets", "work-programs", "legal", "meetings", "competitions"]);
const READS = FAMILIES.map((f) => `${f}:read` as Scope);
const WRITES = FAMILIES.filter((f) => WRITABLE.has(f)).map((f) => `${f}:write` as Scope);
const SENSITIVE: Scope[] = ["accounts:read", "audit:read", "personal-data:read"];

/** A scope's name in the UI language (i18next keys cannot hold ':', its namespace separator). */
function scopeName(t: TFunction, scope: Scope) {
  // every scope of the contract has its name in both dictionaries (the i18n test checks the keys match)
  return t(`clients.scopeNames.${scope.replace(":", "_")}` as "clients.scopeNames.regions_read");
}

/** A client's scopes in a few words: read / read & write, and each sensitive grant as a badge. */
function ScopeSummary({ scopes }: { scopes: Scope[] }) {
  const { t } = useTranslation();
  const writes = scopes.some((s) => s.endsWith(":write"));
  return (
    <Group gap={4}>
      <Text size="sm">{t(writes ? "clients.scopes.read_write" : "clients.scopes.read")}</Text>
      {SENSITIVE.filter((s) => scopes.includes(s)).map((s) => (
        <Badge key={s} color="orange" variant="light" title={scopeName(t, s)}>
          {scopeName(t, s)}
        </Badge>
      ))}
    </Group>
  );
}

export function ApiClientsPage() {
  const params = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; clientId: string; secret: string } | null>(null);
  const [hooksOf, setHooksOf] = useState<ApiClientRead | null>(null);

  const list = useQuery(apiClientListQuery(params.position, PAGE));
  const { error: actionError, run: act } = useRowActions(useRefetch("api-clients"));

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
      <PageHeader title={t("clients.title")}>
        {allows(me, "create_api_client") && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {t("clients.new")}
          </Button>
        )}
      </PageHeader>
      <ProblemAlert error={actionError} />
      <QueryTable
        query={list}
        testId="clients-table"
        tableProps={{ highlightOnHover: true }}
        empty="row"
        rowKey={(c) => c.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("clients.name"), cell: (c) => c.name },
          { header: t("clients.clientId"), td: { ff: "monospace" }, cell: (c) => c.client_id },
          { header: t("clients.scope"), cell: (c) => <ScopeSummary scopes={c.scopes} /> },
          { header: t("common.region"), td: { ff: "monospace" }, cell: (c) => c.region_code ?? t("app.national") },
          {
            header: t("common.status"),
            cell: (c) => <ActiveBadge active={c.is_active} miw={72} />,
          },
          { header: t("clients.lastUsed"), cell: (c) => formatDateTime(c.last_used_at) },
          {
            cell: (c) => (
              <Group gap={4} wrap="nowrap" justify="flex-end">
                <Button size="xs" variant="light" onClick={() => setHooksOf(c)} aria-label={t("webhooks.of", { name: c.name })}>
                  {t("webhooks.button")}
                </Button>
                {allows(c, "rotate_secret") && (
                  <ConfirmButton label={t("clients.rotate")} color="blue" question={t("clients.confirmRotate", { name: c.name })} onConfirm={() => rotate(c)} />
                )}
                {allows(c, "update") && <ActiveToggle active={c.is_active} question={t("clients.confirmDeactivate", { name: c.name })} onChange={(a) => setActive(c, a)} />}
                {allows(c, "delete") && <ConfirmButton label={t("common.delete")} question={t("clients.confirmDelete", { name: c.name })} onConfirm={() => remove(c)} />}
              </Group>
            ),
          },
        ]}
      />
      {creating && (
        <CreateClient
          onCancel={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setSecret({ title: t("clients.created"), clientId: c.client_id, secret: c.client_secret });
          }}
        />
      )}
      <WebhooksDrawer client={hooksOf} onClose={() => setHooksOf(null)} />
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
  const create = useCreateApiClient(onCreated);
  const f = useFields({ name: "", region_code: me.region?.code ?? "", scopes: "" }, create.error);
  const v = f.values;
  const [scopes, setScopes] = useState<string[]>(READS);
  const sensitive = SENSITIVE.filter((s) => scopes.includes(s));
  return (
    <FormModal
      title={t("clients.new")}
      size="lg"
      onClose={onCancel}
      onSubmit={() => create.mutate({ name: v.name, region_code: textOrNull(v.region_code), scopes: scopes as Scope[] })}
      mutation={create}
      fields={Object.keys(v)}
      submitLabel={t("common.create")}
    >
      <TextInput label={t("clients.name")} name="name" {...f.text("name")} required />
      <RegionPicker label={t("common.regionCode")} name="region_code" description={t("clients.regionHelp")} {...f.region("region_code")} />
      <Checkbox.Group label={t("clients.scope")} description={t("clients.scopeHelp")} value={scopes} onChange={setScopes} error={f.text("scopes").error}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing={6}>
          {[...READS, ...WRITES].map((s) => (
            <Checkbox key={s} value={s} label={scopeName(t, s)} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <Checkbox.Group label={t("clients.sensitive")} description={t("clients.sensitiveHelp")} value={scopes} onChange={setScopes}>
        <Stack mt="xs" gap={6}>
          {SENSITIVE.map((s) => (
            <Checkbox key={s} value={s} label={scopeName(t, s)} />
          ))}
        </Stack>
      </Checkbox.Group>
      {sensitive.length > 0 && (
        <Alert color="orange" variant="light">
          {t("clients.sensitiveWarning")}
        </Alert>
      )}
    </FormModal>
  );
}
