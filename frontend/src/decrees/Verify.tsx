// Verifying an SK on its evidence: the decree's own PDF shown in the dialog, and a warning when its
// number, date or file is missing (a reported SK can carry none). Bulk verify: the decrees picked
// in the list, one confirmation, then each decree verified with its own version (If-Match) and
// the outcome of each shown: which were verified, which were refused and why.
import { Alert, Badge, Button, Group, List, Modal, Stack, Table, Text } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconX } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import { ApiError } from "../api/problems";
import { FilePreview } from "../components/Download";
import { problemTitle } from "../components/ProblemAlert";
import { verifyDecree } from "./api";

type Decree = Schemas["DecreeRead"];

/** What a decree lacks as evidence: its number, its date, its PDF. */
export function missingEvidence(d: Decree): ("number" | "date" | "file")[] {
  return [!d.number && "number", !d.decree_date && "date", !d.file && "file"].filter((x): x is "number" | "date" | "file" => !!x);
}

/** The evidence of a decree being verified: the warning for what is missing, and its PDF. */
export function DecreeEvidence({ decree }: { decree: Decree }) {
  const { t } = useTranslation();
  const missing = missingEvidence(decree);
  return (
    <Stack gap="xs" data-testid="decree-evidence">
      {missing.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle />} title={t("verify.incomplete")} data-testid="evidence-warning">
          {t("verify.missing", { items: missing.map((m) => t(`verify.item.${m}`)).join(", ") })}
        </Alert>
      )}
      {decree.file && <FilePreview path="/api/v1/decrees/{decree_id}/file" pathParams={{ decree_id: decree.id }} title={t("verify.pdfOf", { title: decree.title })} height={420} />}
    </Stack>
  );
}

type Outcome = { decree: Decree; ok: boolean; message?: string };

/** Verify each decree with its own version; the outcome of each, in order. */
export async function verifyEach(decrees: Decree[], failed: (e: unknown) => string): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const d of decrees) {
    try {
      await verifyDecree(d);
      out.push({ decree: d, ok: true });
    } catch (e) {
      out.push({ decree: d, ok: false, message: failed(e) });
    }
  }
  return out;
}

/** The confirmation of a bulk verify, then the outcome per decree. */
export function BulkVerifyModal({ decrees, onClose, onDone }: { decrees: Decree[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const incomplete = decrees.filter((d) => missingEvidence(d).length > 0);
  const run = async () => {
    setBusy(true);
    try {
      const res = await verifyEach(decrees, (e) => (e instanceof ApiError ? `${problemTitle(e, t)}: ${e.problem.detail ?? ""}` : String(e)));
      setOutcomes(res);
      onDone();
      await qc.invalidateQueries({ queryKey: ["decrees"] });
      await qc.invalidateQueries({ queryKey: ["compliance"] });
    } finally {
      setBusy(false);
    }
  };
  const verified = outcomes?.filter((o) => o.ok).length ?? 0;
  return (
    <Modal opened onClose={onClose} title={t("verify.bulkTitle", { count: decrees.length })} size="lg" closeButtonProps={{ "aria-label": t("common.close") }}>
      {outcomes === null ? (
        <Stack>
          <Text size="sm">{t("verify.bulkQuestion", { count: decrees.length })}</Text>
          <List size="sm" spacing={2}>
            {decrees.map((d) => (
              <List.Item key={d.id}>
                {d.region_name ?? d.region_code} — {d.title}
                {missingEvidence(d).length > 0 && (
                  <Badge ml={6} size="xs" color="orange" variant="light">
                    {t("verify.missing", { items: missingEvidence(d).map((m) => t(`verify.item.${m}`)).join(", ") })}
                  </Badge>
                )}
              </List.Item>
            ))}
          </List>
          {incomplete.length > 0 && (
            <Alert color="orange" icon={<IconAlertTriangle />} data-testid="bulk-warning">
              {t("verify.bulkIncomplete", { count: incomplete.length })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button loading={busy} onClick={run} color="teal">
              {t("verify.bulkConfirm", { count: decrees.length })}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack data-testid="bulk-results">
          <Alert color={verified === outcomes.length ? "teal" : "orange"} role="status">
            {t("verify.bulkDone", { verified, total: outcomes.length })}
          </Alert>
          <Table.ScrollContainer minWidth={0} type="native">
            <Table fz="sm" verticalSpacing={4}>
              <Table.Tbody>
                {outcomes.map((o) => (
                  <Table.Tr key={o.decree.id} data-testid="bulk-result">
                    <Table.Td w={28}>{o.ok ? <IconCheck size={16} color="var(--mantine-color-teal-7)" aria-label={t("verify.ok")} /> : <IconX size={16} color="var(--mantine-color-red-7)" aria-label={t("verify.failed")} />}</Table.Td>
                    <Table.Td>
                      {o.decree.region_name ?? o.decree.region_code} — {o.decree.title}
                      {o.message && (
                        <Text size="xs" c="red.8">
                          {o.message}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t("common.close")}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
