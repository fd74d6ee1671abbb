// Numbers, dates and rupiah for the current language: id-ID by default, en-GB when switched.
// A day is always dd/mm/yyyy (formatDate), in both languages, whatever the browser's locale.
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

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day, month, year, hour and minute of an instant in Asia/Jakarta, zero-padded. */
function jakartaParts(d: Date): Record<"day" | "month" | "year" | "hour" | "minute", string> {
  const parts = new Intl.DateTimeFormat("en-GB", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: TIME_ZONE,
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: get("day"), month: get("month"), year: get("year"), hour: get("hour"), minute: get("minute") };
}

/**
 * A date as dd/mm/yyyy, in both languages and whatever the browser's locale (the one way the
 * dashboard shows a day). A bare `YYYY-MM-DD` is that day; an instant is its day in Asia/Jakarta.
 */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const day = typeof value === "string" ? ISO_DAY.exec(value) : null;
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "—";
  const p = jakartaParts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** An instant as dd/mm/yyyy and the time in Asia/Jakarta (03.30 in Indonesian, 03:30 in English). */
export function formatDateTime(value: string | Date | null | undefined, lang = locale()): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "—";
  const p = jakartaParts(d);
  return `${formatDate(d)} ${p.hour}${lang.startsWith("en") ? ":" : "."}${p.minute}`;
}

/**
 * What a user typed as a day: dd/mm/yyyy (also with `.` or `-`, one-digit day or month) or
 * YYYY-MM-DD, as the `YYYY-MM-DD` the API takes; null when it is not a day of the calendar.
 */
export function parseDate(text: string): string | null {
  const s = text.trim();
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const ymd = ISO_DAY.exec(s);
  const [y, m, d] = dmy ? [+dmy[3], +dmy[2], +dmy[1]] : ymd ? [+ymd[1], +ymd[2], +ymd[3]] : [0, 0, 0];
  if (y < 1 || m < 1 || m > 12 || d < 1) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
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
  return precision === "month" ? formatMonth(value, lang) : formatDate(value);
}

/** A file size: "820 B", "12,5 KB", "3,4 MB". */
export function formatBytes(n: number, lang = locale()): string {
  if (n < 1024) return `${new Intl.NumberFormat(lang).format(n)} B`;
  const kb = n / 1024;
  if (kb < 1024) return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb)} KB`;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(kb / 1024)} MB`;
}
