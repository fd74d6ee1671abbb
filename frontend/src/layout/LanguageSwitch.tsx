import { SegmentedControl } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const queries = useQueryClient();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("app.language")}
      value={i18n.language.startsWith("en") ? "en" : "id"}
      // what the server worded (readiness gaps, messages) is asked for again in the new language
      onChange={(v) => void i18n.changeLanguage(v).then(() => queries.invalidateQueries())}
      data={[
        { value: "id", label: "Bahasa Indonesia" },
        { value: "en", label: "English" },
      ]}
    />
  );
}
