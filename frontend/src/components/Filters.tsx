// The filters above a list, each bound to its key in the URL (useListParams): a text, a choice,
// the region code and the free-text search look and behave the same on every list.
import { Card, Group, Select, TextInput, type GroupProps, type SelectProps, type TextInputProps } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { ListParams } from "../lib/listParams";
import { DateField, type DateFieldProps } from "./DateField";
import { RegionPicker, type RegionPickerProps } from "./RegionPicker";

type Bound = { params: ListParams; /** The key in the URL. */ param: string };

/** The filters of a list, in one bordered row. */
export function FilterBar({ children, ...group }: GroupProps) {
  return (
    <Card withBorder>
      <Group align="flex-start" {...group}>
        {children}
      </Group>
    </Card>
  );
}

/** A text filter kept in the URL. */
export function ParamInput({ params, param, ...props }: TextInputProps & Bound) {
  return <TextInput maxLength={100} {...props} value={params.get(param)} onChange={(e) => params.set(param, e.currentTarget.value)} />;
}

/** A date filter kept in the URL as `YYYY-MM-DD`, typed and shown as dd/mm/yyyy. */
export function ParamDate({ params, param, ...props }: Omit<DateFieldProps, "value" | "onChange"> & Bound) {
  return <DateField w={170} {...props} value={params.get(param)} onChange={(v) => params.set(param, v)} />;
}

/** A choice filter kept in the URL ("all" while none is chosen). */
export function ParamSelect({ params, param, ...props }: SelectProps & Bound) {
  const { t } = useTranslation();
  return <Select placeholder={t("common.all")} clearable {...props} value={params.get(param) || null} onChange={(v) => params.set(param, v)} />;
}

/** The region filter: type a name or a code, pick a match (RegionPicker); the URL keeps the code. */
export function RegionParam({ params, param = "region", ...props }: Omit<RegionPickerProps, "value" | "onChange"> & Omit<Bound, "param"> & { param?: string }) {
  return <RegionPicker w={200} {...props} value={params.get(param)} onChange={(code) => params.set(param, code)} />;
}

/** The free-text search of a list. */
export function SearchParam({ param = "q", ...props }: TextInputProps & Omit<Bound, "param"> & { param?: string }) {
  const { t } = useTranslation();
  return <ParamInput param={param} label={t("common.search")} leftSection={<IconSearch size={14} />} w={240} {...props} />;
}
