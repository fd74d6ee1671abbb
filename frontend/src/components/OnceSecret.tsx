// A value shown once (a generated password, a client secret), with a copy button.
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function OnceSecret({
  opened,
  title,
  label,
  value,
  warning,
  extra,
  onClose,
}: {
  opened: boolean;
  title: string;
  label: string;
  value: string;
  warning: string;
  extra?: React.ReactNode;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title} closeOnClickOutside={false}>
      <Stack>
        <Alert color="yellow">{warning}</Alert>
        {extra}
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Group wrap="nowrap">
          <Code block style={{ flex: 1 }} data-testid="once-secret">
            {value}
          </Code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? t("common.copied") : t("common.copy")}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Button onClick={onClose}>{t("common.close")}</Button>
      </Stack>
    </Modal>
  );
}
