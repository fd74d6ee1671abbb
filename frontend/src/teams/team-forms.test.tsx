import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { choose, confirmYes, dialogClosed, enterDate, lastCall, mockSignedIn, openDialog, page, PEKALONGAN_ME, press, problem, readOnly, renderApp, sent, staleDiff, VIEWER_ME } from "../test/utils";
import type { Schemas } from "../api/client";

const team = {
  id: 7, region_code: "33.75.02.1008", region_name: "Klego", level: "village", kind: "tp_posyandu", name: "TP Posyandu Klego", notes: null,
  formed_on: "2025-02-01", succeeds_team_id: null, is_active: true, created_at: "2025-02-01T00:00:00Z", updated_at: "2025-02-01T00:00:00Z", version: 3,
  allowed_actions: ["update", "delete", "add_member", "add_decree"],
  provenance: null,
} satisfies Schemas["TeamRead"];
const ketua = {
  id: 1, team_id: 7, region_code: "33.75.02.1008", position: "ketua", spm_field: null, name: "Lurah Klego", institution: "Kelurahan Klego", phone: null,
  term_start: null, term_end: null, created_at: "", updated_at: "", version: 2, allowed_actions: ["update", "delete"],
  provenance: null,
} satisfies Schemas["MemberRead"];
const pokja = {
  ...team, id: 5, kind: "pokja_posyandu", name: "Pokja Posyandu Klego", formed_on: "2019-02-01", is_active: false, version: 1,
} satisfies Schemas["TeamRead"];

function api(me = PEKALONGAN_ME) {
  // what the API lists for this caller: everything for the coordinator, nothing for a viewer
  const as = <T extends { allowed_actions: unknown[] }>(r: T) => (me.can_write ? r : readOnly(r));
  return mockSignedIn({
    "GET /api/v1/teams": (_req, url) => ({ body: page(url.searchParams.get("region") === "33.75.02.1008" ? [as(team), as(pokja)] : [as(team)]) }),
    "GET /api/v1/teams/5": () => ({ body: { ...pokja, members: [] } }),
    "GET /api/v1/teams/8": () => ({ body: { ...team, id: 8, succeeds_team_id: 5, members: [] } }),
    "GET /api/v1/teams/7": () => ({ body: { ...as(team), members: [as(ketua)] }, headers: { ETag: '"3"' } }),
    "GET /api/v1/teams/9": () => ({ body: { ...team, id: 9, region_code: "33.75.02.1005", region_name: "Poncol", name: "TP Posyandu Poncol", members: [] } }),
    "GET /api/v1/decrees": () => ({ body: page([]) }),
    "POST /api/v1/teams": async (req) => {
      const body = (await req.json()) as { region_code: string };
      if (body.region_code === "33.75.02.1008") return problem(409, "conflict", "Klego already has a TP Posyandu team.");
      return { status: 201, body: { ...team, id: 9, region_code: body.region_code, members: [] } };
    },
    "PATCH /api/v1/teams/7": async (req) => {
      const body = (await req.json()) as { name: string; succeeds_team_id?: number | null };
      if (body.succeeds_team_id) return { body: { ...team, ...body, version: 4, members: [] } };
      if (body.name === "") return problem(422, "validation", "The request is not valid.", { errors: [{ loc: ["body", "name"], msg: "String should have at least 1 character", type: "string_too_short" }] });
      return problem(412, "precondition-failed", "The record changed since you read it.", { current: { ...team, name: "TP Posyandu Kelurahan Klego", version: 4 }, current_etag: '"4"' });
    },
    "POST /api/v1/teams/7/members": async (req) => ({ status: 201, body: { ...ketua, id: 2, ...((await req.json()) as object) } }),
    "PATCH /api/v1/teams/7/members/1": async (req) => ({ body: { ...ketua, ...((await req.json()) as object), version: 3 } }),
    "DELETE /api/v1/teams/7/members/1": () => ({ status: 204 }),
  }, me);
}

