// A report's photos: thumbnails (alt text: the caption, else the file name), and while the report
// is editable (a draft or returned, by whoever may edit it) a caption, a file picker (JPEG or PNG;
// on a phone the camera) and a remove button per photo. Photos go straight to the API, never
// through the offline outbox: the section says adding them needs a connection.
import { ActionIcon, Alert, Button, FileInput, Group, Image, Loader, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { IconCamera, IconTrash, IconWifiOff } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "../api/problems";
import { Section } from "../components/Page";
import { ProblemAlert } from "../components/ProblemAlert";
import { formatNumber } from "../lib/format";
import { allows } from "../lib/scope";
import { photosQuery, photoUrl, useDeletePhoto, useUploadPhoto, type Report } from "./api";

/** The statuses in which photos may be added or removed (the API's rule too). */
const EDITABLE = new Set(["draft", "returned"]);

export function ReportPhotos({ r, maxCount, maxBytes }: { r: Report; maxCount?: number; maxBytes?: number }) {
  const { t } = useTranslation();
  const photos = useQuery(photosQuery(r.id));
  const [file, setFile] = useState<File | null>(null);
  const [caption, setCaption] = useState("");
  const upload = useUploadPhoto(r.id, () => {
    setFile(null);
    setCaption("");
  });
  const remove = useDeletePhoto(r.id);
  const editable = EDITABLE.has(r.status) && allows(r, "update");
  const list = photos.data ?? [];
  const full = maxCount !== undefined && list.length >= maxCount;
  const errs = fieldErrors(upload.error);
  return (
    <Section title={t("activityReports.photos.title")} data-testid="report-photos" maw={560}>
      <Stack gap="sm">
        {photos.error ? (
          <ProblemAlert error={photos.error} />
        ) : !photos.data ? (
          <Loader size="sm" aria-label={t("activityReports.photos.title")} />
        ) : list.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t("activityReports.photos.none")}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {list.map((p) => (
              <li key={p.id}>
                <Stack gap={4}>
                  <a href={photoUrl(r.id, p.id)} target="_blank" rel="noreferrer">
                    <Image src={photoUrl(r.id, p.id)} alt={p.caption || p.filename} h={110} fit="cover" radius="sm" loading="lazy" />
                  </a>
                  <Group gap={4} wrap="nowrap" justify="space-between">
                    <Text size="xs" lineClamp={2}>
                      {p.caption || p.filename}
                    </Text>
                    {editable && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        size="sm"
                        aria-label={t("activityReports.photos.remove", { name: p.caption || p.filename })}
                        loading={remove.isPending && remove.variables === p.id}
                        onClick={() => remove.mutate(p.id)}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    )}
                  </Group>
                </Stack>
              </li>
            ))}
          </SimpleGrid>
        )}
        <ProblemAlert error={remove.error} />
        {editable && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (file) upload.mutate({ file, caption });
            }}
            data-testid="photo-form"
          >
            <Stack gap="xs">
              <Alert color="gray" icon={<IconWifiOff size={16} />} p="xs">
                <Text size="sm">{t("activityReports.photos.needsConnection")}</Text>
              </Alert>
              {full ? (
                <Text size="sm" c="dimmed">
                  {t("activityReports.photos.full", { n: maxCount })}
                </Text>
              ) : (
                <>
                  <FileInput
                    label={t("activityReports.photos.file")}
                    description={t("activityReports.photos.fileHelp", { mb: formatNumber(Math.floor((maxBytes ?? 5 * 1024 * 1024) / (1024 * 1024))), n: maxCount ?? 6 })}
                    accept="image/jpeg,image/png"
                    capture="environment"
                    value={file}
                    onChange={(f) => {
                      setFile(f);
                      upload.reset();
                    }}
                    error={errs.file}
                    clearable
                    leftSection={<IconCamera size={14} />}
                    data-testid="photo-input"
                  />
                  <TextInput
                    label={t("activityReports.photos.caption")}
                    description={t("activityReports.photos.captionHelp")}
                    value={caption}
                    onChange={(e) => setCaption(e.currentTarget.value)}
                    maxLength={200}
                    error={errs.caption}
                  />
                  {upload.error && !errs.file && !errs.caption ? <ProblemAlert error={upload.error} /> : null}
                  <Group>
                    <Button type="submit" disabled={!file} loading={upload.isPending}>
                      {t("activityReports.photos.add")}
                    </Button>
                  </Group>
                </>
              )}
            </Stack>
          </form>
        )}
      </Stack>
    </Section>
  );
}
