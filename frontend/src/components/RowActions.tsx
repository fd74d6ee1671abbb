// A table row's Edit and Delete buttons; Delete asks first.
import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ConfirmButton } from "./Confirm";

export function EditDeleteButtons({ onEdit, question, onDelete }: { onEdit: () => void; question: string; onDelete: () => Promise<unknown> | void }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="subtle" onClick={onEdit}>
        {t("common.edit")}
      </Button>
      <ConfirmButton size="compact-xs" variant="subtle" color="red" label={t("common.delete")} question={question} onConfirm={onDelete} />
    </Group>
  );
}
