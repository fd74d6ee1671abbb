// Record a pilot's scores (0–100) per SPM field, the evidence and the good practice. Sent as a
// PATCH with the version the user loaded: a stale edit (412) shows what someone else changed.
import { Button, Group, Modal, NumberInput, Stack, Table, TextInput, Textarea } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import { ApiError, fieldErrors } from "../api/problems";
import { ProblemAlert } from "../components/ProblemAlert";
import { StaleDiff } from "../components/StaleDiff";
import { SPM_FIELDS, type SpmField } from "../lib/spm";
import { useRefreshPilots, useSaveScores } from "./api";

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
  const [practices, setPractices] = useState(pilot.good_practices ?? "");
  const save = useSaveScores(pilot, etag, onClose);
  const refresh = useRefreshPilots();
  const errs = scoreErrors(save.error);
  const other = fieldErrors(save.error);
  const stale = save.error instanceof ApiError && save.error.status === 412;
  const set = (f: SpmField, k: keyof Entry, v: Entry[keyof Entry]) => setScores((old) => ({ ...old, [f]: { ...old[f], [k]: v } }));
  const num = (v: string | number) => (typeof v === "number" ? v : null);

  return (
    <Modal opened onClose={onClose} title={t("pilots.editScores")} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            scorecard: Object.fromEntries(
              SPM_FIELDS.map((f) => [f, { baseline_score: scores[f].baseline_score, current_score: scores[f].current_score, evidence: scores[f].evidence.trim() || null }]),
            ),
            good_practices: practices.trim() || null,
          });
        }}
        noValidate
      >
        <Stack>
          {stale ? (
            <StaleDiff
              error={save.error as ApiError}
              loaded={pilot as unknown as Record<string, unknown>}
              labels={{ scorecard: t("pilots.scorecard"), good_practices: t("pilots.goodPractices"), notes: t("posyandu.notes") }}
              onReload={async () => {
                await refresh();
                onClose();
              }}
            />
          ) : save.error && Object.keys(errs).length === 0 && !other.good_practices ? (
            <ProblemAlert error={save.error} />
          ) : null}
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("pilots.field")}</Table.Th>
                <Table.Th w={110}>{t("pilots.baseline")}</Table.Th>
                <Table.Th w={110}>{t("pilots.current")}</Table.Th>
                <Table.Th>{t("pilots.evidence")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {SPM_FIELDS.map((f) => (
                <Table.Tr key={f}>
                  <Table.Td>{t(`spm.${f}`)}</Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`${t(`spm.${f}`)} ${t("pilots.baseline")}`}
                      value={scores[f].baseline_score ?? ""}
                      onChange={(v) => set(f, "baseline_score", num(v))}
                      min={0}
                      max={100}
                      allowDecimal={false}
                      error={errs[`${f}.baseline_score`]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`${t(`spm.${f}`)} ${t("pilots.current")}`}
                      value={scores[f].current_score ?? ""}
                      onChange={(v) => set(f, "current_score", num(v))}
                      min={0}
                      max={100}
                      allowDecimal={false}
                      error={errs[`${f}.current_score`]}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`${t(`spm.${f}`)} ${t("pilots.evidence")}`}
                      value={scores[f].evidence}
                      maxLength={5000}
                      onChange={(e) => set(f, "evidence", e.currentTarget.value)}
                      error={errs[`${f}.evidence`]}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Textarea label={t("pilots.goodPractices")} value={practices} maxLength={5000} autosize minRows={2} onChange={(e) => setPractices(e.currentTarget.value)} error={other.good_practices} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("common.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
