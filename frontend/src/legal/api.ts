// Legal references (dasar hukum): the national library — query keys, query options, mutations.
import { api, type Query, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { etagFor, unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

type Reference = Schemas["LegalReferenceRead"];

export const legalKeys = {
  list: (query: Query<"legal-references-list">) => ["legal-references", query] as const,
  detail: (id: number) => ["legal-references", id] as const,
};

export const legalListQuery = (query: Query<"legal-references-list">) =>
  apiQuery(legalKeys.list(query), () => api.GET("/api/v1/legal-references", { params: { query } }));

export const legalQuery = (id: number) =>
  apiQuery(legalKeys.detail(id), () => api.GET("/api/v1/legal-references/{reference_id}", { params: { path: { reference_id: id } } }));

/** The meetings that cite a reference as their legal basis. */
export const citingMeetingsQuery = (id: number) =>
  apiQuery(["meetings", { legal_reference_id: id }] as const, () => api.GET("/api/v1/meetings", { params: { query: { legal_reference_id: id, limit: 50 } } }));

/** Add a reference (no `reference`) or correct one with the version the user loaded. */
export const useSaveLegalReference = (reference: Reference | undefined, then: (saved: Reference) => void) =>
  useSave(
    async (body: Schemas["LegalReferenceCreate"] | Schemas["LegalReferenceUpdate"]) =>
      reference
        ? unwrap(
            await api.PATCH("/api/v1/legal-references/{reference_id}", {
              params: { path: { reference_id: reference.id }, header: { "If-Match": etagFor(reference.version) } },
              body,
            }),
          )
        : unwrap(await api.POST("/api/v1/legal-references", { body: body as Schemas["LegalReferenceCreate"] })),
    ["legal-references", "meetings"],
    then,
  );

export const useDeleteLegalReference = (then: () => void) =>
  useSave(
    async (reference: Reference) => unwrap(await api.DELETE("/api/v1/legal-references/{reference_id}", { params: { path: { reference_id: reference.id } } })),
    ["legal-references"],
    then,
    { message: "common.deleted" },
  );
