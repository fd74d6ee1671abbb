// The one date field of the dashboard: typed and shown as dd/mm/yyyy in both languages, whatever
// the browser's locale (a native <input type="date"> follows the browser: mm/dd/yyyy in an English
// one). Its value in and out is the API's `YYYY-MM-DD` ("" while empty), so callers keep their
// payloads. A text that is not a day of the calendar stays as typed with an error next to it, and
// the form it is in will not submit (see Form).
import { DateInput, type DateInputProps } from "@mantine/dates";
import "dayjs/locale/id";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { parseDate } from "../lib/format";

/** Marks the input of a date field whose text is not a valid date (Form refuses to submit then). */
export const INVALID_DATE_ATTR = "data-invalid-date";

export type DateFieldProps = Omit<DateInputProps, "value" | "defaultValue" | "onChange" | "valueFormat" | "dateParser" | "locale" | "error"> & {
  /** The day as `YYYY-MM-DD`, "" (or null) while empty. */
  value: string | null | undefined;
  /** The new day as `YYYY-MM-DD`, "" when cleared. */
  onChange: (value: string) => void;
  /** The API's error for this field. */
  error?: string;
};

export function DateField({ value, onChange, error, required, clearable, onBlur, onKeyDown, placeholder, clearButtonProps, ...props }: DateFieldProps) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState<string | null>(null); // what is typed, until the field is left
  const [left, setLeft] = useState(false);
  const invalid = text !== null && text.trim() !== "" && parseDate(text) === null;
  const ownError = invalid && left ? t("common.date.invalid") : undefined;
  const day = value ? parseDate(value) : null;
  return (
    <DateInput
      {...props}
      value={day}
      onChange={(v) => {
        setText(null); // a valid day was typed or picked, or the field was cleared
        onChange(v ?? "");
      }}
      valueFormat="DD/MM/YYYY"
      dateParser={parseDate}
      locale={i18n.language?.startsWith("en") ? "en" : "id"}
      placeholder={placeholder ?? t("common.date.placeholder")}
      required={required}
      clearable={clearable ?? !required}
      clearButtonProps={{ "aria-label": t("common.date.clear"), ...clearButtonProps }}
      allowDeselect
      // an invalid text stays as typed (with its error); a valid one is rewritten as dd/mm/yyyy
      fixOnBlur={!invalid}
      error={ownError ?? error}
      onInput={(e) => {
        setText(e.currentTarget.value);
        setLeft(false);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") setLeft(true); // submitting from the field shows its error too
        onKeyDown?.(e);
      }}
      onBlur={(e) => {
        setLeft(true);
        onBlur?.(e);
      }}
      {...{ [INVALID_DATE_ATTR]: invalid || undefined }}
    />
  );
}
