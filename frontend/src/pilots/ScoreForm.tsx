// Record a pilot's scores (0–100) per SPM field, the evidence and the good practice. Sent as a
// PATCH with the version the user loaded: a stale edit (412) shows what someone else changed.
import { NumberInput, TextInput, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import { ApiError } from "../api/problems";
import { DataTable } from "../components/DataTable";
import { FormModal, textOrNull } from "../components/FormModal";
import { useFields } from "../lib/fields";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { useSaveScores } from "./api";

type Pilot = Schemas["PilotSiteRead"];
type Entry = { baseline_score: number | null; current_score: number | null; evidence: string };

/** Field errors of a 422 keyed "<spm field>.<member>" (the API's loc is body.scorecard.<field>.<member>). */
function scoreErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors) {
    const loc = e.loc.map(String);
    const i = loc.indexOf("scorecard");
    if (i >= 0 && loc.length > i + 2) out[`${loc[i + 1]}.${loc[i + 2]}`] = e.msg;
  }
  return out;
}

export function ScoreForm({ pilot, etag, onClose }: { pilot: Pilot; etag: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [scores, setScores] = useState<Record<SpmField, Entry>>(
    () =>
      Object.fromEntries(
        SPM_FIELDS.map((f) => [
          f,
          { baseline_score: pilot.scorecard[f]?.baseline_score ?? null, current_score: pilot.scorecard[f]?.current_score ?? null, evidence: pilot.scorecard[f]?.evidence ?? "" },
        ]),
      ) as Record<SpmField, Entry>,
  );
  const save = useSaveScores(pilot, etag, onClose);
  const f = useFields({ good_practices: pilot.good_practices ?? "" }, save.error);
  const errs = scoreErrors(save.error);
  const set = (field: SpmField, k: keyof Entry, v: Entry[keyof Entry]) => setScores((old) => ({ ...old, [field]: { ...old[field], [k]: v } }));
  const score = (field: SpmField, k: "baseline_score" | "current_score", label: string) => (
    <NumberInput
      aria-label={`${t(`spm.${field}`)} ${label}`}
      value={scores[field][k] ?? ""}
      onChange={(v) => set(field, k, typeof v === "number" ? v : null)}
      min={0}
      max={100}
      allowDecimal={false}
      error={errs[`${field}.${k}`]}
    />
  );
  const submit = () =>
    save.mutate({
      scorecard: Object.fromEntries(SPM_FIELDS.map((x) => [x, { ...scores[x], evidence: textOrNull(scores[x].evidence) }])),
      good_practices: textOrNull(f.values.good_practices),
    });

  return (
    <FormModal
      title={t("pilots.editScores")}
      size="xl"
      onClose={onClose}
      onSubmit={submit}
      mutation={save}
      fields={["good_practices"]}
      inline={Object.keys(errs).length > 0}
      stale={{ loaded: pilot, labels: { scorecard: t("pilots.scorecard"), good_practices: t("pilots.goodPractices"), notes: t("posyandu.notes") }, queryKey: "pilot-sites" }}
    >
      <DataTable
        tableProps={{ withTableBorder: true }}
        rows={SPM_FIELDS}
        rowKey={(x) => x}
        columns={[
          { header: t("pilots.field"), cell: (x) => t(`spm.${x}`) },
          { header: t("pilots.baseline"), th: { w: 110 }, cell: (x) => score(x, "baseline_score", t("pilots.baseline")) },
          { header: t("pilots.current"), th: { w: 110 }, cell: (x) => score(x, "current_score", t("pilots.current")) },
          {
            header: t("pilots.evidence"),
            cell: (x) => (
              <TextInput
                aria-label={`${t(`spm.${x}`)} ${t("pilots.evidence")}`}
                value={scores[x].evidence}
                maxLength={5000}
                onChange={(e) => set(x, "evidence", e.currentTarget.value)}
                error={errs[`${x}.evidence`]}
              />
            ),
          },
        ]}
      />
      <Textarea label={t("pilots.goodPractices")} maxLength={5000} autosize minRows={2} {...f.text("good_practices")} />
    </FormModal>
  );
}
