import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { PEKALONGAN_ME, mockApi, page, problem, renderApp } from "../test/utils";

const region = {
  code: "33.75", name: "Kota Pekalongan", level: "regency", type: "kota", parent_code: "33", postal_code: null, child_count: 4,
  ancestors: [{ code: "33", name: "Jawa Tengah", level: "province" }],
};
const regionRoutes = {
  "GET /api/v1/regions/33.75": () => ({ body: region }),
  "GET /api/v1/regions/33.75/summary": () => ({ body: {
    region, counts: { children: 4, regencies: 0, districts: 4, villages: 27 },
    budgets: { fiscal_year: null, budgets: 0, budgeted: 0, planned: 0, realized: 0, percent: null },
    follow_ups: { open: 0, overdue: 0 },
    compliance: [],
    posyandu: {
      count: 0, active: 0, spm_coverage: {}, pilots: 0,
      registration: { registered: 0, in_pipeline: 0, unregistered: 0, by_status: {} },
    },
  } }),
  "GET /api/v1/regions/33.75/children": () => ({ body: page([]) }),
};

describe("login", () => {
  it("shows the login screen in Bahasa Indonesia when there is no session", async () => {
    mockApi({ "GET /api/v1/auth/me": () => problem(401, "unauthenticated", "Log in") });
    renderApp("/regions/33.75");
    expect(await screen.findByRole("heading", { name: "Masuk ke Pembina" })).toBeInTheDocument();
    expect(screen.getByLabelText(/Nama pengguna/)).toBeInTheDocument();
    expect(screen.getByLabelText(/Kata sandi/)).toBeInTheDocument();
  });

  it("refuses a wrong password with a clear message", async () => {
    mockApi({
      "GET /api/v1/auth/me": () => problem(401, "unauthenticated", "Log in"),
      "POST /api/v1/auth/session": () => problem(401, "unauthenticated", "Wrong username or password."),
    });
    renderApp("/login");
    await userEvent.type(await screen.findByLabelText(/Nama pengguna/), "dpmppa.pekalongan");
    await userEvent.type(screen.getByLabelText(/Kata sandi/), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Masuk" }));
    expect(await screen.findByText("Nama pengguna atau kata sandi salah.")).toBeInTheDocument();
  });

  it("logs in through the session endpoint (no token kept) and opens the user's home", async () => {
    const { calls } = mockApi({
      "GET /api/v1/auth/me": () => problem(401, "unauthenticated", "Log in"),
      "POST /api/v1/auth/session": () => ({ body: PEKALONGAN_ME }),
      ...regionRoutes,
    });
    renderApp("/login");
    await userEvent.type(await screen.findByLabelText(/Nama pengguna/), "dpmppa.pekalongan");
    await userEvent.type(screen.getByLabelText(/Kata sandi/), "rahasia-sekali");
    await userEvent.click(screen.getByRole("button", { name: "Masuk" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Beranda — Kota Pekalongan" })).toBeInTheDocument();
    expect(await screen.findByTestId("kpis")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ username: "dpmppa.pekalongan", password: "rahasia-sekali" });
    expect(window.localStorage.getItem("token")).toBeNull();
    expect(Object.keys(window.localStorage).filter((k) => k !== "pembina.lang")).toEqual([]);
  });

  it("sends the user to the login screen on a 401 anywhere", async () => {
    let loggedIn = true;
    mockApi({
      "GET /api/v1/auth/me": () => (loggedIn ? { body: PEKALONGAN_ME } : problem(401, "unauthenticated", "expired")),
      "GET /api/v1/audit-events": () => {
        loggedIn = false;
        return problem(401, "unauthenticated", "The access token is invalid or expired.");
      },
    });
    renderApp("/audit");
    expect(await screen.findByRole("heading", { name: "Masuk ke Pembina" })).toBeInTheDocument();
    expect(screen.getByText("Sesi Anda berakhir. Silakan masuk kembali.")).toBeInTheDocument();
  });

  it("logs out with DELETE /auth/session", async () => {
    // as the server does: once the session is deleted, /auth/me is a 401
    let loggedIn = true;
    const { calls } = mockApi({
      "GET /api/v1/auth/me": () => (loggedIn ? { body: PEKALONGAN_ME } : problem(401, "unauthenticated", "Log in.")),
      "DELETE /api/v1/auth/session": () => {
        loggedIn = false;
        return { status: 204 };
      },
      ...regionRoutes,
    });
    renderApp("/regions/33.75");
    await userEvent.click(await screen.findByRole("button", { name: "Keluar" }));
    // the login screen shows (queried afresh: the screen may mount twice while the session ends)
    await waitFor(() => expect(screen.getByRole("heading", { name: "Masuk ke Pembina" })).toBeInTheDocument());
    await waitFor(() => expect(calls.some((c) => c.method === "DELETE" && c.path === "/api/v1/auth/session")).toBe(true));
  });

  it("switches the whole interface to English", async () => {
    mockApi({ "GET /api/v1/auth/me": () => ({ body: PEKALONGAN_ME }), ...regionRoutes });
    renderApp("/regions/33.75");
    expect(await screen.findByRole("heading", { name: "Penjelajah wilayah" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Dokumentasi API/ })).toHaveAttribute("href", "/docs");
    await userEvent.click(screen.getByText("English"));
    expect(await screen.findByRole("heading", { name: "Region explorer" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Users/ })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /API docs/ })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("en");
  });
});
