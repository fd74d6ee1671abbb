// Where a record comes from (`provenance` on the read models; set only on demo data): a badge on
// every screen that lists such records when the record is illustrative, and its source on
// detail screens.
import { Badge, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../api/client";
import { formatDate } from "../lib/format";

type Provenance = Schemas["ProvenanceRead"];

/** "Ilustrasi" / "Illustrative" when the record is illustrative demo data; nothing otherwise. */
export function ProvenanceBadge({ provenance }: { provenance: Provenance | null | undefined }) {
  const { t } = useTranslation();
  if (provenance?.kind !== "illustrative") return null;
  const title = t("provenance.illustrativeTitle");
  return (
    <Badge
      color="grape"
      variant="outline"
      size="sm"
      title={provenance.note ? `${title}. ${provenance.note}` : title}
      aria-label={title}
      data-testid="illustrative"
    >
      {t("provenance.illustrative")}
    </Badge>
  );
}

/** A detail screen's line on the record's source: the article (title, date), and for an
 * illustrative record the badge, the article it is based on and what is illustrative. */
export function ProvenanceSource({ provenance }: { provenance: Provenance | null | undefined }) {
  const { t } = useTranslation();
  if (!provenance) return null;
  const article = provenance.title
    ? `${provenance.title}${provenance.published_on ? ` (${formatDate(provenance.published_on)})` : ""}`
    : t("provenance.untitled");
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap" data-testid="provenance">
      <ProvenanceBadge provenance={provenance} />
      <Text size="sm" c="dimmed">
        {provenance.kind === "seed" ? t("provenance.seed", { title: article }) : t("provenance.basedOn", { title: article })}
        {provenance.note ? ` — ${provenance.note}` : ""}
      </Text>
    </Group>
  );
}
