import { Badge, MantineProvider, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Suspense, lazy, useEffect, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { ApiError } from "./api/problems";
import { AuthProvider, useMe } from "./auth/auth";
import { LoginPage } from "./auth/LoginPage";
import { RequireAuth } from "./auth/RequireAuth";
import { PageLoading } from "./components/PageLoading";

// Route-level code splitting: each screen folder is its own chunk, fetched on its first visit (the
// login form needs none of them); the charts (recharts) come only with the screens that draw them.
// `lazyScreen(load, name)` is a module's named export; screens of one module share its chunk. Once
// its code is here (`preload()`), a screen renders at once: its lazy factory then hands React a
// thenable that has already resolved, so React does not suspend (no loading flash).
type Screen = LazyExoticComponent<ComponentType> & { preload: () => Promise<ComponentType> };
function lazyScreen<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): Screen {
  let loaded: ComponentType | undefined;
  const preload = async () => (loaded ??= (await load())[name] as ComponentType);
  const screen = lazy(() => {
    if (!loaded) return preload().then((component) => ({ default: component }));
    const ready = { default: loaded };
    return { then: (resolve: (value: typeof ready) => void) => resolve(ready) } as unknown as Promise<typeof ready>;
  });
  return Object.assign(screen, { preload });
}
const Shell = lazyScreen(() => import("./layout/Shell"), "Shell");
const RegionExplorer = lazyScreen(() => import("./regions/RegionExplorer"), "RegionExplorer");
const ApiClientsPage = lazyScreen(() => import("./api-clients/ApiClientsPage"), "ApiClientsPage");
const AuditPage = lazyScreen(() => import("./audit/AuditPage"), "AuditPage");
const BudgetDetailPage = lazyScreen(() => import("./budgets/BudgetDetail"), "BudgetDetailPage");
const BudgetsPage = lazyScreen(() => import("./budgets/Budgets"), "BudgetsPage");
const ActivityBoardPage = lazyScreen(() => import("./activity-reports/ActivityBoard"), "ActivityBoardPage");
const NewReportPage = lazyScreen(() => import("./activity-reports/ReportForm"), "NewReportPage");
const ReportPage = lazyScreen(() => import("./activity-reports/ReportForm"), "ReportPage");
const ComplianceBoardPage = lazyScreen(() => import("./compliance/ComplianceBoard"), "ComplianceBoardPage");
const DecreesPage = lazyScreen(() => import("./decrees/Decrees"), "DecreesPage");
const DecreeDetailPage = lazyScreen(() => import("./decrees/DecreeDetail"), "DecreeDetailPage");
const DeadlinesPage = lazyScreen(() => import("./decrees/Deadlines"), "DeadlinesPage");
const MeetingFormPage = lazyScreen(() => import("./meetings/MeetingForm"), "MeetingFormPage");
const FollowUpsPage = lazyScreen(() => import("./meetings/Meetings"), "FollowUpsPage");
const MeetingDetailPage = lazyScreen(() => import("./meetings/Meetings"), "MeetingDetailPage");
const MeetingsPage = lazyScreen(() => import("./meetings/Meetings"), "MeetingsPage");
const PilotScorecardPage = lazyScreen(() => import("./pilots/PilotSites"), "PilotScorecardPage");
const PilotSitesPage = lazyScreen(() => import("./pilots/PilotSites"), "PilotSitesPage");
const PosyanduDetail = lazyScreen(() => import("./posyandu/PosyanduDetail"), "PosyanduDetail");
const PosyanduFormPage = lazyScreen(() => import("./posyandu/PosyanduForm"), "PosyanduFormPage");
const PosyanduRegistry = lazyScreen(() => import("./posyandu/PosyanduRegistry"), "PosyanduRegistry");
const BatchDetailPage = lazyScreen(() => import("./posyandu/RegistrationBatches"), "BatchDetailPage");
const BatchesPage = lazyScreen(() => import("./posyandu/RegistrationBatches"), "BatchesPage");
const TasksPage = lazyScreen(() => import("./tasks/TasksPage"), "TasksPage");
const TeamDetailPage = lazyScreen(() => import("./teams/Teams"), "TeamDetailPage");
const TeamsPage = lazyScreen(() => import("./teams/Teams"), "TeamsPage");
const UsersPage = lazyScreen(() => import("./users/UsersPage"), "UsersPage");
const CompetitionsPage = lazyScreen(() => import("./competitions/Competitions"), "CompetitionsPage");
const CompetitionDetailPage = lazyScreen(() => import("./competitions/Competitions"), "CompetitionDetailPage");
const LegalReferencesPage = lazyScreen(() => import("./legal/LegalReferences"), "LegalReferencesPage");
const LegalReferenceDetailPage = lazyScreen(() => import("./legal/LegalReferences"), "LegalReferenceDetailPage");
const WorkProgramsPage = lazyScreen(() => import("./work-programs/WorkPrograms"), "WorkProgramsPage");
const WorkProgramDetailPage = lazyScreen(() => import("./work-programs/WorkPrograms"), "WorkProgramDetailPage");
const HomePage = lazyScreen(() => import("./home/Home"), "HomePage");
const NotificationsPage = lazyScreen(() => import("./notifications/NotificationsPage"), "NotificationsPage");
const PreferencesPage = lazyScreen(() => import("./notifications/PreferencesPage"), "PreferencesPage");

