import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { PEKALONGAN_ME, mockApi, page, problem, renderApp } from "../test/utils";
import type { Schemas } from "../api/client";

const team = {
  id: 7, region_code: "33.75.02.1008", region_name: "Klego", level: "village", kind: "tp_posyandu", name: "TP Posyandu Klego", notes: null,
  formed_on: "2025-02-01", succeeds_team_id: null, is_active: true, created_at: "2025-02-01T00:00:00Z", updated_at: "2025-02-01T00:00:00Z", version: 3,
} satisfies Schemas["TeamRead"];
const ketua = {
  id: 1, team_id: 7, region_code: "33.75.02.1008", position: "ketua", spm_field: null, name: "Lurah Klego", institution: "Kelurahan Klego",
  term_start: null, term_end: null, created_at: "", updated_at: "", version: 2,
} satisfies Schemas["MemberRead"];
const pokja = {
  ...team, id: 5, kind: "pokja_posyandu", name: "Pokja Posyandu Klego", formed_on: "2019-02-01", is_active: false, version: 1,
} satisfies Schemas["TeamRead"];
const VIEWER = { ...PEKALONGAN_ME, role: "viewer" as const, can_write: false, can_manage_accounts: false };

function api(me = PEKALONGAN_ME) {
  return mockApi({
    "GET /api/v1/auth/me": () => ({ body: me }),
    "GET /api/v1/teams": (_req, url) => ({ body: page(url.searchParams.get("region") === "33.75.02.1008" ? [team, pokja] : [team]) }),
    "GET /api/v1/teams/5": () => ({ body: { ...pokja, members: [] } }),
    "GET /api/v1/teams/8": () => ({ body: { ...team, id: 8, succeeds_team_id: 5, members: [] } }),
    "GET /api/v1/teams/7": () => ({ body: { ...team, members: [ketua] }, headers: { ETag: '"3"' } }),
    "GET /api/v1/teams/9": () => ({ body: { ...team, id: 9, region_code: "33.75.02.1005", region_name: "Poncol", name: "TP Posyandu Poncol", members: [] } }),
    "GET /api/v1/decrees": () => ({ body: page([]) }),
    "POST /api/v1/teams": async (req) => {
      const body = (await req.json()) as { region_code: string };
      if (body.region_code === "33.75.02.1008") return problem(409, "conflict", "Klego already has a TP Posyandu team.");
      return { status: 201, body: { ...team, id: 9, region_code: body.region_code, members: [] } };
    },
    "PATCH /api/v1/teams/7": async (req) => {
      const body = (await req.json()) as { name: string; succeeds_team_id?: number | null };
      if ("succeeds_team_id" in body && body.name === "TP Posyandu Klego") return { body: { ...team, ...body, version: 4, members: [] } };
      if (body.name === "") return problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "name"], msg: "String should have at least 1 character", type: "string_too_short" }] });
      return problem(412, "precondition-failed", "The record changed since you read it.", { current: { ...team, name: "TP Posyandu Kelurahan Klego", version: 4 }, current_etag: '"4"' });
    },
    "POST /api/v1/teams/7/members": async (req) => ({ status: 201, body: { ...ketua, id: 2, ...((await req.json()) as object) } }),
    "PATCH /api/v1/teams/7/members/1": async (req) => ({ body: { ...ketua, ...((await req.json()) as object), version: 3 } }),
    "DELETE /api/v1/teams/7/members/1": () => ({ status: 204 }),
  });
}

