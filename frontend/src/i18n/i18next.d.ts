// The message keys are typed: `t("missing.key")` is a compile error. id.ts is the source of the
// shape; en.ts is declared as the same `Messages`.
import "i18next";
import type { Messages } from "./id";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}
