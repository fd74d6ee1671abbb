// A region field: type a name (or a code), pick from the matches the API finds in the caller's
// scope (GET /regions?q=, debounced), and the field holds the region's code. A typed code is
// taken as it is (people who know it keep typing it); the chosen region's name shows under the
// field, so a code is never a bare number on screen.
import { Combobox, Group, Loader, Text, TextInput, useCombobox, type TextInputProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../api/client";
import { regionQuery } from "../api/regions";
import { apiQuery } from "../api/query";
import { REGION_CODE } from "../lib/scope";

type Level = Schemas["RegionLevel"];

const MATCHES = 10;

export const regionMatchesQuery = (q: string, level?: Level) =>
  apiQuery(["regions", "picker", q, level ?? null] as const, () =>
    api.GET("/api/v1/regions", { params: { query: { q, level, limit: MATCHES, sort: "level" } } }),
  );

export type RegionPickerProps = Omit<TextInputProps, "value" | "onChange" | "defaultValue"> & {
  /** The region code ("" while none is chosen). */
  value: string;
  onChange: (code: string) => void;
  /** Only regions of this level are offered. */
  level?: Level;
};

/** Whether `text` is a region code (what the field passes on without a pick). */
const isCode = (text: string) => REGION_CODE.test(text.trim());
/** Whether `text` is (part of) a name, to look up: a code being typed is not. */
const isName = (text: string) => /[^\d.\s]/.test(text) && text.trim().length >= 2;

export function RegionPicker({ value, onChange, level, label, placeholder, description, ...input }: RegionPickerProps) {
  const { t } = useTranslation();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState(value);
  // the last code this field passed on: a value that differs came from outside (a reset, a record)
  const emitted = useRef(value);
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setText(value);
    }
  }, [value]);

  const emit = (code: string) => {
    emitted.current = code;
    if (code !== value) onChange(code);
  };

  const [typed] = useDebouncedValue(text.trim(), 300);
  const searching = isName(typed) && isName(text);
  const matches = useQuery({ ...regionMatchesQuery(typed, level), enabled: searching && combobox.dropdownOpened });
  // the chosen region's name, once the code has stopped changing
  const [settled] = useDebouncedValue(value, 300);
  const chosen = useQuery({ ...regionQuery(settled), enabled: isCode(settled) && settled === value });

  const options = searching ? (matches.data?.items ?? []) : [];
  const named: ReactNode = chosen.data && chosen.data.code === value ? (
    <Text span size="xs" c="dimmed" data-testid="region-picker-name">
      {chosen.data.name}
    </Text>
  ) : null;

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(code) => {
        setText(code);
        emit(code);
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <TextInput
          maxLength={100}
          autoComplete="off"
          {...input}
          label={label ?? t("common.regionCode")}
          placeholder={placeholder ?? t("regionPicker.placeholder")}
          description={
            description || named ? (
              <>
                {description}
                {description && named ? " · " : null}
                {named}
              </>
            ) : undefined
          }
          value={text}
          onChange={(e) => {
            const next = e.currentTarget.value;
            setText(next);
            emit(isCode(next) ? next.trim() : "");
            if (isName(next)) {
              combobox.openDropdown();
              combobox.updateSelectedOptionIndex();
            } else combobox.closeDropdown();
          }}
          onClick={() => isName(text) && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          rightSection={searching && matches.isFetching ? <Loader size={14} /> : undefined}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!searching}>
        <Combobox.Options aria-label={t("regionPicker.matches")}>
          {options.map((r) => (
            <Combobox.Option value={r.code} key={r.code}>
              <Group gap={6} wrap="nowrap" justify="space-between">
                <Text size="sm">
                  {r.name}
                  <Text span size="xs" c="dimmed">
                    {" "}
                    · {t(`regionPicker.types.${r.type}`, { defaultValue: r.type })}
                  </Text>
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {r.code}
                </Text>
              </Group>
            </Combobox.Option>
          ))}
          {searching && matches.isSuccess && options.length === 0 && <Combobox.Empty>{t("regionPicker.none")}</Combobox.Empty>}
          {searching && matches.isPending && <Combobox.Empty>{t("common.loading")}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
