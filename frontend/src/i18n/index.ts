// Bahasa Indonesia by default; English switchable. The choice is kept in localStorage
// (a preference, not a credential). Indonesian is in the first bundle; English is a chunk of its
// own, fetched when it is chosen (or was chosen last time), so the login form does not wait for
// a language most users never pick.
import i18n, { type BackendModule } from "i18next";
import { initReactI18next } from "react-i18next";
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

/** i18next's backend interface: the languages other than Indonesian come from their own chunk. */
const chunks: BackendModule = {
  type: "backend",
  init() {},
  read(language, _namespace, callback) {
    if (language === "id") return callback(null, id);
    if (language !== "en") return callback(null, {});
    import("./en").then(
      (m) => callback(null, m.default),
      (e: unknown) => callback(e instanceof Error ? e.message : String(e), false),
    );
  },
};

/** Resolved when the starting language's messages are there (render after it). */
export const i18nReady = i18n
  .use(chunks)
  .use(initReactI18next)
  .init({
    resources: { id: { translation: id } },
    partialBundledLanguages: true,
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
