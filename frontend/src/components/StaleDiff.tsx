// A 412 Precondition Failed: tell the user which fields someone else changed, from the
// problem's `current` member, compared with the copy the user loaded.
import { Alert, Button, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type ApiError, changedFields } from "../api/problems";
import { formatDate, formatDateTime } from "../lib/format";
import { DataTable } from "./DataTable";

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "✓" : "✗";
  // days and instants as everywhere else (dd/mm/yyyy)
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return formatDateTime(v);
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function StaleDiff({
  error,
  loaded,
  labels,
  onReload,
}: {
  error: ApiError;
  loaded: Record<string, unknown>;
  labels?: Record<string, string>;
  onReload: (current: Record<string, unknown> | undefined, etag: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const current = error.problem.current;
  const diffs = changedFields(loaded, current);
  return (
    <Alert color="orange" title={t("problems.stale")} role="alert" data-testid="stale-diff">
      <Stack gap="xs">
        <Text size="sm">{t("problems.staleHelp")}</Text>
        {diffs.length > 0 && (
          <DataTable
            tableProps={{ withTableBorder: true, fz: "sm" }}
            rows={diffs}
            rowKey={(d) => d.field}
            columns={[
              { header: t("problems.field"), cell: (d) => labels?.[d.field] ?? d.field },
              { header: t("problems.yours"), cell: (d) => show(d.before) },
              { header: t("problems.now"), td: { fw: 600 }, cell: (d) => show(d.now) },
            ]}
          />
        )}
        <Button size="xs" variant="light" color="orange" onClick={() => onReload(current, error.problem.current_etag)}>
          {t("problems.reload")}
        </Button>
      </Stack>
    </Alert>
  );
}
