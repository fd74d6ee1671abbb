// What a list row offers: Edit and Delete, each shown only when the record's `allowed_actions`
// lists it (update, delete; Delete asks first), Deactivate (asks first) or Activate, the
// active/inactive badge, and the way a row action reports its problem.
import { Badge, Button, Group, type BadgeProps } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Action } from "../api/client";
import { allows } from "../lib/scope";
import { ConfirmButton } from "./Confirm";

export function EditDeleteButtons({
  record,
  onEdit,
  question,
  onDelete,
}: {
  record: { allowed_actions: readonly Action[] };
  onEdit: () => void;
  question: string;
  onDelete: () => Promise<unknown> | void;
}) {
  const { t } = useTranslation();
  if (!allows(record, "update") && !allows(record, "delete")) return null;
  return (
    <Group gap={4} wrap="nowrap">
      {allows(record, "update") && (
        <Button size="compact-xs" variant="subtle" onClick={onEdit}>
          {t("common.edit")}
        </Button>
      )}
      {allows(record, "delete") && <ConfirmButton size="compact-xs" variant="subtle" color="red" label={t("common.delete")} question={question} onConfirm={onDelete} />}
    </Group>
  );
}

/** "Deactivate" (asks `question` first) for an active record, "Activate" for an inactive one. */
export function ActiveToggle({ active, question, onChange }: { active: boolean; question: string; onChange: (active: boolean) => Promise<unknown> }) {
  const { t } = useTranslation();
  return active ? (
    <ConfirmButton label={t("common.deactivate")} color="orange" question={question} onConfirm={() => onChange(false)} />
  ) : (
    <Button size="xs" variant="light" color="teal" onClick={() => void onChange(true)}>
      {t("common.activate")}
    </Button>
  );
}

/** "Active" or "inactive". */
export function ActiveBadge({ active, ...props }: BadgeProps & { active: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={active ? "teal" : "gray"} variant="light" {...props}>
      {active ? t("common.active") : t("common.inactive")}
    </Badge>
  );
}

/**
 * Row actions of a list: each clears the last problem, runs, keeps its own problem (the screen
 * shows `error` above the list), and refetches the list whether it worked or not.
 */
export function useRowActions(refetch: () => Promise<unknown>) {
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    }
    await refetch();
  };
  return { error, run };
}
