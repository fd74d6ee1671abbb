import { ActionIcon, Anchor, AppShell, Burger, Button, Group, NavLink, Stack, Text } from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { IconBook, IconCalendarDue, IconBuildingCommunity, IconChartBar, IconChecklist, IconClipboardList, IconCoin, IconReportAnalytics, IconGavel, IconTrophy, IconHistory, IconHome, IconListCheck, IconPresentation, IconKey, IconLogout, IconMap2, IconUsers, IconUsersGroup } from "@tabler/icons-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useAuth, useMe } from "../auth/auth";
import { PageLoading } from "../components/PageLoading";
import { Bell } from "./Bell";
import { LanguageSwitch } from "./LanguageSwitch";
import { OfflineQueueProvider, QueueIndicator } from "../offline/OfflineQueue";

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  // a phone (below Mantine's "sm", 48em): the header keeps the menu, the name and the logout icon;
  // the language switch, the docs and the account's name move into the menu (rendered once, not hidden)
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const signOut = async () => {
    await logout();
    navigate("/login", { replace: true });
  };

  const links = [
    { to: "/", label: t("nav.home"), icon: IconHome, show: true, exact: true },
    { to: "/tasks", label: t("nav.tasks"), icon: IconClipboardList, show: true },
    { to: "/regions", label: t("nav.regions"), icon: IconMap2, show: true },
    { to: "/compliance", label: t("nav.compliance"), icon: IconChecklist, show: true },
    { to: "/teams", label: t("nav.teams"), icon: IconUsersGroup, show: true, also: ["/decrees"] },
    { to: "/reporting-deadlines", label: t("nav.deadlines"), icon: IconCalendarDue, show: true },
    { to: "/posyandu", label: t("nav.posyandu"), icon: IconBuildingCommunity, show: true, also: ["/registration-batches"] },
    { to: "/activity-reports", label: t("nav.activityReports"), icon: IconReportAnalytics, show: true },
    { to: "/pilot-sites", label: t("nav.pilots"), icon: IconChartBar, show: true },
    { to: "/budgets", label: t("nav.budgets"), icon: IconCoin, show: true },
    { to: "/work-programs", label: t("nav.workPrograms"), icon: IconClipboardList, show: true },
    { to: "/competitions", label: t("nav.competitions"), icon: IconTrophy, show: true },
    { to: "/meetings", label: t("nav.meetings"), icon: IconPresentation, show: true },
    { to: "/follow-ups", label: t("nav.followUps"), icon: IconListCheck, show: true },
    { to: "/legal-references", label: t("nav.legal"), icon: IconGavel, show: true },
    { to: "/users", label: t("nav.users"), icon: IconUsers, show: me.can_manage_accounts },
    { to: "/api-clients", label: t("nav.apiClients"), icon: IconKey, show: me.can_manage_accounts },
    { to: "/audit", label: t("nav.audit"), icon: IconHistory, show: true },
  ];

  return (
    <OfflineQueueProvider>
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("app.menu")} />
            {/* the app's name, not a heading: each screen's title is its h1 */}
            <Text component="span" fw={700} fz={22} c="teal.9">
              {t("app.name")}
            </Text>
            <Text c="dimmed" size="sm" visibleFrom="md">
              {t("app.tagline")}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            {!phone && (
              <Anchor href="/docs" target="_blank" rel="noreferrer" size="sm">
                <Group gap={4} wrap="nowrap">
                  <IconBook size={16} aria-hidden />
                  {t("app.apiDocs")}
                </Group>
              </Anchor>
            )}
            {!phone && <LanguageSwitch />}
            <Stack gap={0} visibleFrom="sm" data-testid="current-user">
              <Text size="sm" fw={600}>
                {me.name}
              </Text>
              <Text size="xs" c="dimmed">
                {me.role ? t(`roles.${me.role}`) : ""} · {me.region ? me.region.name : t("app.national")}
              </Text>
            </Stack>
            <QueueIndicator compact={phone} />
            {me.kind === "user" && <Bell />}
            {phone ? (
              <ActionIcon variant="subtle" size="lg" onClick={signOut} aria-label={t("app.logout")}>
                <IconLogout size={20} aria-hidden />
              </ActionIcon>
            ) : (
              <Button variant="subtle" size="xs" leftSection={<IconLogout size={16} aria-hidden />} onClick={signOut}>
                {t("app.logout")}
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t("app.navigation")}>
        {phone && (
          <Stack gap="xs" mb="sm">
            <Text size="sm" fw={600}>
              {me.name}
            </Text>
            <LanguageSwitch />
            <Anchor href="/docs" target="_blank" rel="noreferrer" size="sm">
              {t("app.apiDocs")}
            </Anchor>
          </Stack>
        )}
        {links
          .filter((l) => l.show)
          .map((l) => (
            <NavLink key={l.to} component={Link} to={l.to} active={l.exact ? location.pathname === l.to : [l.to, ...(l.also ?? [])].some((p) => location.pathname.startsWith(p))} label={l.label} leftSection={<l.icon size={18} />} onClick={close} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {/* a screen's code arrives on its first visit: the frame stays, the main area says it is loading */}
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
    </OfflineQueueProvider>
  );
}
