// Users administration within the account's scope: list and filter, create (the generated
// password shown once), edit with ETag/If-Match, deactivate, delete.
import { Badge, Button, Card, Group, Loader, Modal, Select, Stack, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role, type UserRead } from "../api/client";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { OnceSecret } from "../components/OnceSecret";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime } from "../lib/format";
import { allows } from "../lib/scope";
import { deleteUser, setUserActive, useCreateUser, useRefreshUsers, userListQuery, userQuery, useUpdateUser } from "./api";
import { UserForm, valuesOf } from "./UserForm";
import { QueryTable } from "../components/QueryTable";
import { useListParams } from "../lib/listParams";

const PAGE = 25;

export function UsersPage() {
  const { get: getParam, set: setParam, offset, setOffset } = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const refresh = useRefreshUsers();
  const q = getParam("q");
  const setQ = (v: string) => setParam("q", v);
  const [dq] = useDebouncedValue(q.trim(), 300);
  const role = getParam("role") || null;
  const setRole = (v: string | null) => setParam("role", v);
  const active = getParam("active") || null;
  const setActive = (v: string | null) => setParam("active", v);
  const region = getParam("region");
  const setRegion = (v: string) => setParam("region", v);
  const [dregion] = useDebouncedValue(region.trim(), 400);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const validRegion = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/.test(dregion) ? dregion : undefined;
  const list = useQuery({
    ...userListQuery({
      q: dq || undefined,
      role: (role as Role) ?? undefined,
      active: active === null ? undefined : active === "true",
      region: validRegion,
      limit: PAGE,
      offset,
    }),
    placeholderData: keepPreviousData,
  });

  const create = useCreateUser((u) => {
    setCreating(false);
    if (u.generated_password) setCreated({ username: u.username, password: u.generated_password });
    else notifications.show({ message: `${t("users.created")}: ${u.username}`, color: "teal" });
  });

  async function patchActive(u: UserRead, isActive: boolean) {
    setActionError(null);
    try {
      await setUserActive(u, isActive);
      notifications.show({ message: t("common.saved"), color: "teal" });
    } catch (e) {
      setActionError(e);
    }
    await refresh();
  }

  async function remove(u: UserRead) {
    setActionError(null);
    try {
      await deleteUser(u);
      notifications.show({ message: `${t("common.deleted")}: ${u.username}`, color: "teal" });
    } catch (e) {
      setActionError(e);
    }
    await refresh();
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("users.title")}</Title>
        {allows(me, "create_user") && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => (create.reset(), setCreating(true))}>
            {t("users.new")}
          </Button>
        )}
      </Group>
      <Card withBorder>
        <Group align="flex-end">
          <TextInput
            label={t("common.search")}
            placeholder={t("users.searchPlaceholder")}
            leftSection={<IconSearch size={16} />}
            value={q}
            maxLength={100}
            onChange={(e) => setQ(e.currentTarget.value)}
          />
          <Select
            label={t("users.role")}
            placeholder={t("common.all")}
            clearable
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            onChange={(v) => setRole(v)}
          />
          <Select
            label={t("common.status")}
            placeholder={t("common.all")}
            clearable
            data={[
              { value: "true", label: t("common.active") },
              { value: "false", label: t("common.inactive") },
            ]}
            value={active}
            onChange={(v) => setActive(v)}
          />
          <TextInput
            label={t("common.regionCode")}
            placeholder={me.region?.code ?? "33.75"}
            value={region}
            onChange={(e) => setRegion(e.currentTarget.value)}
            w={140}
          />
        </Group>
      </Card>
      <ProblemAlert error={actionError} />
      <QueryTable
        query={list}
        testId="users-table"
        tableProps={{ highlightOnHover: true }}
        empty="row"
        rowKey={(u) => u.id}
        page={{ limit: PAGE, offset, onOffset: setOffset }}
        columns={[
          { header: t("users.username"), td: { ff: "monospace" }, cell: (u) => u.username },
          { header: t("users.fullName"), cell: (u) => u.full_name },
          { header: t("users.role"), cell: (u) => t(`roles.${u.role}`) },
          { header: t("common.region"), td: { ff: "monospace" }, cell: (u) => u.region_code ?? t("app.national") },
          {
            header: t("common.status"),
            cell: (u) => (
              <Badge color={u.is_active ? "teal" : "gray"} variant="light" miw={72}>
                {u.is_active ? t("common.active") : t("common.inactive")}
              </Badge>
            ),
          },
          { header: t("users.lastLogin"), cell: (u) => formatDateTime(u.last_login_at) },
          {
            cell: (u) => (
              <Group gap={4} wrap="nowrap" justify="flex-end">
                {allows(u, "update") && (
                  <Button size="xs" variant="light" onClick={() => setEditing(u.id)}>
                    {t("common.edit")}
                  </Button>
                )}
                {allows(u, "set_active") &&
                  (u.is_active ? (
                    <ConfirmButton
                      label={t("common.deactivate")}
                      color="orange"
                      question={t("users.confirmDeactivate", { username: u.username })}
                      onConfirm={() => patchActive(u, false)}
                    />
                  ) : (
                    <Button size="xs" variant="light" color="teal" onClick={() => void patchActive(u, true)}>
                      {t("common.activate")}
                    </Button>
                  ))}
                {allows(u, "delete") && <ConfirmButton label={t("common.delete")} question={t("users.confirmDelete", { username: u.username })} onConfirm={() => remove(u)} />}
              </Group>
            ),
          },
        ]}
      />

      <Modal opened={creating} onClose={() => setCreating(false)} title={t("users.new")} size="lg">
        {creating && (
          <UserForm
            mode="create"
            initial={valuesOf(undefined, me.region?.code)}
            error={create.error}
            busy={create.isPending}
            onSubmit={(v) => create.mutate(v)}
            onCancel={() => setCreating(false)}
          />
        )}
      </Modal>

      {editing !== null && <EditUser id={editing} onClose={() => setEditing(null)} />}

      <OnceSecret
        opened={created !== null}
        title={t("users.created")}
        label={`${t("users.generatedPassword")} — ${created?.username ?? ""}`}
        value={created?.password ?? ""}
        warning={t("users.passwordOnce")}
        onClose={() => setCreated(null)}
      />
    </Stack>
  );
}

function EditUser({ id, onClose }: { id: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [formKey, setFormKey] = useState(0);
  const [override, setOverride] = useState<{ user: UserRead; etag: string } | null>(null);
  const got = useQuery(userQuery(id));
  const current = override ?? got.data;
  const save = useUpdateUser(id, current, onClose);

  return (
    <Modal opened onClose={onClose} title={t("users.editTitle", { username: current?.user.username ?? "" })} size="lg">
      {got.isPending ? (
        <Loader />
      ) : got.error ? (
        <ProblemAlert error={got.error} />
      ) : current ? (
        <UserForm
          key={formKey}
          mode="edit"
          initial={valuesOf(current.user, null)}
          loaded={current.user}
          error={save.error}
          busy={save.isPending}
          onSubmit={(v) => save.mutate(v)}
          onCancel={onClose}
          onReload={(cur, etag) => {
            if (cur && etag) setOverride({ user: cur as unknown as UserRead, etag });
            save.reset();
            setFormKey((k) => k + 1);
          }}
        />
      ) : null}
    </Modal>
  );
}
