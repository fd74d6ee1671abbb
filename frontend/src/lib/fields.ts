// A form's values in one state, and the props that bind each input to its value and to the
// API's 422 error for it (the state's keys are the request body's field names, so the error
// `loc` names the input it belongs to).
import { useState } from "react";
import { fieldErrors } from "../api/problems";

type KeysOf<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T] & string;

export type Fields<T> = {
  values: T;
  set: <K extends keyof T>(key: K, value: T[K]) => void;
  /** The API's field errors (by body field). */
  errors: Record<string, string>;
  /** A TextInput or Textarea bound to a text. */
  text: (key: KeysOf<T, string>) => { value: string; onChange: (e: { currentTarget: { value: string } }) => void; error?: string };
  /** A DateField bound to a day (`YYYY-MM-DD`, "" while empty). */
  date: (key: KeysOf<T, string>) => { value: string; onChange: (value: string) => void; error?: string };
  /** A RegionPicker bound to a region code. */
  region: (key: KeysOf<T, string>) => { value: string; onChange: (code: string) => void; error?: string };
  /** A Select bound to a choice (null: none). */
  choice: (key: KeysOf<T, string | null>) => { value: string | null; onChange: (value: string | null) => void; error?: string };
  /** A NumberInput bound to a number (null while empty). */
  number: (key: KeysOf<T, number | null>) => { value: number | ""; onChange: (value: string | number) => void; error?: string };
  /** A Checkbox or Switch bound to a yes/no. */
  checked: (key: KeysOf<T, boolean>) => { checked: boolean; onChange: (e: { currentTarget: { checked: boolean } }) => void; error?: string };
};

/** The values of a form starting from `initial`, and their bindings; `error` is the save's error. */
export function useFields<T extends object>(initial: T | (() => T), error: unknown): Fields<T> {
  const [values, setValues] = useState<T>(initial);
  const set = <K extends keyof T>(key: K, value: T[K]) => setValues((old) => ({ ...old, [key]: value }));
  const errors = fieldErrors(error);
  const put = (key: string, value: unknown) => set(key as keyof T, value as T[keyof T]);
  const get = (key: string) => (values as Record<string, unknown>)[key];
  return {
    values,
    set,
    errors,
    text: (key) => ({ value: get(key) as string, onChange: (e) => put(key, e.currentTarget.value), error: errors[key] }),
    date: (key) => ({ value: get(key) as string, onChange: (v) => put(key, v), error: errors[key] }),
    region: (key) => ({ value: get(key) as string, onChange: (code) => put(key, code), error: errors[key] }),
    choice: (key) => ({ value: get(key) as string | null, onChange: (v) => put(key, v), error: errors[key] }),
    number: (key) => ({ value: (get(key) as number | null) ?? "", onChange: (v) => put(key, typeof v === "number" ? v : null), error: errors[key] }),
    checked: (key) => ({ checked: get(key) as boolean, onChange: (e) => put(key, e.currentTarget.checked), error: errors[key] }),
  };
}
