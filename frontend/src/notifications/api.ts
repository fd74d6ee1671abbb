// The signed-in account's notifications (reminders) and its preferences (GET/POST /notifications...).
import { api, type Schemas } from "../api/client";
import { useSave } from "../api/mutations";
import { unwrap } from "../api/problems";
import { apiQuery } from "../api/query";

export type NotificationRead = Schemas["NotificationRead"];
export type Preferences = Schemas["Preferences"];

export const notificationKeys = {
  all: ["notifications"] as const,
  page: (offset: number, unread: boolean) => ["notifications", "page", offset, unread] as const,
  preferences: ["notifications", "preferences"] as const,
};

export const PAGE = 20;

export const notificationsQuery = (offset: number, unread: boolean) =>
  apiQuery(notificationKeys.page(offset, unread), () => api.GET("/api/v1/notifications", { params: { query: { limit: PAGE, offset, unread } } }));

export const preferencesQuery = () => apiQuery(notificationKeys.preferences, () => api.GET("/api/v1/notifications/preferences"));

export function useMarkRead() {
  return useSave(async (body: Schemas["MarkRead"]) => unwrap(await api.POST("/api/v1/notifications/read", { body })), ["notifications"], undefined, { message: null });
}

export function useSavePreferences() {
  return useSave(async (body: Schemas["PreferencesUpdate"]) => unwrap(await api.PUT("/api/v1/notifications/preferences", { body })), ["notifications"]);
}
