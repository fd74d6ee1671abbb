// Shows an API problem (RFC 9457) in the user's language where we know its type.
import { Alert } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/problems";

export function problemTitle(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    const slug = error.problem.type.split("/").pop();
    if (slug === "out-of-scope") return t("problems.outOfScope");
    if (slug === "not-found") return t("problems.notFound");
    if (slug === "forbidden") return t("problems.forbidden");
    if (slug === "precondition-failed") return t("problems.stale");
    return error.problem.title;
  }
  return t("common.error");
}

export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const detail = error instanceof ApiError ? error.problem.detail : error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <Alert color="red" role="alert" icon={<IconAlertTriangle />} title={title ?? problemTitle(error, t)} data-status={status}>
      {detail}
    </Alert>
  );
}
