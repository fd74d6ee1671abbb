// A form in a modal: the API's problem above the fields (unless its `errors` name one of
// them; those are shown next to the field), a 412 on an edit as what someone else changed,
// and Cancel / Save.
import { Button, Group, Modal, Stack, type ModalProps } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import type { ParseKeys } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { QueryRoot } from "../api/keys";
import { ApiError, fieldErrors } from "../api/problems";
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

/**
 * A mutation's onSuccess for a form: say it is saved, refetch the queries under each of `keys`
 * (the first element of their query keys), then `then` (close the form, open the new record).
 */
export function useOnSaved<T>(keys: QueryRoot[], then: (saved: T) => void, message: ParseKeys = "common.saved") {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return async (saved: T) => {
    notifications.show({ color: "teal", message: t(message) });
    for (const key of keys) await qc.invalidateQueries({ queryKey: [key] });
    then(saved);
  };
}

export type StaleProps = {
  /** The copy the user loaded, to compare with the problem's `current`. */
  loaded: object;
  labels?: Record<string, string>;
  /** "Load the latest" refetches the queries under this key and closes the form. */
  queryKey: QueryRoot;
};

export function FormModal({
  title,
  onClose,
  onSubmit,
  saving,
  error,
  fields,
  stale,
  size,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  saving: boolean;
  error: unknown;
  /** The body fields the form shows, whose 422 errors appear next to them. */
  fields: string[];
  stale?: StaleProps;
  size?: ModalProps["size"];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errs = fieldErrors(error);
  return (
    <Modal opened onClose={onClose} title={title} size={size}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        <Stack>
          {stale && isStale(error) ? (
            <StaleDiff
              error={error}
              loaded={stale.loaded as Record<string, unknown>}
              labels={stale.labels}
              onReload={async () => {
                await qc.invalidateQueries({ queryKey: [stale.queryKey] });
                onClose();
              }}
            />
          ) : error && !fields.some((f) => errs[f]) ? (
            <ProblemAlert error={error} />
          ) : null}
          {children}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={saving}>
              {t("common.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