const SCREENS: Screen[] = [
  Shell, RegionExplorer, ApiClientsPage, AuditPage, BudgetDetailPage, BudgetsPage, ComplianceBoardPage, DecreesPage,
  DecreeDetailPage, DeadlinesPage, MeetingFormPage, FollowUpsPage, MeetingDetailPage, MeetingsPage, PilotScorecardPage,
  PilotSitesPage, PosyanduDetail, PosyanduFormPage, PosyanduRegistry, BatchDetailPage, BatchesPage, TasksPage,
  TeamDetailPage, TeamsPage, UsersPage, CompetitionsPage, CompetitionDetailPage, LegalReferencesPage,
  LegalReferenceDetailPage, WorkProgramsPage, WorkProgramDetailPage, NotificationsPage, PreferencesPage, HomePage,
  ActivityBoardPage, NewReportPage, ReportPage,
];

/** Fetch every screen's code now (the component tests; never the app itself). */
export async function preloadScreens(): Promise<void> {
  await Promise.all(SCREENS.map((s) => s.preload()));
}

/** The login form; while it is open, the frame and the landing screen (the home) are fetched in
 * the background, so the first screen after signing in needs no further round trip for its code. */
function LoginRoute() {
  useEffect(() => {
    void Shell.preload().catch(() => {});
    void HomePage.preload().catch(() => {});
  }, []);
  return <LoginPage />;
}

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
    <Suspense fallback={<PageLoading fullScreen />}>
      <AppRoutesInner />
    </Suspense>
  );
}

function AppRoutesInner() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
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
        <Route path="/activity-reports" element={<ActivityBoardPage />} />
        <Route path="/activity-reports/new" element={<NewReportPage />} />
        <Route path="/activity-reports/reports/:reportId" element={<ReportPage />} />
        <Route path="/activity-reports/:code" element={<ActivityBoardPage />} />
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
        <Route path="/work-programs" element={<WorkProgramsPage />} />
        <Route path="/work-programs/:programId" element={<WorkProgramDetailPage />} />
        <Route path="/competitions" element={<CompetitionsPage />} />
        <Route path="/competitions/:competitionId" element={<CompetitionDetailPage />} />
        <Route path="/legal-references" element={<LegalReferencesPage />} />
        <Route path="/legal-references/:referenceId" element={<LegalReferenceDetailPage />} />
        <Route path="/meetings" element={<MeetingsPage />} />
        <Route path="/meetings/new" element={<MeetingFormPage />} />
        <Route path="/meetings/:meetingId" element={<MeetingDetailPage />} />
        <Route path="/follow-ups" element={<FollowUpsPage />} />
        <Route path="/users" element={<AdminOnly><UsersPage /></AdminOnly>} />
        <Route path="/api-clients" element={<AdminOnly><ApiClientsPage /></AdminOnly>} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/tasks" element={<TasksPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/notifications/preferences" element={<PreferencesPage />} />
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
