// ESLint 9 flat config: typescript-eslint, the rules of hooks, and the folder boundaries.
//   npm run lint        (this file)
//   npm run typecheck   (tsc, the types themselves)
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// One folder per screen (feature). A screen may import the shared layers — api/, auth/, components/,
// i18n/, layout/, lib/ and the top-level helpers (format.ts, scope.ts, spm.ts) — but never another
// screen: what two screens share moves down into components/ or lib/. Only App.tsx composes screens.
const SCREENS = [
  "activity-reports",
  "api-clients",
  "audit",
  "budgets",
  "compliance",
  "decrees",
  "meetings",
  "notifications",
  "pilots",
  "posyandu",
  "regions",
  "teams",
  "users",
];
// The shared layers never reach up into a screen either.
const SHARED = ["api", "auth", "components", "i18n", "layout", "lib"];

const importsOf = (folders) => folders.flatMap((f) => [`../${f}`, `../${f}/*`, `@/${f}/*`]);

const screenImports = (screen) => ({
  patterns: [
    {
      group: importsOf(SCREENS.filter((s) => s !== screen)),
      message: "Screens never import each other: move what they share into components/ or lib/.",
    },
    { group: ["../App"], message: "Only App.tsx composes the screens." },
  ],
});

const boundaries = [
  // a screen's api.ts talks to the client; its components go through api.ts
  ...SCREENS.map((screen) => ({
    files: [`src/${screen}/**/*.ts`],
    ignores: ["src/**/*.test.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", screenImports(screen)] },
  })),
  ...SCREENS.map((screen) => ({
    files: [`src/${screen}/**/*.tsx`],
    ignores: ["src/**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...screenImports(screen),
          paths: [{ name: "../api/client", importNames: ["api"], message: "Fetch through the folder's api.ts (query options and mutation hooks)." }],
        },
      ],
    },
  })),
  ...SHARED.map((layer) => ({
    files: [`src/${layer}/**/*.{ts,tsx}`],
    ignores: ["src/**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...importsOf(SCREENS), "../App"],
              message: "Shared code never imports a screen.",
            },
          ],
        },
      ],
    },
  })),
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/api/schema.d.ts", "e2e/", "*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  ...boundaries,
);
