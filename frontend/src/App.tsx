import { Badge, MantineProvider, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { ApiClientsPage } from "./api-clients/ApiClientsPage";
import { ApiError } from "./api/problems";
import { AuditPage } from "./audit/AuditPage";
import { AuthProvider, useMe } from "./auth/auth";
import { BudgetDetailPage } from "./budgets/BudgetDetail";
import { BudgetsPage } from "./budgets/Budgets";
import { ComplianceBoardPage } from "./compliance/ComplianceBoard";
import { DecreesPage } from "./decrees/Decrees";
import { DecreeDetailPage } from "./decrees/DecreeDetail";
import { DeadlinesPage } from "./decrees/Deadlines";
import { LoginPage } from "./auth/LoginPage";
import { RequireAuth } from "./auth/RequireAuth";
import { Shell } from "./layout/Shell";
import { MeetingFormPage } from "./meetings/MeetingForm";
import { HomePage } from "./home/Home";
import { FollowUpsPage, MeetingDetailPage, MeetingsPage } from "./meetings/Meetings";
import { PilotScorecardPage, PilotSitesPage } from "./pilots/PilotSites";
import { PosyanduDetail } from "./posyandu/PosyanduDetail";
import { PosyanduFormPage } from "./posyandu/PosyanduForm";
import { PosyanduRegistry } from "./posyandu/PosyanduRegistry";
import { BatchDetailPage, BatchesPage } from "./posyandu/RegistrationBatches";
import { RegionExplorer } from "./regions/RegionExplorer";
import { TasksPage } from "./tasks/TasksPage";
import { TeamDetailPage, TeamsPage } from "./teams/Teams";
import { UsersPage } from "./users/UsersPage";

/** Teal whose dark end reads on white: shade 9 (buttons, links, badges' text) is 7:1, its hover 5:1
 * (Mantine's teal 6, 2.55:1 under white text, failed WCAG AA on every screen). */
const teal: MantineColorsTuple = ["#e6fcf5", "#c3fae8", "#96f2d7", "#63e6be", "#38d9a9", "#20c997", "#12b886", "#0ca678", "#087f5b", "#066649"];
/** The warm and green statuses' dark ends, darkened to read on their light badges (Mantine's shade 9
 * of yellow, orange, green, red and lime are 3.0 to 4.7:1, less on a striped or hovered row). */
const green: MantineColorsTuple = ["#ebfbee", "#d3f9d8", "#b2f2bb", "#8ce99a", "#69db7c", "#51cf66", "#40c057", "#37b24d", "#2b8a3e", "#1f6f30"];
const orange: MantineColorsTuple = ["#fff4e6", "#ffe8cc", "#ffd8a8", "#ffc078", "#ffa94d", "#ff922b", "#fd7e14", "#f76707", "#d9480f", "#a63a0b"];
const yellow: MantineColorsTuple = ["#fff9db", "#fff3bf", "#ffec99", "#ffe066", "#ffd43b", "#fcc419", "#fab005", "#f59f00", "#e67700", "#8a5a00"];
const red: MantineColorsTuple = ["#fff5f5", "#ffe3e3", "#ffc9c9", "#ffa8a8", "#ff8787", "#ff6b6b", "#fa5252", "#f03e3e", "#c92a2a", "#a51d1d"];
const lime: MantineColorsTuple = ["#f4fce3", "#e9fac8", "#d8f5a2", "#c0eb75", "#a9e34b", "#94d82d", "#82c91e", "#74b816", "#5c940d", "#3f6a0a"];

export const theme = createTheme({
  primaryColor: "teal",
  colors: { teal, green, orange, yellow, red, lime },
  // every color's filled, light and outline variants use its darkest shade: text on them and on
  // white meets 4.5:1; a filled color too light for white text gets dark text (autoContrast)
  primaryShade: 9,
  autoContrast: true,
  components: {
    // a status is never cut ("TERVERIFIK…"): a badge keeps its whole word and a narrow table scrolls
    Badge: Badge.extend({ styles: { root: { overflow: "visible", maxWidth: "none", flexShrink: 0 }, label: { overflow: "visible", textOverflow: "clip" } } }),
  },
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
});

/** Secondary ("dimmed") text at 8:1 on white, not gray 6's 3.3:1. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // never retry what the server refused (4xx); retry transient failures once
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
        refetchOnWindowFocus: false,
      },
    },
  });
}

/** Providers shared by the app and the component tests. */
export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [qc] = useState(() => client ?? makeQueryClient());
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <QueryClientProvider client={qc}>
        <AuthProvider>{children}</AuthProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}

function AdminOnly({ children }: { children: ReactNode }) {
  const me = useMe();
  return me.can_manage_accounts ? <>{children}</> : <Navigate to="/regions" replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Shell />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="/regions" element={<RegionExplorer />} />
        <Route path="/regions/:code" element={<RegionExplorer />} />
        <Route path="/compliance" element={<ComplianceBoardPage />} />
        <Route path="/compliance/:code" element={<ComplianceBoardPage />} />
        <Route path="/teams" element={<TeamsPage />} />
        <Route path="/teams/:teamId" element={<TeamDetailPage />} />
        <Route path="/decrees" element={<DecreesPage />} />
        <Route path="/decrees/:decreeId" element={<DecreeDetailPage />} />
        <Route path="/reporting-deadlines" element={<DeadlinesPage />} />
        <Route path="/posyandu" element={<PosyanduRegistry />} />
        <Route path="/posyandu/new" element={<PosyanduFormPage />} />
        <Route path="/posyandu/:posyanduId" element={<PosyanduDetail />} />
        <Route path="/posyandu/:posyanduId/edit" element={<PosyanduFormPage />} />
        <Route path="/registration-batches" element={<BatchesPage />} />
        <Route path="/registration-batches/:batchId" element={<BatchDetailPage />} />
        <Route path="/pilot-sites" element={<PilotSitesPage />} />
        <Route path="/pilot-sites/:pilotId" element={<PilotScorecardPage />} />
        <Route path="/budgets" element={<BudgetsPage />} />
        <Route path="/budgets/:budgetId" element={<BudgetDetailPage />} />
        <Route path="/meetings" element={<MeetingsPage />} />
        <Route path="/meetings/new" element={<MeetingFormPage />} />
        <Route path="/meetings/:meetingId" element={<MeetingDetailPage />} />
        <Route path="/follow-ups" element={<FollowUpsPage />} />
        <Route path="/users" element={<AdminOnly><UsersPage /></AdminOnly>} />
        <Route path="/api-clients" element={<AdminOnly><ApiClientsPage /></AdminOnly>} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/tasks" element={<TasksPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

export default function App() {
  return (
    <Providers>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  );
}
