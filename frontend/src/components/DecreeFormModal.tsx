// Create a decree (SK) — for a team, or for a region — or change one (PATCH with If-Match; once
// issued only the title and notes can change, as the API rules). Opened from the decree screens
// and from a team's page.
import { Select, SimpleGrid, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, type Schemas } from "../api/client";
import { etagFor, fieldErrors, unwrap } from "../api/problems";
import { useMe } from "../auth/auth";
import { FormModal, textOrNull, useOnSaved } from "./FormModal";

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
  const [region, setRegion] = useState(decree?.region_code ?? team?.region_code ?? me.region?.code ?? "");
  const [subject, setSubject] = useState<Subject>(decree?.subject ?? "team_formation");
  const [title, setTitle] = useState(decree?.title ?? (team ? `SK ${team.name}` : ""));
  const [number, setNumber] = useState(decree?.number ?? "");
  const [date, setDate] = useState(decree?.decree_date ?? "");
  const [signer, setSigner] = useState(decree?.signer ?? "");
  const [notes, setNotes] = useState(decree?.notes ?? "");
  // once issued, only the title and notes can change
  const frozen = !!decree && decree.status !== "draft";
  const save = useMutation({
    mutationFn: async () => {
      const draftFields = { region_code: region.trim(), subject, number: textOrNull(number), decree_date: date || null, signer: textOrNull(signer) };
      const body = { title: title.trim(), notes: textOrNull(notes) };
      if (!decree) return unwrap(await api.POST("/api/v1/decrees", { body: { ...draftFields, ...body, team_id: team?.id ?? null } }));
      return unwrap(
        await api.PATCH("/api/v1/decrees/{decree_id}", {
          params: { path: { decree_id: decree.id }, header: { "If-Match": etagFor(decree.version) } },
          body: frozen ? body : { ...draftFields, ...body },
        }),
      );
    },
    onSuccess: useOnSaved<{ id: number }>(["decrees", "compliance"], (saved) => {
      onClose();
      if (!decree) navigate(`/decrees/${saved.id}`);
    }),
  });
  const errs = fieldErrors(save.error);
  return (
    <FormModal
      title={decree ? t("decrees.edit") : t("decrees.new")}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      saving={save.isPending}
      error={save.error}
      fields={["region_code", "subject", "title", "number", "decree_date", "signer", "notes"]}
      stale={{
        loaded: decree ?? {},
        labels: { title: t("decrees.titleCol"), number: t("decrees.number"), decree_date: t("decrees.date"), signer: t("decrees.signer"), subject: t("decrees.subject"), notes: t("decrees.notes"), status: t("common.status") },
        queryKey: "decrees",
      }}
      size="lg"
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
      <TextInput label={t("decrees.titleCol")} value={title} maxLength={500} onChange={(e) => setTitle(e.currentTarget.value)} error={errs.title} required data-autofocus />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t("common.regionCode")}
          value={region}
          maxLength={13}
          onChange={(e) => setRegion(e.currentTarget.value)}
          error={errs.region_code}
          disabled={frozen || !!team}
          required
        />
        <Select
          label={t("decrees.subject")}
          data={SUBJECTS.map((s) => ({ value: s, label: t(`decrees.subjects.${s}`) }))}
          value={subject}
          onChange={(v) => v && setSubject(v as Subject)}
          allowDeselect={false}
          error={errs.subject}
          disabled={frozen}
        />
        <TextInput label={t("decrees.number")} placeholder="274 Tahun 2025" value={number} maxLength={200} onChange={(e) => setNumber(e.currentTarget.value)} error={errs.number} disabled={frozen} />
        <TextInput type="date" label={t("decrees.date")} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errs.decree_date} disabled={frozen} />
      </SimpleGrid>
      <TextInput label={t("decrees.signer")} placeholder={t("decrees.signerPlaceholder")} value={signer} maxLength={200} onChange={(e) => setSigner(e.currentTarget.value)} error={errs.signer} disabled={frozen} />
      <Textarea label={t("decrees.notes")} value={notes} maxLength={5000} onChange={(e) => setNotes(e.currentTarget.value)} error={errs.notes} autosize minRows={2} />
    </FormModal>
  );
}
