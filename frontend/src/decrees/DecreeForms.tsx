// Attach a decree's PDF scan (PUT multipart; the API checks the content is a PDF and its size).
// The create/change form is shared with the team page: components/DecreeFormModal.tsx.
import { FileInput, Text } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, multipartFile, type Schemas } from "../api/client";
import { fieldErrors, unwrap } from "../api/problems";
import { FormModal, useOnSaved } from "../components/FormModal";

type Decree = Schemas["DecreeRead"];
/** Statuses whose PDF can still be attached or replaced (the API refuses the others with 409). */
export const FILE_OPEN: Decree["status"][] = ["draft", "issued", "reported"];

/** Attach (or replace) the decree's PDF scan. */
export function DecreeUploadModal({ decree, onClose }: { decree: Decree; onClose: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const upload = useMutation({
    mutationFn: async (f: File) =>
      unwrap(
        await api.PUT("/api/v1/decrees/{decree_id}/file", {
          params: { path: { decree_id: decree.id } },
          body: { file: f.name },
          bodySerializer: multipartFile(f),
        }),
      ),
    onSuccess: useOnSaved(["decrees"], onClose, "decrees.uploaded"),
  });
  const errs = fieldErrors(upload.error);
  return (
    <FormModal
      title={decree.file ? t("decrees.replaceFile") : t("decrees.uploadFile")}
      onClose={onClose}
      onSubmit={() => (file ? upload.mutate(file) : setMissing(true))}
      saving={upload.isPending}
      error={upload.error}
      fields={["file"]}
    >
      <Text size="sm">{decree.title}</Text>
      <FileInput
        label={t("decrees.pdfFile")}
        description={t("decrees.pdfHelp")}
        accept="application/pdf,.pdf"
        value={file}
        onChange={(f) => {
          setFile(f);
          setMissing(false);
          upload.reset();
        }}
        error={errs.file ?? (missing ? t("decrees.pickFile") : undefined)}
        clearable
        required
        leftSection={<IconUpload size={14} />}
        data-testid="pdf-input"
      />
    </FormModal>
  );
}
