// Create / edit a user. Validation errors from the API (problem `errors[].loc`) appear next to
// the fields; a stale edit (412) shows what changed.
import { PasswordInput, Select, Switch, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ROLES, type Role, type UserRead } from "../api/client";
import { Form } from "../components/FormModal";
import { useFields } from "../lib/fields";
import { RegionPicker } from "../components/RegionPicker";

export type UserFormValues = {
  username: string;
  full_name: string;
  email: string;
  phone: string;
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
    phone: u?.phone ?? "",
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
  mutation,
  onSubmit,
  onCancel,
  onReload,
}: {
  mode: "create" | "edit";
  initial: UserFormValues;
  loaded?: UserRead;
  mutation: { isPending: boolean; error: unknown };
  onSubmit: (v: UserFormValues) => void;
  onCancel: () => void;
  /** After a 412: start again from the current copy (the form is mounted anew with it). */
  onReload?: (current: Record<string, unknown> | undefined, etag: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const f = useFields(initial, mutation.error);
  const labels = {
    full_name: t("users.fullName"),
    email: t("users.email"),
    phone: t("users.phone"),
    role: t("users.role"),
    region_code: t("common.region"),
    is_active: t("common.status"),
    username: t("users.username"),
  };
  return (
    <Form
      onSubmit={() => onSubmit(f.values)}
      onCancel={onCancel}
      mutation={mutation}
      fields={Object.keys(initial)}
      stale={loaded && onReload ? { loaded, labels, onReload } : undefined}
      submitLabel={mode === "create" ? t("common.create") : t("common.save")}
    >
      <TextInput label={t("users.username")} name="username" {...f.text("username")} disabled={mode === "edit"} required />
      <TextInput label={t("users.fullName")} name="full_name" {...f.text("full_name")} required />
      <TextInput label={t("users.email")} name="email" {...f.text("email")} />
      <TextInput type="tel" label={t("users.phone")} name="phone" description={t("users.phoneHelp")} {...f.text("phone")} />
      <Select
        label={t("users.role")}
        name="role"
        data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        {...f.choice("role")}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <RegionPicker label={t("common.regionCode")} name="region_code" description={t("users.regionHelp")} {...f.region("region_code")} />
      <PasswordInput
        label={mode === "create" ? t("users.password") : t("users.newPassword")}
        name="password"
        description={mode === "create" ? t("users.passwordHelp") : t("users.newPasswordHelp")}
        {...f.text("password")}
        autoComplete="new-password"
      />
      {mode === "edit" && <Switch label={t("common.active")} {...f.checked("is_active")} error={undefined} />}
    </Form>
  );
}
