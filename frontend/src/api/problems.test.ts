import { describe, expect, it } from "vitest";
import { ApiError, changedFields, fieldErrors, unwrap } from "./problems";

describe("problem details", () => {
  it("unwrap returns the data of a 2xx and throws the problem otherwise", () => {
    expect(unwrap({ data: { a: 1 }, response: new Response(null, { status: 200 }) })).toEqual({ a: 1 });
    const problem = { type: "/problems/out-of-scope", title: "Outside your region", status: 403, detail: "Region 36.73 is outside your region (33.75)." };
    try {
      unwrap({ error: problem, response: new Response(null, { status: 403 }) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).status).toBe(403);
      expect((e as ApiError).message).toBe("Region 36.73 is outside your region (33.75).");
    }
  });

  it("maps errors[].loc to form fields", () => {
    const err = new ApiError(422, {
      type: "/problems/validation-error",
      title: "Validation error",
      status: 422,
      errors: [
        { loc: ["body", "username"], msg: "String should match pattern", type: "string_pattern_mismatch" },
        { loc: ["body", "region_code"], msg: "No region 33.75.01.1010.", type: "value_error" },
        { loc: ["body", "username"], msg: "too short", type: "x" },
        { loc: ["body"], msg: "whole body", type: "x" },
      ],
    });
    expect(fieldErrors(err)).toEqual({
      username: "String should match pattern; too short",
      region_code: "No region 33.75.01.1010.",
      "": "whole body",
    });
    expect(fieldErrors(new Error("x"))).toEqual({});
  });

  it("lists the fields someone else changed, ignoring bookkeeping", () => {
    const loaded = { full_name: "A", email: null, version: 1, updated_at: "t1", is_active: true };
    const current = { full_name: "B", email: null, version: 2, updated_at: "t2", is_active: false };
    expect(changedFields(loaded, current)).toEqual([
      { field: "full_name", before: "A", now: "B" },
      { field: "is_active", before: true, now: false },
    ]);
    expect(changedFields(loaded, undefined)).toEqual([]);
  });
});
