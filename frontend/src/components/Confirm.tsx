// A button that asks before doing something irreversible.
import { Button, Group, Modal, Stack, Text, type ButtonProps } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

export function ConfirmButton({
  label,
  question,
  onConfirm,
  ...props
}: ButtonProps & { label: string; question: string; onConfirm: () => Promise<unknown> | void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button size="xs" variant="light" {...props} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label}>
        <Stack>
          <Text>{question}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </Button>
            <Button
              color={props.color ?? "red"}
              loading={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onConfirm();
                } finally {
                  setBusy(false);
                  setOpen(false);
                }
              }}
            >
              {t("common.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
