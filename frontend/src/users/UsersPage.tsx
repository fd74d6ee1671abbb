// Users administration within the account's scope: list and filter, create (the generated
// password shown once), edit with ETag/If-Match, deactivate, delete.
import { Button, Group, Loader, Modal, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconSearch } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useListQuery } from "../api/query";
import { useTranslation } from "react-i18next";
import { ROLES, type Role, type UserRead } from "../api/client";
import { useMe } from "../auth/auth";
import { ConfirmButton } from "../components/Confirm";
import { OnceSecret } from "../components/OnceSecret";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatDateTime } from "../lib/format";
import { useRefetch } from "../api/mutations";
import { FilterBar, ParamSelect, RegionParam, SearchParam } from "../components/Filters";
import { PageHeader } from "../components/Page";
import { ActiveBadge, ActiveToggle, useRowActions } from "../components/RowActions";
import { allows } from "../lib/scope";
import { deleteUser, setUserActive, useCreateUser, userListQuery, userQuery, useUpdateUser } from "./api";
import { UserForm, valuesOf } from "./UserForm";
import { QueryTable } from "../components/QueryTable";
import { regionFilterOk, useDebouncedParam, useListParams } from "../lib/listParams";

const PAGE = 25;

export function UsersPage() {
  const params = useListParams();
  const { t } = useTranslation();
  const me = useMe();
  const refresh = useRefetch("users");
  const q = useDebouncedParam(params, "q");
  const role = params.get("role") || null;
  const active = params.get("active") || null;
  const region = useDebouncedParam(params, "region", 400);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);

  const list = useListQuery(
    userListQuery({
      q: q || undefined,
      role: (role as Role) ?? undefined,
      active: active === null ? undefined : active === "true",
      region: region && regionFilterOk(region) ? region : undefined,
      limit: PAGE,
      ...params.position,
    }),
  );

  const create = useCreateUser((u) => {
    setCreating(false);
    if (u.generated_password) setCreated({ username: u.username, password: u.generated_password });
    else notifications.show({ message: `${t("users.created")}: ${u.username}`, color: "teal" });
  });

  const actions = useRowActions(refresh);
  const setActive = (u: UserRead, isActive: boolean) =>
    actions.run(async () => {
      await setUserActive(u, isActive);
      notifications.show({ message: t("common.saved"), color: "teal" });
    });
  const remove = (u: UserRead) =>
    actions.run(async () => {
      await deleteUser(u);
      notifications.show({ message: `${t("common.deleted")}: ${u.username}`, color: "teal" });
    });

  return (
    <Stack>
      <PageHeader title={t("users.title")}>
        {allows(me, "create_user") && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => (create.reset(), setCreating(true))}>
            {t("users.new")}
          </Button>
        )}
      </PageHeader>
      <FilterBar align="flex-end">
        <SearchParam params={params} placeholder={t("users.searchPlaceholder")} leftSection={<IconSearch size={16} />} w={undefined} />
        <ParamSelect params={params} param="role" label={t("users.role")} data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <ParamSelect
          params={params}
          param="active"
          label={t("common.status")}
          data={[
            { value: "true", label: t("common.active") },
            { value: "false", label: t("common.inactive") },
          ]}
        />
        <RegionParam params={params} />
      </FilterBar>
      <ProblemAlert error={actions.error} />
      <QueryTable
        query={list}
        testId="users-table"
        tableProps={{ highlightOnHover: true }}
        empty="row"
        rowKey={(u) => u.id}
        page={params.page(PAGE)}
        columns={[
          { header: t("users.username"), td: { ff: "monospace" }, cell: (u) => u.username },
          { header: t("users.fullName"), cell: (u) => u.full_name },
          { header: t("users.role"), cell: (u) => t(`roles.${u.role}`) },
          { header: t("common.region"), td: { ff: "monospace" }, cell: (u) => u.region_code ?? t("app.national") },
          {
            header: t("common.status"),
            cell: (u) => <ActiveBadge active={u.is_active} miw={72} />,
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
                {allows(u, "set_active") && <ActiveToggle active={u.is_active} question={t("users.confirmDeactivate", { username: u.username })} onChange={(a) => setActive(u, a)} />}
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
            mutation={create}
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
  const [override, setOverride] = useState<{ data: UserRead; etag: string } | null>(null);
  const got = useQuery(userQuery(id));
  const current = override ?? got.data;
  const save = useUpdateUser(id, current, onClose);

  return (
    <Modal opened onClose={onClose} title={t("users.editTitle", { username: current?.data.username ?? "" })} size="lg">
      {got.isPending ? (
        <Loader />
      ) : got.error ? (
        <ProblemAlert error={got.error} />
      ) : current ? (
        <UserForm
          key={formKey}
          mode="edit"
          initial={valuesOf(current.data, null)}
          loaded={current.data}
          mutation={save}
          onSubmit={(v) => save.mutate(v)}
          onCancel={onClose}
          onReload={(cur, etag) => {
            if (cur && etag) setOverride({ data: cur as unknown as UserRead, etag });
            save.reset();
            setFormKey((k) => k + 1);
          }}
        />
      ) : null}
    </Modal>
  );
}
