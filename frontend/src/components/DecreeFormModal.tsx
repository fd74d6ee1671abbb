// Create a decree (SK) — for a team, or for a region — or change one (PATCH with If-Match; once
// issued only the title and notes can change, as the API rules). Opened from the decree screens
// and from a team's page.
import { Select, SimpleGrid, Text, TextInput, Textarea } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { useMe } from "../auth/auth";
import { useFields } from "../lib/fields";
import { DateField } from "./DateField";
import { FormModal, textOrNull } from "./FormModal";
import { RegionPicker } from "./RegionPicker";

type Decree = Schemas["DecreeRead"];
type Subject = Schemas["DecreeSubject"];
export const SUBJECTS: Subject[] = ["team_formation", "posyandu_formation", "pkk_roster", "other"];

/** Create a decree (no `decree`), for `team` when given; a new decree opens on its own page. */
export function DecreeFormModal({
  decree,
  team,
  onClose,
}: {
  decree?: Decree;
  team?: { id: number; region_code: string; name: string };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  // once issued, only the title and notes can change
  const frozen = !!decree && decree.status !== "draft";
  const initial = {
    region_code: decree?.region_code ?? team?.region_code ?? me.region?.code ?? "",
    subject: (decree?.subject ?? "team_formation") as string | null,
    title: decree?.title ?? (team ? `SK ${team.name}` : ""),
    number: decree?.number ?? "",
    decree_date: decree?.decree_date ?? "",
    signer: decree?.signer ?? "",
    notes: decree?.notes ?? "",
  };
  const save = useSave(
    async (v: typeof initial) => {
      const draftFields = { region_code: v.region_code.trim(), subject: v.subject as Subject, number: textOrNull(v.number), decree_date: v.decree_date || null, signer: textOrNull(v.signer) };
      const body = { title: v.title.trim(), notes: textOrNull(v.notes) };
      if (!decree) return unwrap(await api.POST("/api/v1/decrees", { body: { ...draftFields, ...body, team_id: team?.id ?? null } }));
      return unwrap(
        await api.PATCH("/api/v1/decrees/{decree_id}", {
          params: { path: { decree_id: decree.id }, header: { "If-Match": etagFor(decree.version) } },
          body: frozen ? body : { ...draftFields, ...body },
        }),
      );
    },
    ["decrees", "compliance"],
    (saved: { id: number }) => {
      onClose();
      if (!decree) navigate(`/decrees/${saved.id}`);
    },
  );
  const f = useFields(initial, save.error);
  const labels = { title: t("decrees.titleCol"), number: t("decrees.number"), decree_date: t("decrees.date"), signer: t("decrees.signer"), subject: t("decrees.subject"), notes: t("decrees.notes"), status: t("common.status") };
  return (
    <FormModal
      title={decree ? t("decrees.edit") : t("decrees.new")}
      size="lg"
      onClose={onClose}
      onSubmit={() => save.mutate(f.values)}
      mutation={save}
      fields={Object.keys(f.values)}
      stale={{ loaded: decree ?? {}, labels, queryKey: "decrees" }}
    >
      {team && (
        <Text size="sm" c="dimmed">
          {t("decrees.forTeam", { team: team.name })}
        </Text>
      )}
      {frozen && (
        <Text size="sm" c="dimmed" data-testid="frozen-help">
          {t("decrees.frozenHelp")}
        </Text>
      )}
      <TextInput label={t("decrees.titleCol")} maxLength={500} {...f.text("title")} required data-autofocus />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <RegionPicker label={t("common.regionCode")} {...f.region("region_code")} disabled={frozen || !!team} required />
        <Select label={t("decrees.subject")} data={SUBJECTS.map((s) => ({ value: s, label: t(`decrees.subjects.${s}`) }))} {...f.choice("subject")} allowDeselect={false} disabled={frozen} />
        <TextInput label={t("decrees.number")} placeholder="274 Tahun 2025" maxLength={200} {...f.text("number")} disabled={frozen} />
        <DateField label={t("decrees.date")} {...f.date("decree_date")} disabled={frozen} />
      </SimpleGrid>
      <TextInput label={t("decrees.signer")} placeholder={t("decrees.signerPlaceholder")} maxLength={200} {...f.text("signer")} disabled={frozen} />
      <Textarea label={t("decrees.notes")} maxLength={5000} {...f.text("notes")} autosize minRows={2} />
    </FormModal>
  );
}
