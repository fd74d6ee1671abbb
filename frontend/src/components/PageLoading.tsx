// What shows while a screen's code arrives (each screen is its own chunk, loaded on first visit):
// a status region that a screen reader announces ("Memuat…"), a spinner for the eye.
import { Center, Loader, VisuallyHidden } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function PageLoading({ fullScreen = false }: { fullScreen?: boolean }) {
  const { t } = useTranslation();
  return (
    <Center mih={fullScreen ? "100vh" : 200} role="status" aria-live="polite" data-testid="page-loading">
      <Loader aria-hidden />
      <VisuallyHidden>{t("common.loading")}</VisuallyHidden>
    </Center>
  );
}
