// A form: the API's problem above the fields (unless its `errors` name one of them; those are
// shown next to the field), a 412 on an edit as what someone else changed, and Cancel / Save.
// FormModal is the same form in a modal.
import { Button, Group, Modal, Stack, type MantineColor, type ModalProps } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { QueryRoot } from "../api/keys";
import { useRefetch } from "../api/mutations";
import { ApiError, fieldErrors } from "../api/problems";
import { INVALID_DATE_ATTR } from "./DateField";
import { ProblemAlert } from "./ProblemAlert";
import { StaleDiff } from "./StaleDiff";

/** A 412 Precondition Failed: the record changed since the user loaded it. */
export function isStale(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 412;
}

/** A trimmed text, or null when empty (the API's "not given"). */
export function textOrNull(s: string): string | null {
  return s.trim() || null;
}

export type StaleProps = {
  /** The copy the user loaded, to compare with the problem's `current`. */
  loaded: object;
  labels?: Record<string, string>;
  /** "Load the latest" refetches the queries under these roots and closes the form… */
  queryKey?: QueryRoot | QueryRoot[];
  /** …or hands the current copy to the form, which starts again from it. */
  onReload?: (current: Record<string, unknown> | undefined, etag: string | undefined) => void;
};

export type FormProps = {
  onSubmit: () => void;
  onCancel: () => void;
  /** Cancel is a link to this page instead of a button. */
  cancelTo?: string;
  /** The save in flight (a mutation): its spinner and its error. */
  mutation: { isPending: boolean; error: unknown };
  /** The body fields the form shows, whose 422 errors appear next to them. */
  fields: string[];
  /** True when the form shows the API's error next to its own inputs (beyond `fields`). */
  inline?: boolean;
  stale?: StaleProps;
  /** What stands above the problem (the record acted on). */
  intro?: ReactNode;
  submitLabel?: string;
  submitColor?: MantineColor;
  /** Further buttons beside the submit button (another way to send the form). */
  extra?: ReactNode;
  maw?: number;
  children: ReactNode;
};

export function Form({ onSubmit, onCancel, cancelTo, mutation, fields, inline, stale, intro, submitLabel, submitColor, extra, maw, children }: FormProps) {
  const { t } = useTranslation();
  const refetch = useRefetch(...[stale?.queryKey ?? []].flat());
  const { error } = mutation;
  const errs = fieldErrors(error);
  const reload = async () => {
    await refetch();
    onCancel();
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        // a date typed wrong shows its error (DateField) and is not sent as another day, or none
        if (e.currentTarget.querySelector(`[${INVALID_DATE_ATTR}]`)) return;
        onSubmit();
      }}
      noValidate
    >
      <Stack maw={maw}>
        {intro}
        {stale && isStale(error) ? (
          <StaleDiff error={error} loaded={stale.loaded as Record<string, unknown>} labels={stale.labels} onReload={stale.onReload ?? reload} />
        ) : error && (errs[""] || !(inline || fields.some((f) => errs[f]))) ? (
          <ProblemAlert error={error} />
        ) : null}
        {children}
        <Group justify="flex-end">
          {cancelTo ? (
            <Button variant="default" component={Link} to={cancelTo}>
              {t("common.cancel")}
            </Button>
          ) : (
            <Button variant="default" onClick={onCancel}>
              {t("common.cancel")}
            </Button>
          )}
          <Button type="submit" loading={mutation.isPending} color={submitColor}>
            {submitLabel ?? t("common.save")}
          </Button>
          {extra}
        </Group>
      </Stack>
    </form>
  );
}

export function FormModal({ title, size, onClose, ...form }: Omit<FormProps, "onCancel" | "cancelTo" | "maw"> & { title: string; size?: ModalProps["size"]; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={title} size={size}>
      <Form {...form} onCancel={onClose} />
    </Modal>
  );
}
