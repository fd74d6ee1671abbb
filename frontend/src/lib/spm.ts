// The 6 SPM fields (standar pelayanan minimal) a posyandu serves, in the order of the regulation.
import type { Schemas } from "../api/client";

export type SpmField = Schemas["pembina__posyandu__catalog__SpmField"];

export const SPM_FIELDS: SpmField[] = ["kesehatan", "pendidikan", "sosial", "trantibumlinmas", "perumahan_rakyat", "pekerjaan_umum"];

/** One colour per SPM field, shared by every chart. */
export const SPM_COLORS: Record<SpmField, string> = {
  kesehatan: "teal.6",
  pendidikan: "blue.6",
  sosial: "grape.6",
  trantibumlinmas: "orange.6",
  perumahan_rakyat: "yellow.7",
  pekerjaan_umum: "cyan.7",
};
