// Create / edit a user. Validation errors from the API (problem `errors[].loc`) appear next to
// the fields; a stale edit (412) shows what changed.
import { Button, Group, PasswordInput, Select, Stack, Switch, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role, type UserRead } from "../api/client";
import { ApiError, fieldErrors } from "../api/problems";
import { ProblemAlert } from "../components/ProblemAlert";
import { StaleDiff } from "../components/StaleDiff";

export type UserFormValues = {
  username: string;
  full_name: string;
  email: string;
  role: Role;
  region_code: string;
  password: string;
  is_active: boolean;
};

export function valuesOf(u: UserRead | undefined, defaultRegion: string | null | undefined): UserFormValues {
  return {
    username: u?.username ?? "",
    full_name: u?.full_name ?? "",
    email: u?.email ?? "",
    role: u?.role ?? "village_operator",
    region_code: u ? (u.region_code ?? "") : (defaultRegion ?? ""),
    password: "",
    is_active: u?.is_active ?? true,
  };
}

export function UserForm({
  mode,
  initial,
  loaded,
  error,
  busy,
  onSubmit,
  onCancel,
  onReload,
}: {
  mode: "create" | "edit";
  initial: UserFormValues;
  loaded?: UserRead;
  error: unknown;
  busy: boolean;
  onSubmit: (v: UserFormValues) => void;
  onCancel: () => void;
  onReload?: (current: Record<string, unknown> | undefined, etag: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const [v, setV] = useState<UserFormValues>(initial);
  const errs = fieldErrors(error);
  const set = <K extends keyof UserFormValues>(k: K, value: UserFormValues[K]) => setV((old) => ({ ...old, [k]: value }));
  const stale = error instanceof ApiError && error.status === 412;
  const labels = {
    full_name: t("users.fullName"),
    email: t("users.email"),
    role: t("users.role"),
    region_code: t("common.region"),
    is_active: t("common.status"),
    username: t("users.username"),
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit(v);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {stale && loaded && onReload ? (
          <StaleDiff
            error={error}
            loaded={loaded as unknown as Record<string, unknown>}
            labels={labels}
            onReload={(current, etag) => {
              if (current) setV(valuesOf(current as unknown as UserRead, null));
              onReload(current, etag);
            }}
          />
        ) : error && !(error instanceof ApiError && error.status === 422 && Object.keys(errs).some((k) => k !== "")) ? (
          <ProblemAlert error={error} />
        ) : errs[""] ? (
          <ProblemAlert error={error} />
        ) : null}
        <TextInput
          label={t("users.username")}
          name="username"
          value={v.username}
          onChange={(e) => set("username", e.currentTarget.value)}
          error={errs.username}
          disabled={mode === "edit"}
          required
        />
        <TextInput label={t("users.fullName")} name="full_name" value={v.full_name} onChange={(e) => set("full_name", e.currentTarget.value)} error={errs.full_name} required />
        <TextInput label={t("users.email")} name="email" value={v.email} onChange={(e) => set("email", e.currentTarget.value)} error={errs.email} />
        <Select
          label={t("users.role")}
          name="role"
          data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={v.role}
          onChange={(r) => r && set("role", r as Role)}
          error={errs.role}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t("common.regionCode")}
          name="region_code"
          description={t("users.regionHelp")}
          value={v.region_code}
          onChange={(e) => set("region_code", e.currentTarget.value)}
          error={errs.region_code}
        />
        <PasswordInput
          label={mode === "create" ? t("users.password") : t("users.newPassword")}
          name="password"
          description={mode === "create" ? t("users.passwordHelp") : t("users.newPasswordHelp")}
          value={v.password}
          onChange={(e) => set("password", e.currentTarget.value)}
          error={errs.password}
          autoComplete="new-password"
        />
        {mode === "edit" && (
          <Switch label={t("common.active")} checked={v.is_active} onChange={(e) => set("is_active", e.currentTarget.checked)} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={busy}>
            {mode === "create" ? t("common.create") : t("common.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
