import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { UserRead } from "../api/client";
import { PEKALONGAN_ME, lastCall, mockSignedIn, openDialog, page, press, problem, renderApp, staleDiff } from "../test/utils";

const klego: UserRead = {
  id: 2, username: "kel.klego", full_name: "Kelurahan Klego (operator)", email: null, role: "village_operator",
  region_code: "33.75.02.1008", is_active: true, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
  last_login_at: null, version: 3, allowed_actions: ["update", "set_active", "delete"],
};

describe("users administration", () => {
  it("creates a user and shows the generated password once", async () => {
    let posted: unknown;
    mockSignedIn({
      "GET /api/v1/users": () => ({ body: page([klego]) }),
      "POST /api/v1/users": async (req) => {
        posted = await req.json();
        const body = posted as Record<string, unknown>;
        if (body.username === "Bad Name!")
          return problem(422, "validation-error", "1 invalid field", {
            errors: [{ loc: ["body", "username"], msg: "String should match pattern", type: "string_pattern_mismatch" }],
          });
        return { status: 201, body: { ...klego, id: 9, username: body.username, generated_password: "Xy7-generated-once" } };
      },
    });
    renderApp("/users");
    expect(await screen.findByText("kel.klego")).toBeInTheDocument();
    const dialog = await openDialog("Pengguna baru");
    await userEvent.type(within(dialog).getByLabelText(/Nama pengguna/), "Bad Name!");
    await userEvent.type(within(dialog).getByLabelText(/Nama lengkap/), "Operator Kelurahan Medono");
    await press(dialog, "Buat");
    // the API's field error is shown next to the field
    expect(await within(dialog).findByText("String should match pattern")).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Nama pengguna/)).toHaveAttribute("aria-invalid", "true");
    await userEvent.clear(within(dialog).getByLabelText(/Nama pengguna/));
    await userEvent.type(within(dialog).getByLabelText(/Nama pengguna/), "kel.medono");
    await press(dialog, "Buat");
    expect(await screen.findByTestId("once-secret")).toHaveTextContent("Xy7-generated-once");
    expect(posted).toMatchObject({ username: "kel.medono", region_code: "33.75", password: null });
  });

  it("sends If-Match and shows what changed when the edit is stale (412)", async () => {
    const { calls } = mockSignedIn({
      "GET /api/v1/users": () => ({ body: page([klego]) }),
      "GET /api/v1/users/2": () => ({ body: klego, headers: { ETag: '"3"' } }),
      "PATCH /api/v1/users/2": () =>
        problem(412, "precondition-failed", "The record is now at version 4; your copy is out of date.", {
          current_etag: '"4"',
          current: { ...klego, full_name: "Operator Klego (baru)", version: 4 },
        }),
    });
    renderApp("/users");
    await screen.findByText("kel.klego");
    const dialog = await openDialog("Ubah");
    const email = await within(dialog).findByLabelText(/Surel/);
    await userEvent.type(email, "klego@pekalongankota.go.id");
    await press(dialog);
    const diff = await staleDiff(dialog, "Data ini telah diubah orang lain", "Nama lengkap", "Operator Klego (baru)");
    const patch = lastCall(calls, "PATCH")!;
    expect(patch.headers.get("If-Match")).toBe('"3"');
    expect(patch.body).toEqual({ email: "klego@pekalongankota.go.id" });
    // reload: the form now shows the current copy and the next save carries its ETag
    await userEvent.click(within(diff).getByRole("button", { name: "Muat versi terbaru" }));
    expect(within(dialog).getByLabelText(/Nama lengkap/)).toHaveValue("Operator Klego (baru)");
    await press(dialog);
    await waitFor(() => expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(2));
    expect(calls.filter((c) => c.method === "PATCH")[1].headers.get("If-Match")).toBe('"4"');
  });

  it("shows on each row exactly the actions the API lists for it, and no new-user button without create_user", async () => {
    const self: UserRead = { ...klego, id: 1, username: "dpmppa.pekalongan", role: "regency_coordinator", region_code: "33.75", allowed_actions: ["update"] };
    const above: UserRead = { ...klego, id: 3, username: "prov.jateng", role: "province_coordinator", region_code: "33", allowed_actions: [] };
    mockSignedIn({ "GET /api/v1/users": () => ({ body: page([klego, self, above]) }) }, { ...PEKALONGAN_ME, allowed_actions: [] });
    renderApp("/users");
    const buttons = async (username: string) =>
      within((await screen.findByText(username)).closest("tr")!)
        .queryAllByRole("button")
        .map((b) => b.textContent);
    expect(await buttons("kel.klego")).toEqual(["Ubah", "Nonaktifkan", "Hapus"]);
    expect(await buttons("dpmppa.pekalongan")).toEqual(["Ubah"]);
    expect(await buttons("prov.jateng")).toEqual([]);
    expect(screen.queryByRole("button", { name: "Pengguna baru" })).toBeNull();
  });
});
