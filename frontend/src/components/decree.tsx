// The decree (SK) widgets shown wherever decrees are listed: on the decree screens and a team's page.
import { Anchor, Badge, Group } from "@mantine/core";
import { IconFileTypePdf } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";

type Decree = Schemas["DecreeRead"];
type DecreeStatus = Schemas["DecreeStatus"];
const COLORS: Record<DecreeStatus, string> = { draft: "gray", issued: "blue", reported: "teal", verified: "green", revoked: "red" };

export function DecreeStatusBadge({ status }: { status: DecreeStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light" data-testid="decree-status">
      {t(`decrees.status.${status}`)}
    </Badge>
  );
}

/** The download link of the decree's PDF, or a dash when none is attached. */
export function DecreeFileLink({ decree, label = "PDF" }: { decree: Decree; label?: string }) {
  if (!decree.file) return <>—</>;
  return (
    <Anchor href={`/api/v1/decrees/${decree.id}/file`} target="_blank" rel="noreferrer" size="sm" data-testid="decree-file">
      <Group gap={4} wrap="nowrap">
        <IconFileTypePdf size={16} />
        {label}
      </Group>
    </Anchor>
  );
}
