// Attach a decree's PDF scan (PUT multipart; the API checks the content is a PDF and its size).
// The create/change form is shared with the team page: components/DecreeFormModal.tsx.
import { FileInput, Text } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas } from "../api/client";
import { fieldErrors } from "../api/problems";
import { FormModal } from "../components/FormModal";
import { useUploadDecreeFile } from "./api";

type Decree = Schemas["DecreeRead"];

/** Attach (or replace) the decree's PDF scan. */
export function DecreeUploadModal({ decree, onClose }: { decree: Decree; onClose: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const upload = useUploadDecreeFile(decree, onClose);
  const errs = fieldErrors(upload.error);
  return (
    <FormModal title={decree.file ? t("decrees.replaceFile") : t("decrees.uploadFile")} onClose={onClose} onSubmit={() => (file ? upload.mutate(file) : setMissing(true))} mutation={upload} fields={["file"]}>
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
