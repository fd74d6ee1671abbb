// The first element of every query key. Each screen's api.ts builds its key factory under one of
// these roots; a mutation refetches every query under the roots it touches, whichever screen
// asked for them (a decree saved on a team's page refreshes the decree list and the board too).
export type QueryRoot =
  | "auth"
  | "regions"
  | "compliance"
  | "teams"
  | "decrees"
  | "reporting-deadlines"
  | "posyandu"
  | "activity-reports"
  | "registration-batches"
  | "pilot-sites"
  | "budgets"
  | "work-programs"
  | "legal-references"
  | "competitions"
  | "meetings"
  | "follow-ups"
  | "users"
  | "api-clients"
  | "audit"
  | "webhooks"
  | "notifications";
