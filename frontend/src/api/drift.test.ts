// The committed client types must match openapi/openapi.json: regenerate with `make client`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const frontend = resolve(__dirname, "..", "..");

it("src/api/schema.d.ts is generated from the committed contract (run `make client`)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pembina-client-"));
  try {
    const out = join(dir, "schema.d.ts");
    execFileSync(join(frontend, "node_modules", ".bin", "openapi-typescript"), [resolve(frontend, "..", "openapi", "openapi.json"), "-o", out], {
      cwd: frontend,
      stdio: "pipe",
    });
    const fresh = readFileSync(out, "utf8");
    const committed = readFileSync(join(frontend, "src", "api", "schema.d.ts"), "utf8");
    expect(committed === fresh, "src/api/schema.d.ts is stale: run `make client`").toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
