// Files the API writes (a list as XLSX/CSV, the compliance recap, a region's summary PDF): fetched
// through the authenticated client as a Blob and saved under the server's file name; the button
// shows that it is working and a failure shows the API's problem. A list's buttons carry the
// screen's current filters (its query without the page). Print: the browser's print of the
// screen, laid out by print.css (A4, no navigation, tables whole).
import { Anchor, Button, Group, Image, Loader, type ButtonProps, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDownload, IconPrinter } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import { ApiError, unwrap } from "../api/problems";
import type { paths } from "../api/schema";
import { ProblemAlert, problemTitle } from "./ProblemAlert";

/** Every GET of the API under /exports (a list, a report, a PDF). */
export type ExportPath = Extract<keyof paths, `/api/v1/exports/${string}`>;
type QueryValue = string | number | boolean | null | undefined;
export type ExportQuery = Record<string, QueryValue>;

/** The query a list's export takes: the list's own filters and sort, without its page. */
export function exportFilters(query: ExportQuery): ExportQuery {
  const out: ExportQuery = {};
  for (const [k, v] of Object.entries(query)) if (k !== "limit" && k !== "offset" && v !== undefined && v !== null && v !== "") out[k] = v;
  return out;
}

/** The file name a Content-Disposition header gives (RFC 6266: `filename*` first), else `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* a malformed encoding: the plain name below */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** Save a Blob as a file named `name` (an object URL clicked through a hidden link). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // give the browser the time to start the download before the URL goes
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** GET an API file as a Blob with the server's file name (an ApiError with the problem when refused). */
export async function fetchFile(path: string, query: ExportQuery = {}, pathParams: Record<string, string | number> = {}): Promise<{ blob: Blob; name: string }> {
  // the export paths differ in their parameters only; they are sent as the screen built them
  const get = api.GET as unknown as (
    p: string,
    init: { params: { query: ExportQuery; path: Record<string, string | number> }; parseAs: "blob" },
  ) => Promise<{ data?: Blob; error?: unknown; response: Response }>;
  const result = await get(path, { params: { query, path: pathParams }, parseAs: "blob" });
  const blob = unwrap(result);
  const last = path.split("/").pop() ?? "download";
  return { blob, name: attachmentName(result.response.headers.get("Content-Disposition"), last) };
}

/** Download the file now; a failure is a notification with the API's problem. */
export function useDownload(path: string, query: ExportQuery = {}, pathParams: Record<string, string | number> = {}) {
  const { t } = useTranslation();
  return useMutation({
    mutationFn: () => fetchFile(path, query, pathParams),
    onSuccess: ({ blob, name }) => saveBlob(blob, name),
    onError: (e) =>
      notifications.show({
        color: "red",
        title: t("exports.failed"),
        message: e instanceof ApiError ? `${problemTitle(e, t)}: ${e.problem.detail ?? ""}` : e instanceof Error ? e.message : String(e),
      }),
  });
}

/**
 * One download button: `label` is what the user reads ("XLSX"), `name` its accessible name
 * ("Unduh daftar posyandu (XLSX)").
 */
export function DownloadButton({
  path,
  query,
  pathParams,
  label,
  name,
  testId,
  ...button
}: ButtonProps & { path: keyof paths; query?: ExportQuery; pathParams?: Record<string, string | number>; label: string; name: string; testId?: string }) {
  const { t } = useTranslation();
  const download = useDownload(path, query, pathParams);
  const named = name.startsWith(label);
  return (
    <Button
      variant="default"
      leftSection={<IconDownload size={16} />}
      loading={download.isPending}
      title={name}
      aria-label={named ? name : undefined}
      data-testid={testId}
      data-print-hide
      onClick={() => download.mutate()}
      loaderProps={{ "aria-label": t("exports.preparing") } as Record<string, string>}
      {...button}
    >
      {label}
      {/* the accessible name starts with what is seen (WCAG 2.5.3), then says what is downloaded:
          the name itself when it starts with the label ("Unduh" → "Unduh data_kader.pdf"),
          else "XLSX: Unduh daftar posyandu (XLSX)" */}
      {!named && <VisuallyHidden>: {name}</VisuallyHidden>}
    </Button>
  );
}

/** The XLSX and CSV of a list, with the screen's filters (`query`: the list's query, page included or not). */
export function ExportButtons({ path, query = {}, what, pathParams }: { path: ExportPath; query?: ExportQuery; what: string; pathParams?: Record<string, string | number> }) {
  const { t } = useTranslation();
  const filters = exportFilters(query);
  return (
    <Group gap={6} data-testid="export-buttons" data-print-hide>
      {(["xlsx", "csv"] as const).map((format) => (
        <DownloadButton
          key={format}
          size="sm"
          path={path}
          pathParams={pathParams}
          query={{ ...filters, format }}
          label={format.toUpperCase()}
          name={t("exports.listAs", { what, format: format.toUpperCase() })}
          testId={`export-${format}`}
        />
      ))}
    </Group>
  );
}

/** Print the screen (print.css lays it out for A4). */
export function PrintButton(props: ButtonProps) {
  const { t } = useTranslation();
  return (
    <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={() => window.print()} data-testid="print" data-print-hide {...props}>
      {t("exports.print")}
    </Button>
  );
}

/**
 * A file of the API shown in place: a PDF in a frame, an image as an image, anything else as a
 * download link. It is fetched through the authenticated client and shown from a blob URL.
 */
export function FilePreview({ path, pathParams, title, height = 480 }: { path: string; pathParams: Record<string, string | number>; title: string; height?: number }) {
  const { t } = useTranslation();
  // the blob URL is made with the file and let go a while after the preview closes (a frame
  // already drawn keeps its document)
  const file = useQuery({
    queryKey: ["file", path, pathParams],
    queryFn: async () => {
      const got = await fetchFile(path, {}, pathParams);
      return { ...got, url: URL.createObjectURL(got.blob) };
    },
    gcTime: 0,
    retry: false,
  });
  const url = file.data?.url;
  useEffect(() => {
    if (!url) return;
    return () => void setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }, [url]);
  if (file.error) return <ProblemAlert error={file.error} />;
  if (!file.data || !url) return <Loader size="sm" aria-label={t("common.loading")} />;
  const type = file.data.blob.type.split(";")[0].trim();
  if (type === "application/pdf")
    return <iframe src={url} title={title} data-testid="file-preview" style={{ width: "100%", height, border: "1px solid var(--mantine-color-gray-4)" }} />;
  if (type.startsWith("image/")) return <Image src={url} alt={title} mah={height} fit="contain" data-testid="file-preview" />;
  return (
    <Anchor href={url} download={file.data.name} data-testid="file-preview">
      {t("exports.downloadFile", { name: file.data.name })}
    </Anchor>
  );
}
