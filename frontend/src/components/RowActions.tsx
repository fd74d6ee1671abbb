// A table row's Edit and Delete buttons, each shown only when the record's `allowed_actions`
// lists it (update, delete); Delete asks first.
import { Button, Group } from "@mantine/core";
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