describe("team and member forms", () => {
  it("creates a team for a region and opens it; a clash is shown as the API's problem", async () => {
    const { calls } = api();
    renderApp("/teams");
    await screen.findByTestId("team-table");
    await userEvent.click(screen.getByRole("button", { name: "Tim baru" }));
    let dialog = await screen.findByRole("dialog");
    const region = within(dialog).getByLabelText(/Kode wilayah/);
    // the user's own region is the starting point
    expect(region).toHaveValue("33.75");
    await userEvent.clear(region);
    await userEvent.type(region, "33.75.02.1008");
    await userEvent.click(within(dialog).getByRole("button", { name: "Simpan" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Klego already has a TP Posyandu team.");

    await userEvent.clear(region);
    await userEvent.type(region, "33.75.02.1005");
    await userEvent.type(within(dialog).getByLabelText(/Dibentuk/), "2025-03-01");
    await userEvent.click(within(dialog).getByRole("button", { name: "Simpan" }));
    expect(await screen.findByTestId("team-name")).toHaveTextContent("TP Posyandu Poncol");
    const post = calls.filter((c) => c.method === "POST").at(-1);
    // an empty name is left to the API's default ("TP Posyandu <region>")
    expect(post?.body).toEqual({ region_code: "33.75.02.1005", kind: "tp_posyandu", name: null, notes: null, formed_on: "2025-03-01", succeeds_team_id: null, is_active: true });
    dialog = screen.queryByRole("dialog") as HTMLElement;
    expect(dialog).toBeNull();
  });

  it("edits a team with its version: a 422 is shown next to the name, a 412 shows what changed", async () => {
    const { calls } = api();
    renderApp("/teams/7");
    await screen.findByTestId("team-name");
    await userEvent.click(screen.getByRole("button", { name: "Ubah tim" }));
    const dialog = await screen.findByRole("dialog");
    const name = within(dialog).getByLabelText(/Nama tim/);
    expect(name).toHaveValue("TP Posyandu Klego");
    await userEvent.clear(name);
    await userEvent.click(within(dialog).getByRole("button", { name: "Simpan" }));
    expect(await within(dialog).findByText("String should have at least 1 character")).toBeInTheDocument();

    await userEvent.type(name, "TP Posyandu Klego Baru");
    await userEvent.click(within(dialog).getByRole("button", { name: "Simpan" }));
    const stale = await within(dialog).findByTestId("stale-diff");
    expect(stale).toHaveTextContent("Data ini telah diubah orang lain");
    expect(stale).toHaveTextContent("TP Posyandu Kelurahan Klego");
    const patch = calls.filter((c) => c.method === "PATCH").at(-1);
    expect(patch?.headers.get("If-Match")).toBe('"3"');
  });

  it("a TP Posyandu records the Pokja it succeeds, and its page links to it", async () => {
    const { calls } = api();
    const view = renderApp("/teams/7");
    await screen.findByTestId("team-name");
    expect(screen.queryByTestId("team-succeeds")).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "Ubah tim" }));
    const dialog = await screen.findByRole("dialog");
    // only the region's Pokjanal/Pokja are offered, never the team itself
    await userEvent.click(await within(dialog).findByRole("textbox", { name: /Tim yang digantikan/ }));
    const choice = await screen.findByRole("option", { name: "Pokja Posyandu Klego (Pokja Posyandu)", hidden: true });
    expect(screen.queryByRole("option", { name: /TP Posyandu Klego/, hidden: true })).toBeNull();
    await userEvent.click(choice);
    await userEvent.click(within(dialog).getByRole("button", { name: "Simpan" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const patch = calls.filter((c) => c.method === "PATCH").at(-1);
    expect(patch?.body).toMatchObject({ succeeds_team_id: 5, kind: "tp_posyandu" });
    view.unmount();

    renderApp("/teams/8");
    const line = await screen.findByTestId("team-succeeds");
    expect(line).toHaveTextContent("Menggantikan");
    expect(await within(line).findByRole("link", { name: "Pokja Posyandu Klego (Pokja Posyandu)" })).toHaveAttribute("href", "/teams/5");
  });

  it("adds a field chair with the SPM field, edits a member and removes one after asking", async () => {
    const { calls } = api();
    renderApp("/teams/7");
    await screen.findByTestId("members");
    await userEvent.click(screen.getByRole("button", { name: "Tambah anggota" }));
    const dialog = await screen.findByRole("dialog");
    // the SPM field is asked only for a field chair
    expect(within(dialog).queryByLabelText(/Bidang SPM/)).toBeNull();
    await userEvent.click(within(dialog).getByRole("textbox", { name: /Jabatan/ }));
    await userEvent.click(await screen.findByRole("option", { name: "Ketua bidang", hidden: true }));
    await userEvent.click(within(dialog).getByRole("textbox", { name: /Bidang SPM/ }));
    await userEvent.click(await screen.findByRole("option", { name: "Kesehatan", hidden: true }));
    await userEvent.type(within(dialog).getByLabelText(/^Nama/), "dr. Rina");
    await userEvent.type(within(dialog).getByLabelText(/Instansi/), "Puskesmas Klego");
    await userEvent.click(within(dialog).getByRole("button", { name: "Simpan" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      position: "ketua_bidang", spm_field: "kesehatan", name: "dr. Rina", institution: "Puskesmas Klego", term_start: null, term_end: null,
    });

    const row = within(screen.getByTestId("members")).getByText("Lurah Klego").closest("tr")!;
    await userEvent.click(within(row).getByRole("button", { name: "Ubah" }));
    const edit = await screen.findByRole("dialog");
    await userEvent.type(within(edit).getByLabelText(/Mulai menjabat/), "2025-01-01");
    await userEvent.click(within(edit).getByRole("button", { name: "Simpan" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const patch = calls.find((c) => c.method === "PATCH");
    expect(patch?.headers.get("If-Match")).toBe('"2"');
    expect(patch?.body).toMatchObject({ position: "ketua", name: "Lurah Klego", term_start: "2025-01-01" });

    await userEvent.click(within(row).getByRole("button", { name: "Hapus" }));
    const ask = await screen.findByRole("dialog");
    expect(ask).toHaveTextContent("Hapus Lurah Klego dari susunan tim ini?");
    await userEvent.click(within(ask).getByRole("button", { name: "Ya, lanjutkan" }));
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/v1/teams/7/members/1")).toBe(true));
  });

  it("a read-only account sees the team but no create, edit or member actions", async () => {
    api(VIEWER);
    const list = renderApp("/teams");
    await screen.findByTestId("team-table");
    expect(screen.queryByRole("button", { name: "Tim baru" })).toBeNull();
    list.unmount();
    renderApp("/teams/7");
    await screen.findByTestId("members");
    expect(screen.queryByRole("button", { name: "Ubah tim" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Tambah anggota" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Ubah" })).toBeNull();
    expect(screen.queryByRole("button", { name: "SK baru" })).toBeNull();
  });
});
