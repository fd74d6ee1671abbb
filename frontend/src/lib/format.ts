// Numbers, dates and rupiah for the current language: id-ID by default, en-GB when switched.
// Times are stored in UTC and shown in Asia/Jakarta.
import i18n from "../i18n";

export const TIME_ZONE = "Asia/Jakarta";

function locale(): string {
  return i18n.language?.startsWith("en") ? "en-GB" : "id-ID";
}

export function formatNumber(n: number | null | undefined, lang = locale()): string {
  if (n === null || n === undefined) return "—";
  return new Intl.NumberFormat(lang).format(n);
}

/** Whole rupiah (integers, never floats). */
export function formatRupiah(n: number | null | undefined, lang = locale()): string {
  if (n === null || n === undefined) return "—";
  return new Intl.NumberFormat(lang, { style: "currency", currency: "IDR", maximumFractionDigits: 0 }).format(n);
}

export function formatDate(value: string | Date | null | undefined, lang = locale()): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: TIME_ZONE }).format(d);
}

export function formatDateTime(value: string | Date | null | undefined, lang = locale()): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE }).format(d);
}

/** A percentage given as 0–100 (the API's `pct_*` members), with at most one decimal. */
export function formatPercent(pct: number | null | undefined, lang = locale()): string {
  if (pct === null || pct === undefined) return "—";
  return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(pct / 100);
}

/** Today's date in Asia/Jakarta as YYYY-MM-DD (what a date input shows). */
export function todayIso(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(new Date());
}

/** A month and year ("Juli 2025", "July 2025"): a date known only to its month (`precision: "month"`). */
export function formatMonth(value: string | Date | null | undefined, lang = locale()): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(lang, { month: "long", year: "numeric", timeZone: TIME_ZONE }).format(d);
}

/** A date with the precision the API gives it: the day, or only the month. */
export function formatDateAt(value: string | null | undefined, precision: "day" | "month" | undefined, lang = locale()): string {
  return precision === "month" ? formatMonth(value, lang) : formatDate(value, lang);
}

/** A file size: "820 B", "12,5 KB", "3,4 MB". */
export function formatBytes(n: number, lang = locale()): string {
  if (n < 1024) return `${new Intl.NumberFormat(lang).format(n)} B`;
  const kb = n / 1024;
  if (kb < 1024) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb)} KB`;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}
