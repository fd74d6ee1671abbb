import { Anchor, AppShell, Burger, Button, Group, NavLink, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconBell, IconBook, IconCalendarDue, IconBuildingCommunity, IconChartBar, IconChecklist, IconCoin, IconHistory, IconListCheck, IconPresentation, IconKey, IconLogout, IconMap2, IconUsers, IconUsersGroup } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useAuth, useMe } from "../auth/auth";
import { LanguageSwitch } from "./LanguageSwitch";

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();

  const links = [
    { to: "/tasks", label: t("nav.tasks"), icon: IconBell, show: true },
    { to: "/regions", label: t("nav.regions"), icon: IconMap2, show: true },
    { to: "/compliance", label: t("nav.compliance"), icon: IconChecklist, show: true },
    { to: "/teams", label: t("nav.teams"), icon: IconUsersGroup, show: true, also: ["/decrees"] },
    { to: "/reporting-deadlines", label: t("nav.deadlines"), icon: IconCalendarDue, show: true },
    { to: "/posyandu", label: t("nav.posyandu"), icon: IconBuildingCommunity, show: true, also: ["/registration-batches"] },
    { to: "/pilot-sites", label: t("nav.pilots"), icon: IconChartBar, show: true },
    { to: "/budgets", label: t("nav.budgets"), icon: IconCoin, show: true },
    { to: "/meetings", label: t("nav.meetings"), icon: IconPresentation, show: true },
    { to: "/follow-ups", label: t("nav.followUps"), icon: IconListCheck, show: true },
    { to: "/users", label: t("nav.users"), icon: IconUsers, show: me.can_manage_accounts },
    { to: "/api-clients", label: t("nav.apiClients"), icon: IconKey, show: me.can_manage_accounts },
    { to: "/audit", label: t("nav.audit"), icon: IconHistory, show: true },
  ];

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <Title order={3} c="teal.8">
              {t("app.name")}
            </Title>
            <Text c="dimmed" size="sm" visibleFrom="md">
              {t("app.tagline")}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Anchor href="/docs" target="_blank" rel="noreferrer" size="sm">
              <Group gap={4} wrap="nowrap">
                <IconBook size={16} />
                {t("app.apiDocs")}
              </Group>
            </Anchor>
            <LanguageSwitch />
            <Stack gap={0} visibleFrom="sm" data-testid="current-user">
              <Text size="sm" fw={600}>
                {me.name}
              </Text>
              <Text size="xs" c="dimmed">
                {me.role ? t(`roles.${me.role}`) : ""} · {me.region ? me.region.name : t("app.national")}
              </Text>
            </Stack>
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconLogout size={16} />}
              onClick={async () => {
                await logout();
                navigate("/login", { replace: true });
              }}
            >
              {t("app.logout")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        {links
          .filter((l) => l.show)
          .map((l) => (
            <NavLink key={l.to} component={Link} to={l.to} active={[l.to, ...(l.also ?? [])].some((p) => location.pathname.startsWith(p))} label={l.label} leftSection={<l.icon size={18} />} onClick={close} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