describe("team and member forms", () => {
  it("creates a team for a region and opens it; a clash is shown as the API's problem", async () => {
    const { calls } = api();
    renderApp("/teams");
    await screen.findByTestId("team-table");
    const dialog = await openDialog("Tim baru");
    const region = within(dialog).getByLabelText(/Kode wilayah/);
    // the user's own region is the starting point
    expect(region).toHaveValue("33.75");
    await userEvent.clear(region);
    await userEvent.type(region, "33.75.02.1008");
    await press(dialog);
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Klego already has a TP Posyandu team.");

    await userEvent.clear(region);
    await userEvent.type(region, "33.75.02.1005");
    await enterDate(within(dialog).getByLabelText(/Dibentuk/), "01/03/2025");
    await press(dialog);
    expect(await screen.findByTestId("team-name")).toHaveTextContent("TP Posyandu Poncol");
    // an empty name is left to the API's default ("TP Posyandu <region>")
    expect(lastCall(calls, "POST")?.body).toEqual({ region_code: "33.75.02.1005", kind: "tp_posyandu", name: null, notes: null, formed_on: "2025-03-01", succeeds_team_id: null, is_active: true });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("edits a team with its version: a 422 is shown next to the name, a 412 shows what changed", async () => {
    const { calls } = api();
    renderApp("/teams/7");
    await screen.findByTestId("team-name");
    const dialog = await openDialog("Ubah tim");
    const name = within(dialog).getByLabelText(/Nama tim/);
    expect(name).toHaveValue("TP Posyandu Klego");
    await userEvent.clear(name);
    await press(dialog);
    expect(await within(dialog).findByText("String should have at least 1 character")).toBeInTheDocument();

    await userEvent.type(name, "TP Posyandu Klego Baru");
    await press(dialog);
    await staleDiff(dialog, "Data ini telah diubah orang lain", "TP Posyandu Kelurahan Klego");
    expect(lastCall(calls, "PATCH")?.headers.get("If-Match")).toBe('"3"');
  });

  it("a TP Posyandu records the Pokja it succeeds, and its page links to it", async () => {
    const { calls } = api();
    const view = renderApp("/teams/7");
    await screen.findByTestId("team-name");
    expect(screen.queryByTestId("team-succeeds")).toBeNull();
    const dialog = await openDialog("Ubah tim");
    // only the region's Pokjanal/Pokja are offered, never the team itself
    await userEvent.click(await within(dialog).findByRole("textbox", { name: /Tim yang digantikan/ }));
    const choice = await screen.findByRole("option", { name: "Pokja Posyandu Klego (Pokja Posyandu)", hidden: true });
    expect(screen.queryByRole("option", { name: /TP Posyandu Klego/, hidden: true })).toBeNull();
    await userEvent.click(choice);
    await press(dialog);
    await dialogClosed();
    expect(lastCall(calls, "PATCH")?.body).toMatchObject({ succeeds_team_id: 5, kind: "tp_posyandu" });
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
    const dialog = await openDialog("Tambah anggota");
    // the SPM field is asked only for a field chair
    expect(within(dialog).queryByLabelText(/Bidang SPM/)).toBeNull();
    await choose(/Jabatan/, "Ketua bidang", dialog);
    await choose(/Bidang SPM/, "Kesehatan", dialog);
    await userEvent.type(within(dialog).getByLabelText(/^Nama/), "dr. Rina");
    await userEvent.type(within(dialog).getByLabelText(/Instansi/), "Puskesmas Klego");
    await userEvent.type(within(dialog).getByLabelText(/Telepon/), "0812-3456-7890");
    await press(dialog);
    await dialogClosed();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      position: "ketua_bidang", spm_field: "kesehatan", name: "dr. Rina", institution: "Puskesmas Klego", phone: "0812-3456-7890", term_start: null, term_end: null,
    });

    const row = within(screen.getByTestId("members")).getByText("Lurah Klego").closest("tr")!;
    const edit = await openDialog("Ubah", row);
    await enterDate(within(edit).getByLabelText(/Mulai menjabat/), "01/01/2025");
    await press(edit);
    await dialogClosed();
    const patch = calls.find((c) => c.method === "PATCH");
    expect(patch?.headers.get("If-Match")).toBe('"2"');
    expect(patch?.body).toMatchObject({ position: "ketua", name: "Lurah Klego", term_start: "2025-01-01" });

    await userEvent.click(within(row).getByRole("button", { name: "Hapus" }));
    await confirmYes("Hapus Lurah Klego dari susunan tim ini?");
    await sent(calls, "DELETE", "/api/v1/teams/7/members/1");
  });

  it("a read-only account sees the team but no create, edit or member actions", async () => {
    api(VIEWER_ME);
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
