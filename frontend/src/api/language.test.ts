import { afterEach, describe, expect, it } from "vitest";
import i18n from "../i18n";
import { makeApi } from "./client";

describe("the API client's language", () => {
  afterEach(async () => {
    await i18n.changeLanguage("id");
  });

  it("asks for the dashboard's language on every request", async () => {
    const asked: (string | null)[] = [];
    const api = makeApi("http://pembina.test", async (input: RequestInfo | URL) => {
      asked.push(input instanceof Request ? input.headers.get("Accept-Language") : null);
      return new Response(JSON.stringify({ status: "ok" }), { headers: { "Content-Type": "application/json" } });
    });
    await i18n.changeLanguage("id");
    await api.GET("/healthz");
    await i18n.changeLanguage("en");
    await api.GET("/healthz");
    expect(asked).toEqual(["id", "en"]);
  });
});
