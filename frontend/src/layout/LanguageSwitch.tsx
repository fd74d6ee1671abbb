import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("app.language")}
      value={i18n.language.startsWith("en") ? "en" : "id"}
      onChange={(v) => void i18n.changeLanguage(v)}
      data={[
        { value: "id", label: "Bahasa Indonesia" },
        { value: "en", label: "English" },
      ]}
    />
  );
}
