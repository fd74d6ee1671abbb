// Bahasa Indonesia by default; English switchable. The choice is kept in localStorage
// (a preference, not a credential).
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en";
import id from "./id";

export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "pembina.lang";

function initialLanguage(): Language {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === "en" || saved === "id") return saved;
  } catch {
    /* storage unavailable */
  }
  return "id";
}

void i18n.use(initReactI18next).init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: "id",
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on("languageChanged", (lng) => {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lng);
  } catch {
    /* ignore */
  }
  if (typeof document !== "undefined") document.documentElement.lang = lng;
});

export default i18n;
