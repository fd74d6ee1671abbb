// A 412 Precondition Failed: tell the user which fields someone else changed, from the
// problem's `current` member, compared with the copy the user loaded.
import { Alert, Button, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type ApiError, changedFields } from "../api/problems";

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "✓" : "✗";
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
          <Table withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("problems.field")}</Table.Th>
                <Table.Th>{t("problems.yours")}</Table.Th>
                <Table.Th>{t("problems.now")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {diffs.map((d) => (
                <Table.Tr key={d.field}>
                  <Table.Td>{labels?.[d.field] ?? d.field}</Table.Td>
                  <Table.Td>{show(d.before)}</Table.Td>
                  <Table.Td fw={600}>{show(d.now)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Button size="xs" variant="light" color="orange" onClick={() => onReload(current, error.problem.current_etag)}>
          {t("problems.reload")}
        </Button>
      </Stack>
    </Alert>
  );
}
