// Pieces the activity-report screens share: the month picker, a month's name, the status badge.
import { Badge, Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import i18n from "../i18n";

/** A month as the API writes it: YYYY-MM. */
export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "November 2026" ("Nov 2026" short), in the dashboard's language. */
export function periodLabel(period: string, month: "long" | "short" = "long"): string {
  const [y, m] = period.split("-").map(Number);
  const lang = i18n.language?.startsWith("en") ? "en-GB" : "id-ID";
  return new Intl.DateTimeFormat(lang, { month, year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 15)));
}

/** The `n` months up to `latest`, newest first. */
export function monthsUpTo(latest: string, n = 24): string[] {
  const [y, m] = latest.split("-").map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** Choose a month among the last two years up to the month being reported now. */
export function MonthSelect({ value, latest, onChange, label }: { value: string | null; latest: string; onChange: (v: string) => void; label?: string }) {
  const { t } = useTranslation();
  const months = monthsUpTo(latest);
  if (value && !months.includes(value)) months.unshift(value);
  return (
    <Select
      label={label ?? t("activityReports.month")}
      data={months.map((p) => ({ value: p, label: periodLabel(p) }))}
      value={value}
      onChange={(v) => v && onChange(v)}
      allowDeselect={false}
      w={190}
      data-testid="month"
    />
  );
}

const STATUS_COLOR: Record<Schemas["ReportStatus"], string> = { draft: "gray", submitted: "blue", accepted: "green", returned: "orange" };

export function ReportStatusBadge({ status }: { status: Schemas["ReportStatus"] }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="report-status">
      {t(`activityReports.status.${status}`)}
    </Badge>
  );
}
