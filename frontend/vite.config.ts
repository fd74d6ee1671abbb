/// <reference types="vitest/config" />
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";

// `npm run dev` proxies the API to a backend started with `make run` (or `pembina serve`).
const backend = process.env.PEMBINA_API ?? "http://127.0.0.1:8000";

/** The npm package a module comes from ("@scope/name" or "name"), or undefined for our own code. */
function packageOf(id: string): string | undefined {
  const at = id.lastIndexOf("/node_modules/");
  if (at < 0) return undefined;
  const [first, second] = id.slice(at + "/node_modules/".length).split("/");
  return first.startsWith("@") ? `${first}/${second}` : first;
}

// Vendor chunks that change only when a dependency is upgraded (so a release of the app's own code
// leaves them cached). The charts (@mantine/charts, recharts and its d3/redux helpers) are left to
// Rollup: they are reached only from the screens that draw them, so they land in a chunk of their
// own that the login form and the other screens never fetch.
const VENDOR: Record<string, string> = {
  react: "react",
  "react-dom": "react",
  scheduler: "react",
  "react-router": "react",
  cookie: "react",
  "set-cookie-parser": "react",
  "@tanstack/query-core": "vendor",
  "@tanstack/react-query": "vendor",
  i18next: "vendor",
  "react-i18next": "vendor",
  "html-parse-stringify": "vendor",
  "void-elements": "vendor",
  "openapi-fetch": "vendor",
  "@mantine/core": "mantine",
  "@mantine/hooks": "mantine",
  "@mantine/notifications": "mantine",
  "@mantine/store": "mantine",
  "@floating-ui/core": "mantine",
  "@floating-ui/dom": "mantine",
  "@floating-ui/react": "mantine",
  "@floating-ui/react-dom": "mantine",
  "@floating-ui/utils": "mantine",
  "react-number-format": "mantine",
  "react-remove-scroll": "mantine",
  "react-remove-scroll-bar": "mantine",
  "react-style-singleton": "mantine",
  "use-callback-ref": "mantine",
  "use-sidecar": "mantine",
  "get-nonce": "mantine",
  "detect-node-es": "mantine",
  "tslib": "mantine",
  "react-textarea-autosize": "mantine",
  "use-composed-ref": "mantine",
  "use-isomorphic-layout-effect": "mantine",
  "use-latest": "mantine",
  "react-transition-group": "mantine",
  "clsx": "mantine",
  "@mantine/charts": "charts",
  recharts: "charts",
};

function manualChunks(id: string): string | undefined {
  const pkg = packageOf(id);
  return pkg ? VENDOR[pkg] : undefined;
}

// Text assets worth compressing; images and fonts in woff2 are compressed already.
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|xml|wasm)$/;

/**
 * Precompressed assets: `name.gz` and `name.br` beside every compressible file under dist/assets
 * (hashed, so written once), with node's own zlib (no extra package). The backend sends the best
 * variant the browser accepts (backend/pembina/main.py); a variant no smaller than the file is
 * not written.
 */
function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "pembina-precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir.startsWith("/") ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      const assets = join(outDir, "assets");
      let files = 0;
      for (const name of readdirSync(assets)) {
        const path = join(assets, name);
        if (!COMPRESSIBLE.test(name) || !statSync(path).isFile()) continue;
        const raw = readFileSync(path);
        const gz = gzipSync(raw, { level: 9 });
        const br = brotliCompressSync(raw, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length },
        });
        if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
        if (br.length < raw.length) writeFileSync(`${path}.br`, br);
        files += 1;
      }
      this.info?.(`precompressed ${files} assets (.gz, .br)`);
    },
  };
}

/**
 * The service worker (src/sw.ts, built to dist/sw.js): Workbox precaches every built file, so
 * the dashboard opens with no connection after one visit online. main.tsx registers it in
 * production builds only (never under `vite` dev or Vitest); no web app manifest is written.
 */
const serviceWorker = VitePWA({
  strategies: "injectManifest",
  srcDir: "src",
  filename: "sw.ts",
  injectRegister: false,
  manifest: false,
  injectManifest: {
    globPatterns: ["**/*.{js,css,html,svg,png,ico,woff2}"],
    maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
  },
  devOptions: { enabled: false },
});

export default defineConfig({
  plugins: [react(), precompress(), serviceWorker],
  server: {
    proxy: {
      "/api": backend,
      "/docs": backend,
      "/redoc": backend,
      "/openapi.json": backend,
      "/static-offline-docs": backend,
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: { output: { manualChunks } },
  },
  test: {
    environment: "jsdom",
    // worker threads, not forked processes: the suite took 201 s instead of 272 s on 2 cores
    pool: "threads",
    globals: false,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    testTimeout: 20000,
    css: false,
  },
});
